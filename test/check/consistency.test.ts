import { describe, expect, it } from "vitest";
import { DECLARATIONS, rules } from "../../src/check/consistency.js";
import { runCase } from "./fixture.js";

describe("consistency rules", () => {
  it("run in this order", () => {
    expect(rules.map((r) => r.name)).toEqual(["declarations-covered", "no-contradictions", "placeholders-resolved", "locales-complete", "overrides-used"]);
  });

  it("cover every declaration the issue names", () => {
    expect(DECLARATIONS.map((d) => d.field)).toEqual([
      "features.cookies", "sdks", "storage.crossBorder", "children.directed", "features.faceData",
      "features.idNumbers", "features.bankCards", "features.preciseLocation", "features.marketing", "features.automatedDecisions",
    ]);
  });

  // Each rule: the cases where it passes and fails; the exact messages are in cases/<case>.expected.txt.
  const CASES: Record<string, { pass: string[]; fail: string[] }> = {
    "declarations-covered": {
      pass: ["pass-base", "children-directed-consistent"],
      fail: ["cookies-not-covered", "cookies-by-default-not-covered", "cookies-by-default-no-features", "app-no-sdk-list", "cross-border-no-list", "children-directed-no-clause", "face-data-not-mentioned", "sensitive-features-not-mentioned", "marketing-no-opt-out", "automated-decisions-no-clause"],
    },
    "no-contradictions": { pass: ["pass-base", "children-directed-consistent", "outside-china"], fail: ["children-directed", "representative-inside-china"] },
    "placeholders-resolved": { pass: ["pass-base"], fail: ["placeholder-left"] },
    "locales-complete": { pass: ["pass-base", "outside-china"], fail: ["chinese-only-value", "locale-gap"] },
  };
  for (const [rule, { pass, fail }] of Object.entries(CASES)) {
    for (const name of pass)
      it(`${rule} passes: ${name}`, async () => {
        const { report } = await runCase(name);
        expect(report.consistency.find((c) => c.rule === rule)!.problems).toEqual([]);
      });
    for (const name of fail)
      it(`${rule} fails, and only it: ${name}`, async () => {
        const { report } = await runCase(name);
        expect(report.consistency.filter((c) => c.problems.length).map((c) => c.rule)).toEqual([rule]);
      });
  }

  it("points at the profile line of the field in question", async () => {
    const { report, lines } = await runCase("children-directed");
    const p = report.problems.find((x) => x.code === "CONTRADICTION")!;
    expect(lines[p.line! - 1]).toContain("directed: true");
    const cookies = await runCase("cookies-not-covered");
    expect(cookies.lines[cookies.report.problems[0]!.line! - 1]).toContain("cookies: true");
  });

  it("for a default the profile does not write, points at the mapping around it, else at no line (not line 1)", async () => {
    const unwritten = await runCase("cookies-by-default-not-covered");
    const p = unwritten.report.problems.find((x) => x.code === "DECLARATION_NOT_COVERED")!;
    expect(unwritten.lines[p.line! - 1]).toBe("features:");
    const none = await runCase("cookies-by-default-no-features");
    expect(none.report.problems.find((x) => x.code === "DECLARATION_NOT_COVERED")!.line).toBeUndefined();
  });

  it("finds a draft's fill-in markers in a profile value that a clause prints, in each language", async () => {
    const { report } = await runCase("placeholder-left");
    expect(report.problems.map((p) => p.message)).toEqual([
      `the zh-CN policy still contains "待填写", from the profile's contact.department.zh-CN`,
      `the en policy still contains "TODO", from the profile's contact.department.en`,
    ]);
  });
});
