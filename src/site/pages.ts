import { toHtml } from "../render/html.js";
import type { PolicyDocument } from "../render/document.js";
import { ASSETS, type RenderedFile } from "../render/files.js";
import { translator } from "../render/i18n.js";
import { formatDate } from "../render/numbering.js";
import { LOCALES, type Locale } from "../schema/localized.js";
import { isoDateSchema } from "../schema/primitives.js";
import { noticeBlock, noticeText, type Notice } from "../versions/notice.js";
import type { Snapshot } from "../versions/snapshot.js";
import type { Format } from "../write.js";
import { pageLocalesOf, pageName } from "./chrome.js";
import { escapeHtml as esc, valueHtml } from "../render/text.js";


export interface SiteInput {
  slug: string;
  /** The documents at the top of the site, and the version they are ("draft" or X.Y.Z). */
  current: Partial<Record<Locale, PolicyDocument>>;
  history: Snapshot[];
  /** Notices by folder ("" for the current one, "versions/X/" for each release after the first). */
  notices: Map<string, Notice>;
  formats: Format[];
  baseUrl: string;
  /** YYYY-MM-DD each version's documents were last updated, by version ("draft" too): a release's is its release date. */
  updated: Map<string, string>;
}

/** The languages of this build (--locales): the released versions are published in these only. */
const builtLocales = (current: SiteInput["current"]) => LOCALES.filter((l) => current[l]);
const pageLocales = (current: SiteInput["current"]) => pageLocalesOf(builtLocales(current));

function shell(lang: string, title: string, body: string, extraHead = "", assets = ASSETS): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<meta name="generator" content="PolicyPress">
${extraHead}<link rel="stylesheet" href="${assets}/fonts.css">
<link rel="stylesheet" href="${assets}/policy.css">
</head>
<body class="single landing">
<main id="content">
${body}
</main>
</body>
</html>
`;
}

const anyDoc = (docs: Partial<Record<Locale, PolicyDocument>>) => (docs["zh-CN"] ?? docs.en)!;

/** index.html: the current policy's front door, in both languages, no JavaScript. */
export function landingPage(site: SiteInput): string {
  const doc = anyDoc(site.current);
  const zh = translator("zh-CN");
  const en = translator("en");
  const locales = [...(site.current["zh-CN"] ? ["zh-CN" as const] : []), ...(site.current.en ? ["en" as const] : []), ...(site.current["zh-CN"] && site.current.en ? ["bilingual" as const] : [])];
  const label = { "zh-CN": "中文", en: "English", bilingual: "中英对照 / Bilingual" };
  const titles = locales.filter((l) => l !== "bilingual").map((l) => site.current[l as Locale]!.title).join(" / ");
  const languages = locales.filter((l): l is Locale => l !== "bilingual");
  // each language's name (once, when both are the same) in its language: the page is zh-CN
  const companyParts = languages.filter((l, i) => languages.findIndex((m) => site.current[m]!.company === site.current[l]!.company) === i);
  const companies = companyParts.map((l) => site.current[l]!.company).join(" / ");
  const inLanguage = (html: string, l: Locale) => (l === "zh-CN" ? html : `<span lang="${l}">${html}</span>`);
  const version = doc.version === "draft" ? `${zh("policy.draft")} / ${en("policy.draft")}` : doc.version;
  const downloads = locales
    .map((l) => {
      const links = [...(site.formats.includes("pdf") ? [`<a href="policy.${l}.pdf" download>PDF</a>`] : []), ...(site.formats.includes("md") ? [`<a href="policy.${l}.md" download>Markdown</a>`] : [])];
      return links.length ? `<li><span lang="${l === "en" ? "en" : "zh-CN"}">${label[l]}</span>: ${links.join(" · ")}</li>` : "";
    })
    .join("");
  const notice = site.notices.get("");
  const body = `<header class="title-block">
<p class="company">${companyParts.map((l) => inLanguage(valueHtml(site.current[l]!.company), l)).join(" / ")}</p>
<h1>${languages.map((l) => inLanguage(esc(site.current[l]!.title), l)).join(" / ")}</h1>
<dl class="dates"><div><dt>${esc(zh("site.version"))} / ${esc(en("site.version"))}</dt><dd>${esc(version)}</dd></div><div><dt>${esc(zh("site.effective"))} / ${esc(en("site.effective"))}</dt><dd>${esc(formatDate(doc.effectiveIso, "zh-CN"))} / ${esc(formatDate(doc.effectiveIso, "en"))}</dd></div></dl>
</header>
<h2>${esc(zh("site.landing"))} / ${esc(en("site.landing"))}</h2>
<ul class="choices">${locales.map((l) => `<li><a href="${pageName(l)}" hreflang="${l === "en" ? "en" : "zh-CN"}">${label[l]}</a></li>`).join("")}</ul>
${downloads ? `<h2>${esc(zh("site.download").replace(/[：:]$/, ""))} / ${esc(en("site.download").replace(/:$/, ""))}</h2><ul>${downloads}</ul>` : ""}
${notice ? `<h2>${esc(zh("site.changes"))} / ${esc(en("site.changes"))}</h2>${noticeBlock(notice, "zh-CN")}${noticeBlock(notice, "en")}<p><a href="changes.html">${esc(zh("site.changes"))} / ${esc(en("site.changes"))}</a></p>` : ""}
${site.history.length ? `<p><a href="versions/index.html">${esc(zh("site.archive"))} / ${esc(en("site.archive"))}</a> · <a href="feed.xml">Atom</a> · <a href="versions.json">versions.json</a></p>` : ""}`;
  const head = `<link rel="alternate" type="application/atom+xml" href="feed.xml" title="${esc(zh("site.feedTitle", { company: doc.company, title: doc.title }))}">\n<link rel="canonical" href="${esc(site.baseUrl)}index.html">\n`;
  return shell("zh-CN", `${titles} – ${companies}`, body, head);
}

/** versions/index.html: every released version, with its pages and its notice. */
export function archivePage(site: SiteInput): string {
  const zh = translator("zh-CN");
  const en = translator("en");
  const both = (key: string) => `${esc(zh(key))} / ${esc(en(key))}`;
  const rows = [...site.history]
    .reverse()
    .map((s) => {
      const folder = `${s.version}/`;
      const pages = pageLocales(site.current).map((l) => `<a href="${folder}${pageName(l)}">${l === "bilingual" ? "中英对照" : l === "en" ? "English" : "中文"}</a>`).join(" · ");
      const notice = site.notices.has(`versions/${folder}`) ? `<a href="${folder}changes.html">${both("site.changes")}</a>` : "—";
      const summary = s.summary ? `<span lang="zh-CN">${esc(s.summary["zh-CN"])}</span><br><span lang="en">${esc(s.summary.en)}</span>` : "";
      return `<tr><th scope="row">${esc(s.version)}</th><td>${esc(s.released)}</td><td>${esc(s.effective)}</td><td>${summary}</td><td>${pages}</td><td>${notice}</td></tr>`;
    })
    .join("\n");
  const doc = anyDoc(site.current);
  const body = `<p><a href="../index.html">${both("site.home")}</a></p>
<header class="title-block"><p class="company">${valueHtml(doc.company)}</p><h1>${both("site.archive")}</h1></header>
<div class="table-wrap archive"><table>
<thead><tr><th scope="col">${both("site.version")}</th><th scope="col">${both("site.released")}</th><th scope="col">${both("site.effective")}</th><th scope="col">${both("site.summary")}</th><th scope="col">${both("site.read")}</th><th scope="col">${both("site.changes")}</th></tr></thead>
<tbody>
${rows}
</tbody></table></div>`;
  return shell("zh-CN", `${zh("site.archive")} / ${en("site.archive")} – ${doc.company}`, body, "", `../${ASSETS}`);
}

/** feed.xml: an Atom entry per release, newest first, with the notice's text. */
export function atomFeed(site: SiteInput): string {
  const doc = anyDoc(site.current);
  const entries = [...site.history].reverse().map((s) => {
    const notice = site.notices.get(`versions/${s.version}/`);
    const text = notice ? `${noticeText(notice, "zh-CN")}\n\n${noticeText(notice, "en")}` : s.summary ? `${s.summary["zh-CN"]}\n${s.summary.en}` : `${s.version}`;
    return `  <entry>
    <id>${esc(site.baseUrl)}versions/${esc(s.version)}/</id>
    <title>${esc(doc.title)} ${esc(s.version)}</title>
    <updated>${s.released}T00:00:00Z</updated>
${builtLocales(site.current).map((l) => `    <link rel="alternate" href="${esc(site.baseUrl)}versions/${esc(s.version)}/${pageName(l)}" hreflang="${l}"/>`).join("\n")}
    <summary type="text">${esc(text)}</summary>
  </entry>`;
  });
  const updated = site.history.length ? `${site.history[site.history.length - 1]!.released}T00:00:00Z` : `${doc.effectiveIso}T00:00:00Z`;
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${esc(site.baseUrl)}</id>
  <title>${esc(translator("zh-CN")("site.feedTitle", { company: doc.company, title: doc.title }))}</title>
  <author><name>${esc(doc.company)}</name></author>
  <updated>${updated}</updated>
  <link rel="self" href="${esc(site.baseUrl)}feed.xml"/>
  <link rel="alternate" href="${esc(site.baseUrl)}index.html"/>
${entries.join("\n")}
</feed>
`;
}

/** versions.json: the machine-readable history. */
export function versionsJson(site: SiteInput): string {
  const current = anyDoc(site.current).version;
  return `${JSON.stringify(
    {
      slug: site.slug,
      current,
      versions: [...site.history].reverse().map((s) => ({
        version: s.version,
        released: s.released,
        effective: s.effective,
        hash: s.hash,
        summary: s.summary ?? null,
        material: site.notices.get(`versions/${s.version}/`)?.changes.material ?? null,
        // the HTML pages, or the Markdown documents of a build without HTML
        pages: Object.fromEntries(pageLocales(site.current).map((l) => [l, `versions/${s.version}/${site.formats.includes("html") ? pageName(l) : `policy.${l}.md`}`])),
        changes: site.notices.has(`versions/${s.version}/`) ? `versions/${s.version}/changes.json` : null,
      })),
    },
    null,
    2,
  )}\n`;
}

/** sitemap.xml with the hreflang alternates of every policy page. */
export function sitemap(site: SiteInput, pages: RenderedFile[]): string {
  const urls = pages
    .filter((f) => f.format === "html" && f.path.includes("policy.") && !f.path.includes("fragment"))
    .map((f) => {
      const folder = f.path.slice(0, f.path.lastIndexOf("/") + 1);
      const alts = builtLocales(site.current).map((l) => `    <xhtml:link rel="alternate" hreflang="${l}" href="${esc(site.baseUrl)}${folder}${pageName(l)}"/>`).join("\n");
      const date = lastmod(site, f);
      return `  <url>\n    <loc>${esc(site.baseUrl)}${f.path}</loc>\n${date ? `    <lastmod>${date}</lastmod>\n` : ""}${alts}\n  </url>`;
    });
  return `<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
  <url>\n    <loc>${esc(site.baseUrl)}index.html</loc>\n  </url>
${urls.join("\n")}
</urlset>
`;
}

/**
 * When a page last changed, for its sitemap entry: the date its documents were updated (released), but
 * never after the date they take effect. Not the effective date itself: a policy is often published
 * before it takes effect, and search engines refuse a lastmod in the future. None when the date is not
 * a valid W3C date (YYYY-MM-DD), which a hand-edited snapshot could give.
 */
function lastmod(site: SiteInput, page: RenderedFile): string | undefined {
  const effective = page.documents[0]!.effectiveIso;
  const updated = site.updated.get(page.version) ?? effective;
  const date = updated < effective ? updated : effective;
  return isoDateSchema.safeParse(date).success ? date : undefined;
}

/**
 * policy.<locale>.fragment.html: the current policy without page chrome, to embed in an existing site.
 * Its ids start with `policy-<locale>-`, so that the host page's own ids (a `contact` or `content` of its
 * own) and the other language's fragment in the same page (language tabs) never clash with them.
 */
export function fragments(current: Partial<Record<Locale, PolicyDocument>>): { locale: Locale; path: string; content: string; doc: PolicyDocument }[] {
  return (Object.values(current) as PolicyDocument[]).map((doc) => ({
    locale: doc.locale,
    path: `policy.${doc.locale}.fragment.html`,
    content: withIdPrefix(toHtml([doc], { assets: ASSETS, fragment: true }), `policy-${doc.locale}-`),
    doc,
  }));
}

/** The HTML with `prefix` before each of its ids and before every reference to one of them (#id, aria-labelledby). */
export function withIdPrefix(html: string, prefix: string): string {
  const ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!));
  const own = (id: string) => (ids.has(id) ? `${prefix}${id}` : id);
  return html.replace(/(\s(?:id="|href="#|aria-(?:labelledby|describedby)="))([^"]+)"/g, (_m, attr: string, value: string) => `${attr}${value.split(" ").map(own).join(" ")}"`);
}
