import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import YAML from "yaml";
import { buildProfile } from "../../src/build.js";
import { checkCompliance } from "../../src/check/compliance.js";
import { formatProblem } from "../../src/errors.js";
import { fixtures, tempDir } from "../helpers.js";

export const checkDir = join(fixtures, "check");

type Data = Record<string, unknown>;
const isMap = (v: unknown): v is Data => !!v && typeof v === "object" && !Array.isArray(v);
/** Mappings merge, everything else (lists too) replaces; null removes the field (to leave it to its default). */
const merge = (a: unknown, b: unknown): unknown =>
  isMap(a) && isMap(b)
    ? Object.fromEntries([...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => b[k] !== null).map((k) => [k, k in b ? merge(a[k], b[k]) : a[k]]))
    : b;

/**
 * The profile of a case: test/fixtures/check/base.yaml with cases/<name>.yaml merged over it, written to a
 * temp folder (clauses.dirs resolved against the fixture folder, so the own clause set is found).
 */
export function caseProfile(name: string): string {
  const base = YAML.parse(readFileSync(join(checkDir, "base.yaml"), "utf8")) as Data;
  const patch = (YAML.parse(readFileSync(join(checkDir, "cases", `${name}.yaml`), "utf8")) ?? {}) as Data;
  const data = merge(base, patch) as Data & { clauses: { dirs: string[] } };
  data.clauses.dirs = data.clauses.dirs.map((d) => resolve(checkDir, d));
  const file = join(tempDir("pp-check-"), "profile.yaml");
  writeFileSync(file, YAML.stringify(data));
  return file;
}

export async function runCase(name: string) {
  const file = caseProfile(name);
  const policy = await buildProfile(file);
  const report = await checkCompliance(policy);
  return { file, policy, report, lines: readFileSync(file, "utf8").split("\n") };
}

/**
 * The problems as a user reads them. Problems in the case's profile drop file:line (it is a generated
 * file; its field says where); problems in clause files keep theirs.
 */
export function problemText(report: Awaited<ReturnType<typeof runCase>>["report"], file: string): string {
  return report.problems.map((p) => formatProblem(p.file && resolve(p.file) === file ? { ...p, file: undefined, line: undefined } : p)).join("\n");
}
