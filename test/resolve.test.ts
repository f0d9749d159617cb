import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PolicyError } from "../src/errors.js";
import { loadLibrary } from "../src/load/library.js";
import { parseProfile } from "../src/load/profile.js";
import { conditionHolds, resolvePolicy } from "../src/resolve.js";
import { fixtures } from "./helpers.js";
import { readFileSync } from "node:fs";

const minimal = readFileSync(join(fixtures, "profiles", "good-minimal.yaml"), "utf8");
const profile = (extra = "") => parseProfile(minimal + extra, "profile.yaml", join(fixtures, "profiles", "profile.yaml"));
const keys = (extra = "") => loadLibrary().then((lib) => resolvePolicy(profile(extra), lib).sections.flatMap((s) => s.clauses.map((c) => c.key)));

describe("conditions", () => {
  const p = { a: { flag: true, off: false, list: [], items: [1], text: "x", n: 3 } };
  it("reads true as set and not empty, false as unset or empty, else equality", () => {
    expect(conditionHolds({ "a.flag": true, "a.items": true, "a.text": true }, p)).toBe(true);
    expect(conditionHolds({ "a.off": false, "a.list": false, "a.missing": false }, p)).toBe(true);
    expect(conditionHolds({ "a.list": true }, p)).toBe(false);
    expect(conditionHolds({ "a.n": 3, "a.text": ["y", "x"] }, p)).toBe(true);
    expect(conditionHolds({ "a.n": 4 }, p)).toBe(false);
  });
});

describe("resolving a clause set for a profile", () => {
  it("leaves out clauses whose conditions fail, and says why", async () => {
    const lib = await loadLibrary();
    const resolved = resolvePolicy(profile(), lib);
    const sdk = resolved.decisions.find((d) => d.clause === "sdks.list:default");
    expect(sdk).toMatchObject({ included: false });
    expect(sdk!.reason).toMatch(/sdks is not set|sdks is set/);
  });

  it("applies the profile's remove, add and variants", async () => {
    const before = await keys();
    expect(before).toContain("collection.list:default");
    const after = await keys(`clauses:
  remove: [collection.list]
  add: [{ clause: "collection.list:with-role", section: collection }]
`);
    expect(after).not.toContain("collection.list:default");
    expect(after).not.toContain("collection.list:with-role"); // removed by id: every variant goes
    const swapped = await keys("clauses:\n  variants: { collection.list: with-role }\n");
    expect(swapped).toContain("collection.list:with-role");
    expect(swapped).not.toContain("collection.list:default");
  });

  it("reports unknown clauses, variants, sections and sets with the profile's line", async () => {
    const lib = await loadLibrary();
    const bad = profile(`clauses:
  remove: [no.such.clause]
  variants: { collection.list: nope }
  add: [{ clause: collection.list, section: nowhere }]
`);
    const error = (() => { try { resolvePolicy(bad, lib); } catch (e) { return e as PolicyError; } })()!;
    expect(error.problems.map((p) => `${p.line} ${p.code} ${p.message}`)).toEqual([
      '17 UNKNOWN_CLAUSE unknown clause "no.such.clause"',
      '18 UNKNOWN_CLAUSE clause "collection.list" has no variant "nope"',
      '19 UNKNOWN_SECTION clause set "startup-default" has no section "nowhere"',
    ]);
    expect(() => resolvePolicy(profile("clauseSet: nope\n"), lib)).toThrow(/unknown clause set "nope"/);
  });
});
