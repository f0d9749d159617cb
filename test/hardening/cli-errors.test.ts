import { execFileSync, spawn } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exitCodeFor } from "../../src/cli/command.js";
import { PolicyError } from "../../src/errors.js";
import { bin, fixtures, root, tempDir, type CliResult } from "../helpers.js";
import { isRoot, NOBODY } from "./support.js";

/**
 * What a person sees from the real CLI: the exact message, the exit code, and no stack trace. The
 * processes run at once to keep the suite quick.
 */
function run(args: string[], options: { asNobody?: boolean } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    // root reads any file whatever its mode: the unreadable-file case runs as nobody there instead
    const ids = options.asNobody ? { uid: NOBODY, gid: NOBODY } : {};
    // a command that hangs (a regression) is killed, not left spinning after the test gave up on it
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, NO_COLOR: "1" }, timeout: 15_000, ...ids });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const STACK = /^\s+at .+:\d+:\d+\)?$/m;

describe("the CLI's messages for a user's mistakes", async () => {
  // an unreadable profile, and a readable one whose own clause folder holds an unreadable clause
  // next to a broken one: both problems come in one run
  const dir = tempDir();
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, "locked.yaml"), "company: {}\n");
  chmodSync(join(dir, "locked.yaml"), 0o000);
  cpSync(join(fixtures, "builds", "bad-missing-field"), join(dir, "p"), { recursive: true });
  writeFileSync(join(dir, "p", "own", "secret.md"), "---\nid: own.secret\n---\n");
  chmodSync(join(dir, "p", "own", "secret.md"), 0o000);
  mkdirSync(join(dir, "p", "own", "closed"));
  chmodSync(join(dir, "p", "own", "closed"), 0o000);
  const profiles = join(fixtures, "profiles");
  const asNobody = isRoot;

  // a pipe with no writer would block a read for ever; /dev/zero never ends; 17 MB of YAML is no profile
  execFileSync("mkfifo", [join(dir, "pipe.yaml")]);
  writeFileSync(join(dir, "huge.yaml"), Buffer.alloc(17 * 2 ** 20, "a"));

  writeFileSync(join(dir, "a-file"), "x");

  const [missing, folder, unreadable, unreadableClause, locale, debug, pipe, zero, huge, schemaIntoFolder, htmlThroughFile] = await Promise.all([
    run(["check", "test/fixtures/profiles/nope.yaml"]),
    run(["build", "test/fixtures/profiles", "--out", join(dir, "out")]),
    run(["check", join(dir, "locked.yaml")], { asNobody }),
    run(["check", join(dir, "p", "profile.yaml")], { asNobody }),
    run(["build", "--locales", "zh-CN,fr"]),
    run(["build", join(profiles, "bad-slug.yaml"), "--out", join(dir, "out"), "--debug"]),
    run(["build", join(dir, "pipe.yaml"), "--out", join(dir, "out")]),
    run(["check", "/dev/zero"]),
    run(["check", join(dir, "huge.yaml")]),
    run(["schema", "--out", dir]),
    run(["clauses", "matrix", "--html", join(dir, "a-file", "matrix.html")]),
  ]);

  it("a file option that names a folder, or a path through a file, is the person's mistake, not an internal error", () => {
    expect(schemaIntoFolder.code).toBe(1);
    expect(schemaIntoFolder.stderr).toBe(`${dir}  error FILE_IS_DIRECTORY: --out names a folder, not a file\n    hint: Name a file (it is created, and the folders on its way, when missing).\n`);
    expect(htmlThroughFile.code).toBe(73);
    expect(htmlThroughFile.stderr).toBe(`${join(dir, "a-file", "matrix.html")}  error OUTPUT_NOT_A_FOLDER: --html: a part of this path is a file, not a folder\n    hint: Check the path; the folders on the way are created when they are missing.\n`);
  });

  it.runIf(existsSync("/proc/self"))("an output folder that cannot be created under /proc (Node's recursive mkdir spun for ever there)", async () => {
    const r = await run(["build", "--out", "/proc/pp-no-such/out", "--formats", "md"]);
    expect(r.code).toBe(73);
    expect(r.stderr).toBe("/proc/pp-no-such/out  error OUTPUT_NOT_WRITABLE: the output folder cannot be created (ENOENT on /proc/pp-no-such)\n    hint: Choose a folder on an ordinary disk with --out.\n");
  });

  it.runIf(existsSync("/proc/self"))("a named file under /proc: init and --html say so, neither hangs nor ends in an internal error", async () => {
    // /proc/1 exists but takes no new file (was exit 70); /proc/pp-no-such cannot be made (init spun for ever)
    const [inProc, belowMissing, html] = await Promise.all([
      run(["init", "/proc/1", "--yes"]),
      run(["init", "/proc/pp-no-such/dir", "--yes"]),
      run(["check", "examples/acme/profile.yaml", "--html", "/proc/1/c.html"]),
    ]);
    expect([inProc.code, belowMissing.code, html.code]).toEqual([73, 73, 73]);
    const hint = "\n    hint: Name a file on an ordinary disk.\n";
    expect(inProc.stderr).toBe(`/proc/1/profile.yaml  error OUTPUT_NOT_WRITABLE: the file cannot be created there (ENOENT)${hint}`);
    expect(belowMissing.stderr).toBe(`/proc/pp-no-such/dir/profile.yaml  error OUTPUT_NOT_WRITABLE: the file cannot be created there (ENOENT on /proc/pp-no-such)${hint}`);
    expect(html.stderr).toBe(`ok   examples/acme/profile.yaml: 52 clauses from set "startup-default", zh-CN and en\n/proc/1/c.html  error OUTPUT_NOT_WRITABLE: the file cannot be created there (ENOENT)${hint}`);
  }, 20_000);

  it("a profile that is a pipe or a device, or far too large, is refused without reading it", () => {
    expect([pipe.code, zero.code, huge.code]).toEqual([1, 1, 1]);
    expect(pipe.stderr).toBe(`${join(dir, "pipe.yaml")}  error FILE_NOT_REGULAR: the profile is not a regular file (a device, a pipe or a socket)\n    hint: Name a file that holds the text.\n`);
    expect(zero.stderr).toBe("/dev/zero  error FILE_NOT_REGULAR: the profile is not a regular file (a device, a pipe or a socket)\n    hint: Name a file that holds the text.\n");
    expect(huge.stderr).toBe(`${join(dir, "huge.yaml")}  error FILE_TOO_LARGE: the profile is 17 MB; a profile is a few kilobytes, and more than 16 MB is refused\n    hint: Check that this is the right file.\n`);
  });

  it("a profile path that does not exist", () => {
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("test/fixtures/profiles/nope.yaml  error FILE_NOT_FOUND: the profile does not exist\n    hint: Check the path; it is relative to the folder you run the command in.\n");
  });

  it("a profile path that is a folder", () => {
    expect(folder.code).toBe(1);
    expect(folder.stderr).toBe("test/fixtures/profiles  error FILE_IS_DIRECTORY: the profile is a folder, not a file\n    hint: Name the profile.yaml file inside the folder.\n");
  });

  // as root, the files are read as the user nobody (chmod does not stop root); that needs nothing else
  it(`an unreadable profile (chmod 000${asNobody ? ", read as nobody because the tests run as root" : ""})`, () => {
    expect(unreadable.code).toBe(1);
    expect(unreadable.stderr).toBe(`${join(dir, "locked.yaml")}  error FILE_UNREADABLE: the profile cannot be read (EACCES)\n    hint: Check the file's permissions.\n`);
  });

  it("an unreadable clause file and folder are reported with the clause folder's other problems, all at once", () => {
    expect(unreadableClause.code).toBe(1);
    const own = join(dir, "p", "own");
    expect(unreadableClause.stderr).toBe(
      [
        `${own}/closed  error FILE_UNREADABLE: the folder cannot be read (EACCES)`,
        "    hint: Check the folder's permissions.",
        `${own}/secret.md  error FILE_UNREADABLE: the clause file cannot be read (EACCES)`,
        "    hint: Check the file's permissions.",
        "2 problems found.",
        "",
      ].join("\n"),
    );
  });

  it("an unknown locale is a usage error (exit 2)", () => {
    expect(locale.code).toBe(2);
    expect(locale.stderr).toContain('policypress build: unknown locale "fr"; use zh-CN or en');
  });

  it("no stack trace for a user's mistake, unless --debug", () => {
    for (const r of [missing, folder, unreadable, unreadableClause, locale]) expect(r.stderr).not.toMatch(STACK);
    expect(debug.code).toBe(1);
    expect(debug.stderr).toContain("error INVALID_PROFILE [slug]: must be lowercase letters, digits and dashes");
    expect(debug.stderr).toMatch(STACK);
  });
});

describe("exit codes for the output folder's troubles", () => {
  const error = (...codes: string[]) => new PolicyError(codes.map((code) => ({ code, message: code })));
  it("73 when it cannot be written, 75 when another build holds it, 1 when the input is also at fault", () => {
    expect(exitCodeFor(error("OUTPUT_NOT_WRITABLE"))).toBe(73);
    expect(exitCodeFor(error("OUTPUT_FULL", "OUTPUT_NOT_A_FOLDER"))).toBe(73);
    expect(exitCodeFor(error("OUTPUT_LOCKED"))).toBe(75);
    expect(exitCodeFor(error("OUTPUT_FULL", "INVALID_PROFILE"))).toBe(1);
    expect(exitCodeFor(error("OUTPUT_OVERLAPS_INPUT"))).toBe(1);
  });
});
