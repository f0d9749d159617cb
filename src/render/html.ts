import { readFileSync } from "node:fs";
import { join } from "node:path";
import Handlebars from "handlebars";
import MarkdownIt from "markdown-it";
import cjkFriendly from "markdown-it-cjk-friendly";
import { forgetWhenChanged } from "../load/fresh.js";
import { builtinPaths } from "../paths.js";
import type { Locale } from "../schema/localized.js";
import { truncateToWidth, widthEm } from "./advance.js";
import { QUOTES_FAMILY } from "./fonts.js";
import { PAPER_WIDTH_MM, type Paper } from "./paper.js";
import { skeletonOf, type DocClause, type DocSection, type PolicyDocument } from "./document.js";
import { canWalk, walk, type WalkEnv } from "./evaluate.js";
import { renderSkeleton, skeletonHtml } from "./slots.js";
import { breakLongWordsInCells, escapeHtml, isolatesAsBdi, valueHtml } from "./text.js";
import { translator } from "./i18n.js";
import { alternates, pageName, siteChrome, type SitePlace } from "../site/chrome.js";

/**
 * Markdown -> HTML for clause bodies. Raw HTML is off, so nothing in a clause or a profile value can
 * become markup; markdown-it's own link validation refuses javascript:, vbscript: and data: URLs.
 */
const md = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: false });
// CommonMark does not close **强调：**后文 (emphasis ending in CJK punctuation before a Han character):
// the CJK-friendly amendment does, so the bold phrases of Chinese clauses render as bold.
md.use(cjkFriendly);
// Wide tables scroll on a phone instead of widening the page.
md.renderer.rules.table_open = () => '<div class="table-wrap"><table>\n';
md.renderer.rules.table_close = () => "</table></div>\n";

// A clause body appears in its language's page, the bilingual page and the embeddable fragment, and
// most bodies have the same skeleton for every profile (slots.ts): each distinct text is rendered once.
// The memos are forgotten every 3,000 texts, so a long build's memory does not grow with them.
function memo<T>(render: (markdown: string) => T): (markdown: string) => T {
  const done = new Map<string, T>();
  return (markdown) => {
    if (done.has(markdown)) return done.get(markdown)!;
    if (done.size > 3_000) done.clear();
    const html = render(markdown);
    done.set(markdown, html);
    return html;
  };
}

export const markdownToHtml = memo((markdown) => md.render(markdown));
const skeletonToHtml = memo((markdown) => renderSkeleton(markdown, (m) => md.render(m)));

/**
 * A clause body's HTML: from its skeleton when its tokens are plain text there, else (and for a clause
 * of a released snapshot, which has no skeleton) from its Markdown.
 */
export function clauseHtml(clause: DocClause): string {
  const skeleton = skeletonOf.get(clause);
  return finishedHtml((skeleton?.values.length ? skeletonHtml(skeleton, skeletonToHtml) : undefined) ?? markdownToHtml(clause.markdown));
}

/** A clause body's HTML as markdown-it wrote it, made ready for the page: isolates as <bdi>, long words in cells breakable. */
export const finishedHtml = (html: string) => breakLongWordsInCells(isolatesAsBdi(html));

const pages = Handlebars.create();
const walkEnv: WalkEnv = { helpers: pages.helpers, escape: pages.Utils.escapeExpression as (value: unknown) => string, known: new Set(), strict: false };
type PageTemplate = (view: object) => string;
const compiled = new Map<string, PageTemplate>();
// a build after an edit of templates/ (the live preview, a program building again) compiles them again
forgetWhenChanged([builtinPaths.templates], () => compiled.clear());
function template(name: "policy" | "policy-sections"): PageTemplate {
  let t = compiled.get(name);
  if (!t) compiled.set(name, (t = pageTemplate(readFileSync(join(builtinPaths.templates, `${name}.hbs`), "utf8"))));
  return t;
}
/** A page template, walked (evaluate.ts) unless it uses what only Handlebars' compiler does. */
export function pageTemplate(source: string): PageTemplate {
  const tree = pages.parse(source);
  return canWalk(tree, walkEnv.known) ? (view) => walk(tree, view, { root: view }, walkEnv) : compilePageTemplate(source);
}
/** The same compiled by Handlebars (what the walker is compared with). */
export function compilePageTemplate(source: string): PageTemplate {
  const t = pages.compile(source, { strict: false });
  return (view) => t(view);
}

export interface HtmlOptions {
  /** Relative URL of the folder holding policy.css and fonts.css. */
  assets: string;
  /** Where the page sits in the published site; without it the page has no site navigation. */
  site?: SitePlace;
  /** Only the policy (title block, contents, sections), to embed in another site's page. */
  fragment?: boolean;
  /** The paper the page's PDF is printed on (default A4): the running header is cut to its width. */
  paper?: Paper;
}

type Col = { lang: Locale; text: string };

/** HTML of one language's part of a two-language line, marked with its language when the page has two. */
const inLanguage = (html: string, locale: Locale, bilingual: boolean) => (bilingual ? `<span lang="${locale}">${html}</span>` : html);

/** A policy in one locale, or two side by side, as one HTML page. */
export function toHtml(docs: PolicyDocument[], options: HtmlOptions): string {
  const first = docs[0]!;
  const t = translator(first.locale);
  const bilingual = docs.length > 1;
  return template("policy")({
    lang: bilingual ? "zh-CN" : first.locale,
    layout: bilingual ? "bilingual" : "single",
    title: docs.map((d) => d.title).join(" / "),
    company: docs.map((d) => d.company).join(" / "),
    // each name apart, so that two right-to-left names do not run together across the " / ", and on the
    // bilingual page in its language (a screen reader reads the English name with an English voice)
    companyHtml: docs.map((d) => inLanguage(valueHtml(d.company), d.locale, bilingual)).join(" / "),
    titleHtml: docs.map((d) => inLanguage(escapeHtml(d.title), d.locale, bilingual)).join(" / "),
    description: docs.map((d) => `${d.company} ${d.title}`).join(" / "),
    keywords: docs.map((d) => [d.title, d.shortName].join(", ")).join(", "),
    version: first.version,
    versionLabel: t("policy.version", { version: first.version === "draft" ? t("policy.draft") : first.version }),
    effectiveIso: first.effectiveIso,
    facts: docs.flatMap((d) => {
      const td = translator(d.locale);
      return [
        { lang: d.locale, label: td("policy.effectiveLabel"), value: d.effective },
        { lang: d.locale, label: td("policy.updatedLabel"), value: d.updated },
        { lang: d.locale, label: td("policy.versionLabel"), value: d.version === "draft" ? td("policy.draft") : d.version },
      ];
    }),
    controlling: docs.map((d) => ({ lang: d.locale, text: d.controlling })),
    tocTitle: docs.map((d) => translator(d.locale)("policy.toc")).join(" / "),
    toc: first.sections
      .map((s: DocSection, i) => ({ anchor: s.anchor, html: languagesHtml(docs.map((d) => ({ lang: d.locale, text: headingText(d.sections[i]) })), bilingual) }))
      .filter((e) => e.html),
    sectionsHtml: sectionsHtml(docs),
    assets: options.assets,
    pageCss: pageCss(docs, options.paper ?? "A4"),
    skipLabel: t("site.skip"),
    fragment: options.fragment ?? false,
    site: options.site && !options.fragment ? siteChrome(options.site, bilingual ? "bilingual" : first.locale) : undefined,
    alternates: options.site ? alternates(options.site) : [],
    canonical: options.site?.baseUrl ? `${options.site.baseUrl}${options.site.folder}${pageName(bilingual ? "bilingual" : first.locale)}` : undefined,
  });
}

/**
 * A text in each language, "zh / en", each in its own language in a bilingual page (whose own language is
 * Chinese): there the English took its curly quotes from the CJK font, full width, a wide gap after
 * "minors’" in the contents. A single-language page needs no mark.
 */
function languagesHtml(cols: Col[], bilingual: boolean): string {
  return cols.filter((c) => c.text).map((c) => inLanguage(escapeHtml(c.text), c.lang, bilingual)).join(" / ");
}

/** The policy's sections as HTML: the same in a page and in its fragment, so made once for both. */
function sectionsHtml(docs: PolicyDocument[]): string {
  const key = docs.map((d) => d.locale).join("+");
  let made = sectionsOf.get(docs[0]!);
  if (!made) sectionsOf.set(docs[0]!, (made = new Map()));
  let html = made.get(key);
  if (html === undefined) made.set(key, (html = template("policy-sections")({ sections: sectionsView(docs) })));
  return html;
}
const sectionsOf = new WeakMap<PolicyDocument, Map<string, string>>();

/** What policy-sections.hbs shows: each section's and clause's heading and bodies, one column per locale. */
function sectionsView(docs: PolicyDocument[]) {
  const bilingual = docs.length > 1;
  const heading = (get: (d: PolicyDocument) => { number?: string; title?: string } | undefined): Col[] | undefined => {
    const cols = docs.map((d) => ({ lang: d.locale, text: headingText(get(d)) }));
    return cols.every((c) => c.text) ? cols : undefined;
  };
  return docs[0]!.sections.map((s, i) => ({
    anchor: s.anchor,
    heading: heading((d) => d.sections[i]),
    clauses: s.clauses.map((c, j) => {
      const bodies = docs.map((d) => ({ lang: d.locale, html: clauseHtml(d.sections[i]!.clauses[j]!) }));
      const clauseHeading = c.showTitle ? heading((d) => d.sections[i]!.clauses[j]) : undefined;
      return { anchor: c.anchor, key: c.key, heading: clauseHeading, bodies, stacked: bilingual && bodies.some((b) => b.html.includes("<table")) };
    }),
  }));
}

/**
 * Running header (company and title) and footer (version, page X of Y) as CSS page-margin boxes: they
 * print with the document's own fonts, from the browser's print dialog as well as in our PDFs.
 */
function pageCss(docs: PolicyDocument[], paper: Paper): string {
  const header = cssString(runningHeader(docs, headerRoomEm(paper)));
  const version = cssString(docs.map((d) => translator(d.locale)("policy.version", { version: d.version === "draft" ? translator(d.locale)("policy.draft") : d.version })).join(" / "));
  const pageOf = docs
    .map((d) => {
      const [before, middle, after] = translator(d.locale)("policy.page", { page: "\u0000", pages: "\u0000" }).split("\u0000");
      return `${cssString(before ?? "")} counter(page) ${cssString(middle ?? "")} counter(pages) ${cssString(after ?? "")}`;
    })
    .join(' " / " ');
  // English takes its curly quotes from the Latin font, as in the body ("Ann’s" had a full-width gap);
  // a bilingual header is one box, and its Chinese wants them full width
  const family = docs.length === 1 && docs[0]!.locale === "en" ? `"${QUOTES_FAMILY}", "Noto Sans SC"` : `"Noto Sans SC"`;
  const box = `font-family: ${family}, sans-serif; font-size: ${HEADER_FONT_PT}pt; color: #555;`;
  return `@page { @top-left { content: ${header}; ${box} } @bottom-left { content: ${version}; ${box} } @bottom-right { content: ${pageOf}; ${box} } }`;
}

/**
 * Room for the running header, in em of its 8 pt type: the width of the paper the PDF is printed on less
 * the 18 mm side margins of policy.css, less 3% for rounding in the browser's layout.
 */
export function headerRoomEm(paper: Paper): number {
  return (((PAPER_WIDTH_MM[paper] - 2 * HEADER_SIDE_MARGIN_MM) / 25.4) * 72 * 0.97) / HEADER_FONT_PT;
}
const HEADER_SIDE_MARGIN_MM = 18;
const HEADER_FONT_PT = 8;
const HEADER_SEPARATOR = " / ";

/**
 * "short name · title" per language, cut with "…" to fit on one line: Chromium lets a page-margin box's
 * text run past the page's edge (one long word) or wrap down over the body, and clips neither.
 */
export function runningHeader(docs: PolicyDocument[], roomEm: number): string {
  const parts = docs.map((d) => ({ name: d.shortName, tail: ` · ${d.title}` }));
  const room = roomEm - widthEm(HEADER_SEPARATOR) * (docs.length - 1);
  const shares = fairShares(parts.map((p) => widthEm(p.name + p.tail)), room);
  return parts.map((p, i) => fitHeaderPart(p.name, p.tail, shares[i]!)).join(HEADER_SEPARATOR);
}

/** Splits `room` equally, except that what a short part does not need goes to the longer ones. */
function fairShares(widths: number[], room: number): number[] {
  const shares: number[] = [];
  const order = widths.map((_, i) => i).sort((a, b) => widths[a]! - widths[b]!);
  let left = room;
  order.forEach((i, done) => {
    shares[i] = Math.min(widths[i]!, left / (order.length - done));
    left -= shares[i]!;
  });
  return shares;
}

/** The name is cut first, so the title, what a reader looks for on a printed page, stays whole if it can. */
function fitHeaderPart(name: string, tail: string, maxEm: number): string {
  if (widthEm(name + tail) <= maxEm) return name + tail;
  if (widthEm(tail) <= maxEm / 2) return truncateToWidth(name, maxEm - widthEm(tail)) + tail;
  return truncateToWidth(name + tail, maxEm);
}

/** A CSS string literal that no value can break out of (quotes, backslashes, `</style>`, newlines). */
export function cssString(value: string): string {
  return `"${value.replace(/[\\"<>\n\r\u0000-\u001f]/g, (c) => `\\${c.codePointAt(0)!.toString(16)} `)}"`;
}

function headingText(s: { number?: string; title?: string } | undefined): string {
  if (!s?.title) return "";
  if (!s.number) return s.title;
  return s.number.endsWith("、") ? `${s.number}${s.title}` : `${s.number} ${s.title}`;
}
