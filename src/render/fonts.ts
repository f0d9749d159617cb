import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * Bundled Noto Sans SC (from @fontsource, TrueType outlines): Chromium embeds it as real CID fonts,
 * never Type 3, and every machine renders the same glyphs. Fontsource splits the font into ~100
 * unicode-range subsets per weight; a page loads only the subsets its characters fall in.
 *
 * Noto Sans SC draws curly quotes full width, as Chinese wants them: in English text “we” read with wide
 * gaps. English text takes its quotes from Noto Sans (Latin) instead, through a family of its own that
 * covers only the quotes (QUOTES_FAMILY, first in the font stack of :lang(en) in policy.css).
 */
export interface FontFace {
  family: string;
  weight: number;
  file: string;
  /** Absolute path of the woff2 file. */
  path: string;
  ranges: [number, number][];
}

const WEIGHTS = [400, 700];
export const QUOTES_FAMILY = "PolicyPress Latin Quotes";
/** ‘ ’ ‚ ‛ “ ” „ ‟ */
const QUOTES: [number, number][] = [[0x2018, 0x201f]];
let faces: FontFace[] | undefined;

function fontDir(pkg: string): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve(`${pkg}/package.json`));
}

export function allFaces(): FontFace[] {
  if (faces) return faces;
  const dir = fontDir("@fontsource/noto-sans-sc");
  const latin = fontDir("@fontsource/noto-sans");
  faces = [
    ...WEIGHTS.flatMap((weight) => parseFaces(readFileSync(join(dir, `${weight}.css`), "utf8"), dir, weight)),
    ...WEIGHTS.map((weight) => {
      const file = `noto-sans-latin-${weight}-normal.woff2`;
      return { family: QUOTES_FAMILY, weight, file, path: join(latin, "files", file), ranges: QUOTES };
    }),
  ];
  return faces;
}

function parseFaces(css: string, dir: string, weight: number): FontFace[] {
  const out: FontFace[] = [];
  for (const block of css.match(/@font-face\s*{[^}]*}/g) ?? []) {
    const file = /url\(\.\/files\/([^)]+\.woff2)\)/.exec(block)?.[1];
    const range = /unicode-range:\s*([^;]+);/.exec(block)?.[1];
    if (!file || !range) continue;
    out.push({ family: "Noto Sans SC", weight, file, path: join(dir, "files", file), ranges: rangesOf(range) });
  }
  return out;
}

/**
 * `U+4e00-4e3f,U+5000` as code ranges. Both weights split the font alike, so each list is read once and
 * shared (18,000 ranges in all; reading them twice took 20 ms of every render thread's start).
 */
function rangesOf(list: string): [number, number][] {
  let ranges = rangeLists.get(list);
  if (!ranges) {
    ranges = [...list.matchAll(/U\+([0-9a-f]+)(?:-([0-9a-f]+))?/gi)].map((m): [number, number] => [parseInt(m[1]!, 16), parseInt(m[2] ?? m[1]!, 16)]);
    rangeLists.set(list, ranges);
  }
  return ranges;
}
const rangeLists = new Map<string, [number, number][]>();

/**
 * The Basic Multilingual Plane in groups of characters covered by the same faces (ranges overlap a
 * little): `group[code]` is an index into `faces`. Surrogates have a group of their own.
 */
interface Coverage {
  group: Uint16Array;
  faces: number[][];
  /** The groups of the ASCII characters every page has (letters, markup), each with a pattern of its characters. */
  frequent: { group: number; pattern: RegExp }[];
  /** Runs of every other character. */
  rest: RegExp;
}
const FREQUENT = "a\n<>=";
let coverage: Coverage | undefined;
const SURROGATES = 0;

/**
 * The indexes (into `allFaces()`) of the faces that cover at least one character of `texts`, sorted:
 * the font files the pages need. Each character marks its group (about 0.3 ms for a profile's pages;
 * looking up each new character's faces took 1.4).
 */
export function facesUsed(texts: string[]): number[] {
  const all = allFaces();
  const { group, faces, frequent, rest } = (coverage ??= coverageOf(all));
  const seen = new Uint8Array(faces.length);
  for (const text of texts) {
    // a page is mostly letters and markup: whether a frequent group occurs is found at its first
    // character, and only the other characters are looked at one by one (twice as fast as all of them)
    for (const f of frequent) if (!seen[f.group] && f.pattern.test(text)) seen[f.group] = 1;
    rest.lastIndex = 0;
    for (let run = rest.exec(text); run; run = rest.exec(text))
      for (let i = run.index, end = rest.lastIndex; i < end; i++) seen[group[text.charCodeAt(i)]!] = 1;
  }
  const used = new Set<number>();
  seen.forEach((hit, g) => hit && g !== SURROGATES && faces[g]!.forEach((face) => used.add(face)));
  let unprintable = false;
  if (seen[SURROGATES]) for (const text of texts) unprintable = addUnlisted(text, group, all, used) || unprintable;
  // a PDF prints MISSING_GLYPH for a character no face has (src/pdf/print.ts): its face must be there too
  if (unprintable) for (const face of facesCovering(MISSING_GLYPH.codePointAt(0)!)) used.add(face);
  return [...used].sort((a, b) => a - b);
}

/** What a PDF prints for a character no bundled face has: □ (U+25A1), which Noto Sans SC draws. */
export const MISSING_GLYPH = "\u25a1";

/** The characters of `text` that no bundled face has (an emoji, a rare symbol): each once, in order. */
export function charactersWithoutGlyph(text: string): string[] {
  const all = allFaces();
  const { group, faces } = (coverage ??= coverageOf(all));
  const missing = new Set<string>();
  // code units, not characters: a profile's thousands of characters are looked at without a string each
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!isSurrogate(code) && faces[group[code]!]!.length > 0) continue;
    const point = text.codePointAt(i)!;
    const ch = String.fromCodePoint(point);
    if (point > 0xffff) i++;
    const covered = point > 0xffff && all.some((f) => f.ranges.some(([lo, hi]) => point >= lo && point <= hi));
    // control and format characters print nothing: no glyph is needed
    if (!covered && !/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(ch)) missing.add(ch);
  }
  return [...missing];
}

const isSurrogate = (code: number) => code >= 0xd800 && code <= 0xdfff;

/** The indexes (into `allFaces()`) of the faces that have a character, from the table for the BMP. */
export function facesCovering(point: number): readonly number[] {
  const all = allFaces();
  if (point <= 0xffff && !isSurrogate(point)) {
    const { group, faces } = (coverage ??= coverageOf(all));
    return faces[group[point]!]!;
  }
  return all.flatMap((f, face) => (f.ranges.some(([lo, hi]) => point >= lo && point <= hi) ? [face] : []));
}

function coverageOf(all: FontFace[]): Coverage {
  // group 0 (SURROGATES) has no face: the surrogates, and the characters no face has
  const faces: number[][] = [[]];
  const ids = new Map<string, number>([["", SURROGATES]]);
  const group = new Uint16Array(0x10000);
  // the faces covering a code change only where a range starts or ends: each stretch between two such
  // places is one group, filled at once (code by code, 65,536 lookups took 20 ms on every render thread)
  const changes = rangeChanges(all);
  const active: number[] = [];
  for (let i = 0, from = 0; from < 0x10000; ) {
    for (; i < changes.length && changes[i]! >>> 10 === from; i++) {
      const face = changes[i]! & 0x1ff;
      if (changes[i]! & 0x200) active.splice(sortedIndex(active, face), 0, face);
      else active.splice(active.indexOf(face), 1);
    }
    const to = i < changes.length ? changes[i]! >>> 10 : 0x10000;
    const key = active.join(",");
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = faces.push([...active]) - 1));
    group.fill(id, from, to);
    from = to;
  }
  // surrogates have a group of their own, with no face: a character outside the BMP is looked up apart
  group.fill(SURROGATES, 0xd800, 0xe000);
  const ascii = Array.from({ length: 0x80 }, (_, code) => code);
  const frequentGroups = [...new Set([...FREQUENT].map((c) => group[c.charCodeAt(0)]!))];
  const charClass = (codes: number[]) => codes.map((c) => `\\x${c.toString(16).padStart(2, "0")}`).join("");
  const frequent = frequentGroups.map((g) => ({ group: g, pattern: new RegExp(`[${charClass(ascii.filter((c) => group[c] === g))}]`) }));
  const others = ascii.filter((c) => !frequentGroups.includes(group[c]!));
  return { group, faces, frequent, rest: new RegExp(`[${charClass(others)}\\x80-\\uffff]+`, "g") };
}

/**
 * Where each face's ranges (within the BMP) start and end, in code order, each as one number: the code
 * (a range ends at the code after its last) << 10, 0x200 for a start, the face's index. At one code, ends
 * come before starts, so a face whose ranges touch stays active. (A typed array sorts 36,000 of these in
 * about a millisecond; objects with a comparison function took ten.)
 */
function rangeChanges(all: FontFace[]): Int32Array {
  if (all.length > 0x200) throw new RangeError(`${all.length} font faces: at most 512 are expected`);
  const changes: number[] = [];
  all.forEach((f, face) => {
    for (const [lo, hi] of f.ranges) if (lo <= 0xffff) changes.push((lo << 10) | 0x200 | face, ((Math.min(hi, 0xffff) + 1) << 10) | face);
  });
  return Int32Array.from(changes).sort();
}

function sortedIndex(list: number[], value: number): number {
  let i = 0;
  while (i < list.length && list[i]! < value) i++;
  return i;
}

/** Characters outside the Basic Multilingual Plane (rare: some CJK extension characters), and lone surrogates. */
/**
 * Adds the faces of the characters the table leaves to group 0: those outside the BMP (looked up here)
 * and those no face has. True when one of them has no face.
 */
function addUnlisted(text: string, group: Uint16Array, all: FontFace[], used: Set<number>): boolean {
  let uncovered = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (group[code] !== SURROGATES) continue;
    if (!isSurrogate(code)) {
      uncovered = true;
      continue;
    }
    // a high surrogate with a low one after it is one character; any other surrogate stands alone
    const point = text.codePointAt(i)!;
    let covered = false;
    all.forEach((f, face) => f.ranges.some(([lo, hi]) => point >= lo && point <= hi) && (covered = true) && used.add(face));
    uncovered ||= !covered;
    if (point > 0xffff) i++;
  }
  return uncovered;
}

/** @font-face rules pointing at `urlBase/<file>`. */
export function fontCss(selected: FontFace[], urlBase: string): string {
  return selected
    .map((f) => {
      const range = f.ranges.map(([a, b]) => (a === b ? `U+${a.toString(16)}` : `U+${a.toString(16)}-${b.toString(16)}`)).join(",");
      return `@font-face{font-family:"${f.family}";font-style:normal;font-display:block;font-weight:${f.weight};src:url(${urlBase}/${f.file}) format("woff2");unicode-range:${range};}`;
    })
    .join("\n");
}
