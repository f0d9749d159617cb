/**
 * Chromium titles a PDF bookmark with the text of the heading's line boxes run together: a heading
 * that wraps loses the space at the break ("your personalinformation"), and a bilingual heading, two
 * columns, came out as "四、您的权利4. Your rights", at times with part of the first column twice. The
 * bookmarks are titled again here with the headings' own text, read from the printed page.
 */

/** The text of each heading (h1-h6) of a page, in order; a bilingual heading's columns joined by " / ". */
export function headingTitles(html: string): string[] {
  return [...html.matchAll(/<h([1-6])\b[^>]*>([\s\S]*?)<\/h\1>/gi)].map(([, , inner]) => {
    const columns = [...inner!.matchAll(/<span class="col"[^>]*>([\s\S]*?)<\/span>/g)].map((m) => m[1]!);
    return (columns.length > 1 ? columns : [inner!]).map(plainText).filter(Boolean).join(" / ");
  });
}

function plainText(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, "")).replace(/\s+/g, " ").trim();
}

function decodeEntities(text: string): string {
  const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") return String.fromCodePoint(name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : Number(name.slice(1)));
    return named[name.toLowerCase()] ?? whole;
  });
}

/** A change of length `delta` at offset `at` of the original text. */
export interface Edit {
  at: number;
  delta: number;
}

/**
 * `text` (a PDF read as latin1) with its bookmarks, in the outline's order, titled `titles`, and the
 * edits made; undefined when the outline is not one bookmark per heading (then it is left as it is).
 */
export function retitleOutline(text: string, titles: string[]): { text: string; edits: Edit[] } | undefined {
  const items = outlineItems(text);
  if (!items?.length || items.length !== titles.length) return undefined;
  const edits: Edit[] = [];
  let out = "";
  let from = 0;
  // the bookmarks' objects are not written in the outline's order: spliced in the file's order
  const inFileOrder = items.map((item, i) => ({ ...item, title: pdfTextString(titles[i]!) })).sort((a, b) => a.at - b.at);
  for (const item of inFileOrder) {
    out += text.slice(from, item.at) + item.title;
    from = item.at + item.length;
    edits.push({ at: item.at, delta: item.title.length - item.length });
  }
  return { text: out + text.slice(from), edits };
}

/** Where each bookmark's /Title string is, in the outline's order (depth first, as the headings come). */
function outlineItems(text: string): { at: number; length: number }[] | undefined {
  const objects = new Map<number, number>();
  for (const m of text.matchAll(/(?:^|[\r\n])(\d+) 0 obj\b/g)) objects.set(Number(m[1]), m.index + m[0].length);
  const body = (n: number) => {
    const start = objects.get(n);
    if (start === undefined) return undefined;
    const end = text.indexOf("endobj", start);
    return { start, dict: text.slice(start, end < 0 ? undefined : end) };
  };
  const ref = (dict: string, key: string) => Number(new RegExp(`/${key} (\\d+) 0 R`).exec(dict)?.[1]) || undefined;
  const root = /\/Type\s*\/Outlines\b[^>]*?\/First (\d+) 0 R/.exec(text);
  if (!root) return undefined;
  const items: { at: number; length: number }[] = [];
  const seen = new Set<number>();
  const visit = (first: number | undefined): boolean => {
    for (let n = first; n !== undefined; ) {
      if (seen.has(n)) return false;
      seen.add(n);
      const obj = body(n);
      const title = obj && /\/Title\s*(<[0-9A-Fa-f\s]*>|\((?:\\[\s\S]|[^\\)])*\))/.exec(obj.dict);
      if (!obj || !title) return false;
      items.push({ at: obj.start + title.index + title[0].length - title[1]!.length, length: title[1]!.length });
      if (!visit(ref(obj.dict, "First"))) return false;
      n = ref(obj.dict, "Next");
    }
    return true;
  };
  return visit(Number(root[1])) ? items : undefined;
}

/** A PDF text string: UTF-16BE with a byte order mark, written in hex so no character needs escaping. */
export function pdfTextString(value: string): string {
  const utf16 = Buffer.from(value, "utf16le");
  utf16.swap16();
  return `<FEFF${utf16.toString("hex").toUpperCase()}>`;
}
