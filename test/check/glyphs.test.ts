import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { glyphProblems } from "../../src/check/glyphs.js";
import { parseProfile } from "../../src/load/profile.js";
import { root } from "../helpers.js";

describe("characters the bundled fonts do not have", () => {
  const acme = readFileSync(join(root, "examples", "acme", "profile.yaml"), "utf8");

  it("are named with the field and line that hold them (a PDF prints □ for an emoji)", () => {
    const text = acme.replace("  shortName: { zh-CN: 极光数联, en: Aurora Datalink }", '  shortName: { zh-CN: 极光数联, en: "Aurora 🎉 Datalink\\u200b" }');
    const problems = glyphProblems(parseProfile(text, "profile.yaml"));
    expect(problems.map((p) => `${p.line} ${p.code} [${p.field}] ${p.message}`)).toEqual([
      '6 NO_GLYPH [company.shortName.en] "🎉" (U+1F389) is in none of the bundled fonts: PDFs print □ in its place',
    ]);
  });

  it("are none in the examples, Chinese, English and rare Han characters alike", () => {
    expect(glyphProblems(parseProfile(acme, "profile.yaml"))).toEqual([]);
    expect(glyphProblems(parseProfile(acme.replace("极光数联", "犇骉龘"), "profile.yaml"))).toEqual([]);
  });
});
