import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildProfile } from "../../src/build.js";
import { allFaces, facesCovering, facesUsed, MISSING_GLYPH } from "../../src/render/fonts.js";
import { root } from "../helpers.js";

/**
 * Every distinct character on its own, against every face's ranges: slow, plainly right. A character no
 * face has brings the faces of MISSING_GLYPH, which a PDF prints in its place.
 */
function reference(texts: string[]): number[] {
  const used = new Set<number>();
  const done = new Set<number>();
  const add = (point: number) => {
    const before = used.size;
    let found = false;
    allFaces().forEach((f, face) => f.ranges.some(([lo, hi]) => point >= lo && point <= hi) && (found = true) && used.add(face));
    return found || used.size > before;
  };
  let unprintable = false;
  for (const text of texts)
    for (const char of text) {
      const point = char.codePointAt(0)!;
      if (done.has(point)) continue;
      done.add(point);
      if (!add(point)) unprintable = true;
    }
  if (unprintable) add(MISSING_GLYPH.codePointAt(0)!);
  return [...used].sort((a, b) => a - b);
}

describe("the font subsets a page needs", () => {
  it("are those of its characters, for the example's pages and the source examples'", async () => {
    for (const example of ["acme", "sources/creality", "sources/zego"]) {
      const built = await buildProfile(join(root, "examples", example, "profile.yaml"), { formats: ["html"] });
      const pages = built.files.filter((f) => f.format === "html").map((f) => f.content);
      expect(facesUsed(pages), example).toEqual(reference(pages));
    }
  });

  it("are those of its characters, whatever they are", () => {
    const texts = [
      "", "plain ASCII only <p>", "\u0000\u0007\t\n", "Ünïcödé Latin-1 and Ωmega", "中文，全角标点。", "ＡＢＣ１２３", "𠀀𠀁 CJK extension B", "emoji 😀 and ✓",
      "한국어 and カタカナ", "🌀", "🇩🇪 a flag", "\ud800 a lone high surrogate, then \udc00 a lone low one", "\ud800中", "mixed 中 a 文 b \u3000 ideographic space",
    ];
    for (const text of texts) expect(facesUsed([text]), JSON.stringify(text)).toEqual(reference([text]));
    expect(facesUsed(texts)).toEqual(reference(texts));
    // ASCII characters fall in a dozen different groups of faces ($, %, ^, ` each in its own subset)
    for (let code = 0; code < 0x80; code++) {
      const text = `中${String.fromCharCode(code)}文`;
      expect(facesUsed([text]), JSON.stringify(text)).toEqual(reference([text]));
    }
    expect(facesUsed(["$%^`~+@N_|", "a=b"])).toEqual(reference(["$%^`~+@N_|", "a=b"]));
  });
});

describe("the faces covering a character", () => {
  it("are, for every character of the Basic Multilingual Plane, the faces with a range holding it", () => {
    const covering: number[][] = Array.from({ length: 0x10000 }, () => []);
    allFaces().forEach((f, face) => {
      for (const [lo, hi] of f.ranges) for (let code = lo; code <= Math.min(hi, 0xffff); code++) if (!covering[code]!.includes(face)) covering[code]!.push(face);
    });
    const wrong: string[] = [];
    for (let code = 0; code < 0x10000; code++) {
      const expected = code >= 0xd800 && code <= 0xdfff ? [] : covering[code]!;
      const found = [...new Set(facesCovering(code))];
      if (found.join() !== expected.join()) wrong.push(`U+${code.toString(16)}: ${found.join()} instead of ${expected.join()}`);
    }
    expect(wrong.slice(0, 10)).toEqual([]);
  });

  it("are read from both weights' stylesheets, each subset with its own ranges", () => {
    const faces = allFaces();
    expect(new Set(faces.map((f) => f.weight))).toEqual(new Set([400, 700]));
    // U+4E00 (一) is in one subset per weight; U+0041 (A) too, and every range is well formed
    expect(faces.filter((f) => f.family === "Noto Sans SC" && f.ranges.some(([lo, hi]) => lo <= 0x4e00 && 0x4e00 <= hi)).map((f) => f.weight).sort()).toEqual([400, 700]);
    expect(faces.every((f) => f.ranges.length > 0 && f.ranges.every(([lo, hi]) => Number.isInteger(lo) && lo <= hi))).toBe(true);
  });
});
