import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * Bundled Noto Sans SC (from @fontsource, TrueType outlines): Chromium embeds it as real CID fonts,
 * never Type 3, and every machine renders the same glyphs. Fontsource splits the font into ~100
 * unicode-range subsets per weight; a page loads only the subsets its characters fall in.
 */
export interface FontFace {
  weight: number;
  file: string;
  /** Absolute path of the woff2 file. */
  path: string;
  ranges: [number, number][];
}

const WEIGHTS = [400, 700];
let faces: FontFace[] | undefined;

function fontDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve("@fontsource/noto-sans-sc/package.json"));
}

export function allFaces(): FontFace[] {
  if (faces) return faces;
  const dir = fontDir();
  faces = WEIGHTS.flatMap((weight) => parseFaces(readFileSync(join(dir, `${weight}.css`), "utf8"), dir, weight));
  return faces;
}

function parseFaces(css: string, dir: string, weight: number): FontFace[] {
  const out: FontFace[] = [];
  for (const block of css.match(/@font-face\s*{[^}]*}/g) ?? []) {
    const file = /url\(\.\/files\/([^)]+\.woff2)\)/.exec(block)?.[1];
    const range = /unicode-range:\s*([^;]+);/.exec(block)?.[1];
    if (!file || !range) continue;
    const ranges = range.split(",").map((r): [number, number] => {
      const [a, b] = r.trim().replace(/^U\+/i, "").split("-");
      return [parseInt(a!, 16), parseInt(b ?? a!, 16)];
    });
    out.push({ weight, file, path: join(dir, "files", file), ranges });
  }
  return out;
}

/** For each code point of the Basic Multilingual Plane, the faces covering it (ranges overlap a little). */
let coverage: number[][] | undefined;

/**
 * The indexes (into `allFaces()`) of the faces that cover at least one character of `texts`, sorted:
 * the font files the pages need. About 1 ms for a profile's pages.
 */
export function facesUsed(texts: string[]): number[] {
  const all = allFaces();
  if (!coverage) {
    coverage = Array.from({ length: 0x10000 }, () => [] as number[]);
    all.forEach((f, face) => {
      for (const [lo, hi] of f.ranges) for (let code = lo; code <= Math.min(hi, 0xffff); code++) coverage![code]!.push(face);
    });
  }
  const seen = new Uint8Array(0x10000);
  const used = new Set<number>();
  for (const text of texts)
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0xd800 && code <= 0xdbff) {
        // outside the BMP (rare: some CJK extension characters): the faces' ranges are searched
        const point = text.codePointAt(i)!;
        all.forEach((f, face) => f.ranges.some(([lo, hi]) => point >= lo && point <= hi) && used.add(face));
        // a high surrogate with no low one after it stands alone: the next character is read for itself
        if (point > 0xffff) i++;
        continue;
      }
      if (seen[code]) continue;
      seen[code] = 1;
      for (const face of coverage[code]!) used.add(face);
    }
  return [...used].sort((a, b) => a - b);
}

/** @font-face rules pointing at `urlBase/<file>`. */
export function fontCss(selected: FontFace[], urlBase: string): string {
  return selected
    .map((f) => {
      const range = f.ranges.map(([a, b]) => (a === b ? `U+${a.toString(16)}` : `U+${a.toString(16)}-${b.toString(16)}`)).join(",");
      return `@font-face{font-family:"Noto Sans SC";font-style:normal;font-display:block;font-weight:${f.weight};src:url(${urlBase}/${f.file}) format("woff2");unicode-range:${range};}`;
    })
    .join("\n");
}
