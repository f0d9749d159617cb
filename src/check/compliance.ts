import { formatProblem, type Problem } from "../errors.js";
import { checklistOfRound, type Checklist } from "../load/requirements.js";
import { checkConsistency, type RuleResult } from "./consistency.js";
import { included, type BuiltPolicy } from "./evidence.js";
import { evaluateRequirements, missingProblems, type ItemResult } from "./requirements.js";

/** One policy checked against the disclosure checklist and the consistency rules. */
export interface ComplianceReport {
  profile: string;
  slug: string;
  clauseSet: string;
  clauses: number;
  checklist: Checklist;
  requirements: ItemResult[];
  consistency: RuleResult[];
  /** What makes `check` fail: required items missing, and every consistency problem. */
  problems: Problem[];
}

export async function checkCompliance(policy: BuiltPolicy): Promise<ComplianceReport> {
  const checklist = await checklistOfRound(policy.library);
  const requirements = evaluateRequirements(checklist, policy);
  const consistency = checkConsistency(policy);
  return {
    profile: policy.loaded.file,
    slug: policy.loaded.slug,
    clauseSet: policy.resolved.set.id,
    clauses: included(policy).length,
    checklist,
    requirements,
    consistency,
    problems: [...missingProblems(requirements, policy), ...consistency.flatMap((r) => r.problems)],
  };
}

/** A problem as a build's warning line: the same text, without "error". */
export const asWarning = (p: Problem) => formatProblem(p).replace(/^(\S+\s+)?error /, "$1");
