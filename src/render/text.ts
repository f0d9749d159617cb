/**
 * A profile value on its way into a Markdown clause body. Handlebars calls `toHTML()` when it inserts a
 * value, so every placeholder is escaped for Markdown: a company called `**Evil** <script>` shows as typed
 * and never becomes emphasis, a link or HTML. `toString()` gives the raw value to helpers and conditions.
 */
export class MdText {
  constructor(readonly raw: string) {}
  toHTML(): string {
    return escapeMarkdown(this.raw);
  }
  toString(): string {
    return this.raw;
  }
}

// Control characters (but not tab) would corrupt Markdown, HTML and PDF text: they become spaces.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u2028\u2029]/g;
// Everything markdown-it could read as syntax inside a line, plus HTML-significant characters.
const INLINE_SYNTAX = /[\\`*_[\]<>&|~#!{}$]/g;

export function escapeMarkdown(raw: string): string {
  return escapeInline(raw)
    // a value that starts a line must not start a list, heading, quote or thematic break
    .replace(/^([-+=])/, "\\$1")
    .replace(/^(\d+)([.)])/, "$1\\$2");
}

/** For text that never starts a line (after `## `, inside a table cell). */
export function escapeInline(raw: string): string {
  return raw.replace(CONTROL, " ").replace(/[\t\n]+/g, " ").replace(INLINE_SYNTAX, (c) => `\\${c}`);
}

/** Text for HTML content and attribute values: every character that could start markup or end a quote. */
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const rawOf = (v: unknown): unknown => (v instanceof MdText ? v.raw : v);
