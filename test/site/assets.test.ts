import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, fixtures, tempDir } from "../helpers.js";

// `<out>/assets/` after a build holds exactly what the HTML pages the manifest lists need: the pages of
// this build and those other builds left there (another shard's), no font subset nobody uses any more.

/** Copies of the golden fixture as golden-1, golden-2...; RARE in a company name brings subsets of its own. */
const RARE = "龘靐齉";
function profiles(dir: string, rare: boolean[]): string[] {
  return rare.map((withRare, i) => {
    const folder = join(dir, `p${i + 1}`);
    cpSync(join(fixtures, "golden"), folder, { recursive: true, filter: (p) => !p.includes("expected") });
    const file = join(folder, "profile.yaml");
    const text = readFileSync(file, "utf8").replace("slug: golden", `slug: golden-${i + 1}`);
    writeFileSync(file, withRare ? text.replace("金样科技", `金样${RARE}科技`) : text);
    return file;
  });
}
const dropRare = (file: string) => writeFileSync(file, readFileSync(file, "utf8").replace(RARE, ""));

function onDisk(out: string): string[] {
  const root = join(out, "assets");
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile())
    .map((f) => relative(out, join(f.parentPath, f.name)).split("\\").join("/"))
    .sort((a, b) => a.localeCompare(b));
}
const listed = (out: string) => ((JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { assets?: { path: string }[] }).assets ?? []).map((a) => a.path);

function build(paths: string[], out: string, ...more: string[]): void {
  const r = cli(["build", ...paths, "--out", out, "--formats", "md,html", "-q", ...more]);
  expect(r.code, r.stderr).toBe(0);
}
/** The assets a build of `paths` into an empty folder writes: what their pages need. */
function fresh(paths: string[]): string[] {
  const out = tempDir();
  build(paths, out);
  return onDisk(out);
}

describe("the shared assets folder", () => {
  it("loses the font subsets no page uses after a profile's text changed, and the manifest lists what is left", () => {
    const dir = tempDir();
    const paths = profiles(dir, [false, true]);
    const out = join(dir, "out");
    build(paths, out);
    const before = onDisk(out);
    expect(before).toEqual(fresh(paths));
    dropRare(paths[1]!);
    build(paths, out);
    const after = fresh(paths);
    expect(after.length).toBeLessThan(before.length);
    expect(onDisk(out)).toEqual(after);
    expect(listed(out)).toEqual(after);
  });

  it("keeps a profile's subsets while its pages are listed, and drops them with its folder", () => {
    const dir = tempDir();
    const paths = profiles(dir, [false, true]);
    const out = join(dir, "out");
    build(paths, out);
    const both = onDisk(out);
    // golden-2 is not in this build, but its pages stay published (the manifest keeps them)
    build([paths[0]!], out);
    expect(onDisk(out)).toEqual(both);
    build([paths[0]!], out, "--no-cache");
    expect(onDisk(out)).toEqual(both);
    // its folder deleted by hand: the manifest no longer lists it, nor its subsets
    rmSync(join(out, "golden-2"), { recursive: true });
    build([paths[0]!], out);
    expect(onDisk(out)).toEqual(fresh([paths[0]!]));
    expect(listed(out)).toEqual(onDisk(out));
  });

  it("serves both shards' pages when two shards build into one folder, and follows each shard's changes", () => {
    const dir = tempDir();
    const paths = profiles(dir, [true, false]);
    const out = join(dir, "out");
    build(paths, out, "--shard", "1/2");
    build(paths, out, "--shard", "2/2");
    const all = fresh(paths);
    expect(onDisk(out)).toEqual(all);
    // shard 2 again, knowing shard 1's pages from the cache, then without it (from the pages themselves)
    build(paths, out, "--shard", "2/2");
    expect(onDisk(out)).toEqual(all);
    build(paths, out, "--shard", "2/2", "--no-cache");
    expect(onDisk(out)).toEqual(all);
    expect(listed(out)).toEqual(all);
    // shard 1's profile changed: its rare subsets go, shard 2's pages keep theirs
    dropRare(paths[0]!);
    build(paths, out, "--shard", "1/2");
    expect(onDisk(out)).toEqual(fresh(paths));
    expect(onDisk(out).length).toBeLessThan(all.length);
    expect(listed(out)).toEqual(onDisk(out));
  });

  it("is removed when no listed page is HTML any more, and the manifest lists no assets", () => {
    const dir = tempDir();
    const paths = profiles(dir, [true]);
    const out = join(dir, "out");
    build(paths, out);
    expect(onDisk(out).length).toBeGreaterThan(2);
    const r = cli(["build", ...paths, "--out", out, "--formats", "md", "-q"]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(out, "assets"))).toBe(false);
    expect(listed(out)).toEqual([]);
  });
});

describe("a site's own files in assets/", () => {
  // --out may be an existing site whose assets/ folder holds its own files: they are neither removed nor replaced
  const own = { "assets/logo.png": "logo", "assets/css/site.css": "body{}", "assets/logo.2024": "a year, not a process" };
  const putOwn = (out: string) => {
    for (const [path, text] of Object.entries(own)) {
      mkdirSync(join(out, path, ".."), { recursive: true });
      writeFileSync(join(out, path), text);
    }
  };
  const ownLeft = (out: string) => Object.fromEntries(Object.keys(own).filter((p) => existsSync(join(out, p))).map((p) => [p, readFileSync(join(out, p), "utf8")]));

  it("stay through a first build, a rebuild that drops subsets, and the clean-up after a killed build", () => {
    const dir = tempDir();
    const paths = profiles(dir, [false, true]);
    const out = join(dir, "out");
    putOwn(out);
    build(paths, out);
    dropRare(paths[1]!);
    build(paths, out);
    // a half-written font left by a killed build (this process's number is alive: a made-up one is not)
    const halfWritten = join(out, "assets", "fonts.css.policypress-999999999");
    writeFileSync(halfWritten, "");
    build(paths, out);
    expect(ownLeft(out)).toEqual(own);
    expect(existsSync(halfWritten)).toBe(false);
    // the manifest lists only PolicyPress's files, and those are what the pages need
    expect(listed(out)).toEqual(fresh(paths));
    expect(onDisk(out)).toEqual([...fresh(paths), ...Object.keys(own)].sort((a, b) => a.localeCompare(b)));
  });

  it("are not replaced by a file of the same name: the build stops and says which", () => {
    const dir = tempDir();
    const [path] = profiles(dir, [false]);
    const out = join(dir, "out");
    mkdirSync(join(out, "assets"), { recursive: true });
    writeFileSync(join(out, "assets", "policy.css"), "/* the site's own */");
    const r = cli(["build", path!, "--out", out, "--formats", "md,html", "-q"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error OUTPUT_FILE_TAKEN: the output folder already holds assets/policy.css, which no earlier build wrote");
    expect(readFileSync(join(out, "assets", "policy.css"), "utf8")).toBe("/* the site's own */");
    expect(existsSync(join(out, "golden-1"))).toBe(false);
  });
});
