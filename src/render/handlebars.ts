import Handlebars from "handlebars";
import { LOCALES, type Locale } from "../schema/localized.js";
import { translator } from "./i18n.js";
import { chineseNumeral, formatDate, joinList } from "./numbering.js";
import { canWalk, walk, type WalkEnv } from "./evaluate.js";
import { valueMarkdown } from "./slots.js";
import { cleanText, needsIsolate } from "./text.js";
import { MdText, rawOf } from "./view.js";

/**
 * One isolated Handlebars instance for clause bodies. Templates are compiled from strings only, in strict
 * mode (a missing field throws instead of rendering blank), with only the helpers below and the built-in
 * block helpers; prototype access stays off (Handlebars' default since 4.6).
 */
const hb = Handlebars.create();

const localeOf = (options: Handlebars.HelperOptions): Locale => (options.data?.locale as Locale) ?? "zh-CN";
const safe = (text: string) => new hb.SafeString(valueMarkdown(text));
/**
 * A list as one value; but when an item needs a bidi isolate (text.ts), each item as a value of its own,
 * so that the commas and the "and" between them stay outside: one isolate around a whole English list of
 * Hebrew names would print the list from right to left, its last item first.
 */
const safeList = (items: string[], locale: Locale, conjunction: "and" | "or" = "and") =>
  items.some((item) => needsIsolate(cleanText(item)))
    ? new hb.SafeString(joinList(items.map(valueMarkdown), locale, conjunction))
    : safe(joinList(items, locale, conjunction));
const isIsoDate = (v: unknown) => typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(new Date(`${v}T00:00:00Z`).getTime());
/** A value as an error names it: "the text "Example Co."", "a list", "a group of fields". */
function shown(value: unknown): string {
  const v = rawOf(value);
  if (typeof v === "string") return `the text "${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  if (Array.isArray(v)) return "a list";
  if (v && typeof v === "object") return "a group of fields";
  return v === undefined || v === null ? "an empty value" : `${typeof v} ${String(v)}`;
}

const helpers: Record<string, Handlebars.HelperDelegate> = {
  /** {{date policy.effectiveDate}} -> 2026年12月1日 / December 1, 2026 */
  date(value: unknown, options: Handlebars.HelperOptions) {
    // a field that is not a date would print as it is (a company name where a date belongs): refused
    if (!isIsoDate(rawOf(value))) throw new Error(`{{date}} formats a date written YYYY-MM-DD, not ${shown(value)}`);
    return safe(formatDate(String(rawOf(value)), localeOf(options)));
  },
  /** {{num contact.responseDays}} -> 十五 / 15 */
  num(value: unknown, options: Handlebars.HelperOptions) {
    const n = rawOf(value);
    // a text or a group of fields would print "NaN" in the policy
    if (typeof n !== "number" || !Number.isFinite(n)) throw new Error(`{{num}} formats a number, not ${shown(value)}`);
    return safe(localeOf(options) === "zh-CN" ? chineseNumeral(n) : String(n));
  },
  /** {{language policy.controllingLanguage}} -> 中文 / Chinese */
  language(value: unknown, options: Handlebars.HelperOptions) {
    const key = `language.${String(rawOf(value))}`;
    const t = translator(localeOf(options));
    // an unknown key would print itself ("language.Example Co.") in the policy
    if (!t(key, { defaultValue: "" })) throw new Error(`{{language}} names a language (${LOCALES.join(", ")}), not ${shown(value)}`);
    return safe(t(key));
  },
  /** {{term role}} -> 个人信息处理受托方 / entrusted party: the label of a schema value, from locales (terms.*) */
  term(value: unknown, options: Handlebars.HelperOptions) {
    const key = `terms.${String(rawOf(value))}`;
    const t = translator(localeOf(options));
    if (!t(key, { defaultValue: "" })) throw new Error(`"${String(rawOf(value))}" not defined in terms`);
    return safe(t(key));
  },
  /** {{items "registration"}} -> the data items of the collection scenario whose key is "registration" */
  items(key: unknown, options: Handlebars.HelperOptions) {
    const root = options.data?.root as { collection?: { key?: unknown; items?: unknown[] }[] } | undefined;
    const scenario = root?.collection?.find((c) => String(rawOf(c.key)) === String(key));
    if (!scenario) throw new Error(`"collection[key=${String(key)}]" not defined in profile`);
    return safeList((scenario.items ?? []).map((i) => String(rawOf(i))), localeOf(options));
  },
  /** {{list items}} or {{list product.services "name"}} -> 甲、乙和丙 / A, B and C */
  list(value: unknown, ...rest: unknown[]) {
    const options = rest.pop() as Handlebars.HelperOptions;
    // {{list x "or"}} joins alternatives (甲、乙或丙 / A, B or C); any other string names a field of each item
    const conjunction = rest[0] === "or" ? "or" : "and";
    const field = typeof rest[0] === "string" && rest[0] !== "or" ? rest[0] : undefined;
    const items = (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]).map((item) =>
      String(rawOf(field && item && typeof item === "object" && !(item instanceof MdText) ? (item as Record<string, unknown>)[field] : item) ?? ""),
    );
    return safeList(items.filter(Boolean), localeOf(options), conjunction);
  },
};
for (const [name, fn] of Object.entries(helpers)) hb.registerHelper(name, fn);

export const HELPERS = Object.keys(helpers);
export const BLOCK_HELPERS = ["if", "unless", "each"];
export const HELPER_HINT = `Use only the helpers ${HELPERS.join(", ")} and the blocks ${BLOCK_HELPERS.map((b) => `#${b}`).join(", ")} (see docs/clause-format.md).`;

const compileOptions: CompileOptions = {
  strict: true,
  knownHelpersOnly: true,
  knownHelpers: { ...Object.fromEntries(HELPERS.map((h) => [h, true])), with: false, lookup: false, log: false },
  preventIndent: true,
};

export type ClauseTemplate = (view: Record<string, unknown>, locale: Locale) => string;

const walkEnv: WalkEnv = { helpers: hb.helpers, escape: hb.Utils.escapeExpression as (value: unknown) => string, known: new Set(HELPERS), strict: true };

/**
 * Prepares a body for rendering (the caller keeps one per clause and locale per process): its syntax tree
 * is walked (evaluate.ts), or, for what the walker does not do, compiled by Handlebars.
 */
export function compileTemplate(source: string): ClauseTemplate {
  const tree = parseTemplate(source);
  if (canWalk(tree, walkEnv.known)) return (view, locale) => walk(tree, view, { root: view, locale }, walkEnv);
  return compileWithHandlebars(source);
}

/** The same body compiled to JavaScript by Handlebars (what evaluate.ts is compared with). */
export function compileWithHandlebars(source: string): ClauseTemplate {
  const template = hb.compile(source, compileOptions);
  return (view, locale) => template(view, { data: { locale } });
}

/** Deeper than any clause needs; Handlebars' parser takes time that grows with the square of the depth. */
export const MAX_NESTING = 64;

/**
 * A body's syntax tree; a body nested deeper than MAX_NESTING is refused before the parser sees it. The
 * tree is shared and must not be changed: three readers ask for each body (the library checks, the
 * renderer, the compliance checks' list of fields read), and parsing it once instead of three times took
 * 240 ms to 80 ms of a render thread's start.
 */
export function parseTemplate(source: string): hbs.AST.Program {
  let tree = trees.get(source);
  if (!tree) {
    // forgotten now and then, like the other memos, so a process that lives on does not grow with them
    if (trees.size > 5_000) trees.clear();
    trees.set(source, (tree = parseUncached(source)));
  }
  return tree;
}
const trees = new Map<string, hbs.AST.Program>();

function parseUncached(source: string): hbs.AST.Program {
  let depth = 0;
  // {{#x}} and {{^x}} open a block, {{/x}} closes one ({{^}} alone is an {{else}})
  for (const [, sign] of source.matchAll(/\{\{~?\s*(#|\^(?=\s*[\w@.[])|\/)/g))
    if ((depth += sign === "/" ? -1 : 1) > MAX_NESTING) throw new RangeError(`blocks are nested more than ${MAX_NESTING} deep`);
  return hb.parse(source);
}
