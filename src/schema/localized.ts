import { z } from "zod";

/** The locales a policy is written in. The first is the default and the controlling one unless the profile says otherwise. */
export const LOCALES = ["zh-CN", "en"] as const;
export const localeSchema = z.enum(LOCALES);
export type Locale = z.infer<typeof localeSchema>;

/**
 * How many combining marks one letter may carry. Writing systems put a few on a letter (Vietnamese two,
 * Hebrew or Tibetan up to about six); dozens ("Zalgo" text) are stacked above and below the line, over
 * the lines around it and, on a page's first or last line, into the running header or footer of the PDF.
 */
export const MAX_MARKS_PER_LETTER = 8;
const tooManyMarks = new RegExp(`\\p{M}{${MAX_MARKS_PER_LETTER + 1},}`, "u");

export const textSchema = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(20_000, "is longer than 20,000 characters")
  .refine((s) => !tooManyMarks.test(s), `has a letter with more than ${MAX_MARKS_PER_LETTER} combining marks (accents) stacked on it, which print over the lines around it; write it with its usual accents`);
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
