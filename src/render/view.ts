import type { Profile } from "../schema/profile.js";
import type { Locale } from "../schema/localized.js";
import { valueMarkdown } from "./slots.js";

/**
 * A profile value on its way into a Markdown clause body. Handlebars calls `toHTML()` when it inserts a
 * value, so every placeholder is escaped for Markdown: a company called `**Evil** <script>` shows as typed
 * and never becomes emphasis, a link or HTML. `toString()` gives the raw value to helpers and conditions.
 */
export class MdText {
  constructor(readonly raw: string) {}
  toHTML(): string {
    return valueMarkdown(this.raw);
  }
  toString(): string {
    return this.raw;
  }
}

export const rawOf = (v: unknown): unknown => (v instanceof MdText ? v.raw : v);

const isLocalized = (v: object): v is Record<Locale, string> => {
  const keys = Object.keys(v);
  return keys.length === 2 && keys.includes("zh-CN") && keys.includes("en");
};

/**
 * The profile as one locale's templates see it: every `{ zh-CN, en }` value reduced to that locale's
 * text, every text wrapped so Handlebars escapes it for Markdown. Built once per profile and locale.
 */
export function localView(profile: Profile, locale: Locale): Record<string, unknown> {
  return toView(profile, locale) as Record<string, unknown>;
}

function toView(value: unknown, locale: Locale): unknown {
  if (typeof value === "string") return new MdText(value);
  if (Array.isArray(value)) return value.map((v) => toView(v, locale));
  if (value && typeof value === "object") {
    if (isLocalized(value)) return new MdText(value[locale]);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toView(v, locale);
    return out;
  }
  return value;
}
