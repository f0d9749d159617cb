import { readFileSync } from "node:fs";
import { inflateSync } from "node:zlib";
import { allFaces, facesCovering, type FontFace } from "./fonts.js";

/**
 * How wide a line of text prints in the bundled Noto Sans SC (regular), in em, from the fonts' own
 * advance widths. The PDF's running header is a CSS page-margin box, and Chromium neither clips nor
 * ellipsizes a margin box (`overflow`, `text-overflow` do nothing there): text that must stay on the page
 * has to be cut to fit before it is printed, and only the font can tell how much fits.
 *
 * Fontsource ships each subset as WOFF 1 too (each table zlib-compressed on its own): the metrics are read
 * from those, since WOFF 2 would need Brotli and its glyph transforms.
 */

/** A character no bundled face has is drawn by some other font: count it wide, so a cut errs short. */
const UNKNOWN_EM = 1.5;

/** The width of `text` in em, one character after another (no kerning, which only narrows a line). */
export function widthEm(text: string): number {
  let em = 0;
  for (const ch of text) em += advanceEm(ch.codePointAt(0)!);
  return em;
}

/**
 * `text` cut at a whole character (a grapheme: a letter with its accents, an emoji with its modifiers)
 * and ended with "…", at most `maxEm` wide; `text` itself when it fits.
 */
export function truncateToWidth(text: string, maxEm: number): string {
  if (widthEm(text) <= maxEm) return text;
  const room = maxEm - widthEm(ELLIPSIS);
  let kept = "";
  let em = 0;
  for (const { segment } of graphemes.segment(text)) {
    const w = widthEm(segment);
    if (em + w > room) break;
    kept += segment;
    em += w;
  }
  return kept.trimEnd() + ELLIPSIS;
}

const ELLIPSIS = "…";
const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

// finding a character's face searches a hundred faces' ranges: each character is looked up once
const advanceCache = new Map<number, number>();

function advanceEm(point: number): number {
  let em = advanceCache.get(point);
  if (em === undefined) {
    const face = regularFaceOf(point);
    // a combining mark sits on its letter and takes no room of its own: counted at its font's width when
    // Noto Sans SC lacks it (U+0308, U+0323), "Mu\u0308ller" was wider than "Müller", and a name
    // with a few dozen marks was cut to "…" alone
    em = isInvisible(point) ? 0 : face ? (metricsOf(face).advance.get(point) ?? UNKNOWN_EM) : UNKNOWN_EM;
    advanceCache.set(point, em);
  }
  return em;
}

const isInvisible = (point: number) => /[\p{Cc}\p{Cf}\p{Mn}]/u.test(String.fromCodePoint(point));

function regularFaceOf(point: number): FontFace | undefined {
  const all = allFaces();
  // the coverage table of fonts.ts: searching a hundred faces' ranges for each character took 40 ms a thread
  return facesCovering(point).map((i) => all[i]!).find((f) => f.family === "Noto Sans SC" && f.weight === 400);
}

interface Metrics {
  /** Advance width in em of each character the file maps. */
  advance: Map<number, number>;
}
const metricsCache = new Map<string, Metrics>();

function metricsOf(face: FontFace): Metrics {
  let metrics = metricsCache.get(face.path);
  if (!metrics) metricsCache.set(face.path, (metrics = readMetrics(face.path.replace(/\.woff2$/, ".woff"))));
  return metrics;
}

function readMetrics(woffPath: string): Metrics {
  const tables = woffTables(readFileSync(woffPath));
  const head = tables.get("head")!;
  const hhea = tables.get("hhea")!;
  const hmtx = tables.get("hmtx")!;
  const unitsPerEm = head.readUInt16BE(18);
  const longMetrics = hhea.readUInt16BE(34);
  // glyphs past the last long metric share its advance (monospaced runs are stored once)
  const advanceOf = (glyph: number) => hmtx.readUInt16BE(4 * Math.min(glyph, longMetrics - 1));
  const advance = new Map<number, number>();
  for (const [point, glyph] of characterMap(tables.get("cmap")!)) if (glyph) advance.set(point, advanceOf(glyph) / unitsPerEm);
  return { advance };
}

/** The tables of a WOFF 1 file, uncompressed. */
function woffTables(file: Buffer): Map<string, Buffer> {
  if (file.toString("latin1", 0, 4) !== "wOFF") throw new Error("not a WOFF file");
  const tables = new Map<string, Buffer>();
  for (let i = 0, count = file.readUInt16BE(12); i < count; i++) {
    const entry = 44 + i * 20;
    const offset = file.readUInt32BE(entry + 4);
    const stored = file.readUInt32BE(entry + 8);
    const length = file.readUInt32BE(entry + 12);
    const data = file.subarray(offset, offset + stored);
    tables.set(file.toString("latin1", entry, entry + 4), stored < length ? inflateSync(data) : data);
  }
  return tables;
}

/** Character -> glyph from the Unicode subtables of `cmap` (format 4: the BMP; format 12: all planes). */
function characterMap(cmap: Buffer): Map<number, number> {
  const map = new Map<number, number>();
  for (let i = 0, count = cmap.readUInt16BE(2); i < count; i++) {
    const platform = cmap.readUInt16BE(4 + i * 8);
    const encoding = cmap.readUInt16BE(6 + i * 8);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode) continue;
    const table = cmap.subarray(cmap.readUInt32BE(8 + i * 8));
    const format = table.readUInt16BE(0);
    if (format === 4) readFormat4(table, map);
    else if (format === 12) readFormat12(table, map);
  }
  return map;
}

function readFormat4(t: Buffer, map: Map<number, number>): void {
  const segments = t.readUInt16BE(6) / 2;
  const ends = 14;
  const starts = ends + 2 * segments + 2;
  const deltas = starts + 2 * segments;
  const rangeOffsets = deltas + 2 * segments;
  for (let s = 0; s < segments; s++) {
    const end = t.readUInt16BE(ends + 2 * s);
    const start = t.readUInt16BE(starts + 2 * s);
    const delta = t.readUInt16BE(deltas + 2 * s);
    const rangeOffset = t.readUInt16BE(rangeOffsets + 2 * s);
    for (let c = start; c <= end && c !== 0xffff; c++) {
      let glyph = (c + delta) & 0xffff;
      if (rangeOffset) {
        // the offset counts from the idRangeOffset entry itself into glyphIdArray
        const at = rangeOffsets + 2 * s + rangeOffset + 2 * (c - start);
        const raw = t.readUInt16BE(at);
        glyph = raw ? (raw + delta) & 0xffff : 0;
      }
      if (!map.has(c)) map.set(c, glyph);
    }
  }
}

function readFormat12(t: Buffer, map: Map<number, number>): void {
  for (let g = 0, groups = t.readUInt32BE(12); g < groups; g++) {
    const at = 16 + 12 * g;
    const start = t.readUInt32BE(at);
    const end = t.readUInt32BE(at + 4);
    const first = t.readUInt32BE(at + 8);
    for (let c = start; c <= end; c++) if (!map.has(c)) map.set(c, first + c - start);
  }
}
