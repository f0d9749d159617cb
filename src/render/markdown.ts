import type { DocClause, DocSection, PolicyDocument } from "./document.js";
import { translator } from "./i18n.js";
import { escapeInline, escapeMarkdown as esc } from "./text.js";

/** A policy in one locale as a Markdown file: title block, contents, numbered sections. */
export function toMarkdown(doc: PolicyDocument): string {
  const t = translator(doc.locale);
  const out: string[] = [`# ${escapeInline(doc.title)}`, "", titleBlock(doc), ""];
  out.push(`## ${t("policy.toc")}`, "", ...toc(doc), "");
  for (const section of doc.sections) out.push(...sectionMarkdown(section), "");
  return `${out.join("\n").replace(/\n{3,}/g, "\n\n").trim()}\n`;
}

function titleBlock(doc: PolicyDocument): string {
  const t = translator(doc.locale);
  return [
    `**${esc(doc.company)}**`,
    "",
    `${t("policy.effective", { date: doc.effective })}  `,
    `${t("policy.updated", { date: doc.updated })}  `,
    t("policy.version", { version: doc.version === "draft" ? t("policy.draft") : doc.version }),
    "",
    `*${esc(doc.controlling)}*`,
  ].join("\n");
}

function toc(doc: PolicyDocument): string[] {
  return doc.sections.filter((s) => s.title).map((s) => `- [${headingText(s)}](#${s.anchor})`);
}

const headingText = (s: { number?: string; title?: string }) => `${s.number ?? ""}${s.number && !s.number.endsWith("、") ? " " : ""}${escapeInline(s.title ?? "")}`;

function sectionMarkdown(section: DocSection): string[] {
  const out: string[] = [];
  if (section.title) out.push(`<a id="${section.anchor}"></a>`, "", `## ${headingText(section)}`, "");
  for (const clause of section.clauses) out.push(...clauseMarkdown(clause), "");
  return out;
}

function clauseMarkdown(clause: DocClause): string[] {
  const head = clause.showTitle ? [`### ${headingText(clause)}`, ""] : [];
  return [...head, clause.markdown];
}

/**
 * Both languages in one Markdown file, alternating clause by clause (Chinese, then English), so a reader
 * or a diff tool sees each clause next to its translation.
 */
export function toBilingualMarkdown(zh: PolicyDocument, en: PolicyDocument): string {
  const out: string[] = [`# ${escapeInline(zh.title)} / ${escapeInline(en.title)}`, "", titleBlock(zh), "", titleBlock(en), ""];
  zh.sections.forEach((zs, i) => {
    const es = en.sections[i]!;
    if (zs.title) out.push(`<a id="${zs.anchor}"></a>`, "", `## ${headingText(zs)} / ${headingText(es)}`, "");
    zs.clauses.forEach((zc, j) => {
      const ec = es.clauses[j]!;
      if (zc.showTitle) out.push(`### ${headingText(zc)} / ${headingText(ec)}`, "");
      out.push(zc.markdown, "", ec.markdown, "");
    });
  });
  return `${out.join("\n").replace(/\n{3,}/g, "\n\n").trim()}\n`;
}
