import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dependencyVersions } from "../src/cache.js";
import { browserIdentity } from "../src/pdf/browser.js";
import { generateProfiles } from "../bench/profiles.mjs";
import { cli, fixtures, root, tempDir } from "./helpers.js";

/** Copies of the golden fixture under different slugs, each in its own folder (own clauses beside it). */
function profiles(n: number): { dir: string; paths: string[] } {
  const dir = tempDir();
  const paths = Array.from({ length: n }, (_, i) => {
    const folder = join(dir, `p${i + 1}`);
    cpSync(join(fixtures, "golden"), folder, { recursive: true, filter: (p) => !p.includes("expected") });
    const file = join(folder, "profile.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("slug: golden", `slug: golden-${i + 1}`));
    return file;
  });
  return { dir, paths };
}

const json = (r: { stdout: string }) => JSON.parse(r.stdout) as { files: { path: string; sha256: string }[]; rendered: string[]; unchanged: string[]; threads: number };

describe("incremental builds", () => {
  const { dir, paths } = profiles(3);
  const out = join(dir, "out");
  const args = ["build", ...paths, "--out", out, "--formats", "md,html", "--json"];
  const cold = cli(args);
  const warm = cli(args);

  it("renders nothing again when nothing changed, and gives the same files", () => {
    expect(cold.code).toBe(0);
    expect(warm.code).toBe(0);
    expect(json(cold).rendered).toEqual(["golden-1", "golden-2", "golden-3"]);
    expect(json(warm)).toMatchObject({ rendered: [], unchanged: ["golden-1", "golden-2", "golden-3"] });
    expect(json(warm).files).toEqual(json(cold).files);
  });

  it("re-renders only the profile whose clause changed", () => {
    const rights = join(dir, "p2", "own", "rights.md");
    writeFileSync(rights, readFileSync(rights, "utf8").replace("We will answer", "We shall answer"));
    const r = cli(args);
    expect(json(r)).toMatchObject({ rendered: ["golden-2"], unchanged: ["golden-1", "golden-3"] });
    expect(readFileSync(join(out, "golden-2", "policy.en.md"), "utf8")).toContain("We shall answer");
  });

  it("never serves a file that was changed or removed since it was written", () => {
    const page = join(out, "golden-3", "policy.en.md");
    writeFileSync(page, "tampered");
    const r = cli(args);
    expect(json(r).rendered).toEqual(["golden-3"]);
    expect(readFileSync(page, "utf8")).toContain("# Privacy Policy");
  });

  it("puts back the shared stylesheet and fonts when they were deleted, rendering nothing", () => {
    rmSync(join(out, "assets"), { recursive: true });
    const r = cli(args);
    expect(json(r).rendered).toEqual([]);
    expect(readdirSync(join(out, "assets", "fonts")).length).toBeGreaterThan(10);
    expect(readFileSync(join(out, "assets", "fonts.css"), "utf8")).toContain("@font-face");
  });

  it("leaves the manifest and the cache untouched when nothing changed, and writes a deleted manifest again", () => {
    const manifest = join(out, "manifest.json");
    const cache = join(out, ".policypress-cache.json");
    const before = [statSync(manifest).mtimeMs, statSync(cache).mtimeMs];
    const text = readFileSync(manifest, "utf8");
    expect(json(cli(args)).rendered).toEqual([]);
    expect([statSync(manifest).mtimeMs, statSync(cache).mtimeMs]).toEqual(before);
    rmSync(manifest);
    expect(json(cli(args)).rendered).toEqual([]);
    expect(readFileSync(manifest, "utf8")).toBe(text);
    expect(readdirSync(out).filter((n) => n.startsWith(".staging-"))).toEqual([]);
  });

  it("renders again a profile whose released versions changed", () => {
    const versions = join(dir, "p1", "versions");
    const r0 = cli(["release", paths[0]!, "--effective", "2027-01-01", "--summary", "首版", "--summary-en", "First release", "--date", "2026-11-22"]);
    expect(r0.code, r0.stderr).toBe(0);
    expect(readdirSync(versions).length).toBe(1);
    const r = cli(args);
    expect(json(r)).toMatchObject({ rendered: ["golden-1"], unchanged: ["golden-2", "golden-3"] });
  });

  it("forgets a cache entry damaged by hand (null entries, a missing field, a file outside its folder) and renders it again", () => {
    const before = json(cli(args)).files;
    const file = join(out, ".policypress-cache.json");
    const good = readFileSync(file, "utf8");
    const cache = JSON.parse(good) as { entries: Record<string, Record<string, unknown>> };
    const [first, second] = Object.keys(cache.entries);
    for (const damaged of [
      { ...cache, entries: null },
      { ...cache, entries: { ...cache.entries, [first!]: { ...cache.entries[first!], ownDirs: undefined } } },
      { ...cache, entries: { ...cache.entries, [second!]: { ...cache.entries[second!], files: [{ path: "../../etc/passwd", bytes: 1, mtimeMs: 1, sha256: "x" }] } } },
    ]) {
      writeFileSync(file, JSON.stringify(damaged));
      const r = cli(args);
      expect(r.code, r.stderr).toBe(0);
      expect(json(r).files).toEqual(before);
    }
  });

  it("renders again a profile whose cache entry was edited by hand in a well-formed way, so the manifest never lists a wrong file", () => {
    // a kept profile's manifest entries come from the cache: an edited sha256 was listed in manifest.json
    // as it was, and a file left out of the entry's list was left out of the manifest
    const before = json(cli(args)).files;
    const file = join(out, ".policypress-cache.json");
    const cache = JSON.parse(readFileSync(file, "utf8")) as { entries: Record<string, { slug: string; files: { sha256: string }[] }> };
    const edited = Object.values(cache.entries).find((e) => e.slug === "golden-1")!;
    edited.files[0]!.sha256 = "0".repeat(64);
    edited.files.pop();
    writeFileSync(file, JSON.stringify(cache));
    const r = cli(args);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r)).toMatchObject({ rendered: ["golden-1"], unchanged: ["golden-2", "golden-3"] });
    expect(json(r).files).toEqual(before);
    expect(JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")).files).toEqual(before);
  });

  it("renders everything again with --no-cache", () => {
    const r = cli([...args, "--no-cache"]);
    expect(json(r).rendered).toEqual(["golden-1", "golden-2", "golden-3"]);
  });
});

describe("parallel and sharded builds", () => {
  const { dir, paths } = profiles(4);

  it("gives the same files in worker threads as in one thread, with the worker rendering some of them", () => {
    // enough profiles that the worker, half a second in starting, is still given some
    const many = profiles(30);
    const one = cli(["build", ...many.paths, "--out", join(many.dir, "one"), "--formats", "md,html", "--jobs", "1", "--no-cache", "--json"]);
    const two = cli(["build", ...many.paths, "--out", join(many.dir, "two"), "--formats", "md,html", "--jobs", "2", "--no-cache", "--json"]);
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    expect(json(one).threads).toBe(1);
    expect(json(two).threads).toBe(2);
    expect(json(two).files).toEqual(json(one).files);
    expect(json(two).files.length).toBe(30 * 11);
  }, 120_000);

  it("gives a worker profiles when rendering in this thread never waits on the disk (no versions/, no own clauses)", async () => {
    // the golden copies read their releases through the thread pool, a wait that let this thread read the
    // worker's messages; the benchmark's profiles have nothing of the kind
    const dir = tempDir();
    const paths = await generateProfiles({ count: 60, dir, seed: 11 });
    const r = cli(["build", ...paths, "--out", join(dir, "out"), "--formats", "md", "--jobs", "2", "--no-cache", "--json"]);
    expect(r.code).toBe(0);
    expect(json(r).threads).toBe(2);
  }, 120_000);

  it("builds the i-th of n parts with --shard, and its part of the manifest", () => {
    const r = cli(["build", ...paths, "--out", join(dir, "shard"), "--formats", "md", "--shard", "2/3", "--json"]);
    expect(r.code).toBe(0);
    expect([...new Set(json(r).files.map((f) => f.path.split("/")[0]))]).toEqual(["golden-2"]);
    const manifest = JSON.parse(readFileSync(join(dir, "shard", "manifest.json"), "utf8"));
    expect(new Set(manifest.files.map((f: { slug: string }) => f.slug))).toEqual(new Set(["golden-2"]));
    expect(cli(["build", ...paths, "--shard", "4/3"]).code).toBe(2);
  });
});

describe("what the cache key covers beyond the inputs' files", () => {
  it("names every dependency at the version installed, not the range package.json asks for", () => {
    const deps = Object.keys((JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { dependencies: object }).dependencies);
    const installed = deps.sort().map((d) => `${d}@${(JSON.parse(readFileSync(join(root, "node_modules", d, "package.json"), "utf8")) as { version: string }).version}`);
    expect(dependencyVersions()).toEqual(installed);
  });

  it("tells one browser binary from another, and an upgraded one from the old (PDFs depend on it)", () => {
    const dir = tempDir();
    const binary = join(dir, "chromium");
    writeFileSync(binary, "#!/bin/sh\n", { mode: 0o755 });
    const before = browserIdentity({ executablePath: binary });
    expect(before).toContain(binary);
    utimesSync(binary, new Date(), new Date(Date.now() + 60_000));
    expect(browserIdentity({ executablePath: binary })).not.toBe(before);
    expect(browserIdentity({ browserWSEndpoint: "ws://127.0.0.1:9222/devtools/browser/x" })).toBe("ws:ws://127.0.0.1:9222/devtools/browser/x");
    expect(browserIdentity({ executablePath: join(dir, "nowhere") })).toBe("none");
  });
});

describe("a profile whose slug changed", () => {
  it("takes its old folder and manifest entries away, as a fresh build would have none", () => {
    const { dir, paths } = profiles(2);
    const out = join(dir, "out");
    const args = ["build", ...paths, "--out", out, "--formats", "md", "--json"];
    expect(cli(args).code).toBe(0);
    writeFileSync(paths[0]!, readFileSync(paths[0]!, "utf8").replace("slug: golden-1", "slug: renamed"));
    const r = cli(args);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out).filter((n) => !n.startsWith(".")).sort()).toEqual(["golden-2", "manifest.json", "renamed"]);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { files: { slug: string }[] };
    expect([...new Set(manifest.files.map((f) => f.slug))].sort()).toEqual(["golden-2", "renamed"]);
  });

  it("does so with --no-cache too, from the profile files manifest.json names (the old policy stayed online)", () => {
    const { dir, paths } = profiles(2);
    const out = join(dir, "out");
    expect(cli(["build", ...paths, "--out", out, "--formats", "md", "--no-cache", "-q"]).code).toBe(0);
    writeFileSync(paths[0]!, readFileSync(paths[0]!, "utf8").replace("slug: golden-1", "slug: renamed"));
    // only the renamed profile: golden-2, built from another file, stays
    const r = cli(["build", paths[0]!, "--out", out, "--formats", "md", "--no-cache", "-q"]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out).filter((n) => !n.startsWith(".")).sort()).toEqual(["golden-2", "manifest.json", "renamed"]);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { files: { slug: string }[] };
    expect([...new Set(manifest.files.map((f) => f.slug))].sort()).toEqual(["golden-2", "renamed"]);
  });
});

describe("a cache that cannot be saved", () => {
  // the output was published, then the cache's rename failed: exit 70, an internal error to report
  it("is a warning after a complete build, not an internal error, and leaves no half-written file", () => {
    const out = tempDir();
    mkdirSync(join(out, ".policypress-cache.json", "x"), { recursive: true });
    const r = cli(["build", "--out", out, "--formats", "md", "--json"]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.warnings.map((w: { code: string; message: string }) => `${w.code}: ${w.message}`)).toContain(
      "CACHE_NOT_SAVED: the build cache could not be saved (EISDIR); the output is complete, and the next build renders the profiles again",
    );
    expect(JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")).files.length).toBeGreaterThan(0);
    expect(readdirSync(out).sort()).toEqual([".policypress-cache.json", "acme", "manifest.json"]);
  });
});
