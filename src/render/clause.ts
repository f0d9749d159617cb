import { createHash } from "node:crypto";
import { PolicyError, type Problem } from "../errors.js";
import type { Clause } from "../schema/clause.js";
import type { Locale } from "../schema/localized.js";
import { BLOCK_HELPERS, compileTemplate, HELPERS, type ClauseTemplate } from "./handlebars.js";
import { fillMarkdown, recordSkeleton, type Skeleton } from "./slots.js";

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
    throw new PolicyError(templateProblem(error as Error, clause, locale));
  }
}

/** One clause body as Markdown. */
export function renderClauseBody(clause: Clause, locale: Locale, view: Record<string, unknown>): string {
  return fillMarkdown(renderClause(clause, locale, view));
}

/** Maps a Handlebars error ("x" not defined - 2:10, Parse error on line 3, unknown helper) to the clause file. */
export function templateProblem(error: Error, clause: Clause, locale: Locale): Problem {
  const source = clause.bodies[locale];
  const fileLine = (templateLine: number) => clause.bodyLines[locale] + templateLine - 1;
  const notDefined = /^"(.+?)" not defined in .* - (\d+):(\d+)/.exec(error.message);
  if (notDefined) {
    const line = Number(notDefined[2]);
    const placeholder = placeholderAt(source, line, Number(notDefined[3])) ?? notDefined[1]!;
    return {
      code: "MISSING_FIELD", file: clause.file, line: fileLine(line), field: placeholder,
      message: `the ${locale} text uses {{${placeholder}}}, but the profile has no value for it`,
      hint: `Set ${placeholder} in the profile, or in the clause guard the sentence with {{#if ${placeholder}}}…{{/if}}.`,
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
      hint: "Use only date, num, list, if, unless and each (see docs/clause-format.md).",
    };
  return { code: "TEMPLATE_ERROR", file: clause.file, line: clause.bodyLines[locale], field: locale, message: `the ${locale} text could not be rendered: ${error.message}`, hint: "Check the placeholders in this clause against the profile fields." };
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
