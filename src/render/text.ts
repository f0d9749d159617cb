// Control characters (but not tab) would corrupt Markdown, HTML and PDF text: they become spaces.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u2028\u2029]/g;
// Bidirectional embeddings, overrides and isolates (U+202A-202E, U+2066-2069) reorder the text after a
// value: a company name holding U+202E would print the clause around it backwards. They are dropped.
export const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/g;
// Everything markdown-it could read as syntax inside a line, plus HTML-significant characters.
const INLINE_SYNTAX = /[\\`*_[\]<>&|~#!{}$]/g;

/** Control characters, tabs and line breaks become spaces, bidi controls go: what a value keeps as text, in any format. */
export function cleanText(raw: string): string {
  return raw.replace(CONTROL, " ").replace(BIDI_CONTROL, "").replace(/[\t\n]+/g, " ");
}

/** Markdown text as it reads once printed: each backslash escape (`\*`, `\<`, `1\.`) is its character again. */
export const unescapeMarkdown = (markdown: string) => markdown.replace(/\\(.)/g, "$1");

export function escapeMarkdown(raw: string): string {
  return escapeInline(raw)
    // a value that starts a line must not start a list, heading, quote or thematic break
    .replace(/^([-+=])/, "\\$1")
    .replace(/^(\d+)([.)])/, "$1\\$2");
}

/** For text that never starts a line (after `## `, inside a table cell). */
export function escapeInline(raw: string): string {
  return cleanText(raw).replace(INLINE_SYNTAX, (c) => `\\${c}`);
}

/** Text for HTML content and attribute values: every character that could start markup or end a quote. */
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
