import { eastAsianWidthType } from "get-east-asian-width";
import MarkdownIt from "markdown-it";
import { cleanText, escapeMarkdown, ISOLATE_CLOSE, ISOLATE_OPEN, needsIsolate } from "./text.js";

/**
 * Profile values as slots, so that markdown-it parses a clause body once for every profile whose values
 * have the same shape, instead of once per profile.
 *
 * While a body is rendered, each profile value that markdown-it can only read as plain text is written
 * as a token, `a\uE000<n>\uE001a` or `中\uE000<n>\uE001中`. Its first and last characters stand for the
 * value's own: markdown-it (with the CJK-friendly emphasis rule) looks at a value's neighbours only to
 * decide whether a `*` beside it opens or closes emphasis, and that depends only on whether a character
 * is white space, punctuation or CJK. A value qualifies (`tokenClass`) when both its ends are neither
 * space, punctuation nor an ASCII digit (a line that starts with digits can start a list), and it has no
 * `|` (a line holding one can head a table); its inside is escaped for Markdown anyway, so it is text,
 * whatever it holds. Any other value is written as itself.
 *
 * The Markdown with tokens (the skeleton) is the same for every profile whose values fall in the same
 * classes; its HTML is rendered once, then each token is replaced by its value as markdown-it writes
 * text. A skeleton in which a token could be read otherwise than as text (a code span, an autolink, a
 * link's address, a reference definition) is rendered the ordinary way instead: `renderSkeleton` checks.
 */
export interface Skeleton {
  /** The body's Markdown, with tokens where the values go. */
  markdown: string;
  /** Token n's value as Markdown (escaped) and as HTML text. */
  values: { markdown: string; html: string }[];
}

const OPEN = "\uE000";
const CLOSE = "\uE001";
const TOKEN = /[a中]\uE000(\d+)\uE001[a中]/g;
const utils = new MarkdownIt().utils;

let recording: Skeleton | undefined;
const CLASH = new Error("a value holds a token character");

/**
 * Runs `render` (a Handlebars template) with values written as tokens; returns the skeleton. Should the
 * token characters appear in a value or in the clause text itself, the body is rendered without tokens.
 */
export function recordSkeleton(render: () => string): Skeleton {
  const skeleton: Skeleton = { markdown: "", values: [] };
  recording = skeleton;
  try {
    skeleton.markdown = render().trim();
  } catch (e) {
    if (e !== CLASH) throw e;
  } finally {
    recording = undefined;
  }
  if (skeleton.values.length && skeleton.markdown.split(OPEN).length - 1 === skeleton.values.length) return skeleton;
  return { markdown: render().trim(), values: [] };
}

/** A profile value on its way into a clause body: its Markdown, or a token while a skeleton is recorded. */
export function valueMarkdown(raw: string): string {
  const value = valueForms(raw);
  if (!recording) return value.markdown;
  if (raw.includes(OPEN) || raw.includes(CLOSE)) throw CLASH;
  if (!value.ends) return value.markdown;
  const n = recording.values.push(value) - 1;
  return `${value.ends[0]}${OPEN}${n}${CLOSE}${value.ends[1]}`;
}

/** A value as Markdown and as HTML text, and the stand-ins for its ends when it can be a token. */
interface ValueForms {
  markdown: string;
  html: string;
  ends?: ["a" | "中", "a" | "中"];
}

/**
 * Each value's forms, made once: a profile's company name or e-mail is printed dozens of times, and
 * escaping it each time took 100 ms of a 200-profile build. Forgotten now and then, like the other memos.
 */
function valueForms(raw: string): ValueForms {
  let value = forms.get(raw);
  if (!value) {
    value = formsOf(raw);
    // a long value (up to 20,000 characters) is not kept: 5,000 of them would hold hundreds of megabytes
    if (raw.length <= 1_000) {
      if (forms.size > 5_000) forms.clear();
      forms.set(raw, value);
    }
  }
  return value;
}
const forms = new Map<string, ValueForms>();

function formsOf(raw: string): ValueForms {
  const text = cleanText(raw);
  const first = tokenClass(text.charCodeAt(0));
  const last = tokenClass(text.charCodeAt(text.length - 1));
  // a line with a `|`, even escaped, can be a table's header row: such a value is not plain
  const ends = first && last && !raw.includes("|") ? ([first, last] as ValueForms["ends"]) : undefined;
  if (!needsIsolate(text)) return { markdown: escapeMarkdown(raw), html: utils.escapeHtml(text), ends };
  // markdown-it sees the isolate's characters at the value's ends, which it reads as letters
  const isolated = (inner: string) => `${ISOLATE_OPEN}${inner}${ISOLATE_CLOSE}`;
  return { markdown: isolated(escapeMarkdown(raw)), html: isolated(utils.escapeHtml(text)), ends: ends && ["a", "a"] };
}

/** The body's Markdown, values in place. */
export function fillMarkdown(skeleton: Skeleton): string {
  return skeleton.values.length ? fillTokens(skeleton.markdown, skeleton.values, "markdown") : skeleton.markdown;
}

/** A text cut at its tokens: `parts[0]`, token `slots[0]`, `parts[1]`, ... */
interface Cut {
  parts: string[];
  slots: number[];
}
const cuts = new Map<string, Cut>();

/**
 * The text with each token replaced by its value. A skeleton's text is the same for many profiles: it is
 * cut at its tokens once, and filling the pieces took a quarter of the time of a replace() with a callback.
 */
function fillTokens(text: string, values: Skeleton["values"], as: "markdown" | "html"): string {
  let cut = cuts.get(text);
  if (!cut) {
    // forgotten now and then, like the other memos, so a long build's memory does not grow with them
    if (cuts.size > 6_000) cuts.clear();
    cuts.set(text, (cut = cutAtTokens(text)));
  }
  let out = cut.parts[0]!;
  for (let i = 0; i < cut.slots.length; i++) out += values[cut.slots[i]!]![as] + cut.parts[i + 1]!;
  return out;
}

function cutAtTokens(text: string): Cut {
  const cut: Cut = { parts: [], slots: [] };
  let from = 0;
  for (const token of text.matchAll(TOKEN)) {
    cut.parts.push(text.slice(from, token.index));
    cut.slots.push(Number(token[1]));
    from = token.index + token[0].length;
  }
  cut.parts.push(text.slice(from));
  return cut;
}

/** "a" or "中": the stand-in for a character at a value's end; undefined when the value cannot be a token. */
function tokenClass(code: number): "a" | "中" | undefined {
  if (Number.isNaN(code)) return undefined;
  // every value asks twice: each character is classified once per process
  classes[code] ||= classify(code);
  return CLASSES[classes[code]!];
}
const CLASSES = [undefined, undefined, "a", "中"] as const;
const classes = new Uint8Array(0x10000);

function classify(code: number): 1 | 2 | 3 {
  if ((code >= 0xd800 && code <= 0xdfff) || (code >= 0xfe00 && code <= 0xfe0f) || (code >= 0x30 && code <= 0x39)) return 1;
  const char = String.fromCharCode(code);
  if (utils.isWhiteSpace(code) || /\s/.test(char) || utils.isMdAsciiPunct(code) || utils.isPunctChar(char)) return 1;
  const cjk = isCjk(code);
  return cjk === undefined ? 1 : cjk ? 3 : 2;
}

/** As markdown-it-cjk-friendly decides (undefined where it looks further: ambiguous width). */
function isCjk(code: number): boolean | undefined {
  if (code < 0x1100) return false;
  switch (eastAsianWidthType(code)) {
    case "fullwidth":
    case "halfwidth":
      return true;
    case "wide":
      return !/^\p{Emoji_Presentation}/u.test(String.fromCharCode(code));
    case "narrow":
      return false;
    case "ambiguous":
      return undefined;
    default:
      return /^\p{sc=Hangul}/u.test(String.fromCharCode(code));
  }
}

// Markdown constructs in which a token is not plain text: code (spans, fences, indented), autolinks and
// raw HTML (`<`), reference definitions. A skeleton with any of them is rendered with its values instead.
const UNSAFE = /[`~<]|\]:|^(?: {4}|\t)/m;

/**
 * The body's HTML from the skeleton's HTML (memoised by `render`), values in place; undefined when a token
 * is not plain text there: the body is then rendered with its values.
 */
export function skeletonHtml(skeleton: Skeleton, render: (markdown: string) => string | undefined): string | undefined {
  const html = render(skeleton.markdown);
  return html === undefined ? undefined : fillTokens(html, skeleton.values, "html");
}

/** The HTML of a skeleton's Markdown, tokens still in; undefined if a token could be read as other than text. */
export function renderSkeleton(markdown: string, render: (markdown: string) => string): string | undefined {
  if (UNSAFE.test(markdown)) return undefined;
  const html = render(markdown);
  const expected = [...markdown.matchAll(TOKEN)].map((m) => m[1]);
  const found = [...html.matchAll(TOKEN)].map((m) => m[1]);
  return found.length === expected.length && found.every((n, i) => n === expected[i]) ? html : undefined;
}
