// Control characters (but not tab) would corrupt Markdown, HTML and PDF text: they become spaces.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u2028\u2029]/g;
// Bidirectional embeddings, overrides and isolates (U+202A-202E, U+2066-2069) reorder the text after a
// value: a company name holding U+202E would print the clause around it backwards. They are dropped.
export const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/g;
// Everything markdown-it could read as syntax inside a line, plus HTML-significant characters.
const INLINE_SYNTAX = /[\\`*_[\]<>&|~#!{}$]/g;

// any character cleanText changes: most values have none, and one scan for them is a third of three
const UNCLEAN = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;

/** Control characters, tabs and line breaks become spaces, bidi controls go: what a value keeps as text, in any format. */
export function cleanText(raw: string): string {
  if (!UNCLEAN.test(raw)) return raw;
  return raw.replace(CONTROL, " ").replace(BIDI_CONTROL, "").replace(/[\t\n]+/g, " ");
}

/** Markdown text as it reads once printed: each backslash escape (`\*`, `\<`, `1\.`) is its character again. */
export const unescapeMarkdown = (markdown: string) => markdown.replace(/\\(.)/g, "$1");

/**
 * A profile value as Markdown text: it shows as typed and is never syntax. Each word (a run without
 * white space) that is a web or e-mail address a viewer can link as it stands (`isPlainAddress`) is
 * written without escapes, so that viewers which link bare addresses (GitHub, markdown-it with linkify)
 * link exactly it: a backslash in `privacy\_policy` cuts such a link short or shows in it. Any other
 * word is escaped, its `://` and `@` too, so that no viewer links a part of it (`https://x.example/a)b[c]`
 * would be linked as far as the `)`).
 */
export function escapeMarkdown(raw: string): string {
  const text = cleanText(raw);
  // only a word holding :// or @ can be an address, or be linked by a viewer: most values are escaped at once
  const words = /:\/\/|@/.test(text) ? text.split(/(\s+)/).map((word, i) => (i % 2 ? word : escapeWord(word))) : [text.replace(INLINE_SYNTAX, (c) => `\\${c}`)];
  return words
    .join("")
    // a value that starts a line must not start a list, heading, quote or thematic break
    .replace(/^([-+=])/, "\\$1")
    .replace(/^(\d+)([.)])/, "$1\\$2");
}

/** A word of a value: an address as it is (its closing punctuation, as in a list "A, B and C", apart), anything else escaped. */
function escapeWord(word: string): string {
  const [, address, after] = /^(.*?)([.,;:?]*)$/.exec(word)!;
  if (isPlainAddress(address!)) return `${address}${after}`;
  return word.replace(INLINE_SYNTAX, (c) => `\\${c}`).replace(/:(?=\/\/)|@/g, (c) => `\\${c}`);
}

// http(s)://host[:port][/path?query#fragment]: letters and digits of any script, and of the other
// characters of a URL only those Markdown never reads as syntax inside a word (no * ~ $ [ ] { } | \ ` < > ")
const WEB_ADDRESS = /^https?:\/\/[\p{L}\p{N}\p{M}.-]+(?::\d+)?(?:[/?#][\p{L}\p{N}\p{M}\-._:/?#@!&'()+,;=%]*)?$/u;
// what GitHub and linkify-it link as an e-mail address
const EMAIL_ADDRESS = /^[A-Za-z0-9][A-Za-z0-9._+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$/;

/**
 * A web (http, https) or e-mail address that needs no escape: nothing in it is Markdown syntax wherever
 * it stands, and a viewer that links bare addresses links all of it and no more. So an `_` only between
 * two ASCII letters or digits (there it cannot open or close emphasis), no `&` that reads as a character
 * reference (`&amp;`), balanced parentheses (a link's address may hold only those), and an end that
 * linkify keeps (not `.`, `!`, `?`...: those it leaves out of the link); not `1.` first (a list item).
 */
export function isPlainAddress(word: string): boolean {
  if (!WEB_ADDRESS.test(word) && !EMAIL_ADDRESS.test(word)) return false;
  if (/(?:^|[^A-Za-z0-9])_|_(?:$|[^A-Za-z0-9])/.test(word) || /&(?:#\d+|#x[\da-f]+|[a-z][a-z\d]*);/i.test(word) || /^\d+[.)]/.test(word)) return false;
  if (!/[\p{L}\p{N}/)]$/u.test(word)) return false;
  let depth = 0;
  for (const c of word) if ((depth += c === "(" ? 1 : c === ")" ? -1 : 0) < 0) return false;
  return depth === 0;
}

/** For text that never starts a line (after `## `, inside a table cell). */
export function escapeInline(raw: string): string {
  return cleanText(raw).replace(INLINE_SYNTAX, (c) => `\\${c}`);
}

/**
 * Letters written right to left: Hebrew, Arabic, Syriac, Thaana, NKo and their neighbours, the Hebrew and
 * Arabic presentation forms, and the right-to-left scripts beyond U+FFFF (surrogates D802-D803, D83A-D83B).
 */
const RIGHT_TO_LEFT = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFE]|[\uD802\uD803\uD83A\uD83B][\uDC00-\uDFFF]/;
/** FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: what a value that needs isolating is wrapped in. */
export const ISOLATE_OPEN = "\u2068";
export const ISOLATE_CLOSE = "\u2069";

/**
 * Whether a value (cleaned) is wrapped in a bidi isolate: an Arabic or Hebrew company name in an English
 * or Chinese sentence would otherwise take the punctuation and numbers around it into its own direction
 * ("Aurora (אופק 2.0) Ltd." printed with the parentheses and the number moved). Only values with
 * right-to-left letters are, so every other text stays as it was; and no value holding a web or e-mail
 * address, because the isolate's characters would become part of a link address.
 */
export const needsIsolate = (text: string) => RIGHT_TO_LEFT.test(text) && !/:\/\/|@/.test(text);

/**
 * HTML text with the isolates of its values as `<bdi>` elements: the page then says in its markup what
 * the characters say (a browser treats both alike), and copied text holds no invisible characters. In
 * attribute values (a link's title) the characters are dropped.
 */
export function isolatesAsBdi(html: string): string {
  if (!html.includes(ISOLATE_OPEN)) return html;
  return html.replace(/<[^>]*>|[\u2068\u2069]/g, (m) => (m === ISOLATE_OPEN ? "<bdi>" : m === ISOLATE_CLOSE ? "</bdi>" : m.replace(/[\u2068\u2069]/g, "")));
}

// A word this long in a table cell (an address, a code, a 300-letter name) gets break opportunities.
const LONG_WORD = 30;
const WORD_PIECE = 15;
// a run of 30 characters that are neither white space nor CJK (CJK text breaks between any characters)
const LONG_RUN = /[^\s\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303F\uFF00-\uFFEF]{30,}/u;
const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

/**
 * Table cells with `<wbr>` in every long word, one each 15 characters. A cell's English text wraps only
 * at spaces (breaking words anywhere would cut "Registration" on a phone), so a table is as wide as its
 * longest word: one 300-letter value made a 4,000-pixel table whose other columns a reader scrolled to
 * find. Only text is touched (never a tag, a character reference or a grapheme), and only in cells.
 */
export function breakLongWordsInCells(html: string): string {
  if (!html.includes("<td") && !html.includes("<th")) return html;
  return html.replace(/(<t[dh]\b[^>]*>)([\s\S]*?)(<\/t[dh]>)/g, (_, open: string, inner: string, close: string) => {
    if (!LONG_RUN.test(inner)) return open + inner + close;
    return open + inner.split(/(<[^>]*>)/).map((part, i) => (i % 2 ? part : breakLongWords(part))).join("") + close;
  });
}

function breakLongWords(text: string): string {
  if (!LONG_RUN.test(text)) return text;
  return text.replace(new RegExp(LONG_RUN.source, "gu"), (run) => {
    // character references (&amp;) are one unit, the rest grapheme by grapheme
    const units = run.split(/(&#?[a-z0-9]+;)/i).flatMap((piece, i) => (i % 2 ? [piece] : [...graphemes.segment(piece)].map((g) => g.segment)));
    if (units.length < LONG_WORD) return run;
    return units.map((unit, i) => (i > 0 && i % WORD_PIECE === 0 ? `<wbr>${unit}` : unit)).join("");
  });
}

/** Escaped HTML text of a value, in `<bdi>` when it needs an isolate (page chrome: names in title blocks). */
export const valueHtml = (raw: string) => {
  const text = cleanText(raw);
  return needsIsolate(text) ? `<bdi>${escapeHtml(text)}</bdi>` : escapeHtml(text);
};

/** Text for HTML content and attribute values: every character that could start markup or end a quote. */
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
