import type { z } from "zod";
import type { Problem } from "../errors.js";
import type { YamlSource } from "../load/yaml.js";
import { LOCALES } from "./localized.js";
import { knownKeys, schemaAt } from "./walk.js";

/**
 * Turns zod issues into problems a person can act on: the file and line of the offending value, the
 * dotted field, a plain message, and for unknown fields the nearest known one ("did you mean").
 */
export function zodProblems(error: z.ZodError, source: YamlSource, schema: z.ZodType, code = "INVALID_FIELD"): Problem[] {
  const problems: Problem[] = [];
  for (const issue of error.issues) {
    const path = issue.path;
    if (issue.code === "unrecognized_keys") {
      const known = knownKeys(schema, path);
      for (const key of issue.keys) {
        const guess = closest(key, known);
        problems.push({
          code: "UNKNOWN_FIELD",
          file: source.file,
          line: source.keyLineOf([...path, key]),
          field: fieldName([...path, key]),
          message: key === MERGE_KEY ? MERGE_KEY_MESSAGE : `unknown field "${key}"${guess ? `; did you mean "${guess}"?` : ""}`,
          hint: key === MERGE_KEY
            ? "Write the fields out here instead of merging them in (an alias, *name, may still stand for a whole value)."
            : known.join() === LOCALES.join()
            ? "In { zh-CN: ..., en: ... } a comma ends a value: put a value that contains a comma in double quotes."
            : known.length ? `Fields allowed here: ${known.join(", ")}.` : undefined,
        });
      }
      continue;
    }
    // a required `{ zh-CN, en }` or text that is left out fails as a union (no form matched nothing)
    const missing = (issue.code === "invalid_type" || issue.code === "invalid_union") && issue.input === undefined;
    problems.push({
      code: missing ? "MISSING_FIELD" : code,
      file: source.file,
      line: missing ? missingLine(source, path) : source.lineOf(path),
      field: fieldName(path),
      message: missing ? `required field "${fieldName(path)}" is missing` : describeIssue(issue, schema),
      hint: missing ? hintForMissing(schema, path) : quoteHint(schema, issue) ?? (issue.code === "invalid_union" && isLocalized(schema, path) ? LOCALIZED_HINT : undefined),
    });
  }
  return problems;
}

/**
 * `<<: *base` merges a mapping in YAML 1.1; YAML 1.2, which profiles and clause sets are read as, has no
 * merge keys: it is a field named "<<", and the merged fields are missing. Said so, not as a misspelling.
 */
const MERGE_KEY = "<<";
const MERGE_KEY_MESSAGE = 'merge keys ("<<") are not read: YAML 1.2 has none, so the fields it would merge in are not there';

/**
 * Where a missing field belongs: at its mapping's key (`company:`), or for an item of a list at the item
 * (the key line of an item is its list's: every item's missing field was said to be at the first item).
 */
function missingLine(source: YamlSource, path: readonly PropertyKey[]): number | undefined {
  const parent = path.slice(0, -1);
  const line = typeof parent[parent.length - 1] === "number" ? source.lineOf(parent) : source.keyLineOf(parent);
  return line ?? source.lineOf(path);
}

export function fieldName(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === "number" ? `[${p}]` : String(p))).join(".").replace(/\.\[/g, "[");
}

/** What is wrong with a value, in plain words (without its field). */
export function describeIssue(issue: z.core.$ZodIssue, schema?: z.ZodType): string {
  if (issue.code === "invalid_type") return `must be ${article(issue.expected)}, not ${describeValue(issue.input)}`;
  if (issue.code === "invalid_union") return schema && isLocalized(schema, issue.path) ? localizedTrouble(issue.input) : nearestBranch(issue);
  if (issue.code === "invalid_value") return `must be one of: ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  // zod's own wording ("Too big: expected number to be <=18") for a number out of range, in plain words
  if ((issue.code === "too_big" || issue.code === "too_small") && issue.origin === "number" && issue.message.startsWith("Too "))
    return `must be ${issue.code === "too_big" ? "at most" : "at least"} ${String(issue.code === "too_big" ? issue.maximum : issue.minimum)}${issue.inclusive === false ? " (not equal)" : ""}, not ${describeValue(issue.input)}`;
  return issue.message;
}

/**
 * `phone: 13800138000`, `postcode: 100000`, `shortName: 360`: YAML reads them as numbers (or true/false),
 * and the field wants a text. When the value quoted would do, the hint says so; "as written", since a
 * number loses what it was written with (`010000` is 10000).
 */
function quoteHint(schema: z.ZodType, issue: z.core.$ZodIssue): string | undefined {
  const input = (issue as { input?: unknown }).input;
  if ((typeof input !== "number" && typeof input !== "boolean") || (issue.code !== "invalid_type" && issue.code !== "invalid_union")) return undefined;
  if (!schemaAt(schema, issue.path)?.safeParse(String(input)).success) return undefined;
  return `YAML reads this value as ${typeof input === "number" ? "a number" : "true or false"}, not a text: put it in double quotes, as written.`;
}

const LOCALIZED_HINT = 'Write one text, or both languages spelt exactly so: { zh-CN: "...", en: "..." }.';

/** A field whose value is a text or `{ zh-CN: ..., en: ... }` (the mapping's keys are the locales). */
const isLocalized = (schema: z.ZodType, path: readonly PropertyKey[]) => knownKeys(schema, path).join() === LOCALES.join();

/** What is wrong with a `{ zh-CN: ..., en: ... }` value: a misspelt or extra language, or a missing one. */
function localizedTrouble(input: unknown): string {
  const form = "must be a text, or a mapping with both zh-CN and en texts";
  if (!input || typeof input !== "object" || Array.isArray(input)) return `${form}, not ${describeValue(input)}`;
  const keys = Object.keys(input);
  const wrong = keys.filter((k) => !(LOCALES as readonly string[]).includes(k)).map((k) => {
    const guess = closest(k, [...LOCALES]);
    return `the key "${k}" is neither zh-CN nor en${guess ? ` (did you mean "${guess}"?)` : ""}`;
  });
  const missing = LOCALES.filter((l) => !keys.includes(l)).map((l) => `${l} is missing`);
  const troubles = [...wrong, ...missing];
  return troubles.length ? `${form}: ${troubles.join("; ")}` : form;
}

/** For another union (a clause-set entry, a condition): what the closest of its forms says, at its field. */
function nearestBranch(issue: z.core.$ZodIssueInvalidUnion): string {
  // the form with the fewest problems; between equals, the one that got inside the value (it is of that kind)
  const depth = (branch: z.core.$ZodIssue[]) => branch[0]?.path.length ?? 0;
  const branch = issue.errors.reduce((a, b) => (b.length < a.length || (b.length === a.length && depth(b) > depth(a)) ? b : a), issue.errors[0] ?? []);
  const first = branch[0];
  if (!first) return "does not have any of the forms allowed here";
  const where = first.path.length ? `${fieldName(first.path)}: ` : "";
  const what = first.code === "unrecognized_keys" ? `unknown field${first.keys.length > 1 ? "s" : ""} ${first.keys.map((k) => `"${k}"`).join(", ")}` : describeIssue(first);
  return `${where}${what}`;
}

function article(expected: string): string {
  const names: Record<string, string> = { string: "a text", number: "a number", int: "a whole number", boolean: "true or false", array: "a list", object: "a mapping (key: value lines)", record: "a mapping (key: value lines)" };
  return names[expected] ?? expected;
}

function describeValue(v: unknown): string {
  if (v === null) return "empty";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return `the text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
}

function hintForMissing(schema: z.ZodType, path: readonly PropertyKey[]): string | undefined {
  const target = schemaAt(schema, path);
  const description = target && (target as { description?: string }).description;
  return description ? `Add ${fieldName(path)}: ${description}.` : `Add ${fieldName(path)} to the file.`;
}

/** The known key within edit distance 2 (or 1 for short keys), if any. */
export function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  const allowed = word.length <= 4 ? 1 : word.length <= 8 ? 2 : 3;
  return bestDistance <= allowed ? best : undefined;
}

/** Edits from a to b: a letter inserted, deleted or replaced, or two neighbours swapped (ppoi for ppio), each one. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  return d[a.length]![b.length]!;
}
