import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * Bundled Noto Sans SC (from @fontsource, TrueType outlines): Chromium embeds it as real CID fonts,
 * never Type 3, and every machine renders the same glyphs. Fontsource splits the font into ~100
 * unicode-range subsets per weight; a policy needs only the subsets its characters fall in.
 */
export interface FontFace {
  weight: number;
  file: string;
  /** Absolute path of the woff2 file. */
  path: string;
  ranges: [number, number][];
  css: string;
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
    out.push({ weight, file, path: join(dir, "files", file), ranges, css: "" });
  }
  return out;
}

/** Every code point the bundled faces cover -> those faces (ranges overlap a little, so a list). */
let coverage: Map<number, number[]> | undefined;

/** The faces whose ranges cover at least one character of `text`, in a stable order. */
export function facesFor(text: string): FontFace[] {
  const all = allFaces();
  if (!coverage) {
    coverage = new Map();
    all.forEach((f, face) => {
      for (const [lo, hi] of f.ranges)
        for (let code = lo; code <= hi; code++) {
          const list = coverage!.get(code);
          if (list) list.push(face);
          else coverage!.set(code, [face]);
        }
    });
  }
  const used = new Set<number>();
  const seen = new Set<number>();
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (seen.has(code)) continue;
    seen.add(code);
    for (const face of coverage.get(code) ?? []) used.add(face);
  }
  return all.filter((_, i) => used.has(i));
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
