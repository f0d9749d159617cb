import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { PolicyError } from "./errors.js";
import { outputProblem } from "./output-guard.js";

/** json and xml are the site's machine-readable files (notices, versions.json, feed, sitemap). */
export type Format = "md" | "html" | "pdf" | "json" | "xml";
export type DocLocale = "zh-CN" | "en" | "bilingual";

/** One line of manifest.json: what a pipeline needs to publish or verify a file. */
export interface ManifestEntry {
  profile: string;
  slug: string;
  version: string;
  locale: DocLocale;
  format: Format;
  path: string;
  sha256: string;
  bytes: number;
}

export interface Manifest {
  files: ManifestEntry[];
}

/**
 * Builds write into a staging folder inside the output folder; each profile's folder is swapped in only
 * when all its files are written, so a failed or killed build leaves the previous output whole.
 *
 * The swap is a short sequence of renames. To survive being killed in the middle of it, the staging
 * folder first gets a plan (COMMIT_PLAN, written last, so it exists only once everything is staged); the
 * next build into the folder finishes any planned swap (`recoverOutput`) and removes unplanned leftovers.
 */
export class Staging {
  readonly dir: string;
  constructor(readonly out: string) {
    this.dir = join(out, `${STAGING_PREFIX}${process.pid}-${Date.now().toString(36)}`);
  }

  /** Absolute path for a file under the staging folder; refuses anything that would escape it. */
  path(rel: string): string {
    return inside(this.dir, rel);
  }

  async write(rel: string, content: string | Uint8Array): Promise<{ sha256: string; bytes: number }> {
    const abs = this.path(rel);
    await guarded(this.out, async () => {
      await mkdir(dirname(abs), { recursive: true });
      await writeFile(abs, content);
    });
    const buf = typeof content === "string" ? Buffer.from(content, "utf8") : content;
    return { sha256: createHash("sha256").update(buf).digest("hex"), bytes: buf.byteLength };
  }

  async copy(from: string, rel: string): Promise<void> {
    const abs = this.path(rel);
    await guarded(this.out, async () => {
      await mkdir(dirname(abs), { recursive: true });
      await copyFile(from, abs);
    });
  }

  async read(rel: string): Promise<Buffer> {
    return readFile(this.path(rel));
  }

  /** Swaps each staged top-level folder into place, then writes the merged manifest. */
  async commit(slugs: string[], entries: ManifestEntry[]): Promise<Manifest> {
    // nothing may have been staged (every profile unchanged): the manifest is still written through here
    await mkdir(this.dir, { recursive: true });
    for (const slug of slugs) inside(this.out, slug);
    const manifest = await mergeManifest(this.out, slugs, entries);
    await guarded(this.out, async () => {
      await writeFile(join(this.dir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
      await writeFile(join(this.dir, COMMIT_PLAN), `${JSON.stringify({ slugs })}\n`);
    });
    try {
      await finishCommit(this.out, this.dir);
    } catch (e) {
      // a swap that failed half-way is undone, so the previous output stands; should that fail too,
      // the staging folder keeps its plan and the next build finishes the swap instead
      await undoCommit(this.out, this.dir).catch(() => {});
      throw outputProblem(e, this.out) ?? e;
    }
    return manifest;
  }

  /** Removes the staging folder, unless a swap from it is under way (see `commit`). */
  async discard(): Promise<void> {
    if (existsSync(join(this.dir, COMMIT_PLAN))) return;
    await rm(this.dir, { recursive: true, force: true }).catch(() => {});
  }
}

export const STAGING_PREFIX = ".staging-";
export const COMMIT_PLAN = "commit-plan.json";

/**
 * Carries out a staging folder's plan; safe to run again after being cut off at any point: a profile
 * folder already swapped in is no longer in the staging folder, the one it replaced is kept in `.old/`
 * (inside the staging folder, so removing that removes it) until the end.
 */
export async function finishCommit(out: string, dir: string): Promise<void> {
  const plan = JSON.parse(await readFile(join(dir, COMMIT_PLAN), "utf8")) as { slugs: string[] };
  for (const slug of plan.slugs) {
    const staged = inside(dir, slug);
    const target = inside(out, slug);
    if (!existsSync(staged)) continue;
    if (existsSync(target)) {
      await mkdir(join(dir, ".old"), { recursive: true });
      await rename(target, inside(join(dir, ".old"), slug));
    }
    await rename(staged, target);
  }
  if (existsSync(join(dir, "manifest.json"))) await rename(join(dir, "manifest.json"), join(out, "manifest.json"));
  // done: what is left is only the old folders; if they cannot be removed now, the next build removes them
  await rm(dir, { recursive: true, force: true }).catch(() => {});
}

/** Puts back what a failed `finishCommit` had swapped: the new folders back into staging, the old ones in place. */
async function undoCommit(out: string, dir: string): Promise<void> {
  const plan = JSON.parse(await readFile(join(dir, COMMIT_PLAN), "utf8")) as { slugs: string[] };
  for (const slug of [...plan.slugs].reverse()) {
    const staged = inside(dir, slug);
    const target = inside(out, slug);
    const old = inside(join(dir, ".old"), slug);
    if (!existsSync(staged) && existsSync(target)) await rename(target, staged);
    if (existsSync(old) && !existsSync(target)) await rename(old, target);
  }
  await rm(join(dir, COMMIT_PLAN));
}

/**
 * What a killed build left in the output folder, put right; call it holding the output lock (no other
 * build is running then, so every staging folder is a leftover). A fully staged build is finished
 * (its files are complete and were about to be swapped in), anything else is removed. `.old-SLUG-PID`
 * folders are the previous layout's: the folder a swap moved aside, put back when its place is empty.
 */
export async function recoverOutput(out: string): Promise<string[]> {
  const said: string[] = [];
  let names: string[];
  try {
    names = await readdir(out);
  } catch {
    return said;
  }
  for (const name of names.sort()) {
    const abs = join(out, name);
    if (name.startsWith(STAGING_PREFIX)) {
      if (existsSync(join(abs, COMMIT_PLAN))) {
        await guarded(out, () => finishCommit(out, abs));
        said.push(`finished swapping in the output of an interrupted build (${name})`);
      } else {
        await guarded(out, () => rm(abs, { recursive: true, force: true }));
        said.push(`removed the staging folder of an interrupted build (${name})`);
      }
    } else if (/^\.policypress-cache\.json\.\d+$/.test(name)) {
      // the build cache's half-written replacement (src/cache.ts writes it, then renames it)
      await guarded(out, () => rm(abs, { force: true }));
    } else {
      const old = /^\.old-([a-z0-9][a-z0-9-]*)-\d+$/.exec(name);
      if (!old) continue;
      const target = join(out, old[1]!);
      if (existsSync(target)) await guarded(out, () => rm(abs, { recursive: true, force: true }));
      else await guarded(out, () => rename(abs, target));
      said.push(`cleaned up ${name}, left by an interrupted build`);
    }
  }
  return said;
}

/** `root/rel`, refusing anything that would land outside `root` (`..`, an absolute path, a drive). */
function inside(root: string, rel: string): string {
  const abs = resolve(root, rel);
  if (!abs.startsWith(root + sep))
    throw new PolicyError({ code: "UNSAFE_PATH", message: `refusing to write outside the output folder: ${rel}`, hint: "Slugs and versions may hold only letters, digits, dots and dashes." });
  return abs;
}

/** Runs a write; a full disk or a read-only folder becomes an error for people (see output-guard.ts). */
async function guarded<T>(out: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw outputProblem(e, out) ?? e;
  }
}

/** Keeps other profiles' entries from an earlier build (when their files are still there), replaces ours. */
async function mergeManifest(out: string, slugs: string[], entries: ManifestEntry[]): Promise<Manifest> {
  let previous: ManifestEntry[] = [];
  try {
    const parsed = JSON.parse(await readFile(join(out, "manifest.json"), "utf8")) as Manifest;
    if (Array.isArray(parsed.files)) previous = parsed.files;
  } catch {
    previous = [];
  }
  const kept = previous.filter((e) => !slugs.includes(e.slug) && typeof e.path === "string" && existsSync(join(out, e.path)));
  const files = [...kept, ...entries].sort((a, b) => a.path.localeCompare(b.path));
  return { files };
}

export const toPosix = (p: string) => p.split(sep).join("/");
export const relativeTo = (from: string, to: string) => toPosix(relative(from, to));
