import { createHash } from "node:crypto";
import { dirname, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { PdfJob } from "./print.js";
import { type Edit, pdfTextString, retitleOutline } from "./outline.js";

/**
 * Makes Chromium's PDF deterministic and complete: the creation and modification dates become the
 * policy's date (rewritten in place, same length, so no offset moves), and an incremental update adds
 * the document information Chromium leaves out (author, subject, keywords) and a fixed /ID. The
 * bookmarks get the text of `headings`, the page's headings in order (see outline.ts).
 */
export function finalisePdf(pdf: Uint8Array, job: PdfJob, headings: string[] = []): Uint8Array {
  const stamp = job.date.replace(/-/g, "");
  let text = Buffer.from(pdf).toString("latin1");
  text = text.replace(/\((D:\d{14})([^)]*)\)/g, (_m, _d: string, tz: string) => `(D:${stamp}000000${tz === "Z" ? "Z" : tz ? "+00'00'".slice(0, tz.length).padEnd(tz.length, "0") : ""})`);
  text = renumberNodeIds(text);
  text = relativiseFileLinks(text, job.htmlFile);
  text = retitledBookmarks(text, headings);
  const size = Number(/\/Size (\d+)/.exec(text.slice(text.lastIndexOf("trailer")))?.[1]);
  const root = /\/Root (\d+ \d+ R)/.exec(text.slice(text.lastIndexOf("trailer")))?.[1];
  const prev = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)?.[1]);
  if (!size || !root || Number.isNaN(prev)) return Buffer.from(text, "latin1");

  const id = createHash("md5").update(text, "latin1").digest("hex");
  const info = infoDictionary(job, `D:${stamp}000000+00'00'`);
  const base = text.endsWith("\n") ? text : `${text}\n`;
  const objOffset = Buffer.byteLength(base, "latin1");
  const obj = `${size} 0 obj\n${info}\nendobj\n`;
  const xrefOffset = objOffset + Buffer.byteLength(obj, "latin1");
  const update =
    `${obj}xref\n${size} 1\n${String(objOffset).padStart(10, "0")} 00000 n \n` +
    `trailer\n<</Size ${size + 1}\n/Root ${root}\n/Info ${size} 0 R\n/Prev ${prev}\n/ID [<${id}> <${id}>]>>\nstartxref\n${xrefOffset}\n%%EOF\n`;
  return Buffer.from(base + update, "latin1");
}

/**
 * Tagged PDFs name structure elements after DOM node ids (`/ID (node00000235)`), which keep counting up
 * in a browser page that printed other documents before. Renumbering them 1, 2, 3... in their original
 * order (same width, so no offset moves, and the /IDTree's sorted keys stay sorted) makes the PDF the
 * same whichever page of the pool printed it.
 */
function renumberNodeIds(text: string): string {
  const ids = [...new Set([...text.matchAll(/\(node(\d+)\)/g)].map((m) => m[1]!))].sort((a, b) => Number(a) - Number(b));
  const index = new Map(ids.map((id, i) => [id, i + 1]));
  return text.replace(/\(node(\d+)\)/g, (_m, id: string) => `(node${String(index.get(id)).padStart(id.length, "0")})`);
}

/**
 * Chromium writes a link to another page of the site (changes.pdf links policy.en.html) as an absolute
 * file:// address of the page it printed, inside this build's staging folder: a folder that is gone once
 * the build ends, that names the build machine's paths, and whose name differs in every build (so the
 * PDF did too). Each such address becomes the page's address relative to the printed page, which sits
 * in the folder the PDF is published in, so the link works on the site and from disk. The objects after
 * a shortened link move: the cross-reference table is rewritten to their new offsets.
 */
function relativiseFileLinks(text: string, htmlFile: string): string {
  const folder = dirname(htmlFile);
  const edits: Edit[] = [];
  const linked = text.replace(/\/URI \((file:\/\/(?:\\.|[^\\)])*)\)/g, (whole, literal: string, at: number) => {
    const address = relativeAddress(literal.replace(/\\(.)/g, "$1"), folder);
    if (address === undefined) return whole;
    const link = `/URI (${address.replace(/[\\()]/g, "\\$&")})`;
    edits.push({ at, delta: link.length - whole.length });
    return link;
  });
  if (!edits.length) return text;
  // a PDF whose cross-references this cannot follow keeps its links as they were, rather than break
  return withMovedOffsets(linked, edits) ?? text;
}

/** `text` with its bookmarks titled `headings`; as it was when they do not match or the offsets cannot be moved. */
function retitledBookmarks(text: string, headings: string[]): string {
  const retitled = retitleOutline(text, headings);
  return (retitled && withMovedOffsets(retitled.text, retitled.edits)) ?? text;
}

/** A file:// address as a path relative to `folder`, with `/` and its #fragment; undefined if unreadable. */
function relativeAddress(fileUrl: string, folder: string): string | undefined {
  try {
    const url = new URL(fileUrl);
    const target = relative(folder, fileURLToPath(url)).split(sep).join("/");
    return encodeURI(target || ".") + url.hash;
  } catch {
    return undefined;
  }
}

/**
 * `text` (already edited) with each offset in its one cross-reference table, and `startxref`, moved by
 * the edits before it. Chromium writes a single classic table (fixed 20-byte rows): anything else,
 * a cross-reference stream or an earlier update (/Prev), gives undefined.
 */
function withMovedOffsets(text: string, edits: Edit[]): string | undefined {
  const moved = (offset: number) => offset + edits.reduce((sum, e) => (e.at < offset ? sum + e.delta : sum), 0);
  const end = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(text);
  if (!end) return undefined;
  const xrefAt = moved(Number(end[1]));
  const table = /^(xref\r?\n)((?:\d+ \d+\r?\n(?:\d{10} \d{5} [nf](?: \r| \n|\r\n))*)+)trailer\s*<<((?:(?!>>)[\s\S])*)/.exec(text.slice(xrefAt));
  if (!table || /\/Prev\b/.test(table[3]!)) return undefined;
  const [, keyword, oldRows] = table as unknown as [string, string, string];
  const rows = oldRows.replace(/(\d{10}) (\d{5}) n/g, (_m, offset: string, generation: string) => `${String(moved(Number(offset))).padStart(10, "0")} ${generation} n`);
  const rest = text.slice(xrefAt + keyword.length + oldRows.length, end.index);
  return `${text.slice(0, xrefAt)}${keyword}${rows}${rest}startxref\n${xrefAt}\n%%EOF\n`;
}

/** "隐私政策，2.0.0 版，2026年12月1日生效" / "Privacy Policy, version 2.0.0, effective December 1, 2026". */
function subjectOf(d: PdfJob["documents"][number]): string {
  const draft = !d.version || d.version === "draft";
  return d.locale === "zh-CN"
    ? `${d.title}，${draft ? "草稿" : `${d.version} 版`}，${d.effective}生效`
    : `${d.title}, ${draft ? "draft" : `version ${d.version}`}, effective ${d.effective}`;
}

function infoDictionary(job: PdfJob, date: string): string {
  const docs = job.documents;
  const title = docs.map((d) => d.title).join(" / ");
  const company = docs.map((d) => d.company).join(" / ");
  const fields: [string, string][] = [
    ["Title", `${title} – ${docs.map((d) => d.shortName).join(" / ")}`],
    ["Author", company],
    // in each document's own language (a Chinese PDF's subject read "隐私政策, version 2.0.0, effective ...")
    ["Subject", docs.map(subjectOf).join(" / ")],
    ["Keywords", [...new Set(docs.flatMap((d) => [d.title, d.shortName, d.locale]))].join(", ")],
    ["Creator", "PolicyPress"],
  ];
  const entries = fields.map(([k, v]) => `/${k} ${pdfTextString(v)}`);
  entries.push(`/CreationDate (${date})`, `/ModDate (${date})`);
  return `<<${entries.join("\n")}>>`;
}
