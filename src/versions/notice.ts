import { escapeInline, escapeHtml as esc, isolatesAsBdi, unescapeMarkdown, valueHtml } from "../render/text.js";
import { formatDate } from "../render/numbering.js";
import { LOCALES, type Locale } from "../schema/localized.js";
import type { ChangeSet, ClauseChange, VersionView } from "./changes.js";
import { changedLines, type RedlinePart } from "./redline.js";
import { pageLocalesOf } from "../site/chrome.js";
import { hasKey, translator } from "../render/i18n.js";

/** A change notice: the ChangeSet plus what a reader needs around it. */
export interface Notice {
  changes: ChangeSet;
  company: { "zh-CN": string; en: string };
  title: { "zh-CN": string; en: string };
  /** YYYY-MM-DD the new version was released (or today, for a draft). */
  date: string;
  effective: string;
  /** The ICU version whose word segmentation made the Chinese redline. */
  icu: string;
  /** The title of each section of the new version, by id: the clause table names sections by them. */
  sections: Record<string, { "zh-CN": string; en: string }>;
}

/** `effective` overrides the version's own date (a draft is compared under the latest release's dates). */
export function makeNotice(changes: ChangeSet, to: VersionView, date: string, effective?: string): Notice {
  const doc = to.documents;
  return {
    changes,
    company: { "zh-CN": doc["zh-CN"].company, en: doc.en.company },
    title: { "zh-CN": doc["zh-CN"].title, en: doc.en.title },
    date,
    effective: effective ?? doc["zh-CN"].effectiveIso,
    icu: process.versions.icu ?? "unknown",
    sections: sectionTitles(to),
  };
}

/** Each section's title in both languages (a section shown without one, like the opening, by its locale name). */
function sectionTitles(view: VersionView): Notice["sections"] {
  const titles: Notice["sections"] = {};
  view.documents["zh-CN"].sections.forEach((s, i) => {
    const title = (locale: Locale, doc: { id: string; title?: string } | undefined) => doc?.title ?? (hasKey(locale, `sections.${s.id}`) ? translator(locale)(`sections.${s.id}`) : s.id);
    titles[s.id] = { "zh-CN": title("zh-CN", s), en: title("en", view.documents.en.sections[i]) };
  });
  return titles;
}

/**
 * The section a changed clause was in and is in ("收集… / How we collect…", "A → B" for a move), by title:
 * a section the new version no longer has (its clauses all removed) by its locale name, else by its id.
 */
function sectionLabels(n: Notice, x: ClauseChange): { "zh-CN": string; en: string }[] {
  const ids = [x.section.from, x.section.to].filter((id, i, all): id is string => !!id && all.indexOf(id) === i);
  return ids.map((id) => n.sections[id] ?? Object.fromEntries(LOCALES.map((l) => [l, hasKey(l, `sections.${id}`) ? translator(l)(`sections.${id}`) : id])) as { "zh-CN": string; en: string });
}

const KIND: Record<ClauseChange["kind"], { "zh-CN": string; en: string }> = {
  added: { "zh-CN": "新增", en: "Added" },
  removed: { "zh-CN": "删除", en: "Removed" },
  changed: { "zh-CN": "修改", en: "Changed" },
  moved: { "zh-CN": "移动", en: "Moved" },
};

/** The short text for an email or a banner, in one language. */
export function noticeText(n: Notice, locale: Locale): string {
  const c = n.changes;
  const zh = locale === "zh-CN";
  const lines = c.facts.map((f) => f.text[locale]);
  for (const kind of ["added", "changed", "removed"] as const) {
    const titles = c.clauses.filter((x) => x.kind === kind).map((x) => x.title[locale]);
    if (titles.length) lines.push(zh ? `${KIND[kind]["zh-CN"]}条款：${titles.map((t) => `“${t}”`).join("、")}` : `${KIND[kind].en}: ${titles.map((t) => `“${t}”`).join(", ")}`);
  }
  if (!lines.length) lines.push(noChangeLine(c, locale));
  // a draft the same as the latest release (`diff` before any edit) was not updated: a text saying
  // "we updated our policy on ..., it takes effect on ..." would announce a change there is not
  if (c.unchanged)
    return [zh ? `《${n.title["zh-CN"]}》的草稿与已发布的 ${c.from} 版相同：` : `The draft of our ${n.title.en} is the same as the released version ${c.from}:`, `1. ${lines[0]}`].join("\n");
  const head = zh
    ? `我们于${formatDate(n.date, "zh-CN")}更新了《${n.title["zh-CN"]}》，主要变更如下：`
    : `We updated our ${n.title.en} on ${formatDate(n.date, "en")}. What changed:`;
  const tail = c.material
    ? zh
      ? `本次更新属于重大变更，将于${formatDate(n.effective, "zh-CN")}生效。`
      : `This is a material change. It takes effect on ${formatDate(n.effective, "en")}.`
    : zh
      ? `更新后的政策自${formatDate(n.effective, "zh-CN")}起生效。`
      : `The updated policy takes effect on ${formatDate(n.effective, "en")}.`;
  return [head, ...lines.map((l, i) => `${i + 1}. ${l}`), tail].join("\n");
}

/** What a notice says when it lists nothing: a first version, the same text, or a change of wording only. */
function noChangeLine(c: ChangeSet, locale: Locale): string {
  const zh = locale === "zh-CN";
  if (c.from === null) return zh ? "首次发布" : "First release";
  if (c.unchanged) return zh ? `与 ${c.from} 版相比没有变化` : `No change since version ${c.from}`;
  return zh ? "文字表述调整，不涉及实质内容" : "Wording only; nothing of substance changed";
}

const versionLine = (n: Notice) => `${n.changes.from ?? "—"} → ${n.changes.to}`;

/** The notice as Markdown: both languages, the clause changes, and a redline marked [-deleted-]{+inserted+}. */
export function noticeMarkdown(n: Notice, locales: readonly Locale[] = LOCALES): string {
  const c = n.changes;
  const out = [
    `# 《${escapeInline(n.title["zh-CN"])}》变更说明 / ${escapeInline(n.title.en)}: what changed`,
    "",
    `**${escapeInline(n.company["zh-CN"])}** · ${versionLine(n)} · ${formatDate(n.effective, "zh-CN")}生效 / effective ${formatDate(n.effective, "en")}`,
    "",
    c.material ? "**重大变更 / Material change**" : "非重大变更 / Not a material change",
    "",
    "## 通知 / Notice",
    "",
    escapeLines(noticeText(n, "zh-CN")),
    "",
    escapeLines(noticeText(n, "en")),
    "",
  ];
  if (c.clauses.length) {
    out.push("## 条款变更 / Changes by clause", "", "| 变更 / Change | 条款 / Clause | 章节 / Section |", "|---|---|---|");
    for (const x of c.clauses)
      out.push(`| ${KIND[x.kind]["zh-CN"]} / ${KIND[x.kind].en} | ${escapeInline(x.title["zh-CN"])} / ${escapeInline(x.title.en)} | ${sectionLabels(n, x).map((t) => `${escapeInline(t["zh-CN"])} / ${escapeInline(t.en)}`).join(" → ")} |`);
    out.push("");
  }
  const changed = c.clauses.filter((x) => x.redline);
  if (changed.length) {
    out.push("## 修订对照 / Redline", "", "[-删除 / deleted-] {+新增 / inserted+}", "");
    for (const x of changed) out.push(`### ${escapeInline(x.title["zh-CN"])} / ${escapeInline(x.title.en)}`, "", redlineText(x.redline!["zh-CN"]), "", redlineText(x.redline!.en), "");

  }
  out.push("## 新版本全文 / Clean copy", "", LOCALES.filter((l) => locales.includes(l)).map((l) => `policy.${l}.md`).join(" · "), "", `<!-- word segmentation: ICU ${n.icu} -->`);
  return `${out.join("\n").replace(/\n{3,}/g, "\n\n").trim()}\n`;
}

const escapeLines = (text: string) => text.split("\n").map((l) => escapeInline(l).replace(/^(\d+)\\?\./, "$1.")).join("\n");

/** The changed lines of a clause, `…` between them, with [-deleted-] and {+inserted+} marks. */
function redlineText(parts: RedlinePart[]): string {
  return changedLines(parts)
    .map((line) => line.map((p) => (p.op === "same" ? p.text : p.op === "del" ? `[-${p.text}-]` : `{+${p.text}+}`)).join(""))
    .join("\n\n…\n\n");
}


/** A notice's links to the clean copy of its version: the pages beside it (those of the languages built). */
export type CleanCopy = Partial<Record<Locale | "bilingual", string>>;
export const CLEAN_COPY: CleanCopy = { "zh-CN": "policy.zh-CN.html", en: "policy.en.html", bilingual: "policy.bilingual.html" };

/** The clean copy of a build of `locales` only (the bilingual page needs both). */
export function cleanCopyOf(locales: readonly Locale[]): CleanCopy {
  return Object.fromEntries(pageLocalesOf(locales).map((l) => [l, CLEAN_COPY[l]]));
}

const COPY_LABEL = { "zh-CN": ["中文", ' lang="zh-CN"'], en: ["English", ' lang="en"'], bilingual: ["中英对照 / bilingual", ""] } as const;
const copyLinks = (copy: CleanCopy, kinds: readonly (Locale | "bilingual")[]) =>
  kinds.filter((k) => copy[k]).map((k) => `<a href="${esc(copy[k]!)}"${COPY_LABEL[k][1]}>${COPY_LABEL[k][0]}</a>`);

/** The short notice as HTML: its opening line, the changes as a numbered list, and its closing line. */
export function noticeBlock(n: Notice, locale: Locale): string {
  const [head, ...rest] = noticeText(n, locale).split("\n");
  const tail = rest.pop() ?? "";
  return isolatesAsBdi(`<div lang="${locale}"><p>${esc(head!)}</p><ol>${rest.map((l) => `<li>${esc(l.replace(/^\d+\.\s*/, ""))}</li>`).join("")}</ol><p>${esc(tail)}</p></div>`);
}

/** The notice as an HTML page beside the policy pages (same stylesheet), with <ins> and <del>. */
/**
 * `assets`: the folder of the site's stylesheets, for a notice in the site; `styles`: the stylesheet itself,
 * for a notice that stands alone (`diff --format html > notice.html`), where no assets folder is beside it.
 */
export function noticeHtml(n: Notice, links: { cleanCopy: CleanCopy; assets?: string; styles?: string; home?: string }): string {
  const c = n.changes;
  const rows = c.clauses
    .map((x) => `<tr><td>${KIND[x.kind]["zh-CN"]} / ${KIND[x.kind].en}</td><td><span lang="zh-CN">${esc(x.title["zh-CN"])}</span> / <span lang="en">${esc(x.title.en)}</span></td><td>${sectionLabels(n, x).map((t) => `<span lang="zh-CN">${esc(t["zh-CN"])}</span> / <span lang="en">${esc(t.en)}</span>`).join(" → ")}</td></tr>`)
    .join("\n");
  const copy = copyLinks(links.cleanCopy, ["zh-CN", "en", "bilingual"]);
  const redlines = c.clauses
    .filter((x) => x.redline)
    .map((x) => `<section class="redline"><h3><span lang="zh-CN">${esc(x.title["zh-CN"])}</span> / <span lang="en">${esc(x.title.en)}</span></h3>${(["zh-CN", "en"] as const).map((l) => `<div lang="${l}">${redlineHtml(x.redline![l])}</div>`).join("")}</section>`)
    .join("\n");
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(n.title["zh-CN"])}变更说明 / ${esc(n.title.en)}: what changed – ${esc(n.company["zh-CN"])}</title>
${links.assets !== undefined ? `<link rel="stylesheet" href="${esc(links.assets)}/fonts.css">\n<link rel="stylesheet" href="${esc(links.assets)}/policy.css">` : `<style>\n${(links.styles ?? "").replace(/<\//g, "<\\/")}</style>`}
</head>
<body class="single notice">
${links.home ? `<nav class="site-nav" aria-label="页面导航 / Site navigation"><ul class="links"><li><a href="${esc(links.home)}">首页 / Home</a></li>${copyLinks(links.cleanCopy, ["zh-CN", "en"]).map((a) => `<li>${a}</li>`).join("")}</ul></nav>` : ""}
<header class="title-block">
<p class="company">${valueHtml(n.company["zh-CN"])} / <span lang="en">${valueHtml(n.company.en)}</span></p>
<h1>《${esc(n.title["zh-CN"])}》变更说明 / <span lang="en">${esc(n.title.en)}: what changed</span></h1>
<p class="dates">${esc(versionLine(n))} · ${esc(formatDate(n.effective, "zh-CN"))}生效 / effective ${esc(formatDate(n.effective, "en"))}</p>
<p class="materiality ${c.material ? "material" : ""}">${c.material ? "重大变更 / Material change" : "非重大变更 / Not a material change"}</p>
</header>
<main>
<section><h2>通知 / Notice</h2>${noticeBlock(n, "zh-CN")}${noticeBlock(n, "en")}</section>
${rows ? `<section><h2>条款变更 / Changes by clause</h2><div class="table-wrap"><table><thead><tr><th>变更 / Change</th><th>条款 / Clause</th><th>章节 / Section</th></tr></thead><tbody>${rows}</tbody></table></div></section>` : ""}
${redlines ? `<section><h2>修订对照 / Redline</h2><p class="legend"><del>删除 / deleted</del> <ins>新增 / inserted</ins></p>${redlines}</section>` : ""}
${copy.length ? `<section><h2>新版本全文 / Clean copy</h2><p>${copy.join(" · ")}</p></section>` : ""}
</main>
</body>
</html>
`;
}

/**
 * The redline as HTML: the clause's Markdown escapes (\* \_ \<) taken out, so a reader sees the text as
 * printed. A changed row of a table (a collection list, the SDK list) is shown as a table row, its cells
 * apart and under the table's head, not as the Markdown `| a | b |` it is written in; rows changed one
 * after another share a table.
 */
function redlineHtml(parts: RedlinePart[]): string {
  const text = (t: string) => esc(unescapeMarkdown(t));
  const marked = (p: RedlinePart) => (p.op === "same" ? text(p.text) : `<${p.op}>${text(p.text)}</${p.op}>`);
  const head = tableHead(parts.filter((p) => p.op !== "del").map((p) => p.text).join(""));
  const blocks: string[] = [];
  let rows: RedlinePart[][][] = [];
  const endTable = () => {
    if (!rows.length) return;
    const plain = (cells: RedlinePart[][]) => cells.map((cell) => cell.map((p) => p.text).join("")).join("|");
    // a head among the changed rows (a new table, a renamed column) is shown as what it is, not twice
    const thead = head && !rows.some((r) => plain(r) === head.join("|")) ? `<thead><tr>${head.map((c) => `<th>${text(c)}</th>`).join("")}</tr></thead>` : "";
    const body = rows.map((cells) => `<tr>${cells.map((cell) => `<td>${cell.map(marked).join("")}</td>`).join("")}</tr>`).join("");
    blocks.push(`<div class="table-wrap"><table>${thead}<tbody>${body}</tbody></table></div>`);
    rows = [];
  };
  for (const line of changedLines(parts)) {
    const cells = tableCells(line);
    if (!cells) {
      endTable();
      blocks.push(`<p>${line.map(marked).join("")}</p>`);
    } else if (!cells.every((cell) => /^:?-{3,}:?$/.test(cell.map((p) => p.text).join("")))) rows.push(cells);
  }
  endTable();
  return blocks.join('<p class="gap">…</p>');
}

/** A line's parts split into table cells at its unescaped pipes, when the line is a table row (| a | b |). */
function tableCells(line: RedlinePart[]): RedlinePart[][] | undefined {
  const whole = line.map((p) => p.text).join("").trim();
  if (!whole.startsWith("|") || !whole.endsWith("|") || whole.length < 2) return undefined;
  const cells: RedlinePart[][] = [[]];
  for (const part of line)
    part.text.split(/(?<!\\)\|/).forEach((piece, i) => {
      if (i > 0) cells.push([]);
      if (piece) cells[cells.length - 1]!.push({ op: part.op, text: piece });
    });
  // the text before the first pipe and after the last one is no cell; a cell's edges are no text
  return cells.slice(1, -1).map((cell) => {
    const out = cell.map((p) => ({ ...p }));
    if (out[0]) out[0].text = out[0].text.trimStart();
    if (out.at(-1)) out.at(-1)!.text = out.at(-1)!.text.trimEnd();
    return out.filter((p) => p.text);
  });
}

/** The cells of the head row of the first table in a clause's Markdown. */
function tableHead(markdown: string): string[] | undefined {
  const lines = markdown.split("\n");
  const at = lines.findIndex((line, i) => /^\s*\|.*\|\s*$/.test(line) && /^\s*\|(\s*:?-{3,}:?\s*\|)+\s*$/.test(lines[i + 1] ?? ""));
  if (at < 0) return undefined;
  return tableCells([{ op: "same", text: lines[at]! }])!.map((cell) => cell.map((p) => p.text).join(""));
}
