// The benchmark's profile generator (bench/profiles.mjs): N valid profiles, unique slugs, deterministic.
// No timing here: the figures come from `npm run bench` (docs/performance.md).
import { readFileSync, rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { CLAUSE_SETS, generateProfiles } from "../../bench/profiles.mjs";
import { loadLibrary } from "../../src/load/library.js";
import { loadProfile, ownClauseDirs, type LoadedProfile } from "../../src/load/profile.js";
import { renderDocument } from "../../src/render/document.js";
import { resolvePolicy } from "../../src/resolve.js";
import { tempDir } from "../helpers.js";

const N = 60;
const dirs: string[] = [];
const fresh = () => {
  const d = tempDir("pp-bench-profiles-");
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("bench/profiles.mjs", () => {
  it(`writes ${N} valid profiles with unique slugs, covering every clause set`, async () => {
    const paths = await generateProfiles({ count: N, dir: fresh(), seed: 7 });
    expect(paths).toHaveLength(N);
    const loaded: LoadedProfile[] = [];
    for (const p of paths) loaded.push(await loadProfile(p)); // throws a PolicyError on any invalid profile
    const slugs = loaded.map((l) => l.slug);
    expect(new Set(slugs).size).toBe(N);
    expect(new Set(loaded.map((l) => l.profile.clauseSet))).toEqual(new Set(CLAUSE_SETS));
    // nothing that points outside the profile's own folder
    for (const l of loaded) expect(l.profile.clauses.dirs).toEqual([]);
  });

  it("gives profiles that render in both languages with every clause set", async () => {
    const paths = await generateProfiles({ count: N, dir: fresh(), seed: 7 });
    const seen = new Set<string>();
    for (const p of paths) {
      const loaded = await loadProfile(p);
      if (seen.has(loaded.profile.clauseSet)) continue;
      seen.add(loaded.profile.clauseSet);
      const resolved = resolvePolicy(loaded, await loadLibrary({ own: ownClauseDirs(loaded) }));
      // renderDocument throws a PolicyError when a clause needs a field the profile lacks
      for (const locale of ["zh-CN", "en"] as const) expect(renderDocument(loaded, resolved, locale).sections.length).toBeGreaterThan(3);
    }
    expect(seen.size).toBe(CLAUSE_SETS.length);
  });

  it("is deterministic: the same seed gives the same files", async () => {
    const a = await generateProfiles({ count: 10, dir: fresh(), seed: 42 });
    const b = await generateProfiles({ count: 10, dir: fresh(), seed: 42 });
    expect(a.map((p) => readFileSync(p, "utf8"))).toEqual(b.map((p) => readFileSync(p, "utf8")));
    const c = await generateProfiles({ count: 10, dir: fresh(), seed: 43 });
    expect(c.map((p) => readFileSync(p, "utf8"))).not.toEqual(a.map((p) => readFileSync(p, "utf8")));
  });
});
