import { PolicyError, ProblemList, type Problem } from "./errors.js";
import { closest } from "./schema/zod-problems.js";
import { lookupClause, unknownRef, type Library } from "./load/library.js";
import type { LoadedProfile, ProfileReferences } from "./load/profile.js";
import type { Clause, ClauseSet, Condition } from "./schema/clause.js";

export interface ResolvedSection {
  id: string;
  title?: { "zh-CN": string; en: string };
  heading: boolean;
  clauses: Clause[];
}

/** Why a clause is in the policy or not: what a lawyer asks first. */
export interface Decision {
  clause: string;
  section: string;
  included: boolean;
  reason: string;
}

export interface ResolvedPolicy {
  set: ClauseSet;
  sections: ResolvedSection[];
  decisions: Decision[];
  /** Entries of clauses.remove and clauses.variants that name no clause of the set: they change nothing. */
  unusedOverrides: { path: (string | number)[]; ref: string }[];
}

/** The clause set for this profile, with its overrides applied and every condition evaluated. */
export function resolvePolicy(loaded: LoadedProfile, library: Library): ResolvedPolicy {
  const { profile } = loaded;
  const unknown = referenceProblems({ ...loaded, clauseSet: profile.clauseSet, clauses: profile.clauses }, library);
  if (unknown.length) throw new PolicyError(unknown);
  const problems = new ProblemList();
  const set = library.sets.get(profile.clauseSet)!;

  const decisions: Decision[] = [];
  const removed = new Set(profile.clauses.remove);
  const sections: ResolvedSection[] = [];
  const named = new Set<string>(); // the ids and keys of every clause the set (with the additions) names
  const placed = new Map<string, { section: string; add?: number }>(); // clause key -> where it is printed
  for (const section of set.sections) {
    const refs: { clause: string; when?: Condition; add?: number; entry?: number }[] = section.clauses.map((e, entry) => (typeof e === "string" ? { clause: e, entry } : { ...e, entry }));
    profile.clauses.add.forEach((add, i) => {
      if (add.section !== section.id) return;
      const at = add.after ? refs.findIndex((r) => r.clause === add.after || r.clause.split(":")[0] === add.after) : -1;
      refs.splice(at >= 0 ? at + 1 : refs.length, 0, { clause: add.clause, add: i });
    });
    const sectionApplies = !section.when || conditionHolds(section.when, profile);
    const clauses: Clause[] = [];
    for (const ref of refs) {
      const clause = lookupClause(withVariant(ref.clause, profile.clauses.variants), library)!;
      named.add(clause.id).add(clause.key);
      const decide = (included: boolean, reason: string) => decisions.push({ clause: clause.key, section: section.id, included, reason });
      if (!sectionApplies) decide(false, `section "${section.id}" does not apply: ${describeCondition(section.when!)}`);
      else if (removed.has(clause.id) || removed.has(clause.key)) decide(false, "removed by the profile (clauses.remove)");
      else if (ref.when && !conditionHolds(ref.when, profile)) decide(false, `the clause set includes it only when ${describeCondition(ref.when)}`);
      else if (clause.when && !conditionHolds(clause.when, profile)) decide(false, `the clause applies only when ${describeCondition(clause.when)}`);
      else if (placed.has(clause.key)) problems.add(printedTwice(clause, placed.get(clause.key)!, { section: section.id, add: ref.add, entry: ref.entry }, loaded, set));
      else {
        decide(true, clause.when || ref.when ? `condition met: ${describeCondition({ ...clause.when, ...ref.when })}` : "always part of this clause set");
        placed.set(clause.key, { section: section.id, add: ref.add });
        clauses.push(clause);
      }
    }
    if (clauses.length) sections.push({ id: section.id, title: section.title, heading: section.heading, clauses });
  }
  problems.throwIfAny();
  if (!sections.some((s) => s.clauses.length))
    throw new PolicyError({ code: "EMPTY_POLICY", file: loaded.file, line: loaded.lineOf(["clauseSet"]), field: "clauseSet", message: `no clause of the set "${set.id}" applies to this profile`, hint: "Check clauses.remove and the profile's features; the policy would be empty." });
  const unusedOverrides = [
    ...profile.clauses.remove.map((ref, i) => ({ path: ["clauses", "remove", i], ref })),
    ...Object.entries(profile.clauses.variants).map(([id, variant]) => ({ path: ["clauses", "variants", id], ref: `${id}:${variant}` })),
  ].filter(({ path, ref }) => !named.has(path[1] === "variants" ? ref.split(":")[0]! : ref));
  return { set, sections, decisions, unusedOverrides };
}

/** The same clause variant would be printed twice (an addition the set already has, or a set that lists it twice). */
type Place = { section: string; add?: number; entry?: number };
function printedTwice(clause: Clause, first: Place, again: Place, loaded: LoadedProfile, set: ClauseSet) {
  const where = first.section === again.section ? `section "${again.section}"` : `sections "${first.section}" and "${again.section}"`;
  const message = `${clause.key} would be printed twice, in ${where}`;
  if (again.add === undefined) {
    // at the second listing, named as the set's other problems are (sections[i].clauses[j])
    const si = set.sections.findIndex((s) => s.id === again.section);
    return {
      code: "DUPLICATE_IN_POLICY", file: set.file, line: set.entryLines?.[si]?.[again.entry!], field: `sections[${si}].clauses[${again.entry}]`,
      message, hint: `List it once in the clause set "${set.id}", or give the two entries conditions that never hold together.`,
    };
  }
  const already = first.add === undefined ? `The clause set "${set.id}" already has it in section "${first.section}"` : `clauses.add[${first.add}] adds it already`;
  return {
    code: "DUPLICATE_IN_POLICY", file: loaded.file, line: loaded.lineOf(["clauses", "add", again.add, "clause"]), field: `clauses.add[${again.add}]`,
    message, hint: `${already}: leave out this clauses.add entry.`,
  };
}

function guessSet(name: string, library: Library): string {
  const guess = closest(name, [...library.sets.keys()]);
  return guess ? `; did you mean "${guess}"?` : "";
}

function withVariant(ref: string, variants: Record<string, string>): string {
  const id = ref.split(":")[0]!;
  return variants[id] ? `${id}:${variants[id]}` : ref;
}

/**
 * The clause set and the clauses, sections and variants the profile names that the library does not
 * have. They depend on nothing else in the profile: they are checked for a profile with other problems too.
 */
export function referenceProblems(refs: ProfileReferences, library: Library): Problem[] {
  const set = library.sets.get(refs.clauseSet);
  if (!set)
    return [{
      code: "UNKNOWN_CLAUSE_SET", file: refs.file, line: refs.lineOf(["clauseSet"]), field: "clauseSet",
      message: `unknown clause set "${refs.clauseSet}"${guessSet(refs.clauseSet, library)}`,
      hint: `Use one of: ${[...library.sets.keys()].sort().join(", ")}.`,
    }];
  const problems = new ProblemList();
  checkOverrides(refs, library, set, problems);
  return problems.items;
}

function checkOverrides(loaded: ProfileReferences, library: Library, set: ClauseSet, problems: ProblemList) {
  const { clauses } = loaded;
  const report = (path: PropertyKey[], ref: string) => {
    const why = unknownRef(ref, library);
    if (why) problems.add({ code: "UNKNOWN_CLAUSE", file: loaded.file, line: loaded.lineOf(path), field: path.join("."), message: why.message, hint: why.hint });
  };
  // a bare id removes every variant of the clause
  clauses.remove.forEach((ref, i) => (ref.includes(":") || !library.variants.has(ref)) && report(["clauses", "remove", i], ref));
  clauses.add.forEach((add, i) => {
    report(["clauses", "add", i, "clause"], add.clause);
    const section = set.sections.find((s) => s.id === add.section);
    if (!section)
      problems.add({ code: "UNKNOWN_SECTION", file: loaded.file, line: loaded.lineOf(["clauses", "add", i, "section"]), field: `clauses.add[${i}].section`, message: `clause set "${set.id}" has no section "${add.section}"`, hint: `Its sections: ${set.sections.map((s) => s.id).join(", ")}.` });
    else if (add.after) {
      const refs = [...section.clauses.map((e) => (typeof e === "string" ? e : e.clause)), ...clauses.add.slice(0, i).filter((a) => a.section === add.section).map((a) => a.clause)];
      if (!refs.some((r) => r === add.after || r.split(":")[0] === add.after))
        problems.add({ code: "UNKNOWN_CLAUSE", file: loaded.file, line: loaded.lineOf(["clauses", "add", i, "after"]), field: `clauses.add[${i}].after`, message: `section "${add.section}" of clause set "${set.id}" has no clause "${add.after}" to add after`, hint: `Its clauses: ${refs.join(", ")}.` });
    }
  });
  for (const [id, variant] of Object.entries(clauses.variants)) report(["clauses", "variants", id], `${id}:${variant}`);
}

/**
 * The values at `a.b.c`: one value, none when a step is missing, or one per element when the path runs
 * through a list (`collection.sensitive` reads every scenario's flag).
 */
export function valuesAt(root: unknown, path: string): unknown[] {
  let current: unknown[] = [root];
  for (const seg of path.split(".")) {
    const next: unknown[] = [];
    for (const v of current) {
      if (Array.isArray(v) && !/^\d+$/.test(seg)) {
        for (const el of v) if (el && typeof el === "object" && Object.prototype.hasOwnProperty.call(el, seg)) next.push((el as Record<string, unknown>)[seg]);
      } else if (v !== null && typeof v === "object" && Object.prototype.hasOwnProperty.call(v, seg)) next.push((v as Record<string, unknown>)[seg]);
    }
    current = next;
  }
  return current;
}

/** Reads `a.b.c` from an object; undefined when any step is missing. */
export function getPath(root: unknown, path: string): unknown {
  return valuesAt(root, path)[0];
}

const isSet = (v: unknown) => !(v === undefined || v === null || v === false || v === "" || (Array.isArray(v) && v.length === 0));

/**
 * See docs/clause-format.md: true = set and not empty, false = unset or empty, else equality (or one of a
 * list); through a list, true and equality hold when any element matches, false when none does.
 * `any: [...]` holds when one of its conditions holds.
 */
export function conditionHolds(condition: Condition, profile: unknown): boolean {
  return Object.entries(condition).every(([path, expected]) => {
    if (path === "any") return Array.isArray(expected) && (expected as Condition[]).some((c) => typeof c === "object" && conditionHolds(c, profile));
    const values = valuesAt(profile, path);
    if (expected === true) return values.some(isSet);
    if (expected === false) return !values.some(isSet);
    if (Array.isArray(expected)) return values.some((v) => (expected as unknown[]).includes(v));
    return values.some((v) => v === expected);
  });
}

export function describeCondition(condition: Condition): string {
  return Object.entries(condition)
    .map(([k, v]) =>
      k === "any" && Array.isArray(v)
        ? `(${(v as Condition[]).map(describeCondition).join(" or ")})`
        : v === true ? `${k} is set` : v === false ? `${k} is not set` : `${k} = ${JSON.stringify(v)}`,
    )
    .join(" and ");
}
