import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { releaseVersion } from "../../src/versions/release.js";
import { contentOf, hashContent, type Snapshot } from "../../src/versions/snapshot.js";
import { cli, fixtures, tempDir } from "../helpers.js";

/**
 * A snapshot.json forged with its hash recomputed passes the tamper check, so what it holds must be
 * checked for what it is: each forgery below crashed check, build and diff with an internal error
 * (exit 70, "Cannot read properties of undefined", "t.split is not a function") before the whole file
 * was checked against the snapshot schema on read. Each is refused as VERSION_TAMPERED, naming the
 * file and the field, exit 1.
 */
describe("a snapshot forged with a recomputed hash", async () => {
  const dir = tempDir();
  cpSync(join(fixtures, "golden"), dir, { recursive: true, filter: (p) => !p.includes("expected") });
  const profile = join(dir, "profile.yaml");
  await releaseVersion({ profile, date: "2026-11-15", effective: "2026-12-01" });
  const file = join(dir, "versions", "1.0.0", "snapshot.json");
  const original = readFileSync(file, "utf8");

  /** Writes the snapshot as `forge` changes it, sealed with a matching hash, and runs `args` on it. */
  const forged = (forge: (s: Record<string, any>) => void, args: string[]) => {
    const s = JSON.parse(original);
    forge(s);
    s.hash = hashContent(contentOf(s as Snapshot));
    writeFileSync(file, JSON.stringify(s));
    try {
      const r = cli([...args]);
      return { code: r.code, said: r.stderr.split("\n").find((l) => l.includes("1.0.0/snapshot.json"))?.split("error ")[1] };
    } finally {
      writeFileSync(file, original);
    }
  };
  const what = "the snapshot.json of version 1.0.0 is not one `policypress release` writes";

  const cases: [string, (s: Record<string, any>) => void, string][] = [
    ["sections of the wrong kind", (s) => (s.documents.en.sections = 5), "[documents.en.sections]: %: documents.en.sections must be a list, not number 5"],
    ["a clause text that is a number", (s) => (s.documents.en.sections[0].clauses[0].markdown = 5), "[documents.en.sections[0].clauses[0].markdown]: %: documents.en.sections[0].clauses[0].markdown must be a text, not number 5"],
    ["a section without its clauses", (s) => delete s.documents["zh-CN"].sections[0].clauses, "[documents.zh-CN.sections[0].clauses]: %: documents.zh-CN.sections[0].clauses is missing"],
    ["one locale with fewer sections", (s) => (s.documents.en.sections = []), "[documents.en.sections]: %: documents.en.sections do not have the same sections and clauses, in the same order, as the zh-CN ones"],
    ["a title that is null", (s) => (s.documents.en.title = null), "[documents.en.title]: %: documents.en.title must be a text, not empty"],
    ["an empty profile", (s) => (s.profile = {}), "[profile.company]: %: profile.company is missing (and 4 more fields)"],
    ["a negative retention", (s) => (s.profile.retention.afterClosureDays = -5), "[profile.retention.afterClosureDays]: %: profile.retention.afterClosureDays must be at least 1 day"],
    ["a release date that is no date", (s) => (s.released = "soon"), "[released]: %: released must be a date written YYYY-MM-DD, e.g. 2026-12-01"],
    ["a document filed under the other locale", (s) => (s.documents.en.locale = "zh-CN"), "[documents.en.locale]: %: documents.en.locale must be en, the locale it is filed under"],
    ["an anchor that would break out of its attribute", (s) => (s.documents.en.sections[0].anchor = '"><script>'), "[documents.en.sections[0].anchor]: %: documents.en.sections[0].anchor must be lowercase letters, digits and dashes"],
    ["a prototype key", (s) => Object.defineProperty(s.documents.en, "__proto__", { value: { x: 1 }, enumerable: true }), '[documents.en]: %: documents.en has an unknown field "__proto__"'],
    ["thousands of clauses", (s) => (s.documents.en.sections[0].clauses = Array(1001).fill(s.documents.en.sections[0].clauses[0])), "[documents.en.sections[0].clauses]: %: documents.en.sections[0].clauses holds more than 1000 clauses"],
  ];

  for (const [name, forge, message] of cases)
    it(`refuses ${name}, in check, build and diff alike`, () => {
      const expected = { code: 1, said: `VERSION_TAMPERED ${message.replace("%", what)}` };
      expect(forged(forge, ["check", profile])).toEqual(expected);
      expect(forged(forge, ["build", profile, "--out", join(dir, "out"), "--formats", "md,html", "-q"])).toEqual(expected);
      expect(forged(forge, ["diff", profile])).toEqual(expected);
    });

  it("checks a copy the file lists under a prototype key, like any other", () => {
    const s = JSON.parse(original.replace('"files": {', '"files": {"__proto__": "0000000000000000000000000000000000000000000000000000000000000000",'));
    s.hash = hashContent(contentOf(s as Snapshot));
    writeFileSync(file, JSON.stringify(s));
    try {
      const r = cli(["check", profile]);
      expect(r.stderr).toContain("versions/1.0.0/__proto__  error VERSION_TAMPERED: __proto__ of version 1.0.0 is missing");
    } finally {
      writeFileSync(file, original);
    }
  });

  it("says that another version of PolicyPress may have written a snapshot whose hash holds", () => {
    const s = JSON.parse(original);
    s.documents.en.title = null;
    s.hash = hashContent(contentOf(s as Snapshot));
    writeFileSync(file, JSON.stringify(s));
    try {
      expect(cli(["check", profile]).stderr).toContain("If nobody edited it, another version of PolicyPress wrote it: build with the one that released it.");
    } finally {
      writeFileSync(file, original);
    }
  });

  it("takes the snapshot as released", () => {
    expect(cli(["check", profile, "--json"]).stdout).not.toContain("VERSION_");
  });
});
