import type { Library } from "../load/library.js";
import type { Topic } from "../schema/clause.js";
import { escapeHtml as esc } from "../render/text.js";
import { compareText } from "../text-order.js";

export interface SourceMatrix {
  sources: string[];
  rows: { topic: Topic; cells: string[][] }[];
}

/** Which source policy covers which topic, and with which clause variants. */
export function sourceMatrix(library: Library): SourceMatrix {
  const clauses = [...library.clauses.values()];
  const sources = [...new Set(clauses.flatMap((c) => c.sources.map((s) => s.policy)))].sort(compareText);
  const rows = library.topics.map((topic) => ({
    topic,
    cells: sources.map((source) =>
      clauses.filter((c) => c.topic === topic.id && c.sources.some((s) => s.policy === source)).map((c) => c.key).sort(compareText),
    ),
  }));
  return { sources, rows: rows.filter((r) => r.cells.some((c) => c.length)) };
}


export function matrixHtml(m: SourceMatrix): string {
  const head = m.sources.map((s) => `<th scope="col">${esc(s)}</th>`).join("");
  const body = m.rows
    .map((r) => `<tr><th scope="row">${esc(r.topic.id)}<br><small>${esc(r.topic["zh-CN"])} / ${esc(r.topic.en)}</small></th>${r.cells.map((c) => `<td>${c.map((k) => `<code>${esc(k)}</code>`).join("<br>") || "·"}</td>`).join("")}</tr>`)
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Clause library: topics by source policy</title>
<style>body{font-family:system-ui,"Noto Sans SC",sans-serif;margin:1.5rem;color:#1d1d1f}table{border-collapse:collapse;font-size:.85rem}th,td{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;text-align:left}thead th{position:sticky;top:0;background:#f3f3f6}small{color:#555;font-weight:normal}code{font-size:.8rem}</style>
</head><body><h1>Clause library: topics by source policy</h1>
<p>Each cell lists the clause variants that carry that source policy's text for the topic.</p>
<table><thead><tr><th scope="col">topic</th>${head}</tr></thead><tbody>
${body}
</tbody></table></body></html>
`;
}
