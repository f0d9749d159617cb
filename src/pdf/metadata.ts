import { createHash } from "node:crypto";
import type { PdfJob } from "./print.js";

/**
 * Makes Chromium's PDF deterministic and complete: the creation and modification dates become the
 * policy's date (rewritten in place, same length, so no offset moves), and an incremental update adds
 * the document information Chromium leaves out (author, subject, keywords) and a fixed /ID.
 */
export function finalisePdf(pdf: Uint8Array, job: PdfJob): Uint8Array {
  const stamp = job.date.replace(/-/g, "");
  let text = Buffer.from(pdf).toString("latin1");
  text = text.replace(/\((D:\d{14})([^)]*)\)/g, (_m, _d: string, tz: string) => `(D:${stamp}000000${tz === "Z" ? "Z" : tz ? "+00'00'".slice(0, tz.length).padEnd(tz.length, "0") : ""})`);
  text = renumberNodeIds(text);
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

function infoDictionary(job: PdfJob, date: string): string {
  const docs = job.documents;
  const title = docs.map((d) => d.title).join(" / ");
  const company = docs.map((d) => d.company).join(" / ");
  const version = docs[0]?.version ?? "draft";
  const fields: [string, string][] = [
    ["Title", `${title} – ${docs.map((d) => d.shortName).join(" / ")}`],
    ["Author", company],
    ["Subject", `${title}, version ${version}, effective ${docs[0]?.effectiveIso ?? job.date}`],
    ["Keywords", [...new Set(docs.flatMap((d) => [d.title, d.shortName, d.locale]))].join(", ")],
    ["Creator", "PolicyPress"],
  ];
  const entries = fields.map(([k, v]) => `/${k} ${pdfString(v)}`);
  entries.push(`/CreationDate (${date})`, `/ModDate (${date})`);
  return `<<${entries.join("\n")}>>`;
}

/** A PDF text string: UTF-16BE with a byte order mark, written in hex so no character needs escaping. */
function pdfString(value: string): string {
  const utf16 = Buffer.from(value, "utf16le");
  utf16.swap16();
  return `<FEFF${utf16.toString("hex").toUpperCase()}>`;
}
