import MarkdownIt from "markdown-it";

// The renderer has raw HTML off (render/html.ts): a tag in a clause would be printed as text on the
// page while the .md output kept it as markup. Reading with HTML on finds exactly what CommonMark
// calls HTML, so autolinks (<https://...>, <a@b.cn>) and a bare "<" are not taken for tags.
const reader = new MarkdownIt({ html: true });

/** The first HTML tag, comment or block in a clause body: its text and where it starts. */
export function rawHtmlIn(body: string): { html: string; index: number } | undefined {
  // placeholders become letters of the same length: offsets hold, and {{a}}<b> stays a tag
  const text = body.replace(/{{[\s\S]*?}}/g, (p) => p.replace(/[^\n]/g, "x"));
  const lineStarts = [0, ...[...text.matchAll(/\n/g)].map((m) => m.index + 1)];
  for (const token of reader.parse(text, {})) {
    const from = lineStarts[token.map?.[0] ?? 0] ?? 0;
    const html = token.type === "html_block" ? token.content : token.children?.find((c) => c.type === "html_inline")?.content;
    if (html) return { html: html.trim(), index: Math.max(0, text.indexOf(html.trim(), from)) };
  }
  return undefined;
}
