import { existsSync, realpathSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { PolicyError, type Problem } from "./errors.js";
import { builtinPaths } from "./paths.js";
import { displayPath } from "./load/files.js";

/**
 * The output folder's two ways to go wrong that are not the input's fault: the disk refuses the write
 * (read-only, full, no permission), or the folder would overwrite the inputs themselves.
 */

const NOT_WRITABLE = new Set(["EACCES", "EPERM", "EROFS"]);
const FULL = new Set(["ENOSPC", "EDQUOT"]);
const NOT_A_FOLDER = new Set(["ENOTDIR", "EEXIST"]);

/** These problem codes are the output folder's, not the input's (the CLI gives them their own exit codes). */
export const OUTPUT_CODES = ["OUTPUT_NOT_WRITABLE", "OUTPUT_FULL", "OUTPUT_NOT_A_FOLDER"] as const;

/** A file-system error met while writing into `out`, as a PolicyError; undefined for any other error. */
export function outputProblem(error: unknown, out: string): PolicyError | undefined {
  const e = error as NodeJS.ErrnoException;
  if (!e || typeof e.code !== "string" || error instanceof PolicyError) return undefined;
  const where = displayPath(out);
  const detail = `${e.code}${e.path ? ` on ${displayPath(e.path)}` : ""}`;
  const unchanged = "Nothing of the previous output was changed.";
  if (NOT_WRITABLE.has(e.code))
    return new PolicyError({ code: "OUTPUT_NOT_WRITABLE", file: where, message: `the output folder cannot be written (${detail})`, hint: `Make it writable for this user, or choose another folder with --out. ${unchanged}` });
  if (FULL.has(e.code))
    return new PolicyError({ code: "OUTPUT_FULL", file: where, message: `the disk holding the output folder is full (${detail})`, hint: `Free some space, or choose a folder on another disk with --out. ${unchanged}` });
  if (e.code === "EFBIG")
    return new PolicyError({ code: "OUTPUT_FULL", file: where, message: `a file is larger than this process may write (${detail}: the file size limit, ulimit -f)`, hint: `Raise the limit, or free space on the disk. ${unchanged}` });
  if (NOT_A_FOLDER.has(e.code) && e.syscall === "mkdir")
    return new PolicyError({ code: "OUTPUT_NOT_A_FOLDER", file: where, message: `the output path is not a folder (${detail})`, hint: `--out must name a folder (it is created if missing), not a file. ${unchanged}` });
  return undefined;
}

/** Creates the output folder, and the folders on its way. */
export async function createOutputFolder(out: string): Promise<void> {
  try {
    await makeFolders(out);
  } catch (e) {
    const error = e as NodeJS.ErrnoException;
    if (error.code === "ENOENT")
      throw new PolicyError({ code: "OUTPUT_NOT_WRITABLE", file: displayPath(out), message: `the output folder cannot be created (${error.code} on ${displayPath(error.path ?? out)})`, hint: "Choose a folder on an ordinary disk with --out." });
    throw outputProblem(e, out) ?? e;
  }
}

/**
 * Makes a folder one level at a time. Node's own recursive mkdir spins for ever where a level cannot be
 * made and its parent exists (`--out /proc/x`, `init /proc/x`: ENOENT, then EEXIST, again and again).
 */
async function makeFolders(folder: string): Promise<void> {
  const missing: string[] = [];
  for (let p = resolve(folder); !existsSync(p); p = dirname(p)) {
    missing.unshift(p);
    if (dirname(p) === p) break;
  }
  for (const dir of missing)
    try {
      await mkdir(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
}

/**
 * Writes one file a person named (`--out FILE`, `--html FILE`), making its folder if missing. A path that
 * is a folder, goes through a file, or cannot be written is an error for people, not an internal one.
 */
export async function writeNamedFile(path: string, text: string, option: string): Promise<void> {
  try {
    await makeFolders(dirname(path));
    await writeFile(path, text);
  } catch (e) {
    throw namedFileProblem(e, path, option) ?? e;
  }
}

function namedFileProblem(error: unknown, path: string, option: string): PolicyError | undefined {
  const code = (error as NodeJS.ErrnoException).code;
  const file = displayPath(path);
  if (code === "EISDIR")
    return new PolicyError({ code: "FILE_IS_DIRECTORY", file, message: `${option} names a folder, not a file`, hint: "Name a file (it is created, and the folders on its way, when missing)." });
  if (code && NOT_A_FOLDER.has(code))
    return new PolicyError({ code: "OUTPUT_NOT_A_FOLDER", file, message: `${option}: a part of this path is a file, not a folder`, hint: "Check the path; the folders on the way are created when they are missing." });
  if (code && NOT_WRITABLE.has(code))
    return new PolicyError({ code: "OUTPUT_NOT_WRITABLE", file, message: `the file cannot be written (${code})`, hint: "Make its folder writable for this user, or name another file." });
  if (code && FULL.has(code)) return new PolicyError({ code: "OUTPUT_FULL", file, message: `the disk is full (${code})`, hint: "Free some space, or name a file on another disk." });
  // its folder exists, or was just made, and still no file can be made in it: /proc/1, a dangling link
  if (code === "ENOENT") {
    const where = (error as NodeJS.ErrnoException).path;
    const detail = where && resolve(where) !== resolve(path) ? `${code} on ${displayPath(where)}` : code;
    return new PolicyError({ code: "OUTPUT_NOT_WRITABLE", file, message: `the file cannot be created there (${detail})`, hint: "Name a file on an ordinary disk." });
  }
  return undefined;
}

/**
 * A file a person named for a command's output (`check --html FILE`) that is one of the command's inputs:
 * the profile, a file of its own clause folders or released versions, the built-in library. Written, it
 * was replaced by the page (`check profile.yaml --html profile.yaml` lost the profile): refused first.
 */
export function checkNamedFileTarget(path: string, option: string, inputs: { files: string[]; folders: string[] }): void {
  const target = real(path);
  const file = inputs.files.find((f) => real(f) === target);
  const folder = [...inputs.folders, builtinPaths.clauses].find((f) => within(target, real(f)));
  const input = file ? `the profile ${displayPath(file)}` : folder ? `a file in ${displayPath(folder)}, which holds this command's input` : undefined;
  if (input)
    throw new PolicyError({ code: "OUTPUT_OVERLAPS_INPUT", file: displayPath(path), message: `${option} names ${input}: writing the page would replace it`, hint: `Name another file, e.g. ${option} compliance.html.` });
}

export interface BuildInputs {
  /** The profile file, for messages. */
  file: string;
  slug: string;
  /** The profile's folder (with versions/ in it). */
  profileDir: string;
  /** The profile's own clause folders. */
  clauseDirs: string[];
}

/**
 * A build replaces `<out>/<slug>/` wholesale. Pointed at the wrong place (`--out .` beside a profile
 * folder named like its slug, `--out` inside versions/) it would delete the profile or released
 * versions, and output inside a clause folder would be read back as clauses: all refused before
 * anything is written.
 */
export function checkOutputTargets(out: string, builds: BuildInputs[]): void {
  const problems: Problem[] = [];
  const outReal = real(out);
  for (const b of builds) {
    const target = join(outReal, b.slug);
    const problem = (message: string, hint: string) => problems.push({ code: "OUTPUT_OVERLAPS_INPUT", file: b.file, message, hint });
    // the outermost input it would replace says it all (the profile's folder holds its clause folders)
    const versions = join(real(b.profileDir), "versions");
    // the built-in library too: policies written among its files would be read back as clauses
    const clauseDirs = [...b.clauseDirs, builtinPaths.clauses];
    const replaced = [b.profileDir, versions, ...clauseDirs].map(real).find((folder) => within(folder, target));
    if (replaced)
      problem(`building into ${displayPath(join(out, b.slug))} would replace ${displayPath(replaced)}, which holds this build's input`, "Choose an --out folder outside the profile's folder (the default is output/).");
    if (within(outReal, versions))
      problem(`the output folder ${displayPath(out)} is inside ${displayPath(versions)}, where released versions are kept`, "Released versions are never written by a build: choose another --out folder.");
    for (const folder of clauseDirs.map(real))
      if (within(outReal, folder))
        problem(`the output folder ${displayPath(out)} is inside the clause folder ${displayPath(folder)}: the next build would read the policies as clauses`, "Choose an --out folder outside clauses.dirs.");
  }
  if (problems.length) throw new PolicyError(dedupe(problems));
}

/** Whether the output folder is one of `folders` (clause folders) or the built-in library's, or inside one: what is written there would be read as clauses. */
export function outputInside(out: string, folders: string[]): boolean {
  const outReal = real(out);
  return [...folders, builtinPaths.clauses].some((folder) => within(outReal, real(folder)));
}

/** The real path of `p`, or of its nearest existing ancestor plus the rest (the output may not exist yet). */
function real(p: string): string {
  const abs = resolve(p);
  try {
    return realpathSync.native(abs);
  } catch {
    const parent = resolve(abs, "..");
    return parent === abs ? abs : join(real(parent), relative(parent, abs));
  }
}

/** true when `path` is `root` or below it. */
const within = (path: string, root: string) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(p.message) && (seen.add(p.message), true));
}
