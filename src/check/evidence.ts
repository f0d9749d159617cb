import type { ProfileBuild } from "../build.js";
import { anchorsOf } from "../render/document.js";
import { conditionHolds, describeCondition } from "../resolve.js";
import type { Clause, Condition } from "../schema/clause.js";
import type { Locale } from "../schema/localized.js";
import type { SatisfiedBy } from "../schema/requirement.js";
import { readsField, readsFieldFor } from "./fields-read.js";

/** What the checks read of a built policy (a ProfileBuild has all of it). */
export type BuiltPolicy = Pick<ProfileBuild, "loaded" | "library" | "resolved" | "documents">;

/** Something in the policy that satisfies an item or covers a declaration: a clause, or a language version. */
export interface Evidence {
  /** `id:variant` of the clause. */
  clause?: string;
  /** The clause's anchor in policy.<locale>.html. */
  anchor?: string;
  locale?: Locale;
  /** Why it counts: "listed", "topic contact", "law: PIPL-50", "prints storage.crossBorder", "zh-CN version". */
  via: string;
}

export const describeEvidence = (e: Evidence) => (e.clause ? `${e.clause} (${e.via})` : e.via);

/** The clauses of the policy, in order (made once per policy: every check item asks). */
export function included(policy: BuiltPolicy): Clause[] {
  let clauses = includedOf.get(policy.resolved);
  if (!clauses) includedOf.set(policy.resolved, (clauses = policy.resolved.sections.flatMap((s) => s.clauses)));
  return clauses;
}
const includedOf = new WeakMap<BuiltPolicy["resolved"], Clause[]>();

/** Whether a profile field has a value (the `true` of a clause condition: set and not empty). */
export const isDeclared = (profile: unknown, field: string) => conditionHolds({ [field]: true }, profile);

/** The clauses and language versions of the policy that match any entry of `by`. */
export function evidenceFor(by: SatisfiedBy, policy: BuiltPolicy): Evidence[] {
  const { profile } = policy.loaded;
  const out: Evidence[] = [];
  for (const clause of mayMatch(by, policy)) {
    const via = matchClause(clause, by, profile);
    if (via) out.push({ clause: clause.key, anchor: anchorsOf(policy.resolved).clauses.get(clause.key)!, via });
  }
  for (const locale of by.locales)
    if (policy.documents[locale]?.sections.every((s) => s.clauses.every((c) => c.markdown.trim())))
      out.push({ locale, via: `${locale} version` });
  return out;
}

/**
 * The policy's clauses that can match `by` at all, in policy order: the few the library has for it
 * (`relevantClauses`), those the policy includes. Every checklist item asks this of every policy.
 */
function mayMatch(by: SatisfiedBy, policy: BuiltPolicy): Clause[] {
  const position = positionsOf(policy);
  if (!position) return included(policy);
  return relevantClauses(by, policy.library)
    .filter((c) => position.has(c))
    .sort((a, b) => position.get(a)! - position.get(b)!);
}

/** Each included clause's place in the policy; undefined if one is not the library's own (then all are asked). */
function positionsOf(policy: BuiltPolicy): Map<Clause, number> | undefined {
  if (!positions.has(policy.resolved)) {
    const clauses = included(policy);
    const fromLibrary = clauses.every((c) => policy.library.clauses.get(c.key) === c);
    positions.set(policy.resolved, fromLibrary ? new Map(clauses.map((c, i) => [c, i])) : undefined);
  }
  return positions.get(policy.resolved);
}
const positions = new WeakMap<BuiltPolicy["resolved"], Map<Clause, number> | undefined>();

function matchClause(clause: Clause, by: SatisfiedBy, profile: unknown): string | undefined {
  const { named, fields } = howClauseMatches(clause, by);
  if (named) return named;
  // the field counts where the clause speaks of it in this policy, not in a branch the profile skips
  const field = fields.find((f) => isDeclared(profile, f) && readsFieldFor(clause, f, profile as object));
  return field ? `prints ${field}` : undefined;
}

/**
 * What of `by` a clause matches whatever the profile: by name, law or topic (the first, as a reason), and
 * the fields of `by` it reads (which count only if the profile declares them). Every item of the
 * checklist asks about every clause of every policy: each answer is worked out once.
 */
function howClauseMatches(clause: Clause, by: SatisfiedBy): { named?: string; fields: string[] } {
  let forBy = matches.get(by);
  if (!forBy) matches.set(by, (forBy = new WeakMap()));
  let match = forBy.get(clause);
  if (!match) {
    const law = by.law.find((ref) => clause.law.includes(ref));
    const named = by.clauses.some((ref) => ref === clause.key || ref === clause.id) ? "listed" : law ? `law: ${law}` : by.topics.includes(clause.topic) ? `topic ${clause.topic}` : undefined;
    forBy.set(clause, (match = { named, fields: by.fields.filter((f) => readsField(clause, f)) }));
  }
  return match;
}
const matches = new WeakMap<SatisfiedBy, WeakMap<Clause, { named?: string; fields: string[] }>>();

/**
 * Library clauses that would satisfy `by` if added, most useful first: those the clause set names but
 * left out, then those `by` lists by name, then any other; within each, those whose own condition this
 * profile meets before those it does not. A clause that assumes what the profile denies, or that the policy
 * has already, is never offered.
 */
export function candidatesFor(by: SatisfiedBy, policy: BuiltPolicy): Clause[] {
  const { profile } = policy.loaded;
  // one the policy has already does not satisfy the item (or it would not be missing): adding it again is refused
  const inPolicy = new Set(included(policy).map((c) => c.key));
  const all = relevantClauses(by, policy.library).filter((c) => !inPolicy.has(c.key) && (!c.assumes || conditionHolds(c.assumes, profile)) && couldSatisfy(c, by, profile));
  const rank = (c: Clause) =>
    (whyLeftOut(c, policy) ? 0 : 2) + (by.clauses.some((ref) => ref === c.key || ref === c.id) ? 0 : 1) + (!c.when || conditionHolds(c.when, profile) ? 0 : 4);
  return all.sort((a, b) => rank(a) - rank(b));
}

/**
 * Whether a clause would satisfy `by` once in this policy: named by it, or reading one of its fields that
 * the profile has yet to set, or reads where its text prints ({{#unless storage.crossBorder}} does not).
 */
function couldSatisfy(clause: Clause, by: SatisfiedBy, profile: unknown): boolean {
  const { named, fields } = howClauseMatches(clause, by);
  return !!named || fields.some((f) => !isDeclared(profile, f) || readsFieldFor(clause, f, profile as object));
}

/** The library's clauses that `by` names, by key, law, topic or a field they read (whatever the profile). */
function relevantClauses(by: SatisfiedBy, library: BuiltPolicy["library"]): Clause[] {
  // the same for every profile of a library: asked for each missing item of each profile, found once
  let byItem = relevantOf.get(library);
  if (!byItem) relevantOf.set(library, (byItem = new WeakMap()));
  let clauses = byItem.get(by);
  if (!clauses) {
    byItem.set(by, (clauses = [...library.clauses.values()].filter((c) => {
      const { named, fields } = howClauseMatches(c, by);
      return named || fields.length;
    })));
  }
  return clauses;
}
const relevantOf = new WeakMap<BuiltPolicy["library"], WeakMap<SatisfiedBy, Clause[]>>();

/** Up to `max` clauses to add, each with why it is not in the policy yet when the set names it or it has a condition. */
export function suggestions(by: SatisfiedBy, policy: BuiltPolicy, max = 3): string[] {
  const { profile } = policy.loaded;
  return candidatesFor(by, policy)
    .slice(0, max)
    .map((c) => {
      const leftOut = whyLeftOut(c, policy);
      const condition = c.when && !conditionHolds(c.when, profile) ? describeCondition(c.when as Condition) : undefined;
      // the clause's own condition first: it says what to set in the profile
      return condition ? `${c.key} (it appears only when ${condition})` : leftOut ? `${c.key} (in the clause set, left out: ${leftOut})` : c.key;
    });
}

/** Why a clause is not in the policy although the clause set names it, when that is so. */
export function whyLeftOut(clause: Clause, policy: BuiltPolicy): string | undefined {
  return policy.resolved.decisions.find((d) => d.clause === clause.key && !d.included)?.reason;
}

/**
 * How to add a clause in the profile, as YAML to copy: `clauses: { add: [{ clause: X, section: S }] }`, the
 * section being the set's section named after the clause's topic family (rights, cookies...), else its first
 * whose clauses share that family: a set that follows its source (creality's puts rights.access among
 * its security clauses) must not have a rights clause offered for the security section.
 */
export function addSnippet(clauseKey: string, policy: BuiltPolicy): string {
  const family = policy.library.clauses.get(clauseKey)?.topic.split(".")[0];
  const section = family && sectionsByFamily(policy).get(family);
  // no section of the set holds the family: the lawyer picks one, and is told the set's sections
  if (!section) return `clauses: { add: [{ clause: ${clauseKey}, section: SECTION }] }, SECTION being one of the clause set's sections (${policy.resolved.set.sections.map((s) => s.id).join(", ")})`;
  return `clauses: { add: [{ clause: ${clauseKey}, section: ${section} }] }`;
}

/** The section of the policy's clause set for each topic family, as addSnippet says (found once per set and library: every missing item of every profile asks). */
function sectionsByFamily({ resolved: { set }, library }: BuiltPolicy): Map<string, string> {
  let byLibrary = familySections.get(set);
  if (!byLibrary) familySections.set(set, (byLibrary = new WeakMap()));
  let sections = byLibrary.get(library);
  if (!sections) {
    byLibrary.set(library, (sections = new Map()));
    for (const s of set.sections)
      for (const e of s.clauses) {
        const family = library.variants.get((typeof e === "string" ? e : e.clause).split(":")[0]!)?.[0]?.topic.split(".")[0];
        if (family && (!sections.has(family) || s.id === family)) sections.set(family, s.id);
      }
  }
  return sections;
}
const familySections = new WeakMap<BuiltPolicy["resolved"]["set"], WeakMap<BuiltPolicy["library"], Map<string, string>>>();
