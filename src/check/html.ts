import { formatLocation } from "../errors.js";
import type { ComplianceReport } from "./compliance.js";
import type { Evidence } from "./evidence.js";
import type { ItemResult } from "./requirements.js";
import { statusLabel, type Unchecked } from "./report.js";
import { escapeHtml as esc } from "../render/text.js";


/**
 * A page a lawyer reads: for each policy, the items by law with what satisfies each, linked to the
 * clause in the policy pages (policy.<locale>.html#<clause anchor>). Links are relative: the page is meant
 * to sit beside the policy pages (one profile), or above the profiles' folders (several: <slug>/policy...).
 */
export function reportHtml(reports: ComplianceReport[], unchecked: Unchecked[] = []): string {
  const prefix = (r: ComplianceReport) => (reports.length > 1 ? `${encodeURIComponent(r.slug)}/` : "");
  const body = [...unchecked.map(uncheckedSection), ...reports.map((r) => reportSection(r, prefix(r)))].join("\n");
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>合规检查 / Compliance check</title>
<style>
body{font-family:system-ui,"Noto Sans SC",sans-serif;margin:1.5rem;color:#1d1d1f;line-height:1.45}
table{border-collapse:collapse;width:100%;font-size:.85rem;margin-bottom:1.5rem}
th,td{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;text-align:left}
thead th{background:#f3f3f6}
.ok{color:#176b2c}.MISSING{color:#fff;background:#b3261e;font-weight:bold}.missing{color:#8a5300}.na{color:#777}
small{color:#555}code{font-size:.8rem;white-space:nowrap}
</style>
</head><body>
<h1>合规检查 / Compliance check</h1>
<p>每项要求的状态，以及满足它的条款（链接到政策中的条款）。<br>Each item's status, and the clause that satisfies it (linked to the clause in the policy).</p>
${body}
</body></html>
`;
}

function reportSection(report: ComplianceReport, prefix: string): string {
  const laws = report.checklist.laws
    .map((law) => {
      const rows = report.requirements.filter((r) => r.item.law.id === law.id).map((r) => itemRow(r, prefix)).join("\n");
      return rows ? `<h3>${esc(law.name["zh-CN"])}<br><small>${esc(law.name.en)}</small></h3>
<table><thead><tr><th>状态 / Status</th><th>条目 / Item</th><th>条款 / Article</th><th>要求 / Requirement</th><th>满足于 / Satisfied by</th></tr></thead><tbody>
${rows}
</tbody></table>` : "";
    })
    .join("\n");
  const consistency = report.consistency
    .map((c) => `<tr><td class="${c.problems.length ? "MISSING" : "ok"}">${c.problems.length ? "ERROR" : "ok"}</td><td><code>${esc(c.rule)}</code></td><td>${esc(c.summary)}${c.problems.map((p) => `<br>${esc(formatLocation(p))} ${esc(p.message)}${p.hint ? `<br><small>${esc(p.hint)}</small>` : ""}`).join("")}</td></tr>`)
    .join("\n");
  return `<h2>${esc(report.slug)} <small>${esc(report.profile)} · ${esc(report.clauseSet)} · ${report.clauses} clauses</small></h2>
${laws}
<h3>配置与政策的一致性 / Consistency between profile and policy</h3>
<table><tbody>
${consistency}
</tbody></table>`;
}

/** A profile that could not be checked: its problems, so the page never reads as a pass. */
function uncheckedSection(u: Unchecked): string {
  const items = u.problems.map((p) => `<li><code>${esc(formatLocation(p))}</code> ${esc(p.message)}${p.hint ? `<br><small>${esc(p.hint)}</small>` : ""}</li>`).join("\n");
  return `<h2>${esc(u.profile)} <small class="MISSING">未检查 / not checked</small></h2>
<p>配置或其条款有错误，未能生成政策。<br>The profile or a clause it uses has errors, so no policy could be built and checked:</p>
<ul>
${items}
</ul>`;
}

function itemRow(r: ItemResult, prefix: string): string {
  const label = statusLabel(r);
  const cls = label === "n/a" ? "na" : label;
  const what =
    r.status === "satisfied" ? r.evidence.map((e) => evidenceLink(e, prefix)).join("<br>") : r.status === "not-applicable" ? esc(r.reason!) : esc(r.add!);
  return `<tr><td class="${cls}">${label}</td><td><code>${esc(r.item.id)}</code><br><small>${r.item.severity}</small></td><td>${esc(r.item.article["zh-CN"])}<br><small>${esc(r.item.article.en)}</small></td><td>${esc(r.item.requires["zh-CN"])}<br><small>${esc(r.item.requires.en)}</small></td><td>${what}</td></tr>`;
}

function evidenceLink(e: Evidence, prefix: string): string {
  if (!e.clause) return esc(e.via);
  const href = (locale: string) => `${prefix}policy.${locale}.html#${e.anchor}`;
  return `<code>${esc(e.clause)}</code> <small>(${esc(e.via)})</small> <a href="${esc(href("zh-CN"))}">中文</a> · <a href="${esc(href("en"))}">English</a>`;
}
