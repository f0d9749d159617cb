import { createHash } from "node:crypto";
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { clausesDigest, dependencyVersions, hashFolder } from "../cache.js";
import { fieldsRead, rememberFieldsRead } from "../check/fields-read.js";
import { checkLibrary, rememberChecked } from "../check/library.js";
import { isPolicyError } from "../errors.js";
import { builtinPaths } from "../paths.js";
import type { Clause, ClauseSet, Topic } from "../schema/clause.js";
import { displayPath } from "./files.js";
import type { Library } from "./library.js";

/**
 * The built-in clause library, read and checked once when PolicyPress is compiled (`npm run compile`)
 * and kept as JSON beside the compiled code. Reading and checking the 220 clause files takes about
 * 200 ms at the start of every command that uses the library; the snapshot takes 10-15 ms, most of it
 * to make sure it is current.
 *
 * It is used only while it is current: its key covers the content of every file in `clauses/`, the
 * compiled code that reads them and the installed versions of the packages it uses. An edited clause, a
 * checkout of other code or an `npm update` changes the key, and the library is read from its files as
 * if there were no snapshot. A profile with its own clause folders reads everything from the files too.
 */
export const SNAPSHOT_FILE = fileURLToPath(new URL("../library-snapshot.json", import.meta.url));
const FORMAT = 3;

interface Snapshot {
  format: typeof FORMAT;
  key: string;
  /** In file order; `file` relative to the clause folder. */
  clauses: Clause[];
  /** Each id's variants by key, in the order `readLibrary` leaves them (default first). */
  variants: [string, string[]][];
  sets: ClauseSet[];
  topics: Topic[];
  /** The profile fields each clause reads, in the order of `clauses` (what the compliance hints ask for). */
  reads: string[][];
}

/** What the snapshot depends on: the clause files, the code that reads them, the packages it uses. */
export function snapshotKey(): string {
  const hash = createHash("sha256").update(`${FORMAT}\0`);
  for (const dep of dependencyVersions()) hash.update(`${dep}\0`);
  // every compiled module, by content (a rebuild of unchanged sources keeps the key), the snapshot aside
  hashFolder(hash.update("code\0"), fileURLToPath(new URL("..", import.meta.url)), (name) => /\.[cm]?[jt]s$/.test(name) && !name.endsWith(".d.ts"));
  hash.update(`clauses\0${clausesDigest()}`);
  return hash.digest("hex");
}

/** The built-in library from the snapshot, or undefined when there is none or it is not current. */
export function readSnapshot(file = SNAPSHOT_FILE): Library | undefined {
  if (!existsSync(file)) return undefined;
  let snapshot: Snapshot;
  try {
    snapshot = JSON.parse(readFileSync(file, "utf8")) as Snapshot;
  } catch {
    return undefined;
  }
  if (snapshot.format !== FORMAT || snapshot.key !== snapshotKey()) return undefined;
  // paths are shown relative to the working directory, as a library read from its files shows them
  const shown = (rel: string) => displayPath(join(builtinPaths.clauses, rel));
  const clauses = new Map<string, Clause>();
  snapshot.clauses.forEach((clause, i) => {
    clauses.set(clause.key, Object.assign(clause, { file: shown(clause.file) }));
    rememberFieldsRead(clause, snapshot.reads[i]!);
    rememberChecked(clause, []);
  });
  const sets = new Map<string, ClauseSet>();
  for (const set of snapshot.sets) sets.set(set.id, Object.assign(set, { file: shown(set.file) }));
  const variants = new Map(snapshot.variants.map(([id, keys]) => [id, keys.map((k) => clauses.get(k)!)]));
  return { clauses, variants, sets, topics: snapshot.topics, replaced: [], unread: [] };
}

/** Writes the snapshot of `library` (the built-in library, read from its files). */
export function writeSnapshot(library: Library, file = SNAPSHOT_FILE): void {
  const inFolder = (path: string) => relative(builtinPaths.clauses, path).split(sep).join("/");
  const snapshot: Snapshot = {
    format: FORMAT,
    key: snapshotKey(),
    clauses: [...library.clauses.values()].map((c) => ({ ...c, file: inFolder(c.file) })),
    variants: [...library.variants].map(([id, list]) => [id, list.map((c) => c.key)]),
    sets: [...library.sets.values()].map((s) => ({ ...s, file: inFolder(s.file) })),
    topics: library.topics,
    reads: [...library.clauses.values()].map((c) => [...fieldsRead(c)]),
  };
  const tmp = `${file}.${process.pid}`;
  writeFileSync(tmp, JSON.stringify(snapshot));
  renameSync(tmp, file);
}

/**
 * `node dist/load/library-snapshot.js`, the last step of `npm run compile`. A library with problems (in
 * reading it, or in a clause's own checks) gets no snapshot, and an old one is removed: every command
 * then reads the files and reports them. So a clause from the snapshot has passed its checks.
 */
async function main() {
  rmSync(SNAPSHOT_FILE, { force: true });
  const { loadLibrary } = await import("./library.js");
  const noSnapshot = () => console.warn(`The clause library has problems; no snapshot was written (run \`policypress clauses check\` to see them).`);
  try {
    const library = await loadLibrary();
    if (checkLibrary(library).length) return noSnapshot();
    writeSnapshot(library);
  } catch (e) {
    if (!isPolicyError(e)) throw e;
    noSnapshot();
  }
}

// not awaited at the top level: library.js imports this module, which must finish loading first
if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url)
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
