import type { Problem } from "../errors.js";
import type { ComplianceReport } from "./compliance.js";
import { describeEvidence } from "./evidence.js";
import type { ItemResult } from "./requirements.js";

/** How a result reads in a table: a missing required item shouts, a missing recommendation does not. */
export function statusLabel(r: ItemResult): string {
  if (r.status === "satisfied") return "ok";
  if (r.status === "not-applicable") return "n/a";
  return r.item.severity === "required" ? "MISSING" : "missing";
}

/** The evidence, the reason it does not apply, or what to add. */
export function detail(r: ItemResult): string {
  if (r.status === "satisfied") {
    const names = r.evidence.map((e) => e.clause ?? e.via);
    return names.length > 3 ? `${names.slice(0, 3).join(", ")} (+${names.length - 3} more)` : names.join(", ");
  }
  return r.status === "not-applicable" ? r.reason! : r.add!;
}

const byLaw = (report: ComplianceReport) =>
  report.checklist.laws.map((law) => ({ law, results: report.requirements.filter((r) => r.item.law.id === law.id) }));

/** The terminal table of one report: items by law, then the consistency rules. */
export function reportTable(report: ComplianceReport): string {
  const idWidth = Math.max(...report.requirements.map((r) => r.item.id.length));
  const articleWidth = Math.max(...report.requirements.map((r) => r.item.article.en.length));
  const lines = [`${report.profile}: clause set ${report.clauseSet}, ${report.clauses} clauses`];
  for (const { law, results } of byLaw(report)) {
    if (!results.length) continue;
    lines.push("", `${law.id}  ${law.name.en}`);
    for (const r of results) lines.push(`  ${statusLabel(r).padEnd(8)} ${r.item.id.padEnd(idWidth)}  ${r.item.article.en.padEnd(articleWidth)}  ${detail(r)}`);
    const count = (s: ItemResult["status"]) => results.filter((r) => r.status === s).length;
    lines.push(`  ${count("satisfied")} satisfied, ${count("missing")} missing, ${count("not-applicable")} not applicable`);
  }
  const ruleWidth = Math.max(...report.consistency.map((c) => c.rule.length));
  lines.push("", "Consistency between profile and policy");
  for (const c of report.consistency)
    lines.push(`  ${(c.problems.length ? "ERROR" : "ok").padEnd(8)} ${c.rule.padEnd(ruleWidth)}  ${c.problems.length ? `${c.problems.length} problem(s), listed below` : c.summary}`);
  lines.push("", "MISSING: a required item is missing (check fails); missing: a recommended item is missing; n/a: does not apply to this profile.");
  return lines.join("\n");
}

/** The machine-readable form of a report (`check --json`). */
export function reportJson(report: ComplianceReport) {
  return {
    profile: report.profile,
    slug: report.slug,
    clauseSet: report.clauseSet,
    clauses: report.clauses,
    requirements: report.requirements.map((r) => ({
      id: r.item.id,
      law: r.item.law.id,
      article: r.item.article,
      requires: r.item.requires,
      severity: r.item.severity,
      status: r.status,
      satisfiedBy: r.evidence.map((e) => ({ ...e, text: describeEvidence(e) })),
      ...(r.reason ? { reason: r.reason } : {}),
      ...(r.add ? { add: r.add } : {}),
    })),
    consistency: report.consistency.map((c) => ({ rule: c.rule, ok: c.problems.length === 0, problems: c.problems })),
    problems: report.problems,
  };
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/**
 * Items by policy, as a Markdown table (one column per profile): what docs/compliance.md shows for the
 * five source reconstructions.
 */
export function reportMarkdown(reports: ComplianceReport[], unchecked: Unchecked[] = []): string {
  const note = unchecked.length ? `\n\nNot checked, because the profile or its clauses have errors (listed on stderr): ${unchecked.map((u) => `\`${u.profile}\` (${u.problems.length})`).join(", ")}.` : "";
  if (!reports.length) return note.trim();
  const head = `| Law | Item | Article | The policy must | ${reports.map((r) => r.slug).join(" | ")} |`;
  const rule = `|---|---|---|---|${reports.map(() => "---|").join("")}`;
  const rows = reports[0]!.requirements.map((first, i) => {
    const cells = reports.map((rep) => {
      const r = rep.requirements[i]!;
      return r.status === "missing" && r.item.severity === "required" ? "**MISSING**" : statusLabel(r);
    });
    return `| ${first.item.law.id} | ${first.item.id} | ${cell(first.item.article.en)} | ${cell(first.item.requires.en)} | ${cells.join(" | ")} |`;
  });
  const consistency = reports[0]!.consistency.map((c, i) => `| consistency | ${c.rule} | | ${cell(c.summary)} | ${reports.map((rep) => (rep.consistency[i]!.problems.length ? `**${rep.consistency[i]!.problems.length} problem(s)**` : "ok")).join(" | ")} |`);
  const totals = `| | | | **required items missing** | ${reports.map((rep) => `**${rep.requirements.filter((r) => r.status === "missing" && r.item.severity === "required").length}**`).join(" | ")} |`;
  return [head, rule, ...rows, ...consistency, totals].join("\n") + note;
}

/** A profile `check` could not check: it, or a clause it uses, does not load or resolve. */
export interface Unchecked {
  profile: string;
  problems: Problem[];
}
