import type { z } from "zod";
import type { Problem } from "../errors.js";
import type { YamlSource } from "../load/yaml.js";
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
          message: `unknown field "${key}"${guess ? `; did you mean "${guess}"?` : ""}`,
          hint: known.join() === "zh-CN,en"
            ? "In { zh-CN: ..., en: ... } a comma ends a value: put a value that contains a comma in double quotes."
            : known.length ? `Fields allowed here: ${known.join(", ")}.` : undefined,
        });
      }
      continue;
    }
    const missing = issue.code === "invalid_type" && issue.input === undefined;
    problems.push({
      code: missing ? "MISSING_FIELD" : code,
      file: source.file,
      line: missing ? source.keyLineOf(path.slice(0, -1)) ?? source.lineOf(path) : source.lineOf(path),
      field: fieldName(path),
      message: missing ? `required field "${fieldName(path)}" is missing` : describeIssue(issue),
      hint: missing ? hintForMissing(schema, path) : undefined,
    });
  }
  return problems;
}

export function fieldName(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === "number" ? `[${p}]` : String(p))).join(".").replace(/\.\[/g, "[");
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type") return `must be ${article(issue.expected)}, not ${describeValue(issue.input)}`;
  if (issue.code === "invalid_union") return "must be a text, or a mapping with both zh-CN and en texts";
  if (issue.code === "invalid_value") return `must be one of: ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  return issue.message;
}

function article(expected: string): string {
  const names: Record<string, string> = { string: "a text", number: "a number", int: "a whole number", boolean: "true or false", array: "a list", object: "a mapping (key: value lines)" };
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

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
