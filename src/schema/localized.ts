import { z } from "zod";

/** The locales a policy is written in. The first is the default and the controlling one unless the profile says otherwise. */
export const LOCALES = ["zh-CN", "en"] as const;
export const localeSchema = z.enum(LOCALES);
export type Locale = z.infer<typeof localeSchema>;

export const textSchema = z.string().trim().min(1, "must not be empty").max(20_000, "is longer than 20,000 characters");
const text = textSchema;

/**
 * A value that differs by language: either one string used in both (names of people, emails, URLs,
 * product names that are not translated) or `{ zh-CN: ..., en: ... }`.
 */
export const localizedSchema = z.union([
  text,
  z.strictObject({ "zh-CN": text, en: text }),
]);
export type Localized = z.infer<typeof localizedSchema>;

export function pick(value: Localized, locale: Locale): string {
  return typeof value === "string" ? value : value[locale];
}
