import type { Problem } from "../errors.js";
import type { Checklist } from "../load/requirements.js";
import { conditionHolds, describeCondition } from "../resolve.js";
import type { Condition } from "../schema/clause.js";
import type { Requirement } from "../schema/requirement.js";
import { addSnippet, candidatesFor, evidenceFor, included, isDeclared, suggestions, whyLeftOut, type BuiltPolicy, type Evidence } from "./evidence.js";
import { readsField } from "./fields-read.js";

export type Status = "satisfied" | "missing" | "not-applicable";

export interface ItemResult {
  item: Requirement;
  status: Status;
  /** satisfied: what in the policy satisfies it. */
  evidence: Evidence[];
  /** not applicable: the condition the profile does not meet. */
  reason?: string;
  /** missing: what to add, in a sentence. */
  add?: string;
}

/** Evaluates every checklist item against one built policy, in checklist order. */
export function evaluateRequirements(checklist: Checklist, policy: BuiltPolicy): ItemResult[] {
  return checklist.items.map((item) => evaluate(item, policy));
}

function evaluate(item: Requirement, policy: BuiltPolicy): ItemResult {
  const { profile } = policy.loaded;
  const unmet = [item.law.appliesWhen, item.appliesWhen].find((c): c is Condition => !!c && !conditionHolds(c, profile));
  if (unmet) return { item, status: "not-applicable", evidence: [], reason: `applies when ${describeCondition(unmet)}` };
  const evidence = evidenceFor(item.satisfiedBy, policy);
  if (evidence.length) return { item, status: "satisfied", evidence };
  return { item, status: "missing", evidence: [], add: whatToAdd(item, policy) };
}

/** Names the article: "PIPL Art. 17(1)(i)". */
export const citation = (item: Requirement) => `${item.law.short.en} ${item.article.en}`;

/** The clause(s) or profile field(s) that would satisfy a missing item, and why a listed clause is not in. */
function whatToAdd(item: Requirement, policy: BuiltPolicy): string {
  const { profile } = policy.loaded;
  const unset = item.satisfiedBy.fields.filter((f) => !isDeclared(profile, f));
  const clauses = suggestions(item.satisfiedBy, policy);
  const where = "clauses.add in the profile, or the clause set";
  // a clause of the policy that prints the field once it is set: setting it is all there is to do
  const printers = included(policy).filter((c) => unset.some((f) => readsField(c, f))).map((c) => c.key);
  if (printers.length) return `Set ${unset.join(" or ")} in the profile: ${printers.join(", ")}, in the policy already, then prints it.`;
  if (unset.length && clauses.length) return `Set ${unset.join(" or ")} in the profile, and add a clause that prints it (${where}): ${clauses.join("; ")}.`;
  if (unset.length) return `Set ${unset.join(" or ")} in the profile.`;
  // a clause to add as it is (not one the set has and left out, nor one whose own condition fails): as YAML
  const removed = new Set(profile.clauses.remove);
  const addable = candidatesFor(item.satisfiedBy, policy).find((c) => !whyLeftOut(c, policy) && !removed.has(c.id) && !removed.has(c.key) && (!c.when || conditionHolds(c.when, profile)));
  const snippet = addable ? ` In the profile: ${addSnippet(addable.key, policy)}.` : "";
  if (clauses.length) return `Add ${clauses.length > 1 ? "one of these clauses" : "the clause"} (${where}): ${clauses.join("; ")}.${snippet}`;
  const law = item.satisfiedBy.law[0];
  return law
    ? `No clause in the library satisfies it yet: write one with \`law: [${law}]\` in its front matter (docs/clause-format.md) and add it to the policy.`
    : `No clause in the library satisfies it yet: write one, add it to the policy, and name it in satisfiedBy of ${item.id} (${item.file}).`;
}

/** A missing required item as a problem: it makes `check` fail, and `build` warn. */
export function missingProblems(results: ItemResult[], policy: BuiltPolicy): Problem[] {
  const { loaded } = policy;
  return results
    .filter((r) => r.status === "missing" && r.item.severity === "required")
    .map((r) => {
      const field = r.item.satisfiedBy.fields.find((f) => !isDeclared(loaded.profile, f));
      return {
        code: "REQUIREMENT_MISSING",
        file: loaded.file,
        line: loaded.lineOf(field ? field.split(".") : (removalOf(r.item, policy) ?? ["clauseSet"])),
        field: r.item.id,
        message: `${citation(r.item)} not met: ${lowerFirst(r.item.requires.en).replace(/\.$/, "")}`,
        hint: r.add,
      };
    });
}

/** The clauses.remove entry that took out the clause the item would be satisfied by, if one did. */
function removalOf(item: Requirement, policy: BuiltPolicy): (string | number)[] | undefined {
  const removed = policy.loaded.profile.clauses.remove;
  for (const clause of candidatesFor(item.satisfiedBy, policy)) {
    const i = removed.findIndex((ref) => ref === clause.id || ref === clause.key);
    if (i >= 0 && whyLeftOut(clause, policy)) return ["clauses", "remove", i];
  }
  return undefined;
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
