import type { Locale } from "../schema/localized.js";
import type { DocLocale, Format } from "../write.js";
import type { PolicyDocument } from "./document.js";
import { toHtml } from "./html.js";
import type { Paper } from "./paper.js";
import { ASSETS_FOLDER } from "../paths.js";
import { toBilingualMarkdown, toMarkdown } from "./markdown.js";
import { cleanCopyOf, noticeHtml, noticeMarkdown, type Notice } from "../versions/notice.js";
import { pageLocalesOf, upFrom, type SitePlace } from "../site/chrome.js";

/** A file of one profile's output, relative to its folder (`<out>/<slug>/`). */
export interface RenderedFile {
  locale: DocLocale;
  format: Format;
  path: string;
  /** "draft" or the released version the file shows. */
  version: string;
  content: string;
  /** The documents the file shows (two for the bilingual one). */
  documents: PolicyDocument[];
}

/** The way from a profile's folder to the shared assets (ASSETS_FOLDER, src/paths.ts). */
export const ASSETS = `../${ASSETS_FOLDER}`;

/**
 * Markdown and HTML for each locale, and the bilingual pair when both locales are built. `folder` is
 * where they go inside the profile's output (`versions/1.0.0/` for a release); `assets` the relative
 * way from there to the shared assets folder; `paper` what the HTML pages' PDFs are printed on.
 */
export function renderFiles(documents: Partial<Record<Locale, PolicyDocument>>, folder = "", site?: Omit<SitePlace, "folder" | "locales">, paper: Paper = "A4"): RenderedFile[] {
  const files: RenderedFile[] = [];
  const assets = `${upFrom(folder)}${ASSETS}`;
  const locales = pageLocalesOf(Object.keys(documents) as Locale[]);
  const place = site ? { ...site, folder, locales } : undefined;
  const file = (locale: DocLocale, format: Format, name: string, content: string, docs: PolicyDocument[]) =>
    files.push({ locale, format, path: `${folder}${name}`, version: docs[0]!.version, content, documents: docs });
  for (const doc of Object.values(documents)) {
    file(doc.locale, "md", `policy.${doc.locale}.md`, toMarkdown(doc), [doc]);
    file(doc.locale, "html", `policy.${doc.locale}.html`, toHtml([doc], { assets, site: place, paper }), [doc]);
  }
  const { "zh-CN": zh, en } = documents;
  if (zh && en) {
    file("bilingual", "md", "policy.bilingual.md", toBilingualMarkdown(zh, en), [zh, en]);
    file("bilingual", "html", "policy.bilingual.html", toHtml([zh, en], { assets, site: place, paper }), [zh, en]);
  }
  return files;
}

/** A change notice's title in one language, as its page's heading says it. */
function noticeTitle(notice: Notice, locale: Locale): string {
  return locale === "zh-CN" ? `《${notice.title["zh-CN"]}》变更说明` : `${notice.title.en}: what changed`;
}

/** A change notice as Markdown, HTML and JSON, beside the version it leads to. */
export function noticeFiles(notice: Notice, policies: PolicyDocument[], folder = ""): RenderedFile[] {
  // the documents a notice's files show are the policies, under the notice's own title (its PDF's
  // title, subject and keywords are read from them: the notice is not the policy)
  const documents = policies.map((d): PolicyDocument => ({ ...d, title: noticeTitle(notice, d.locale) }));
  const assets = `${upFrom(folder)}${ASSETS}`;
  const version = notice.changes.to;
  return [
    { locale: "bilingual", format: "md", path: `${folder}changes.md`, version, content: noticeMarkdown(notice, documents.map((d) => d.locale)), documents },
    { locale: "bilingual", format: "html", path: `${folder}changes.html`, version, content: noticeHtml(notice, { cleanCopy: cleanCopyOf(documents.map((d) => d.locale)), assets, home: `${upFrom(folder)}index.html` }), documents },
    { locale: "bilingual", format: "json", path: `${folder}changes.json`, version, content: `${JSON.stringify(notice, null, 2)}\n`, documents },
  ];
}
