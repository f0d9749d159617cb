import { execFileSync, spawn, spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { build } from "../../src/build.js";
import { PolicyError } from "../../src/errors.js";
import { Staging } from "../../src/write.js";
import { bin, fixtures, root, tempDir, type CliResult } from "../helpers.js";
import { isRoot, leftovers, NOBODY, outputProblems, treeHashes } from "./support.js";

const golden = join(fixtures, "golden");

function goldenCopy(): { dir: string; profile: string } {
  const dir = tempDir();
  cpSync(golden, join(dir, "golden"), { recursive: true, filter: (p) => !p.includes("expected") });
  return { dir, profile: join(dir, "golden", "profile.yaml") };
}

function run(args: string[], options: { uid?: number; shell?: string } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = options.shell
      ? spawn("sh", ["-c", `${options.shell}; exec "$0" "$@"`, process.execPath, bin, ...args], { cwd: root })
      : spawn(process.execPath, [bin, ...args], { cwd: root, ...(options.uid ? { uid: options.uid, gid: options.uid } : {}) });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** A small tmpfs, when this process may mount one (root in most containers); undefined otherwise. */
function tmpfs(size: string): string | undefined {
  const dir = tempDir("pp-mount-");
  if (!isRoot || spawnSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir]).status !== 0) return undefined;
  mounts.push(dir);
  return dir;
}
const mounts: string[] = [];
afterAll(() => {
  for (const m of mounts) spawnSync("umount", ["-l", m]);
});

describe("an output folder that cannot be written", () => {
  it("gives OUTPUT_NOT_WRITABLE and leaves the previous output whole", async () => {
    const { dir, profile } = goldenCopy();
    // a read-only file system where one can be mounted, else a folder without write permission; root
    // writes anywhere, so without a mount it builds as the user nobody, through the CLI
    const ro = tmpfs("8m");
    const out = join(ro ?? dir, "out");
    await build({ profiles: [profile], out, formats: ["md"] });
    const before = treeHashes(out);
    writeFileSync(profile, readFileSync(profile, "utf8").replace("金样科技, en: Golden Sample", "新金样, en: New Golden"));
    if (ro) {
      expect(spawnSync("mount", ["-o", "remount,ro", ro]).status).toBe(0);
      const error = await build({ profiles: [profile], out, formats: ["md"] }).catch((e: unknown) => e);
      expect((error as PolicyError).problems).toEqual([
        { code: "OUTPUT_NOT_WRITABLE", file: out, message: expect.stringMatching(/^the output folder cannot be written \(EROFS on .*\.staging-[\w-]+\)$/), hint: "Make it writable for this user, or choose another folder with --out. Nothing of the previous output was changed." },
      ]);
    } else if (!isRoot) {
      chmodSync(out, 0o555);
      const error = await build({ profiles: [profile], out, formats: ["md"] }).catch((e: unknown) => e);
      chmodSync(out, 0o755);
      expect((error as PolicyError).problems.map((p) => p.code)).toEqual(["OUTPUT_NOT_WRITABLE"]);
    } else {
      chmodSync(dir, 0o755);
      const r = await run(["build", profile, "--out", out, "--formats", "md", "-q"], { uid: NOBODY });
      expect(r.code).toBe(73);
      expect(r.stderr).toContain("error OUTPUT_NOT_WRITABLE: the output folder cannot be written (EACCES");
    }
    expect(treeHashes(out)).toEqual(before);
  });

  it("gives OUTPUT_NOT_A_FOLDER when --out names a file", async () => {
    const file = join(tempDir(), "out.txt");
    writeFileSync(file, "not a folder");
    const error = await build({ profiles: [join(golden, "profile.yaml")], out: file, formats: ["md"] }).catch((e: unknown) => e);
    expect((error as PolicyError).problems.map((p) => p.code)).toEqual(["OUTPUT_NOT_A_FOLDER"]);
    expect(readFileSync(file, "utf8")).toBe("not a folder");
  });
});

/**
 * A disk that fills up half-way through a build: a small tmpfs where mounting is allowed (root), else a
 * file size limit (ulimit -f), which fails the same writes with EFBIG.
 */
describe("a full disk", () => {
  const mount = tmpfs("3m");
  const mounted = mount !== undefined;

  it(`gives an error, not a half-written site (${mounted ? "tmpfs of 3 MB" : "ulimit -f"})`, async () => {
    const { profile } = goldenCopy();
    const out = join(mount ?? tempDir(), "out");
    await build({ profiles: [profile], out, formats: ["md", "html"] });
    const before = treeHashes(out);
    // a changed profile, so the build has everything to write again
    writeFileSync(profile, readFileSync(profile, "utf8").replace("金样科技, en: Golden Sample", "新金样, en: New Golden"));
    if (mounted) {
      // leave 40 KB: the lock and the Markdown fit, the HTML and its fonts do not
      const free = statfsSync(mount!).bavail * statfsSync(mount!).bsize;
      writeFileSync(join(mount!, "filler"), Buffer.alloc(Math.max(0, free - 40_000)));
      const error = await build({ profiles: [profile], out, formats: ["md", "html"] }).catch((e: unknown) => e);
      expect((error as PolicyError).problems).toEqual([
        expect.objectContaining({ code: "OUTPUT_FULL", message: "the disk holding the output folder is full (ENOSPC)", hint: "Free some space, or choose a folder on another disk with --out. Nothing of the previous output was changed." }),
      ]);
    } else {
      const r = await run(["build", profile, "--out", out, "--formats", "md,html", "-q"], { shell: "ulimit -f 40" });
      expect(r.code).toBe(73);
      expect(r.stderr).toMatch(/error OUTPUT_FULL: a file is larger than this process may write \(EFBIG on .*\.staging-/);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    }
    expect(treeHashes(out)).toEqual(before);
    expect(leftovers(out)).toEqual([]);
    expect(outputProblems(out)).toEqual([]);
  });
});

describe("output that would overwrite the inputs is refused before anything is written", () => {
  it("--out beside a profile folder named like its slug, or inside versions/ or a clause folder", async () => {
    const { dir, profile } = goldenCopy();
    mkdirSync(join(dir, "golden", "versions"));
    const before = treeHashes(dir);
    for (const [out, message] of [
      [dir, `building into ${join(dir, "golden")} would replace ${join(dir, "golden")}, which holds this build's input`],
      [join(dir, "golden", "versions", "site"), `the output folder ${join(dir, "golden", "versions", "site")} is inside ${join(dir, "golden", "versions")}, where released versions are kept`],
      [join(dir, "golden", "own", "out"), `the output folder ${join(dir, "golden", "own", "out")} is inside the clause folder ${join(dir, "golden", "own")}: the next build would read the policies as clauses`],
    ]) {
      const error = await build({ profiles: [profile], out, formats: ["md"] }).catch((e: unknown) => e);
      expect((error as PolicyError).problems, out).toEqual([expect.objectContaining({ code: "OUTPUT_OVERLAPS_INPUT", message })]);
    }
    expect(treeHashes(dir)).toEqual(before);
  });
});

describe("someone's folder in the output folder", () => {
  it("named like a profile's slug, and written by no build, is left as it is: OUTPUT_FOLDER_TAKEN", async () => {
    const dir = tempDir();
    const out = join(dir, "out");
    mkdirSync(join(out, "golden"), { recursive: true });
    writeFileSync(join(out, "golden", "notes.txt"), "mine");
    const error = await build({ profiles: [join(golden, "profile.yaml")], out, formats: ["md"] }).catch((e: unknown) => e);
    expect((error as PolicyError).problems).toEqual([
      {
        code: "OUTPUT_FOLDER_TAKEN", file: join(out, "golden"),
        message: "the output folder already holds golden/, which no earlier build wrote (its manifest.json does not list it); it is left as it is",
        hint: "Move it away, or build into another folder with --out. If it is an old PolicyPress build whose manifest.json was deleted, delete the folder.",
      },
    ]);
    expect(readFileSync(join(out, "golden", "notes.txt"), "utf8")).toBe("mine");
    expect(leftovers(out)).toEqual([]);
  });

  it("empty, or written by an earlier build (even with its manifest.json deleted), is replaced", async () => {
    const dir = tempDir();
    const out = join(dir, "out");
    mkdirSync(join(out, "golden"), { recursive: true });
    await build({ profiles: [join(golden, "profile.yaml")], out, formats: ["md"] });
    rmSync(join(out, "manifest.json"));
    writeFileSync(join(out, "golden", "policy.en.md"), "stale");
    await build({ profiles: [join(golden, "profile.yaml")], out, formats: ["md"] });
    expect(readFileSync(join(out, "golden", "policy.en.md"), "utf8")).toContain("# Privacy Policy");
  });
});

describe("nothing is written outside the output folder", () => {
  it("refuses paths that climb out of the staging folder", () => {
    const staging = new Staging(tempDir());
    for (const rel of ["../evil", "/etc/passwd", "a/../../evil", "golden/../../evil", "..", "."])
      expect(() => staging.path(rel), rel).toThrow("refusing to write outside the output folder");
    expect(staging.path("golden/versions/1.0.0/policy.en.md")).toBe(join(staging.dir, "golden/versions/1.0.0/policy.en.md"));
  });

  it("a released version whose snapshot names a path is refused as tampered, and nothing is written", async () => {
    const dir = tempDir();
    cpSync(join(root, "examples", "acme"), join(dir, "acme"), { recursive: true });
    const snapshot = join(dir, "acme", "versions", "1.0.0", "snapshot.json");
    writeFileSync(snapshot, readFileSync(snapshot, "utf8").replace('"version": "1.0.0"', '"version": "../../../escaped"'));
    const out = join(dir, "out");
    const error = await build({ profiles: [join(dir, "acme", "profile.yaml")], out, formats: ["md"] }).catch((e: unknown) => e);
    expect((error as PolicyError).problems.map((p) => p.code)).toContain("VERSION_TAMPERED");
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(dir, "escaped"))).toBe(false);
  });

  it("a snapshot whose readable copies lead out of its folder, or to a pipe, is tampered, and the build does not hang on them", async () => {
    const dir = tempDir();
    cpSync(join(root, "examples", "acme"), join(dir, "acme"), { recursive: true });
    const folder = join(dir, "acme", "versions", "1.0.0");
    execFileSync("mkfifo", [join(dir, "pipe"), join(folder, "policy.fifo.md")]);
    const snapshot = join(folder, "snapshot.json");
    const sealed = JSON.parse(readFileSync(snapshot, "utf8")) as { files: Record<string, string> };
    // hashes of the form release writes (the schema refuses any other before the copies are looked at)
    sealed.files = { ...sealed.files, "../../../pipe": "0".repeat(64), "policy.fifo.md": "0".repeat(64) };
    writeFileSync(snapshot, JSON.stringify(sealed, null, 2));
    const error = await build({ profiles: [join(dir, "acme", "profile.yaml")], out: join(dir, "out"), formats: ["md"] }).catch((e: unknown) => e);
    const tampered = (error as PolicyError).problems.filter((p) => p.code === "VERSION_TAMPERED").map((p) => p.message);
    expect(tampered).toEqual(expect.arrayContaining(["../../../pipe of version 1.0.0 is missing", "policy.fifo.md of version 1.0.0 is missing"]));
  }, 20_000);
});
