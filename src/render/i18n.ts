import { readFileSync } from "node:fs";
import { join } from "node:path";
import i18next, { type TFunction } from "i18next";
import { builtinPaths } from "../paths.js";
import { LOCALES, type Locale } from "../schema/localized.js";

let instance: ReturnType<typeof i18next.createInstance> | undefined;

/** Page chrome (headings, labels, dates' captions) in each locale, from locales/*.json. Loaded once. */
export function translator(locale: Locale): TFunction {
  if (!instance) {
    instance = i18next.createInstance();
    const resources = Object.fromEntries(
      LOCALES.map((l) => [l, { translation: JSON.parse(readFileSync(join(builtinPaths.locales, `${l}.json`), "utf8")) }]),
    );
    // Values are escaped by the Markdown and HTML writers, which know their context; i18next must not.
    instance.init({ resources, lng: "zh-CN", fallbackLng: false, initAsync: false, interpolation: { escapeValue: false }, returnNull: false });
  }
  return instance.getFixedT(locale);
}

/** Forget the loaded locale files (the live preview calls this when locales/ changes). */
export function resetTranslations(): void {
  instance = undefined;
}

/** True when the locale file has the key (a section id with a default heading, for example). */
export function hasKey(locale: Locale, key: string): boolean {
  translator(locale);
  return instance!.exists(key, { lng: locale });
}
