import type { Locale } from "../schema/localized.js";

const DIGITS = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/** 1 -> 一, 15 -> 十五, 24 -> 二十四, 100 -> 一百; beyond 999 the Arabic figure. */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 999) return String(n);
  if (n < 10) return DIGITS[n]!;
  if (n < 20) return `十${n % 10 ? DIGITS[n % 10] : ""}`;
  if (n < 100) return `${DIGITS[Math.floor(n / 10)]}十${n % 10 ? DIGITS[n % 10] : ""}`;
  const rest = n % 100;
  const hundreds = `${DIGITS[Math.floor(n / 100)]}百`;
  if (!rest) return hundreds;
  return rest < 10 ? `${hundreds}零${DIGITS[rest]}` : `${hundreds}${rest < 20 ? "一" : ""}${chineseNumeral(rest)}`;
}

/** Section numbers: 一、 / 1. */
export function sectionNumber(index: number, locale: Locale): string {
  return locale === "zh-CN" ? `${chineseNumeral(index)}、` : `${index}.`;
}

/** Clause numbers inside a section: （一） / 1.1 */
export function clauseNumber(section: number, index: number, locale: Locale): string {
  return locale === "zh-CN" ? `（${chineseNumeral(index)}）` : `${section}.${index}`;
}

/** 2026-12-01 -> 2026年12月1日 / December 1, 2026 (UTC, so the machine's time zone never shifts a date). */
export function formatDate(iso: string, locale: Locale): string {
  // a build asks for the same few dates thousands of times; ICU takes about 10 µs each time
  const id = `${locale} ${iso}`;
  let text = formatted.get(id);
  if (text === undefined) {
    if (formatted.size > 5_000) formatted.clear();
    formatted.set(id, (text = formatUncached(iso, locale)));
  }
  return text;
}
const formatted = new Map<string, string>();
const dateFormats = new Map<Locale, Intl.DateTimeFormat>();

function formatUncached(iso: string, locale: Locale): string {
  const date = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  let format = dateFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale === "zh-CN" ? "zh-CN" : "en-US", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
    dateFormats.set(locale, format);
  }
  return format.format(date);
}

/** A list joined the way each language writes it: 甲、乙和丙 / A, B and C. */
export function joinList(items: string[], locale: Locale, conjunction: "and" | "or" = "and"): string {
  if (items.length <= 1) return items.join("");
  const head = items.slice(0, -1);
  const last = items[items.length - 1];
  const word = locale === "zh-CN" ? (conjunction === "and" ? "和" : "或") : conjunction;
  return locale === "zh-CN" ? `${head.join("、")}${word}${last}` : `${head.join(", ")} ${word} ${last}`;
}
