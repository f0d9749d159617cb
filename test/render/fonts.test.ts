import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildProfile } from "../../src/build.js";
import { allFaces, facesUsed } from "../../src/render/fonts.js";
import { root } from "../helpers.js";

/** Every distinct character on its own, against every face's ranges: slow, plainly right. */
function reference(texts: string[]): number[] {
  const used = new Set<number>();
  const done = new Set<number>();
  for (const text of texts)
    for (const char of text) {
      const point = char.codePointAt(0)!;
      if (done.has(point)) continue;
      done.add(point);
      allFaces().forEach((f, face) => f.ranges.some(([lo, hi]) => point >= lo && point <= hi) && used.add(face));
    }
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
