import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { findBrowser } from "../src/pdf/browser.js";
import { recoverOutput, Staging } from "../src/write.js";
import { cli, fixtures, tempDir } from "./helpers.js";

/**
 * Builds render into their own staging folder before they take the output lock, so the recovery a
 * build runs once it holds the lock must tell a killed build's leftovers from a live build's work.
 */
describe("recovering an output folder", () => {
  it("removes the staging folder of a dead process, keeps that of a live one or of another machine", async () => {
    const out = tempDir();
    const dead = `.staging-999999-mwsf0000`;
    const live = `.staging-${process.pid}-mwsf0001`;
    const foreign = `.staging-1-mwsf0002-deadbeef`;
    for (const name of [dead, live, foreign]) mkdirSync(join(out, name, "acme"), { recursive: true });
    writeFileSync(join(out, live, "acme", "policy.en.md"), "being written");
    const notes = await recoverOutput(out);
    expect(notes).toEqual([`removed the staging folder of an interrupted build (${dead})`]);
    expect(existsSync(join(out, dead))).toBe(false);
    expect(existsSync(join(out, live, "acme", "policy.en.md"))).toBe(true);
    expect(existsSync(join(out, foreign))).toBe(true);
  });

  it("removes half-written shared assets of a dead process", async () => {
    const out = tempDir();
    mkdirSync(join(out, "assets", "fonts"), { recursive: true });
    // named as writeAsset names them (<name>.policypress-<pid>, since 293b511)
    writeFileSync(join(out, "assets", "fonts", "a.woff2.policypress-999999"), "half");
    writeFileSync(join(out, "assets", "fonts", `b.woff2.policypress-${process.pid}`), "being written");
    writeFileSync(join(out, "assets", "fonts", "c.woff2"), "whole");
    // a site's own file that merely ends in a number is not PolicyPress's to remove
    writeFileSync(join(out, "assets", "fonts", "d.woff2.999999"), "the site's");
    await recoverOutput(out);
    expect(existsSync(join(out, "assets", "fonts", "a.woff2.policypress-999999"))).toBe(false);
    expect(existsSync(join(out, "assets", "fonts", `b.woff2.policypress-${process.pid}`))).toBe(true);
    expect(existsSync(join(out, "assets", "fonts", "c.woff2"))).toBe(true);
    expect(existsSync(join(out, "assets", "fonts", "d.woff2.999999"))).toBe(true);
  });

  it("makes the staging folder even when the output folder was removed after the build looked for it", async () => {
    // another build that had created the output folder failed, and removed it (empty) in between
    const out = join(tempDir(), "gone", "out");
    const staging = await new Staging(out).create();
    expect(existsSync(staging.dir)).toBe(true);
    await staging.discard();
  });
});

/**
 * manifest.json is read by pipelines that run anywhere (a publish step, another repository): its
 * `profile` must lead to the profile file from the folder the manifest is in, whatever folder the
 * build ran in, for every kind of entry and for profiles kept from the cache.
 */
describe("manifest.json's profile field", () => {
  const dir = tempDir();
  const profile = join(dir, "legal", "acme", "profile.yaml");
  cpSync(join(fixtures, "golden"), dirname(profile), { recursive: true, filter: (p) => !p.includes("expected") });
  const out = join(dir, "public", "site");
  // the build runs in the repository holding the profile (a CI job), the site goes elsewhere
  const repository = join(dir, "legal");
  const formats = "path" in findBrowser({}) ? "md,html,pdf" : "md,html";
  const build = (cwd: string) => cli(["build", relative(cwd, profile), "--out", relative(cwd, out), "--formats", formats, "--json"], { cwd });
  const manifest = () => JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { files: { profile: string; format: string }[] };

  it("is the profile file relative to the output folder, with forward slashes, for every entry", () => {
    const r = build(repository);
    expect(r.code, r.stderr).toBe(0);
    const files = manifest().files;
    expect(new Set(files.map((f) => f.format))).toEqual(new Set([...formats.split(","), "xml"]));
    for (const f of files) {
      expect(f.profile).toBe("../../legal/acme/profile.yaml");
      expect(resolve(out, f.profile)).toBe(profile);
    }
  });

  it("is the same for a profile kept from the cache by a build run from another folder", () => {
    const before = readFileSync(join(out, "manifest.json"), "utf8");
    rmSync(join(out, "manifest.json"));
    const r = build(join(dir, "public"));
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ rendered: [], unchanged: ["golden"] });
    expect(readFileSync(join(out, "manifest.json"), "utf8")).toBe(before);
    for (const f of (JSON.parse(r.stdout) as { files: { profile: string }[] }).files) expect(resolve(out, f.profile)).toBe(profile);
  });
});

describe("manifest.json's order", () => {
  it("is the same whatever language the machine runs in (LANG)", () => {
    // paths were sorted with localeCompare(), which follows LANG: in Danish "aa" sorts after "z", so a
    // Danish CI machine wrote another manifest.json than an English one from the same inputs
    const dir = tempDir();
    const paths = ["aarhus", "beta"].map((slug) => {
      cpSync(join(fixtures, "golden"), join(dir, slug), { recursive: true, filter: (p) => !p.includes("expected") });
      const file = join(dir, slug, "profile.yaml");
      writeFileSync(file, readFileSync(file, "utf8").replace("slug: golden", `slug: ${slug}`));
      return file;
    });
    const manifests = ["C", "da_DK.UTF-8"].map((lang) => {
      const out = join(dir, `out-${lang}`);
      const r = cli(["build", ...paths, "--out", out, "--formats", "md", "--json"], { env: { LANG: lang, LC_ALL: lang } });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).files.map((f: { slug: string }) => f.slug)[0], lang).toBe("aarhus");
      return readFileSync(join(out, "manifest.json"), "utf8");
    });
    expect(manifests[1]).toBe(manifests[0]);
  });
});

describe("a folder named manifest.json in the output folder", () => {
  // the swap renamed the new manifest onto it after swapping the profiles' folders in: EISDIR, exit 70
  it("is refused before anything is swapped, and the previous output stays", () => {
    const out = tempDir();
    expect(cli(["build", "--out", out, "--formats", "md", "-q"]).code).toBe(0);
    const before = readFileSync(join(out, "acme", "policy.en.md"), "utf8");
    rmSync(join(out, "manifest.json"));
    mkdirSync(join(out, "manifest.json", "x"), { recursive: true });
    const r = cli(["build", "--out", out, "--formats", "md", "-q"]);
    expect([r.code, r.stderr.split("\n")[0]!.replace(out, "OUT")]).toEqual([1, "OUT/manifest.json  error OUTPUT_FILE_TAKEN: the output folder holds a folder named manifest.json, where the build writes the list of its files; it is left as it is"]);
    expect(readFileSync(join(out, "acme", "policy.en.md"), "utf8")).toBe(before);
    expect(existsSync(join(out, "manifest.json", "x"))).toBe(true);
  });
});

describe("a manifest.json no PolicyPress build wrote", () => {
  // the output folder may be a site's public/, whose manifest.json is its web app manifest: it was replaced
  it("is left as it is: the build stops with OUTPUT_FILE_TAKEN and writes nothing", () => {
    const out = tempDir();
    const webAppManifest = '{ "name": "Example", "short_name": "ex", "start_url": "/", "display": "standalone" }\n';
    writeFileSync(join(out, "manifest.json"), webAppManifest);
    const r = cli(["build", "--out", out, "--formats", "md", "-q"]);
    expect([r.code, r.stderr.split("\n")[0]!.replace(out, "OUT")]).toEqual([
      1,
      "OUT/manifest.json  error OUTPUT_FILE_TAKEN: the output folder holds a manifest.json that no PolicyPress build wrote (it has no list of files: a web app manifest, perhaps), where the build writes the list of its files; it is left as it is",
    ]);
    expect(readFileSync(join(out, "manifest.json"), "utf8")).toBe(webAppManifest);
    expect(existsSync(join(out, "acme"))).toBe(false);
  });
});

describe("manifest.json's shape", () => {
  // README: { files: [...], assets: [...] }; a Markdown-only build left assets out, undefined for a script
  it("always has files and assets, an empty list when no HTML page needs the shared assets", () => {
    const out = tempDir();
    expect(cli(["build", "--out", out, "--formats", "md", "-q"]).code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect(Object.keys(manifest)).toEqual(["files", "assets"]);
    expect(manifest.assets).toEqual([]);
  });
});
