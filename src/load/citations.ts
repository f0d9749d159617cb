import { existsSync } from "node:fs";
import { join } from "node:path";
import { isPolicyError, type ProblemList } from "../errors.js";
import { builtinPaths } from "../paths.js";
import { citationsSchema, type Citations } from "../schema/citation.js";
import { zodProblems } from "../schema/zod-problems.js";
import { displayPath, readText } from "./files.js";
import { parseYaml } from "./yaml.js";

/** The name of the catalogue of what clauses may cite, in the built-in library and at the top of an own clause folder. */
export const CITATIONS_FILE = "citations.yaml";

/**
 * The laws and source policies clauses may cite: clauses/citations.yaml, then citations.yaml at the top
 * of each own clause folder, whose entries add to it (an entry with a built-in id takes its place).
 * Problems of the files go into `problems`; what could be read is returned.
 */
export async function readCitations(ownRoots: string[], problems: ProblemList): Promise<Citations> {
  const citations: Citations = { laws: new Map(), sources: new Map() };
  for (const path of [builtinPaths.citations, ...ownRoots.map((root) => join(root, CITATIONS_FILE))]) {
    if (path !== builtinPaths.citations && !existsSync(path)) continue;
    const file = displayPath(path);
    let text: string;
    try {
      text = await readText(path, "citation list");
    } catch (e) {
      if (!isPolicyError(e)) throw e;
      problems.addAll(e.problems);
      continue;
    }
    const yaml = parseYaml(text, file);
    problems.addAll(yaml.problems);
    if (yaml.problems.length) continue;
    const parsed = citationsSchema.safeParse(yaml.data ?? {}, { reportInput: true });
    if (!parsed.success) {
      problems.addAll(zodProblems(parsed.error, yaml, citationsSchema, "INVALID_CITATIONS").map((p) => ({ ...p, line: p.line ?? 1 })));
      continue;
    }
    for (const law of parsed.data.laws) citations.laws.set(law.id, law);
    for (const source of parsed.data.sources) citations.sources.set(source.id, source);
  }
  return citations;
}
