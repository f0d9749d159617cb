import { readFileSync } from "node:fs";
import { join } from "node:path";
import i18next, { type TFunction } from "i18next";
import { forgetWhenChanged } from "../load/fresh.js";
import { builtinPaths } from "../paths.js";
import { LOCALES, type Locale } from "../schema/localized.js";

let instance: ReturnType<typeof i18next.createInstance> | undefined;

/** Page chrome (headings, labels, dates' captions) in each locale, from locales/*.json (read again when they change). */
/** Text of a key of locales/<locale>.json, with `{{name}}` filled from `values`. */
export type Translate = (key: string, values?: Record<string, unknown>) => string;

export function translator(locale: Locale): Translate {
  if (!instance) {
    instance = i18next.createInstance();
    const resources = Object.fromEntries(
      LOCALES.map((l) => [l, { translation: JSON.parse(readFileSync(join(builtinPaths.locales, `${l}.json`), "utf8")) }]),
    );
    // Values are escaped by the Markdown and HTML writers, which know their context; i18next must not.
    instance.init({ resources, lng: "zh-CN", fallbackLng: false, initAsync: false, interpolation: { escapeValue: false }, returnNull: false });
  }
  return memoised[locale] ??= memoise(instance.getFixedT(locale));
}

let memoised: Partial<Record<Locale, Translate>> = {};
/** hasKey's answers, by locale and key. */
const existing = new Map<string, boolean>();

/**
 * The same key with the same values always gives the same text, and a build asks for each one
 * thousands of times (every page's chrome): i18next's lookup costs about 10 µs a call, a Map 0.1 µs.
 * Texts with values (a company's name, a version) are forgotten now and then, so memory stays flat.
 */
function memoise(t: TFunction): Translate {
  const plain = new Map<string, string>();
  const filled = new Map<string, string>();
  return (key, values) => {
    const memo = values ? filled : plain;
    const id = values ? `${key}\u0000${JSON.stringify(values)}` : key;
    let text = memo.get(id);
    if (text === undefined) {
      if (filled.size > 5_000) filled.clear();
      memo.set(id, (text = values ? t(key, values) : t(key)));
    }
    return text;
  };
}

// a build after an edit of locales/ (the live preview, a program building again) reads them again
forgetWhenChanged([builtinPaths.locales], () => {
  instance = undefined;
  memoised = {};
  existing.clear();
});

/** True when the locale file has the key (a section id with a default heading, for example). */
export function hasKey(locale: Locale, key: string): boolean {
  translator(locale);
  // asked for every section of every document: i18next's lookup is the slow part
  const id = `${locale}\u0000${key}`;
  let has = existing.get(id);
  if (has === undefined) existing.set(id, (has = instance!.exists(key, { lng: locale })));
  return has;
}
