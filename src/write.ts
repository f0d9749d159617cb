import { createHash, randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { PolicyError, type Problem } from "./errors.js";
import { displayPath } from "./load/files.js";
import { outputProblem } from "./output-guard.js";
import { compareText } from "./text-order.js";

/** json and xml are the site's machine-readable files (notices, versions.json, feed, sitemap). */
export type Format = "md" | "html" | "pdf" | "json" | "xml";
export type DocLocale = "zh-CN" | "en" | "bilingual";

/** One line of manifest.json: what a pipeline needs to publish or verify a file. */
export interface ManifestEntry {
  /**
   * The profile file, relative to the output folder (forward slashes): the manifest is read from there by
   * pipelines running anywhere, so a path relative to the build's working directory would lead nowhere.
   */
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
  /**
   * The shared stylesheet and font subsets every page links to (`assets/`), for a publisher to upload and
   * verify with the pages; an empty list when no HTML page is listed (it was left out: `manifest.assets`
   * was undefined for a script reading a Markdown-only build).
   */
  assets: AssetEntry[];
}

export interface AssetEntry {
  path: string;
  sha256: string;
  bytes: number;
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
  /** Folders created (or being created), so writing many files into one folder asks for it once. */
  /** Folders made (or found) under the staging folder already. */
  private readonly made = new Set<string>();
  /** A new staging folder for a build into `out`, or (in a render thread) the build's existing one. */
  constructor(
    readonly out: string,
    dir?: string,
  ) {
    // two builds of one process may start in the same millisecond: a random part keeps their folders apart
    this.dir = dir ?? join(out, `${STAGING_PREFIX}${process.pid}-${Date.now().toString(36)}${randomBytes(3).toString("hex")}-${HOST_TAG}`);
  }

  /**
   * Makes the staging folder, and the output folder when it is missing (not there yet, or removed, empty,
   * a moment ago by another build that had created it and failed). The staging folder is made first
   * without `recursive`, so that a read-only disk says EROFS (a recursive mkdir says ENOENT there).
   */
  async create(): Promise<this> {
    await guarded(this.out, async () => {
      try {
        await mkdir(this.dir);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
        await mkdir(this.out, { recursive: true });
        await mkdir(this.dir);
      }
    });
    return this;
  }

  // made in this thread, as the files are written: a render thread waited for each profile's folder
  // through the thread pool, with its next profile held back (one renders at a time, profile-task.ts)
  private folderFor(abs: string): void {
    const folder = dirname(abs);
    if (this.made.has(folder)) return;
    mkdirSync(folder, { recursive: true });
    this.made.add(folder);
  }

  /** Absolute path for a file under the staging folder; refuses anything that would escape it. */
  path(rel: string): string {
    return inside(this.dir, rel);
  }

  async write(rel: string, content: string | Uint8Array): Promise<{ sha256: string; bytes: number }> {
    const abs = this.path(rel);
    return guarded(this.out, async () => {
      this.folderFor(abs);
      // synchronous from here: the scratch buffer holds this text until it is written and hashed
      const bytes = typeof content === "string" ? encoded(content) : content;
      // written in this thread: through the thread pool (open, write, close: three hand-overs a file) a
      // 200-profile build took 8-15% longer on 2 cores, the pool's threads competing with the render threads
      writeFileSync(abs, bytes);
      return { sha256: createHash("sha256").update(bytes).digest("hex"), bytes: bytes.byteLength };
    });
  }

  async copy(from: string, rel: string): Promise<void> {
    const abs = this.path(rel);
    await guarded(this.out, async () => {
      this.folderFor(abs);
      await copyFile(from, abs);
    });
  }

  async read(rel: string): Promise<Buffer> {
    return readFile(this.path(rel));
  }

  /**
   * Swaps each staged top-level folder (`slugs`) into place, then writes the manifest: `entries` replace
   * those of the profiles in `replaced`, the others' are kept. A folder in the way that no earlier build
   * wrote (neither the manifest nor `known`, the cache's slugs, names it) is not replaced: it may be
   * someone's files. `assets` gives the manifest's asset list from its files and from the assets the
   * previous manifest lists (what an earlier build wrote: see writeSharedAssets), before anything is
   * swapped.
   */
  async commit(
    slugs: string[],
    entries: ManifestEntry[],
    replaced = slugs,
    known: ReadonlySet<string> = new Set(),
    retired: string[] = [],
    assets: (files: ManifestEntry[], written: ReadonlySet<string>) => Promise<AssetEntry[]> = async () => [],
  ): Promise<Manifest> {
    for (const slug of [...slugs, ...retired]) inside(this.out, slug);
    const { files, previous, listed, written } = await mergeManifest(this.out, [...replaced, ...retired], entries);
    const foreign = slugs.filter((slug) => !listed.has(slug) && !known.has(slug) && holdsFiles(join(this.out, slug)));
    if (foreign.length) throw new PolicyError(foreign.map((slug) => foreignFolder(this.out, slug)));
    refuseForeignManifest(this.out);
    const shared = await assets(files, written);
    const manifest: Manifest = { files, assets: shared };
    const text = `${JSON.stringify(manifest, null, 2)}\n`;
    // a rebuild with nothing changed has nothing to swap and a manifest that is already there
    if (!slugs.length && !retired.length && text === previous) {
      await this.discard();
      return manifest;
    }
    // nothing may have been staged (every profile unchanged): the manifest is still written through here
    await mkdir(this.dir, { recursive: true });
    await guarded(this.out, async () => {
      await writeFile(join(this.dir, "manifest.json"), text);
      await writeFile(join(this.dir, COMMIT_PLAN), `${JSON.stringify({ slugs, retired })}\n`);
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

/**
 * A text as UTF-8 in this thread's scratch buffer, valid until the next call. A new Buffer for every file
 * lives until a garbage collection frees it: for 800 profiles that raised the build's peak memory by 15 MB.
 */
let scratch = Buffer.allocUnsafeSlow(1 << 20);
function encoded(text: string): Buffer {
  const most = text.length * 3;
  // a page of many megabytes (hostile values) gets a buffer of its own rather than one kept for good
  if (most > 16 * 2 ** 20) return Buffer.from(text, "utf8");
  if (scratch.length < most) scratch = Buffer.allocUnsafeSlow(Math.max(most, scratch.length * 2));
  return scratch.subarray(0, scratch.write(text, "utf8"));
}

export const STAGING_PREFIX = ".staging-";
/**
 * A shared asset's replacement is written as `<name>.policypress-<pid>`, then renamed (src/site/assets.ts):
 * `recoverOutput` removes only names of this form that a killed build left (a site's own `logo.2024` in
 * its `assets/` is not one).
 */
export const HALF_WRITTEN = ".policypress-";
const HALF_WRITTEN_NAME = new RegExp(`\\${HALF_WRITTEN}(\\d+)$`);
/** Names this machine in staging folders: on a shared network folder, another machine's build is left alone. */
const HOST_TAG = createHash("sha256").update(hostname()).digest("hex").slice(0, 8);

/**
 * A staging folder a build is filling right now: builds render into their own staging folder before
 * they take the output lock (src/build.ts), so a folder of a live process, or of another machine, is
 * not a leftover.
 */
function stagingInUse(name: string): boolean {
  const [, pid, host] = /^\.staging-(\d+)-[0-9a-z]+(?:-([0-9a-f]{8}))?$/.exec(name) ?? [];
  if (!pid) return false;
  if (host && host !== HOST_TAG) return true;
  return processAlive(Number(pid));
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to another user
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
export const COMMIT_PLAN = "commit-plan.json";

/**
 * Carries out a staging folder's plan; safe to run again after being cut off at any point: a profile
 * folder already swapped in is no longer in the staging folder, the one it replaced is kept in `.old/`
 * (inside the staging folder, so removing that removes it) until the end. The renames are made in this
 * thread, one after another: through the thread pool each waited for its hand-over (200 folders took
 * 60 ms more at the end of a build), and nothing else runs in the meantime.
 */
export async function finishCommit(out: string, dir: string): Promise<void> {
  const plan = JSON.parse(await readFile(join(dir, COMMIT_PLAN), "utf8")) as { slugs: string[]; retired?: string[] };
  // a retired slug's folder (its profile is published under another slug now) goes with the old folders
  for (const slug of plan.retired ?? []) {
    const target = inside(out, slug);
    if (!existsSync(target)) continue;
    mkdirSync(join(dir, ".old"), { recursive: true });
    renameSync(target, inside(join(dir, ".old"), slug));
  }
  for (const slug of plan.slugs) {
    const staged = inside(dir, slug);
    const target = inside(out, slug);
    if (!existsSync(staged)) continue;
    if (existsSync(target)) {
      mkdirSync(join(dir, ".old"), { recursive: true });
      renameSync(target, inside(join(dir, ".old"), slug));
    }
    renameSync(staged, target);
  }
  if (existsSync(join(dir, "manifest.json"))) renameSync(join(dir, "manifest.json"), join(out, "manifest.json"));
  // done: what is left is only the old folders; if they cannot be removed now, the next build removes them
  await rm(dir, { recursive: true, force: true }).catch(() => {});
}

/** Puts back what a failed `finishCommit` had swapped: the new folders back into staging, the old ones in place. */
async function undoCommit(out: string, dir: string): Promise<void> {
  const plan = JSON.parse(await readFile(join(dir, COMMIT_PLAN), "utf8")) as { slugs: string[]; retired?: string[] };
  for (const slug of [...plan.slugs, ...(plan.retired ?? [])].reverse()) {
    const staged = inside(dir, slug);
    const target = inside(out, slug);
    const old = inside(join(dir, ".old"), slug);
    if (!existsSync(staged) && existsSync(target)) renameSync(target, staged);
    if (existsSync(old) && !existsSync(target)) renameSync(old, target);
  }
  await rm(join(dir, COMMIT_PLAN));
}

/**
 * What a killed build left in the output folder, put right; call it holding the output lock. A fully
 * staged build is finished (its files are complete and were about to be swapped in; only the lock
 * holder swaps, so its build is gone); a staging folder still being filled by a live build is left
 * alone; anything else is removed. `.old-SLUG-PID`
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
      } else if (stagingInUse(name)) {
        continue;
      } else {
        await guarded(out, () => rm(abs, { recursive: true, force: true }));
        said.push(`removed the staging folder of an interrupted build (${name})`);
      }
    } else if (name === "assets") {
      // a shared asset's half-written replacement (src/site/assets.ts writes it, then renames it)
      for (const tmp of await halfWritten(abs)) await guarded(out, () => rm(tmp, { force: true }));
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

/** `<name>.<pid>` files of processes that are gone, in a folder and its sub-folders. */
async function halfWritten(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])) {
    const pid = HALF_WRITTEN_NAME.exec(e.name)?.[1];
    if (e.isFile() && pid && !processAlive(Number(pid))) found.push(join(e.parentPath, e.name));
  }
  return found;
}

/** `root/rel`, refusing anything that would land outside `root` (`..`, an absolute path, a drive). */
function inside(root: string, rel: string): string {
  const abs = resolve(root, rel);
  // a root that ends with a separator already (/, C:\) is not doubled: "//x" never matched "/x"
  if (!abs.startsWith(root.endsWith(sep) ? root : root + sep) || abs === root)
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

/** A folder with anything in it (a file that is not a folder counts too: it is in the way). */
function holdsFiles(path: string): boolean {
  try {
    return readdirSync(path).length > 0;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== "ENOENT";
  }
}

function foreignFolder(out: string, slug: string): Problem {
  return {
    code: "OUTPUT_FOLDER_TAKEN",
    file: displayPath(join(out, slug)),
    message: `the output folder already holds ${slug}/, which no earlier build wrote (its manifest.json does not list it); it is left as it is`,
    hint: "Move it away, or build into another folder with --out. If it is an old PolicyPress build whose manifest.json was deleted, delete the folder.",
  };
}

/**
 * A manifest.json PolicyPress did not write is left alone, as a site's own files in assets/ are: the
 * output folder may be a site's `public/`, whose manifest.json is its web app manifest (it was replaced
 * without a word). A folder by that name is refused too: the swap renamed the new manifest onto it,
 * failed with EISDIR when the profiles' folders were already in, and ended as an internal error (exit 70).
 * Said before anything moves.
 */
function refuseForeignManifest(out: string): void {
  const path = join(out, "manifest.json");
  if (!existsSync(path)) return;
  const what = !statSync(path).isFile() ? "a folder named manifest.json" : ours(path) ? undefined : "a manifest.json that no PolicyPress build wrote (it has no list of files: a web app manifest, perhaps)";
  if (!what) return;
  throw new PolicyError({
    code: "OUTPUT_FILE_TAKEN",
    file: displayPath(path),
    message: `the output folder holds ${what}, where the build writes the list of its files; it is left as it is`,
    hint: "Build into a folder of its own, e.g. --out public/legal, or move it away. If an old PolicyPress build wrote it and it was damaged, delete it. Nothing of the previous output was changed.",
  });
}

/** A manifest an earlier build wrote: a JSON object with a list of files. */
function ours(path: string): boolean {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<Manifest> | null;
    return typeof parsed === "object" && parsed !== null && Array.isArray(parsed.files);
  } catch {
    return false;
  }
}

/**
 * Keeps other profiles' entries from an earlier build (when their files are still there), replaces ours.
 * Returns the file's text as it was, too, and the slugs it listed.
 */
async function mergeManifest(out: string, slugs: string[], entries: ManifestEntry[]): Promise<{ files: ManifestEntry[]; previous?: string; listed: Set<string>; written: Set<string> }> {
  let previous: ManifestEntry[] = [];
  let assets: unknown[] = [];
  let text: string | undefined;
  try {
    text = await readFile(join(out, "manifest.json"), "utf8");
    const parsed = JSON.parse(text) as Manifest;
    if (Array.isArray(parsed.files)) previous = parsed.files;
    if (Array.isArray(parsed.assets)) assets = parsed.assets;
  } catch {
    previous = [];
  }
  const ours = new Set(slugs);
  const kept = previous.filter((e) => !ours.has(e.slug) && typeof e.path === "string" && existsSync(join(out, e.path)));
  const files = [...kept, ...entries].sort((a, b) => compareText(a.path, b.path));
  // the files under assets/ an earlier build wrote: only these are PolicyPress's to replace or remove
  const written = new Set(assets.map((a) => (a as Partial<AssetEntry> | null)?.path).filter((p): p is string => typeof p === "string"));
  return { files, previous: text, listed: new Set(previous.map((e) => e.slug)), written };
}

/**
 * Each profile file the manifest in `out` lists pages of, with their slug (absolute path, slug), once each;
 * none when there is no readable manifest. What an earlier build published, known without the cache.
 */
export async function manifestProfiles(out: string): Promise<(readonly [string, string])[]> {
  let files: unknown;
  try {
    files = (JSON.parse(await readFile(join(out, "manifest.json"), "utf8")) as Partial<Manifest> | null)?.files;
  } catch {
    return [];
  }
  if (!Array.isArray(files)) return [];
  const pairs = new Map<string, readonly [string, string]>();
  for (const e of files as Partial<ManifestEntry>[]) {
    if (typeof e?.profile !== "string" || typeof e.slug !== "string") continue;
    const path = resolve(out, e.profile);
    pairs.set(`${path}\0${e.slug}`, [path, e.slug]);
  }
  return [...pairs.values()];
}

export const toPosix = (p: string) => p.split(sep).join("/");
export const relativeTo = (from: string, to: string) => toPosix(relative(from, to));
/** A manifest entry's `profile`: the profile file `abs` as seen from the output folder `out`. */
export const manifestProfile = (out: string, abs: string) => relativeTo(out, abs);
