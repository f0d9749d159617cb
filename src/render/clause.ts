import { createHash } from "node:crypto";
import { PolicyError, type Problem } from "../errors.js";
import type { Clause } from "../schema/clause.js";
import type { Locale } from "../schema/localized.js";
import { BLOCK_HELPERS, compileTemplate, HELPER_HINT, HELPERS, type ClauseTemplate } from "./handlebars.js";
import { recordSkeleton, type Skeleton } from "./slots.js";

// Many profiles share one library: each body is compiled once per process, keyed by its text (a clause
// file read again, or an own clause with the same text, is the same template), and found again through
// the clause object without hashing its text on every render.
const compiled = new Map<string, ClauseTemplate>();
const byClause = new WeakMap<Clause, Partial<Record<Locale, ClauseTemplate>>>();

function templateFor(clause: Clause, locale: Locale): ClauseTemplate {
  let mine = byClause.get(clause);
  if (!mine) byClause.set(clause, (mine = {}));
  let template = mine[locale];
  if (!template) {
    const source = clause.bodies[locale];
    const key = createHash("sha1").update(source).digest("base64");
    template = compiled.get(key) ?? compileTemplate(source);
    compiled.set(key, template);
    mine[locale] = template;
  }
  return template;
}

/**
 * Renders one clause body, values as tokens (see slots.ts); a template mistake becomes an error at the
 * clause file's line.
 */
export function renderClause(clause: Clause, locale: Locale, view: Record<string, unknown>): Skeleton {
  try {
    return recordSkeleton(() => templateFor(clause, locale)(view, locale));
  } catch (error) {
    throw new PolicyError(templateProblems(error as Error, clause, locale, view));
  }
}

/**
 * The body's problem, and when it is a missing field, every other field the body misses too: Handlebars
 * stops at the first, so the placeholder it stopped at is blanked out (spaces, so lines and columns stay)
 * and the body rendered again, until it renders or stops for another reason.
 */
function templateProblems(error: Error, clause: Clause, locale: Locale, view: Record<string, unknown>): Problem[] {
  const problems = [templateProblem(error, clause, locale)];
  let source = clause.bodies[locale];
  for (let at = missingAt(error); at && problems.length < 50; at = missingAt(error)) {
    const next = blankPlaceholder(source, at.line, at.column);
    if (next === undefined) break;
    source = next;
    try {
      compileTemplate(source)(view, locale);
      break;
    } catch (e) {
      error = e as Error;
      problems.push(templateProblem(error, { ...clause, bodies: { ...clause.bodies, [locale]: source } }, locale));
    }
  }
  return problems;
}

/** A missing field's name as Handlebars saw it, and where (line from 1, column from 0), from its message. */
function missingAt(error: Error): { name: string; line: number; column: number } | undefined {
  const m = /^"(.+?)" not defined in .* - (\d+):(\d+)/.exec(error.message);
  return m ? { name: m[1]!, line: Number(m[2]), column: Number(m[3]) } : undefined;
}

/** The source with the `{{placeholder}}` around a position turned to spaces; undefined for a block tag. */
function blankPlaceholder(source: string, line: number, column: number): string | undefined {
  const lines = source.split("\n");
  const text = lines[line - 1] ?? "";
  const start = text.lastIndexOf("{{", column);
  const close = text.indexOf("}}", column);
  if (start < 0 || close < 0 || /^\{\{~?[#/^>!]|^\{\{~?\s*else\b/.test(text.slice(start))) return undefined;
  const end = text.startsWith("}}}", close) ? close + 3 : close + 2;
  lines[line - 1] = text.slice(0, start) + " ".repeat(end - start) + text.slice(end);
  return lines.join("\n");
}

/** Maps a Handlebars error ("x" not defined - 2:10, Parse error on line 3, unknown helper) to the clause file. */
export function templateProblem(error: Error, clause: Clause, locale: Locale): Problem {
  const source = clause.bodies[locale];
  const fileLine = (templateLine: number) => clause.bodyLines[locale] + templateLine - 1;
  const missing = missingAt(error);
  if (missing) {
    const { line, column } = missing;
    const placeholder = placeholderAt(source, line, column) ?? missing.name;
    const field = profilePath(placeholder, eachListsAt(source, line, column));
    return {
      code: "MISSING_FIELD", file: clause.file, line: fileLine(line), field,
      message: `the ${locale} text uses {{${placeholder}}}${field === placeholder ? "" : ` (${field})`}, but the profile has no value for it`,
      hint: `Set ${field} in the profile, or in the clause guard the sentence with {{#if ${placeholder}}}…{{/if}}.`,
    };
  }
  const parse = /Parse error on line (\d+)/.exec(error.message);
  if (parse)
    return {
      code: "TEMPLATE_SYNTAX", file: clause.file, line: fileLine(Number(parse[1])), field: locale,
      message: `the ${locale} text has a broken placeholder: ${error.message.split("\n").slice(-1)[0]}`,
      hint: "Placeholders are written {{field.name}}; blocks open with {{#if x}} and close with {{/if}}.",
    };
  const helper = /unknown helper (\S+) - (\d+):/.exec(error.message);
  if (helper)
    return {
      code: "TEMPLATE_UNKNOWN_HELPER", file: clause.file, line: fileLine(Number(helper[2])), field: helper[1],
      message: `the ${locale} text calls an unknown helper "${helper[1]}"`,
      hint: HELPER_HINT,
    };
  return { code: "TEMPLATE_ERROR", file: clause.file, line: clause.bodyLines[locale], field: locale, message: `the ${locale} text could not be rendered: ${error.message}`, hint: "Check the placeholders in this clause against the profile fields." };
}

/** The lists (`{{#each list}}`) a template position is inside, outermost first. */
function eachListsAt(source: string, line: number, column: number): string[] {
  const lines = source.split("\n");
  const before = [...lines.slice(0, line - 1), (lines[line - 1] ?? "").slice(0, column)].join("\n");
  const open: { helper: string; list?: string }[] = [];
  for (const [, sign, helper, param] of before.matchAll(/\{\{~?\s*([#/])\s*(\w+)\s*([^}\s]*)/g)) {
    if (sign === "#") open.push({ helper: helper!, list: helper === "each" ? param : undefined });
    else open.pop();
  }
  return open.flatMap((b) => (b.list ? [b.list] : []));
}

/** collection[].key for {{key}} inside {{#each collection}}: where the value goes in the profile. */
function profilePath(placeholder: string, lists: string[]): string {
  if (!lists.length || /^(\.\.\/|@|this\b)/.test(placeholder)) return placeholder;
  return [...lists.map((l) => `${l}[]`), placeholder].join(".");
}

/** The dotted path of the placeholder around a template position, e.g. product.sdkName. */
function placeholderAt(source: string, line: number, column: number): string | undefined {
  const text = source.split("\n")[line - 1] ?? "";
  const start = text.lastIndexOf("{{", column + 2);
  const end = text.indexOf("}}", start);
  if (start < 0 || end < 0) return undefined;
  const words = text.slice(start + 2, end).replace(/^[#/^~]\w*\s*/, "").trim().split(/\s+/);
  return words.find((w) => /^[A-Za-z@][\w.]*$/.test(w) && ![...BLOCK_HELPERS, ...HELPERS, "else"].includes(w));
}
