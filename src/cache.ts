import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { readFile, rename, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadLibrary } from "./load/library.js";
import { loadProfile, ownClauseDirs } from "./load/profile.js";
import { builtinPaths, packageRoot } from "./paths.js";
import { resolvePolicy } from "./resolve.js";
import type { ManifestEntry } from "./write.js";

/**
 * The incremental build cache, `<out>/.policypress-cache.json`: per profile, a key over every input
 * that can change its output, and the files that output was. A profile whose key is unchanged and whose
 * files are still there untouched is not rendered again; anything else is, so the cache never serves a
 * stale document.
 */
export const CACHE_FILE = ".policypress-cache.json";

export interface CacheEntry {
  key: string;
  files: (ManifestEntry & { mtimeMs: number })[];
  warnings: string[];
}

export interface BuildCache {
  entries: Record<string, CacheEntry>;
}

export async function readCache(out: string): Promise<BuildCache> {
  try {
    const parsed = JSON.parse(await readFile(join(out, CACHE_FILE), "utf8")) as BuildCache;
    return parsed && typeof parsed.entries === "object" ? parsed : { entries: {} };
  } catch {
    return { entries: {} };
  }
}

export async function writeCache(out: string, cache: BuildCache): Promise<void> {
  const tmp = join(out, `${CACHE_FILE}.${process.pid}`);
  await writeFile(tmp, JSON.stringify(cache));
  await rename(tmp, join(out, CACHE_FILE));
}

/** The entry for a slug, if its key matches and every file it lists is still as it was written. */
export function cacheHit(cache: BuildCache, slug: string, key: string, out: string): CacheEntry | undefined {
  const entry = cache.entries[slug];
  if (!entry || entry.key !== key || !entry.files.length) return undefined;
  for (const f of entry.files) {
    try {
      const s = statSync(join(out, f.path));
      if (s.size !== f.bytes || s.mtimeMs !== f.mtimeMs) return undefined;
    } catch {
      return undefined;
    }
  }
  return entry;
}

/** Records what was just written for a slug (after the swap, so the times are the final ones). */
export async function cacheEntry(out: string, key: string, files: ManifestEntry[], warnings: string[]): Promise<CacheEntry> {
  return { key, warnings, files: await Promise.all(files.map(async (f) => ({ ...f, mtimeMs: (await stat(join(out, f.path))).mtimeMs }))) };
}

let codeFingerprint: string | undefined;

/** PolicyPress itself: its version, its code, templates, locales, the checklist and the bundled fonts. */
function code(): string {
  if (codeFingerprint) return codeFingerprint;
  const hash = createHash("sha256");
  const walk = (dir: string, content: boolean) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const s = statSync(p);
      if (s.isDirectory()) walk(p, content);
      else hash.update(`${p}\0${content ? readFileSync(p).toString("base64") : `${s.size}:${s.mtimeMs}`}\0`);
    }
  };
  hash.update(readFileSync(join(packageRoot, "package.json")));
  walk(dirname(fileURLToPath(import.meta.url)), false);
  walk(builtinPaths.templates, true);
  walk(builtinPaths.locales, true);
  walk(join(builtinPaths.clauses, "requirements"), true);
  codeFingerprint = hash.digest("hex");
  return codeFingerprint;
}

/**
 * The key of one profile's output: the code, the profile file, every clause and the clause set it
 * resolves to (a clause it does not use cannot change it), its released versions, and the build
 * options. Undefined when the profile does not load: then it is rendered, and its errors reported.
 */
export async function profileKey(path: string, options: unknown): Promise<{ slug: string; key: string } | undefined> {
  try {
    const loaded = await loadProfile(path);
    const library = await loadLibrary({ own: ownClauseDirs(loaded) });
    const resolved = resolvePolicy(loaded, library);
    const hash = createHash("sha256").update(code()).update(JSON.stringify(options));
    hash.update(await readFile(loaded.path));
    hash.update(JSON.stringify(resolved.set));
    for (const section of resolved.sections) for (const clause of section.clauses) hash.update(JSON.stringify(clause));
    const versions = join(loaded.dir, "versions");
    if (existsSync(versions))
      for (const v of readdirSync(versions).sort()) {
        const folder = join(versions, v);
        if (!statSync(folder).isDirectory()) continue;
        for (const f of readdirSync(folder).sort()) hash.update(`${v}/${f}\0`).update(readFileSync(join(folder, f)));
      }
    return { slug: loaded.slug, key: hash.digest("hex") };
  } catch {
    return undefined;
  }
}
