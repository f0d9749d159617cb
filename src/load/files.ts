import { isUtf8 } from "node:buffer";
import { readFileSync, readlinkSync, statSync, type Dirent } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import { PolicyError, type Problem } from "../errors.js";
import { compareText } from "../text-order.js";

/**
 * A clause folder is a handful of files; `clauses.dirs: [/]` or `[../../..]` would walk a whole disk.
 * Past this many entries the walk stops with an error instead of seeming to hang.
 */
export const MAX_FOLDER_ENTRIES = 20_000;

/** The file every released version's folder holds (src/versions/store.ts). */
const RELEASED_VERSION_MARK = "snapshot.json";

/**
 * Every file under `dir` whose name ends with one of `extensions`, sorted so builds are deterministic.
 * With `problems`, a sub-folder that cannot be read is one more problem and the walk goes on.
 */
export async function listFiles(dir: string, extensions: string[], problems?: Problem[]): Promise<string[]> {
  const out: string[] = [];
  let seen = 0;
  async function walk(d: string) {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? "error";
      if (code === "ENOTDIR") throw new PolicyError({ code: "CLAUSE_DIR_NOT_A_FOLDER", file: displayPath(d), message: "a clause folder is a file, not a folder", hint: "clauses.dirs in the profile lists folders of your own clauses, relative to the profile." });
      throw new PolicyError({ code: "FILE_UNREADABLE", file: displayPath(d), message: `the folder cannot be read (${code})`, hint: "Check the folder's permissions." });
    }
    // a released version (versions/X.Y.Z/ beside a profile, which `release` writes) holds Markdown copies of
    // the policy: in a clause folder that holds the profile (`dirs: [.]`) they were read as clauses, and
    // every build after a release failed with CLAUSE_NO_FRONT_MATTER
    if (d !== dir && entries.some((e) => e.name === RELEASED_VERSION_MARK && e.isFile())) return;
    seen += entries.length;
    if (seen > MAX_FOLDER_ENTRIES)
      throw new PolicyError({ code: "CLAUSE_DIR_TOO_LARGE", file: displayPath(dir), message: `the clause folder holds more than ${MAX_FOLDER_ENTRIES.toLocaleString("en")} files and folders; it cannot be the right one`, hint: "Check clauses.dirs in the profile: it names folders of your own clauses, relative to the profile." });
    for (const e of entries.sort((a, b) => compareText(a.name, b.name))) {
      const p = join(d, e.name);
      const kind = entryKind(d, e);
      // anything else with the name of a clause (a broken link, a pipe) is read, and reading says what it is
      if (kind !== "folder" && extensions.some((x) => e.name.endsWith(x))) out.push(p);
      else if (kind === "folder")
        await walk(p).catch((err: unknown) => {
          if (!problems || !(err instanceof PolicyError) || err.code !== "FILE_UNREADABLE") throw err;
          problems.push(...err.problems);
        });
    }
  }
  await walk(dir);
  return out;
}

/**
 * What an entry of a folder is to the walks over clause folders (listFiles, the cache's hash, the freshness
 * stamp), so that all three see the same files: a file, a link to a file too (a clause shared between
 * folders, which was skipped without a word), or a folder, never through a link (a link to a folder above
 * would make the walk endless: the cache's hash followed one into ELOOP, an internal error), or neither.
 */
export function entryKind(dir: string, entry: Dirent): "file" | "folder" | "other" {
  if (entry.isDirectory()) return "folder";
  if (entry.isFile()) return "file";
  if (!entry.isSymbolicLink()) return "other";
  try {
    return statSync(join(dir, entry.name)).isFile() ? "file" : "other";
  } catch {
    return "other";
  }
}

/** The text files PolicyPress reads (profiles, clauses, snapshots) are kilobytes: a larger one is refused, not read into memory. */
export const MAX_TEXT_BYTES = 16 * 2 ** 20;
const megabytes = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;

/**
 * A small regular file's text, or undefined when it is missing, unreadable, not a regular file or larger
 * than MAX_TEXT_BYTES: for files whose absence is itself the problem to report (a version's snapshot).
 */
export async function readSmallFile(path: string): Promise<string | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() && info.size <= MAX_TEXT_BYTES ? await readFile(path, "utf8") : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads a text file, turning the usual mistakes (missing, a folder, unreadable, not UTF-8) into errors for people.
 * The reads are synchronous: the files are small, and the clause library's 220 read one by one through
 * the thread pool took 230 ms of waiting, against 10 ms like this.
 */
export async function readText(path: string, what: string): Promise<string> {
  let info;
  try {
    info = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EACCES" || code === "EPERM")
      throw new PolicyError({ code: "FILE_UNREADABLE", file: displayPath(path), message: `the ${what} cannot be read (${code}: a folder on the way is not readable)`, hint: "Check the permissions of the folders above the file." });
    const target = linkTarget(path);
    if (target !== undefined)
      throw new PolicyError({ code: "FILE_NOT_FOUND", file: displayPath(path), message: `the ${what} is a symbolic link to ${target}, which does not exist`, hint: "Point the link at the file, or remove it." });
    throw new PolicyError({ code: "FILE_NOT_FOUND", file: displayPath(path), message: `the ${what} does not exist`, hint: "Check the path; it is relative to the folder you run the command in." });
  }
  if (info.isDirectory())
    throw new PolicyError({ code: "FILE_IS_DIRECTORY", file: displayPath(path), message: `the ${what} is a folder, not a file`, hint: what === "profile" ? "Name the profile.yaml file inside the folder." : "Name a file." });
  // a pipe would wait for a writer forever, and /dev/zero never ends
  if (!info.isFile())
    throw new PolicyError({ code: "FILE_NOT_REGULAR", file: displayPath(path), message: `the ${what} is not a regular file (a device, a pipe or a socket)`, hint: "Name a file that holds the text." });
  if (info.size > MAX_TEXT_BYTES)
    throw new PolicyError({ code: "FILE_TOO_LARGE", file: displayPath(path), message: `the ${what} is ${megabytes(info.size)}; a ${what} is a few kilobytes, and more than ${megabytes(MAX_TEXT_BYTES)} is refused`, hint: "Check that this is the right file." });
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new PolicyError({ code: "FILE_UNREADABLE", file: displayPath(path), message: `the ${what} cannot be read (${(e as NodeJS.ErrnoException).code ?? "error"})`, hint: "Check the file's permissions." });
  }
  return decodeUtf8(bytes, displayPath(path), what);
}

/** Where a symbolic link points, or undefined when `path` is not one. */
function linkTarget(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

const SAVE_AS_UTF8 = "Save the file as UTF-8 (most editors: Save with Encoding, or Save As, then UTF-8).";

/**
 * UTF-8 text, or an error. A Chinese profile saved as GBK or UTF-16 (common Windows defaults) would
 * otherwise read as mojibake that passes every check and gets published.
 */
export function decodeUtf8(bytes: Buffer, file: string, what: string): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    throw new PolicyError({ code: "FILE_NOT_UTF8", file, line: 1, message: `the ${what} is saved as UTF-16, not UTF-8`, hint: SAVE_AS_UTF8 });
  // NUL is valid UTF-8 but never in a text file: UTF-16 without a byte order mark (every other byte of
  // ASCII text is 0, so an English profile read as an empty one), or a file that is not text at all
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    if (looksLikeUtf16(bytes)) throw new PolicyError({ code: "FILE_NOT_UTF8", file, line: 1, message: `the ${what} is saved as UTF-16 (without a byte order mark), not UTF-8`, hint: SAVE_AS_UTF8 });
    const line = bytes.subarray(0, nul).toString("latin1").split("\n").length;
    throw new PolicyError({ code: "FILE_NOT_TEXT", file, line, message: `the ${what} is not a text file: this line holds a NUL byte`, hint: "Check that this is the right file; a profile or clause is UTF-8 text." });
  }
  if (!isUtf8(bytes)) {
    const at = firstInvalidUtf8(bytes);
    const line = bytes.subarray(0, at).toString("latin1").split("\n").length;
    throw new PolicyError({ code: "FILE_NOT_UTF8", file, line, message: `the ${what} is not UTF-8 text (this line holds bytes that are not UTF-8; was it saved as GBK?)`, hint: SAVE_AS_UTF8 });
  }
  return bytes.toString("utf8");
}

/** True when most bytes at even or at odd offsets are 0, as in UTF-16 text of mostly ASCII or Latin letters. */
function looksLikeUtf16(bytes: Buffer): boolean {
  const sample = bytes.subarray(0, 4096);
  const zeros = [0, 0];
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0) zeros[i % 2]!++;
  const half = sample.length / 2;
  return Math.max(zeros[0]!, zeros[1]!) > half * 0.3 && Math.min(zeros[0]!, zeros[1]!) < half * 0.05;
}

/** Offset of the first byte that does not start or continue a UTF-8 sequence (structure only). */
function firstInvalidUtf8(buf: Buffer): number {
  for (let i = 0; i < buf.length; ) {
    const b = buf[i]!;
    const more = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (more < 0) return i;
    for (let k = 1; k <= more; k++) if (((buf[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += more + 1;
  }
  return 0;
}

/** Paths in messages are relative to the working directory when that is shorter. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") && rel.length < path.length ? rel : path;
}

/**
 * The paths that lead where an earlier one of the list does (the same path again, or another name of it
 * through a link): each one's index, and the first's.
 */
export function repeatedTargets(paths: string[]): { at: number; first: number }[] {
  const firsts = new Map<string, number>();
  return paths.flatMap((path, at) => {
    const id = pathIdentity(path);
    const first = firsts.get(id);
    if (first === undefined) firsts.set(id, at);
    return first === undefined ? [] : [{ at, first }];
  });
}

/**
 * What a path leads to, its device and inode (two names of one file or folder, through a link, have the
 * same), or the path itself when it cannot be read (what reads it then says why).
 */
function pathIdentity(path: string): string {
  try {
    const info = statSync(path, { bigint: true });
    // a file system without inode numbers says 0 for every file
    return info.ino ? `${info.dev}:${info.ino}` : path;
  } catch {
    return path;
  }
}
