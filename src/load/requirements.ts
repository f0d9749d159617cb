import { readFile } from "node:fs/promises";
import { impossibleConditionValues } from "../check/library.js";
import { conditionPaths, type Condition } from "../schema/clause.js";
import { PolicyError, type Problem } from "../errors.js";
import { builtinPaths } from "../paths.js";
import { profileSchema } from "../schema/profile.js";
import { requirementFileSchema, type Law, type Requirement } from "../schema/requirement.js";
import { fieldSchemaAt } from "../schema/walk.js";
import { zodProblems } from "../schema/zod-problems.js";
import { displayPath, listFiles } from "./files.js";
import { FolderCache, recheckFiles } from "./fresh.js";
import type { Library } from "./library.js";
import { parseYaml } from "./yaml.js";
import { compareText } from "../text-order.js";

/** The disclosure checklist: every law's items, in file order (laws sorted by file name). */
export interface Checklist {
  laws: Law[];
  items: Requirement[];
}

const cache = new FolderCache<Promise<Checklist>>();

/**
 * Loads clauses/requirements/*.yaml as its files are now, and checks that every topic, clause and
 * profile field an item names exists in `library`, so a typo in a checklist is an error, never an item
 * that can never be satisfied. Throws every problem found at once.
 */
export function loadChecklist(library: Library, dir = builtinPaths.requirements): Promise<Checklist> {
  recheckFiles();
  return checklistOfRound(library, dir);
}

/** `loadChecklist` for a profile of a build: its files are looked at once per build (src/load/fresh.ts). */
export async function checklistOfRound(library: Library, dir = builtinPaths.requirements): Promise<Checklist> {
  const checklist = await cache.get(dir, [dir], () => readChecklist(dir));
  // every profile of a build shares one library: its references are checked once
  let problems = checked.get(checklist)?.get(library);
  if (!problems) {
    // (a clause's own law: references were checked against citations.yaml when it was read, case included)
    problems = checklist.items.flatMap((item) => checkReferences(item, library));
    checked.set(checklist, (checked.get(checklist) ?? new WeakMap()).set(library, problems));
  }
  if (problems.length) throw new PolicyError(problems);
  return checklist;
}

const checked = new WeakMap<Checklist, WeakMap<Library, Problem[]>>();

async function readChecklist(dir: string): Promise<Checklist> {
  const problems: Problem[] = [];
  const checklist: Checklist = { laws: [], items: [] };
  const seen = new Map<string, Requirement>();
  for (const path of await listFiles(dir, [".yaml", ".yml"])) {
    const file = displayPath(path);
    const yaml = parseYaml(await readFile(path, "utf8"), file);
    problems.push(...yaml.problems);
    if (yaml.problems.length) continue;
    const parsed = requirementFileSchema.safeParse(yaml.data, { reportInput: true });
    if (!parsed.success) {
      problems.push(...zodProblems(parsed.error, yaml, requirementFileSchema, "INVALID_REQUIREMENT"));
      continue;
    }
    const { law, items } = parsed.data;
    checklist.laws.push(law);
    items.forEach((item, i) => {
      const requirement: Requirement = { ...item, law, file, line: yaml.lineOf(["items", i]) };
      const other = seen.get(item.id);
      if (other) problems.push({ code: "DUPLICATE_REQUIREMENT", file, line: yaml.lineOf(["items", i, "id"]), field: item.id, message: `requirement ${item.id} is already defined in ${other.file}:${other.line}`, hint: "Give each item its own id." });
      seen.set(item.id, requirement);
      checklist.items.push(requirement);
    });
  }
  if (problems.length) throw new PolicyError(problems);
  const rank = (law: Law) => (LAW_ORDER.indexOf(law.id) + 1 || LAW_ORDER.length + 1);
  checklist.laws.sort((a, b) => rank(a) - rank(b) || compareText(a.id, b.id));
  checklist.items.sort((a, b) => rank(a.law) - rank(b.law));
  return checklist;
}

// The statute first, then the standard and the rules that detail it, then foreign law; other files after.
const LAW_ORDER = ["PIPL", "GBT35273", "MIIT", "GDPR"];

function checkReferences(item: Requirement, library: Library): Problem[] {
  const problems: Problem[] = [];
  const at = (message: string, hint: string) => problems.push({ code: "UNKNOWN_REQUIREMENT_REFERENCE", file: item.file, line: item.line, field: item.id, message, hint });
  const topics = new Set(library.topics.map((t) => t.id));
  for (const topic of item.satisfiedBy.topics)
    if (!topics.has(topic)) at(`satisfiedBy names the topic "${topic}", which clauses/topics.yaml does not list`, "Use a topic from clauses/topics.yaml.");
  for (const ref of item.satisfiedBy.clauses) {
    const [id, variant] = ref.split(":") as [string, string | undefined];
    const variants = library.variants.get(id);
    if (!variants || (variant && !variants.some((c) => c.variant === variant)))
      at(`satisfiedBy names the clause "${ref}", which the library does not have`, "List the clauses with `policypress clauses`; an id without :variant means any variant.");
  }
  const conditions: Condition[] = [item.law.appliesWhen ?? {}, item.appliesWhen ?? {}];
  for (const path of [...conditions.flatMap(conditionPaths), ...item.satisfiedBy.fields])
    if (!fieldSchemaAt(profileSchema, path.split(".")))
      at(`"${path}" is not a profile field`, "See schema/profile.schema.json for the fields.");
  for (const { message, hint } of conditions.flatMap(impossibleConditionValues)) at(`appliesWhen: ${message}`, hint);
  return problems;
}
