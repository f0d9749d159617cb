import type { Problem } from "../errors.js";
import { clauseFrontMatterSchema, conditionPaths, type Clause, type ClauseFrontMatter } from "../schema/clause.js";
import { LOCALES, type Locale } from "../schema/localized.js";
import { zodProblems } from "../schema/zod-problems.js";
import { normaliseText, parseYaml } from "./yaml.js";

const FENCE_OPEN = /^:::\s*([A-Za-z-]+)\s*$/;
const FENCE_CLOSE = /^:::\s*$/;

export interface ParsedClause {
  clause?: Clause;
  problems: Problem[];
}

/**
 * Reads a clause file: YAML front matter between `---` lines (YAML only: no executable front matter),
 * then one `:::zh-CN` and one `:::en` block. Every problem in the file is reported, with its line.
 */
export function parseClauseFile(raw: string, file: string, origin: Clause["origin"]): ParsedClause {
  const lines = normaliseText(raw).split("\n");
  const problems: Problem[] = [];
  // `---js` / `---javascript` front matter is evaluated as code by some front matter readers: never here
  const language = /^---\s*([A-Za-z][\w-]*)\s*$/.exec(lines[0] ?? "")?.[1];
  if (language)
    return { problems: [{ code: "CLAUSE_FRONT_MATTER_LANGUAGE", file, line: 1, message: `front matter marked "---${language}" is not read: front matter is YAML only`, hint: "Start the file with a line holding only ---, and write the front matter in YAML." }] };
  if (lines[0]?.trim() !== "---") {
    return { problems: [{ code: "CLAUSE_NO_FRONT_MATTER", file, line: 1, message: "a clause file must start with front matter between two --- lines", hint: "See docs/clause-format.md for the layout of a clause file." }] };
  }
  const end = lines.findIndex((l, i) => i > 0 && l.trim() === "---");
  if (end < 0) return { problems: [{ code: "CLAUSE_NO_FRONT_MATTER", file, line: 1, message: "the front matter is not closed by a --- line" }] };

  const yaml = parseYaml(lines.slice(1, end).join("\n"), file, 1);
  problems.push(...yaml.problems);
  const parsed = yaml.problems.length ? undefined : clauseFrontMatterSchema.safeParse(yaml.data ?? {}, { reportInput: true });
  // empty front matter has no line to point at: the missing fields go at its opening ---
  if (parsed && !parsed.success) problems.push(...zodProblems(parsed.error, yaml, clauseFrontMatterSchema, "INVALID_CLAUSE").map((p) => ({ ...p, line: p.line ?? 1 })));

  const { bodies, bodyLines, problems: bodyProblems } = readBodies(lines, end + 1, file);
  problems.push(...bodyProblems);
  if (problems.length || !parsed?.success) return { problems };
  const fm = parsed.data;
  return {
    clause: { ...fm, key: `${fm.id}:${fm.variant}`, file, bodies: bodies as Clause["bodies"], bodyLines: bodyLines as Clause["bodyLines"], lines: fieldLines(lines.slice(1, end), fm), origin },
    problems,
  };
}

/**
 * Where `id`, `topic`, `when`, `assumes`, `law`, `sources` and each condition path and citation are written (checks after loading point
 * there). Found in the front matter's lines by name: asking the YAML reader for positions cost 30 ms for
 * the library's 220 files, on every render thread.
 */
function fieldLines(front: string[], fm: ClauseFrontMatter): Record<string, number> {
  const lines: Record<string, number> = {};
  const lineAt = (i: number) => i + 2; // front[0] is the file's second line, after ---
  for (const key of ["id", "topic", "title", "when", "assumes", "law", "sources"]) {
    const i = front.findIndex((l) => l.startsWith(`${key}:`));
    if (i >= 0) lines[key] = lineAt(i);
  }
  for (const key of ["when", "assumes"] as const) {
    const from = (lines[key] ?? 2) - 2;
    for (const path of conditionPaths(fm[key] ?? {})) {
      const i = front.findIndex((l, j) => j >= from && l.includes(`${path}:`));
      if (i >= 0) lines[`${key}.${path}`] = lineAt(i);
    }
  }
  citationLines(front, fm, lines, lineAt);
  return lines;
}

/** Where each `law:` reference and each `sources:` entry's policy and section are written, in order. */
function citationLines(front: string[], fm: ClauseFrontMatter, lines: Record<string, number>, lineAt: (i: number) => number): void {
  const find = (from: number, text: string) => front.findIndex((l, j) => j >= from && l.includes(text));
  let cursor = (lines.law ?? 2) - 2;
  fm.law.forEach((ref, i) => {
    const j = find(cursor, ref);
    if (j >= 0) [lines[`law[${i}]`], cursor] = [lineAt(j), j];
  });
  cursor = (lines.sources ?? 2) - 2;
  fm.sources.forEach((source, i) => {
    const policy = find(cursor, source.policy);
    if (policy < 0) return;
    const section = find(policy, source.section);
    lines[`sources[${i}].policy`] = lineAt(policy);
    if (section >= 0) lines[`sources[${i}].section`] = lineAt(section);
    cursor = Math.max(policy, section);
  });
}

function readBodies(lines: string[], start: number, file: string) {
  const bodies: Partial<Record<Locale, string>> = {};
  const bodyLines: Partial<Record<Locale, number>> = {};
  const problems: Problem[] = [];
  let open: { locale: string; line: number; text: string[] } | undefined;
  for (let i = start; i < lines.length; i++) {
    const line = lines[i]!;
    const lineNo = i + 1;
    if (open) {
      if (FENCE_CLOSE.test(line)) {
        closeBlock(open, bodies, bodyLines, problems, file);
        open = undefined;
      } else open.text.push(line);
      continue;
    }
    const m = FENCE_OPEN.exec(line);
    if (m) open = { locale: m[1]!, line: lineNo, text: [] };
    else if (line.trim() !== "")
      problems.push({ code: "CLAUSE_TEXT_OUTSIDE_BLOCK", file, line: lineNo, message: "text outside a :::zh-CN or :::en block", hint: "Put the text inside the block of its language, or delete it." });
  }
  if (open) problems.push({ code: "CLAUSE_BLOCK_NOT_CLOSED", file, line: open.line, message: `the :::${open.locale} block is not closed`, hint: "End the block with a line holding only :::" });
  for (const locale of LOCALES)
    if (bodies[locale] === undefined)
      problems.push({ code: "CLAUSE_MISSING_LOCALE", file, line: start + 1, field: locale, message: `the clause has no :::${locale} block`, hint: `Add the ${locale === "en" ? "English" : "Chinese"} text in a :::${locale} block; both languages are required.` });
  return { bodies, bodyLines, problems };
}

function closeBlock(
  open: { locale: string; line: number; text: string[] },
  bodies: Partial<Record<Locale, string>>,
  bodyLines: Partial<Record<Locale, number>>,
  problems: Problem[],
  file: string,
) {
  if (!(LOCALES as readonly string[]).includes(open.locale)) {
    problems.push({ code: "CLAUSE_UNKNOWN_LOCALE", file, line: open.line, message: `unknown language "${open.locale}"`, hint: `Use one of: ${LOCALES.join(", ")}.` });
    return;
  }
  const locale = open.locale as Locale;
  if (bodies[locale] !== undefined) {
    problems.push({ code: "CLAUSE_DUPLICATE_LOCALE", file, line: open.line, message: `a second :::${locale} block`, hint: "Keep one block per language." });
    return;
  }
  const text = open.text.join("\n").trim();
  if (!text) {
    problems.push({ code: "CLAUSE_EMPTY_LOCALE", file, line: open.line, field: locale, message: `the :::${locale} block is empty`, hint: "Write the clause text in this language." });
    return;
  }
  const firstTextLine = open.text.findIndex((l) => l.trim() !== "");
  bodies[locale] = text;
  bodyLines[locale] = open.line + 1 + Math.max(firstTextLine, 0);
}
