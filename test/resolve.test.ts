import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PolicyError } from "../src/errors.js";
import { loadLibrary } from "../src/load/library.js";
import { parseProfile } from "../src/load/profile.js";
import { conditionHolds, resolvePolicy } from "../src/resolve.js";
import { fixtures, tempDir } from "./helpers.js";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";

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

  const problemsOf = async (extra: string) => {
    const lib = await loadLibrary();
    try {
      resolvePolicy(profile(extra), lib);
    } catch (e) {
      return (e as PolicyError).problems.map((p) => `${p.line} ${p.code} ${p.field}: ${p.message} (${p.hint})`);
    }
    return [];
  };

  it("refuses an addition after a clause the section does not have (it would land at the section's end)", async () => {
    expect(await problemsOf("clauses:\n  add: [{ clause: cookies.etag, section: collection, after: no.such }]\n")).toEqual([
      '17 UNKNOWN_CLAUSE clauses.add[0].after: section "collection" of clause set "startup-default" has no clause "no.such" to add after (Its clauses: collection.principles:necessary-refusable, collection.methods:submitted-and-generated, collection.list, collection.sensitive:necessity-separate-consent, use.purposes:developer-service, use.statistics:non-identifying-reports, sdks.list.)',
    ]);
  });

  it("refuses a clause printed twice: added although the set has it, or added twice", async () => {
    expect(await problemsOf("clauses:\n  add:\n    - { clause: collection.list, section: collection }\n    - { clause: cookies.etag, section: cookies }\n    - { clause: cookies.etag, section: rights }\n")).toEqual([
      '18 DUPLICATE_IN_POLICY clauses.add[0]: collection.list:default would be printed twice, in section "collection" (The clause set "startup-default" already has it in section "collection": leave out this clauses.add entry.)',
      '20 DUPLICATE_IN_POLICY clauses.add[2]: cookies.etag:browser-cache would be printed twice, in sections "cookies" and "rights" (clauses.add[1] adds it already: leave out this clauses.add entry.)',
    ]);
  });

  it("points a clause set that lists a clause twice at the second entry's line", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "sets"));
    writeFileSync(join(dir, "sets", "twice.yaml"), "id: twice\ntitle: { zh-CN: 两次, en: Twice }\nsections:\n  - id: intro\n    heading: false\n    clauses:\n      - intro.welcome:website-operator\n      - contact.channels:online-channels\n  - id: contact\n    clauses:\n      - { clause: contact.channels:online-channels, when: { features.cookies: true } }\n");
    const lib = await loadLibrary({ own: [dir] });
    const error = (() => {
      try {
        resolvePolicy(profile("clauseSet: twice\n"), lib);
      } catch (e) {
        return e as PolicyError;
      }
    })();
    expect(error?.problems.map((p) => `${p.line} ${p.code} ${p.field}: ${p.message} (${p.hint})`)).toEqual([
      '11 DUPLICATE_IN_POLICY sections[1].clauses[0]: contact.channels:online-channels would be printed twice, in sections "intro" and "contact" (List it once in the clause set "twice", or give the two entries conditions that never hold together.)',
    ]);
  });

  it("notes the removals and variants that name no clause of the set, and removes every variant by a bare id", async () => {
    const lib = await loadLibrary();
    const resolved = resolvePolicy(profile("clauses:\n  remove: [cookies.etag, rights.withdraw-consent, collection.list:with-role]\n  variants: { intro.acceptance: continued-use }\n"), lib);
    expect(resolved.unusedOverrides).toEqual([
      { path: ["clauses", "remove", 0], ref: "cookies.etag" },
      { path: ["clauses", "remove", 2], ref: "collection.list:with-role" },
      { path: ["clauses", "variants", "intro.acceptance"], ref: "intro.acceptance:continued-use" },
    ]);
    expect(resolved.sections.flatMap((s) => s.clauses.map((c) => c.id))).not.toContain("rights.withdraw-consent");
  });
});
