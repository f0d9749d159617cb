import type { Problem } from "./errors.js";
import { createHash, type Hash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { entryKind } from "./load/files.js";
import { oncePerRound } from "./load/fresh.js";
import type { LoadedProfile } from "./load/profile.js";
import { builtinPaths, packageRoot } from "./paths.js";
import type { ResolvedPolicy } from "./resolve.js";
import type { Clause } from "./schema/clause.js";
import { manifestProfile, type ManifestEntry } from "./write.js";

/**
 * The incremental build cache, `<out>/.policypress-cache.json`: per profile file, two keys over what its
 * output depends on, and the files that output was. A profile is not rendered again when a key matches
 * and its files are still there untouched; anything else is rendered, so the cache never serves a stale
 * document.
 *
 * - `quick` covers the profile's bytes and every file it could read (the whole clause library, its own
 *   clause folders, its released versions) plus PolicyPress itself and the build options. Checking it
 *   reads files but parses none: the cost of a rebuild with nothing changed.
 * - `key` covers what the profile resolves to: the clauses it uses, not the whole library. After an
 *   edit to one clause, every profile's quick key changes, and this one tells the profiles that use the
 *   clause (rendered again) from those that do not (kept).
 */
export const CACHE_FILE = ".policypress-cache.json";
// 4: files no longer hold `profile` (a manifest entry's, relative to the working directory of the build
// that wrote them until then); a kept profile's entries get it from the profile's path (src/build.ts)
// 5: each entry carries `seal`, a hash of the rest of it (see sealOf)
const CACHE_VERSION = 5;

export interface CacheEntry {
  slug: string;
  quick: string;
  key: string;
  /** The profile's own clause folders when `quick` was taken (they are part of it). */
  ownDirs: string[];
  files: CachedFile[];
  /** The font subsets its pages need (src/site/assets.ts). */
  faces: number[];
  warnings: Problem[];
}

/** A manifest entry of the profile, without `profile` (the cache entry's own key says it), and its file's time. */
export type CachedFile = Omit<ManifestEntry, "profile"> & { mtimeMs: number };

export interface BuildCache {
  version: number;
  /** By absolute path of the profile file. */
  entries: Record<string, CacheEntry>;
}

export async function readCache(out: string): Promise<BuildCache> {
  try {
    const file = join(out, CACHE_FILE);
    const text = await readFile(file, "utf8");
    const parsed = JSON.parse(text) as BuildCache;
    if (parsed?.version !== CACHE_VERSION || !isRecord(parsed.entries)) return emptyCache();
    // an entry edited or damaged by hand is forgotten: its profile is rendered again
    const last = lastChecked?.file === file ? lastChecked : undefined;
    const bad = last?.text === text ? last.bad : Object.keys(parsed.entries).filter((path) => !isEntry(parsed.entries[path]) || !unsealed(parsed.entries[path]!));
    if (last?.text === text) for (const entry of Object.values(parsed.entries)) delete (entry as { seal?: string }).seal;
    lastChecked = { file, text, bad };
    if (!bad.length) readFrom.set(parsed, text);
    for (const path of bad) delete parsed.entries[path];
    return parsed;
  } catch {
    return emptyCache();
  }
}
// the file's text each cache was read from, so writing it back unchanged can be skipped without reading again
const readFrom = new WeakMap<BuildCache, string>();
// A build reads the cache twice, before rendering and again under the lock (another build may have
// written it meanwhile); the same text again need not have its 200 seals checked again (20-25 ms of
// a 250 ms rebuild with nothing changed). Only the last file read is remembered.
let lastChecked: { file: string; text: string; bad: string[] } | undefined;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isStrings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === "string");

/** The shape `writeCache` writes, each file inside its profile's folder (`slug/...`, no way out). */
function isEntry(e: unknown): e is CacheEntry {
  if (!isRecord(e) || typeof e.slug !== "string" || !e.slug || e.slug.includes("/") || e.slug.startsWith(".")) return false;
  if (typeof e.quick !== "string" || typeof e.key !== "string" || !isStrings(e.ownDirs)) return false;
  if (!Array.isArray(e.warnings) || !e.warnings.every((w) => isRecord(w) && typeof w.code === "string" && typeof w.message === "string")) return false;
  if (!Array.isArray(e.faces) || !e.faces.every((n) => Number.isInteger(n) && n >= 0)) return false;
  return Array.isArray(e.files) && e.files.every((f: unknown) =>
    isRecord(f) && typeof f.path === "string" && f.path.startsWith(`${e.slug}/`) && !f.path.split("/").includes("..") &&
    typeof f.bytes === "number" && typeof f.mtimeMs === "number" && typeof f.sha256 === "string");
}

/**
 * A hash of an entry as written. A kept profile's manifest entries come from its cache entry, so an entry
 * whose shape is right but whose content was edited (a file's sha256, a file left out of its list)
 * made manifest.json list a wrong hash or miss a file; such an entry no longer matches its seal.
 */
function sealOf(entry: CacheEntry): string {
  return sealHash(JSON.stringify(entry));
}
const sealHash = (json: string) => createHash("sha256").update(json).digest("hex");

/** Takes the seal off an entry read from the file; true when it matched the rest of the entry. */
function unsealed(entry: CacheEntry & { seal?: unknown }): boolean {
  const { seal, ...rest } = entry;
  delete entry.seal;
  return typeof seal === "string" && seal === sealOf(rest);
}

export const emptyCache = (): BuildCache => ({ version: CACHE_VERSION, entries: {} });

/** Writes the cache, read with `readCache`, unless it would write the text it was read from (a rebuild with nothing changed). */
export async function writeCache(out: string, cache: BuildCache): Promise<void> {
  // as JSON.stringify({ version, entries }) with each entry's seal as its last key, each entry made into
  // text once (stringifying the whole again took as long as sealing every entry)
  const sealed = Object.entries(cache.entries).map(([path, entry]) => {
    const json = JSON.stringify(entry);
    return `${JSON.stringify(path)}:${json.slice(0, -1)},"seal":"${sealHash(json)}"}`;
  });
  const text = `{"version":${CACHE_VERSION},"entries":{${sealed.join(",")}}}`;
  if (readFrom.get(cache) === text) return;
  const tmp = join(out, `${CACHE_FILE}.${process.pid}`);
  try {
    await writeFile(tmp, text);
    await rename(tmp, join(out, CACHE_FILE));
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => {});
    throw e;
  }
}

/** True when every file listed is still in `out` as it was written (same size and modification time). */
export function filesIntact(out: string, files: { path: string; bytes: number; mtimeMs: number }[]): boolean {
  if (!files.length) return false;
  for (const f of files) {
    try {
      const s = statSync(join(out, f.path));
      if (s.size !== f.bytes || s.mtimeMs !== f.mtimeMs) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * The files just written, with their times (taken after the swap, so they are the final ones). Looked at
 * one after another: a promise per file took 20-70 ms for 2,200 files at the end of a build, this 8-11.
 */
export function cachedFiles(out: string, files: ManifestEntry[]): CachedFile[] {
  return files.map(({ profile: _p, ...f }) => ({ ...f, mtimeMs: statSync(join(out, f.path)).mtimeMs }));
}

/** The manifest entries of a profile kept from the cache, `profile` taken from its file's path, whatever cwd the cache was written from. */
export function keptEntries(out: string, path: string, entry: CacheEntry): ManifestEntry[] {
  const profile = manifestProfile(out, path);
  return entry.files.map(({ mtimeMs: _m, ...f }) => ({ profile, ...f }));
}

/**
 * What every profile of a build shares: PolicyPress (its version, code, templates, locales, checklist),
 * the build options, and, for the quick key, the content of the whole built-in clause library.
 */
export interface SharedKeys {
  /** Code and options: part of both keys. */
  code: string;
  /** `code` plus the clause library: part of the quick key. */
  inputs: string;
}

export function sharedKeys(options: unknown): SharedKeys {
  const code = createHash("sha256").update(codeFingerprint()).update(JSON.stringify(options)).digest("hex");
  return { code, inputs: createHash("sha256").update(code).update(clausesDigest()).digest("hex") };
}

/** The quick key of a profile file (see above); `ownDirs` are its own clause folders as last resolved. */
export function quickKey(shared: SharedKeys, profileBytes: Uint8Array, profileDir: string, ownDirs: string[]): string {
  const hash = createHash("sha256").update(shared.inputs).update(profileBytes);
  for (const dir of ownDirs) hashFolder(hash.update(`own:${dir}\0`), dir);
  hashFolder(hash.update("versions\0"), join(profileDir, "versions"));
  return hash.digest("hex");
}

/** The resolved key of a profile: its bytes, its clause set and the clauses it uses, its released versions. */
export function resolvedKey(shared: SharedKeys, profileBytes: Uint8Array, loaded: LoadedProfile, resolved: ResolvedPolicy): string {
  const hash = createHash("sha256").update(shared.code).update(profileBytes);
  hash.update(JSON.stringify(resolved.set));
  for (const section of resolved.sections) for (const clause of section.clauses) hash.update(clauseDigest(clause));
  hashFolder(hash.update("versions\0"), join(loaded.dir, "versions"));
  return hash.digest("hex");
}

// a library's clauses are shared by every profile of a build: each is serialised and hashed once
const digests = new WeakMap<Clause, string>();
function clauseDigest(clause: Clause): string {
  let digest = digests.get(clause);
  if (!digest) digests.set(clause, (digest = createHash("sha256").update(JSON.stringify(clause)).digest("hex")));
  return digest;
}

/**
 * The content of the built-in clause library, hashed once per build: the cache's keys and the library
 * snapshot's key (src/load/library-snapshot.ts) both cover it.
 */
export const clausesDigest = oncePerRound(() => {
  const hash = createHash("sha256");
  hashFolder(hash, builtinPaths.clauses);
  return hash.digest("hex");
});

/**
 * Every file's name and content under `dir` (those `take` accepts), in a stable order (nothing when it
 * does not exist, or is a link to nothing or to itself). What cannot be read (a file where a folder was
 * expected, a broken link inside) is keyed by its name: the read that follows says what is wrong with it,
 * where this crashed the build first with ENOTDIR or ELOOP. Links to folders are not followed, as the
 * library does not.
 */
export function hashFolder(hash: Hash, dir: string, take: (name: string) => boolean = () => true): void {
  if (!existsSync(dir)) return;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = join(d, e.name);
      // as the library reads the folder (entryKind): a link to a folder is not followed (a loop was endless)
      const kind = entryKind(d, e);
      if (kind === "folder") walk(p);
      else if (kind === "file" && take(e.name)) hash.update(`${p.slice(dir.length)}\0`).update(readFileSync(p)).update("\0");
      else if (kind === "other" && take(e.name)) hash.update(`${p.slice(dir.length)}\0!other\0`);
    }
  };
  if (statSync(dir).isDirectory()) walk(dir);
  else hash.update("\0!not a folder\0");
}

/**
 * PolicyPress itself: its version, the versions of the packages it renders with (installed, not the
 * ranges in package.json: `npm update` can change the fonts' subsets or markdown-it's output), its compiled
 * code (by size and time), templates, locales and the compliance checklist. Taken again for every build:
 * a process may build again after an edit.
 */
function codeFingerprint(): string {
  const hash = createHash("sha256").update(readFileSync(join(packageRoot, "package.json")));
  for (const dep of dependencyVersions()) hash.update(`${dep}\0`);
  const walkStat = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const s = statSync(p);
      if (s.isDirectory()) walkStat(p);
      else hash.update(`${p}\0${s.size}:${s.mtimeMs}\0`);
    }
  };
  walkStat(dirname(fileURLToPath(import.meta.url)));
  hashFolder(hash.update("templates\0"), builtinPaths.templates);
  hashFolder(hash.update("locales\0"), builtinPaths.locales);
  hashFolder(hash.update("requirements\0"), builtinPaths.requirements);
  return hash.digest("hex");
}

/** `name@version` of each dependency as installed. */
export function dependencyVersions(): string[] {
  const manifest = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { dependencies?: object };
  return Object.keys(manifest.dependencies ?? {})
    .sort()
    .map((name) => `${name}@${installedVersion(name)}`);
}

/** The version of a dependency as Node would load it: its package.json in the nearest node_modules up from here. */
function installedVersion(name: string): string {
  for (let dir = packageRoot; ; dir = dirname(dir)) {
    const file = join(dir, "node_modules", name, "package.json");
    if (existsSync(file)) {
      try {
        return String((JSON.parse(readFileSync(file, "utf8")) as { version?: unknown }).version);
      } catch {
        return "unreadable";
      }
    }
    if (dirname(dir) === dir) return "missing";
  }
}
