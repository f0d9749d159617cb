import { readFileSync } from "node:fs";
import { join } from "node:path";
import i18next, { type TFunction } from "i18next";
import { builtinPaths } from "../paths.js";
import { LOCALES, type Locale } from "../schema/localized.js";

let instance: ReturnType<typeof i18next.createInstance> | undefined;

/** Page chrome (headings, labels, dates' captions) in each locale, from locales/*.json. Loaded once. */
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

/**
 * The same key without values always gives the same text, and a build asks for each one thousands of
 * times (every page's chrome): i18next's lookup costs about 10 µs a call, a Map 0.1 µs. Calls with
 * values (interpolation) go to i18next every time.
 */
function memoise(t: TFunction): Translate {
  const plain = new Map<string, string>();
  return (key, values) => {
    if (values) return t(key, values);
    let text = plain.get(key);
    if (text === undefined) plain.set(key, (text = t(key)));
    return text;
  };
}

/** Forget the loaded locale files (the live preview calls this when locales/ changes). */
export function resetTranslations(): void {
  instance = undefined;
  memoised = {};
}

/** True when the locale file has the key (a section id with a default heading, for example). */
export function hasKey(locale: Locale, key: string): boolean {
  translator(locale);
  return instance!.exists(key, { lng: locale });
}
