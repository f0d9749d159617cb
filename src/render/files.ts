import { join } from "node:path";
import { builtinPaths } from "../paths.js";
import type { Locale } from "../schema/localized.js";
import type { DocLocale, Format } from "../write.js";
import type { PolicyDocument } from "./document.js";
import { facesFor, fontCss } from "./fonts.js";
import { toHtml } from "./html.js";
import { toBilingualMarkdown, toMarkdown } from "./markdown.js";

/** A file of one profile's output, relative to its folder (`<out>/<slug>/`). */
export interface RenderedFile {
  locale: DocLocale;
  format: Format;
  path: string;
  content: string;
  /** The documents the file shows (two for the bilingual one). */
  documents: PolicyDocument[];
}

export interface AssetFile {
  path: string;
  from?: string;
  content?: string;
}

export const ASSETS = "assets";

/** Markdown and HTML for each locale, and the bilingual pair when both locales are built. */
export function renderFiles(documents: Partial<Record<Locale, PolicyDocument>>): RenderedFile[] {
  const files: RenderedFile[] = [];
  for (const doc of Object.values(documents)) {
    files.push({ locale: doc.locale, format: "md", path: `policy.${doc.locale}.md`, content: toMarkdown(doc), documents: [doc] });
    files.push({ locale: doc.locale, format: "html", path: `policy.${doc.locale}.html`, content: toHtml([doc], { assets: ASSETS }), documents: [doc] });
  }
  const { "zh-CN": zh, en } = documents;
  if (zh && en) {
    files.push({ locale: "bilingual", format: "md", path: "policy.bilingual.md", content: toBilingualMarkdown(zh, en), documents: [zh, en] });
    files.push({ locale: "bilingual", format: "html", path: "policy.bilingual.html", content: toHtml([zh, en], { assets: ASSETS }), documents: [zh, en] });
  }
  return files;
}

/** The stylesheet and the font subsets the HTML pages need (only those their characters use). */
export function assetFiles(files: RenderedFile[]): AssetFile[] {
  const text = files.filter((f) => f.format === "html").map((f) => f.content).join("");
  const faces = facesFor(text);
  return [
    { path: `${ASSETS}/policy.css`, from: join(builtinPaths.templates, "policy.css") },
    { path: `${ASSETS}/fonts.css`, content: `${fontCss(faces, "fonts")}\n` },
    ...faces.map((f) => ({ path: `${ASSETS}/fonts/${f.file}`, from: f.path })),
  ];
}
