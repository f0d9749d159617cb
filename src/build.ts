import { existsSync } from "node:fs";
import { rm, rmdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { CACHE_FILE, cachedFiles, emptyCache, keptEntries, readCache, sharedKeys, writeCache, type BuildCache, type CachedFile, type CacheEntry } from "./cache.js";
import { asWarning } from "./check/compliance.js";
import { PolicyError, type Problem } from "./errors.js";
import { displayPath, repeatedTargets } from "./load/files.js";
import { recheckFiles } from "./load/fresh.js";
import { createOutputFolder } from "./output-guard.js";
import { buildOptionProblems, type BuildOptions } from "./schema/build-options.js";
export type { BuildOptions } from "./schema/build-options.js";
import { ASSETS_FOLDER, builtinPaths } from "./paths.js";
import { browserIdentity } from "./pdf/browser.js";
import { printPdfs, type PdfJob } from "./pdf/print.js";
import type { TaskResult } from "./profile-task.js";
import { pruneSharedAssets, stageSharedAssets, writeSharedAssets, type KnownFaces } from "./site/assets.js";
import { defaultJobs, runAll } from "./parallel.js";
import { LOCALES } from "./schema/localized.js";
import { reservedSlug } from "./schema/profile.js";
import { defaultLockWaitMs, openOutput, type OutputLock } from "./lock.js";
import { tuneV8ForBuild } from "./v8-tuning.js";
import { manifestProfile, manifestProfiles, Staging, type Manifest, type ManifestEntry } from "./write.js";
import { compareText } from "./text-order.js";

export { buildProfile, renderProfile, type ProfileBuild, type ProfileOptions } from "./profile-build.js";

export interface BuildResult {
  out: string;
  manifest: Manifest;
  files: ManifestEntry[];
  /** What does not stop the build, one formatted line each (as the CLI prints them)... */
  warnings: string[];
  /** ...and the same as objects: code, file, line, field, message, hint (as --json prints them). */
  warningProblems: Problem[];
  /** Slugs of the profiles rendered this time, and of those kept unchanged from the last build (the cache). */
  rendered: string[];
  unchanged: string[];
  /** Render threads that rendered at least one profile (0 when none was rendered). */
  threads: number;
}

type Rendered = Extract<TaskResult, { kind: "rendered" }>;

/**
 * The slugs a rendered profile was published under before and is not now (its slug was changed): their
 * folders and manifest entries go, or the old policy would stay online. A slug another profile file
 * still publishes (built into this folder by another build) is left to it. `published` pairs profile
 * files with slugs as the cache and the manifest remember them: with --no-cache the manifest alone
 * tells, where the old folder used to stay online.
 */
function retiredSlugs(published: (readonly [path: string, slug: string])[], rendered: Rendered[]): string[] {
  const slugOf = new Map(rendered.map((r) => [r.path, r.slug]));
  const now = new Set(slugOf.values());
  const before = new Set(published.filter(([path, slug]) => slugOf.has(path) && slugOf.get(path) !== slug).map(([, slug]) => slug));
  return [...before].filter((old) => !now.has(old) && !published.some(([path, slug]) => slug === old && !slugOf.has(path)));
}

/**
 * The pipeline, in order: for each profile, in the render threads, load (read + validate with zod) ->
 * resolve the clause set -> render each locale -> write Markdown and HTML into the staging folder;
 * then lock the output folder -> print PDFs -> the shared stylesheet and fonts every listed page needs ->
 * swap the profiles' folders in and write the manifest -> remove the fonts no page needs -> the cache.
 */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const wrong = buildOptionProblems(options);
  if (wrong.length) throw new PolicyError(wrong);
  const out = resolve(options.out ?? "output");
  const formats = options.formats ?? ["md", "html", "pdf"];
  const locales = options.locales ?? [...LOCALES];
  const say = options.onProgress ?? (() => {});
  const useCache = options.cache !== false;
  const paper = options.browser?.paper ?? "A4";
  const profileOptions = { locales, formats, base: options.base, siteUrl: options.siteUrl, paper };
  const paths = shardOf(options.profiles?.length ? options.profiles : [builtinPaths.example], options.shard).map((p) => resolve(p));
  checkRepeatedPaths(paths);
  // said before rendering, not once the lock is wanted
  const lockWaitMs = options.lockWaitMs ?? defaultLockWaitMs();

  // each profile is rendered into this build's own staging folder; the lock is taken only to print and
  // swap, so builds into one folder render at the same time and a mistake is reported without waiting
  // clause files edited since this process last read them are read again (src/load/fresh.ts)
  recheckFiles();
  const restoreV8 = tuneV8ForBuild();
  const created = !existsSync(out);
  const staging = new Staging(out);
  let lock: OutputLock | undefined;
  try {
    await createOutputFolder(out);
    await staging.create();
    const cache = useCache ? await readCache(out) : emptyCache();
    // a PDF depends on the browser that prints it: another Chromium is another key
    const browser = formats.includes("pdf") ? browserIdentity(options.browser ?? {}) : undefined;
    const shared = useCache ? sharedKeys({ ...profileOptions, browser }) : undefined;
    const tasks = paths.map((path) => ({ path, options: profileOptions, out, staging: staging.dir, shared, previous: cache.entries[path] }));
    const { results, threads } = await runAll(
      tasks,
      options.jobs ?? defaultJobs(tasks.length),
      (r) => say(r.kind === "rendered" ? `rendered ${r.slug}: ${r.clauses} clauses in ${r.locales.join(", ")}` : `unchanged ${r.entry.slug}: kept from the last build`),
      { spare: options.jobs === undefined },
    );
    const rendered = results.filter((r): r is Rendered => r.kind === "rendered");
    const unchanged = results.flatMap((r) => (r.kind === "unchanged" ? [r.entry] : []));
    const renderedSlugs = rendered.map((r) => r.slug);
    const unchangedSlugs = unchanged.map((e) => e.slug);
    checkSlugs(rendered, results.flatMap((r) => (r.kind === "unchanged" ? [[r.path, r.entry] as const] : [])));

    // one build at a time swaps into an output folder; leftovers of a killed one are put right first (src/lock.ts)
    const opened = await openOutput(out, { waitMs: lockWaitMs, onWait: say });
    lock = opened.lock;
    // read again under the lock: another build into the folder may have written it since this one read it
    const latest = useCache ? await readCache(out) : undefined;
    // each warning as an object (--json); the line the CLI prints is made when asked for (lines.get), so
    // a build of thousands of profiles does not hold every warning twice
    const warnings: Problem[] = [];
    const ownLines = new Map<Problem, string>();
    const warn = (problem: Problem, line?: string) => (warnings.push(problem), line !== undefined && ownLines.set(problem, line));
    let lines: string[] | undefined;
    for (const note of opened.notes) warn({ code: "OUTPUT_RECOVERED", file: displayPath(out), message: note }, note);
    for (const r of results) for (const w of r.kind === "rendered" ? r.warnings : r.entry.warnings) warn(w);
    // with --no-cache too: the manifest names each page's profile file, read under the lock (another shard's are in it)
    const published = [...cachedProfiles(cache), ...(await manifestProfiles(out))];
    for (const w of takenOverSlugs(published, rendered, paths)) warn(w);
    const entries = rendered.flatMap((r) => r.entries);
    let complete = true;
    if (formats.includes("pdf") && rendered.some((r) => r.pdf.length)) {
      // the pages being printed are in the staging folder: the assets they link to go beside them
      await stageSharedAssets(staging, [...new Set(rendered.flatMap((r) => r.faces))]);
      const pdf = await printPdfs(pdfJobs(rendered, staging), {
        ...options.browser,
        onProgress: say,
        save: async (job, bytes) => {
          const written = await staging.write(`${job.slug}/${job.pdfPath}`, bytes);
          const from = rendered.find((r) => r.slug === job.slug)!;
          entries.push({ profile: manifestProfile(out, from.path), slug: job.slug, version: job.version, locale: job.locale, format: "pdf", path: `${job.slug}/${job.pdfPath}`, ...written });
        },
      });
      if (pdf.missingBrowser) {
        if (options.formatsExplicit) throw new PolicyError({ code: "NO_BROWSER", message: pdf.missingBrowser.message, hint: pdf.missingBrowser.hint });
        const message = `${pdf.missingBrowser.message} PDFs were skipped; Markdown and HTML were written.`;
        warn({ code: "NO_BROWSER", message, hint: pdf.missingBrowser.hint }, `${message} ${pdf.missingBrowser.hint}`);
        complete = false;
      }
      await rm(staging.path(ASSETS_FOLDER), { recursive: true, force: true });
      for (const r of rendered) for (const page of r.printOnly) await rm(staging.path(`${r.slug}/${page}`), { force: true });
    }
    // the profiles kept from the last build are listed as the cache knows them, whatever the manifest file holds
    const kept = results.flatMap((r) => (r.kind === "unchanged" ? keptEntries(out, r.path, r.entry) : []));
    const known = new Set(Object.values(cache.entries).map((e) => e.slug));
    // the shared assets serve every page the manifest lists: this build's, and other builds' (another shard)
    const faces: KnownFaces[] = [...rendered.map((r) => ({ faces: r.faces, files: r.entries })), ...unchanged, ...Object.values(latest?.entries ?? {})];
    // only what an earlier build wrote into assets/ (the previous manifest's list, which commit reads) is
    // replaced or removed: it may be a site's own folder
    let ownAssets: ReadonlySet<string> = new Set();
    const assets = (files: ManifestEntry[], written: ReadonlySet<string>) => writeSharedAssets(out, files, faces, (ownAssets = written));
    const manifest = await staging.commit(renderedSlugs, [...entries, ...kept], [...renderedSlugs, ...unchangedSlugs], known, retiredSlugs(published, rendered), assets);
    // only now that the pages using them are gone: the subsets no page needs any more
    await pruneSharedAssets(out, manifest.assets ?? [], ownAssets);
    if (latest) await updateCache(out, latest, rendered, results, entries, complete).catch((e: unknown) => warn(cacheNotSaved(out, e)));
    return {
      out,
      manifest,
      files: [...entries, ...kept].sort((a, b) => compareText(a.path, b.path)),
      get warnings() {
        return (lines ??= warnings.map((w) => ownLines.get(w) ?? asWarning(w)));
      },
      warningProblems: warnings,
      rendered: renderedSlugs,
      unchanged: unchangedSlugs,
      threads,
    };
  } catch (e) {
    await staging.discard();
    // a build that failed before writing anything leaves no output folder behind it either
    if (created && !lock) await rmdir(out).catch(() => {});
    throw e;
  } finally {
    await lock?.release();
    restoreV8();
  }
}

function pdfJobs(rendered: Rendered[], staging: Staging): PdfJob[] {
  return rendered.flatMap((r) =>
    r.pdf.map((p) => ({
      slug: r.slug,
      locale: p.locale,
      version: p.version,
      htmlFile: staging.path(`${r.slug}/${p.htmlPath}`),
      allowed: [staging.path(r.slug), staging.path(ASSETS_FOLDER)],
      pdfPath: p.pdfPath,
      documents: p.documents,
      date: p.date,
    })),
  );
}

/**
 * Remembers each profile's keys and files (rendered now or kept) in `cache`, as read under the lock; a
 * profile left incomplete (no browser for its PDFs) is forgotten, so the next build renders it again.
 */
async function updateCache(out: string, cache: BuildCache, rendered: Rendered[], results: TaskResult[], entries: ManifestEntry[], complete: boolean) {
  const filesOf = new Map<string, CachedFile[]>();
  for (const f of complete ? cachedFiles(out, entries) : []) {
    const list = filesOf.get(f.slug);
    if (list) list.push(f);
    else filesOf.set(f.slug, [f]);
  }
  for (const r of results) {
    if (r.kind === "unchanged") cache.entries[r.path] = r.entry;
    else if (r.kind === "rendered" && r.keys && complete) cache.entries[r.path] = { slug: r.slug, ...r.keys, files: filesOf.get(r.slug) ?? [], faces: r.faces, warnings: r.warnings };
    else delete cache.entries[r.path];
  }
  // a profile file now building under another slug leaves no stale entry claiming that slug's folder
  const slugs = new Map(rendered.map((r) => [r.slug, r.path]));
  for (const [path, entry] of Object.entries(cache.entries)) if (slugs.has(entry.slug) && slugs.get(entry.slug) !== path) delete cache.entries[path];
  await writeCache(out, cache);
}

/**
 * The output is published by now, and the cache only saves work: a cache that cannot be written (a full
 * disk, a folder by its name) is said, not an internal error (exit 70) after a complete build. The file
 * left as it was never serves a stale page: the pages just swapped in are not the files it lists.
 */
function cacheNotSaved(out: string, error: unknown): Problem {
  const e = error as NodeJS.ErrnoException;
  return {
    code: "CACHE_NOT_SAVED",
    file: displayPath(join(out, CACHE_FILE)),
    message: `the build cache could not be saved (${e.code ?? e.message}); the output is complete, and the next build renders the profiles again`,
    hint: `Check the disk and that ${CACHE_FILE} in the output folder is a file you may write (or delete it); --no-cache builds without it.`,
  };
}

/** `--shard i/n`: the i-th of n interleaved parts of the profile list, so CI machines can split a build. */
function shardOf(paths: string[], shard: { index: number; count: number } | undefined): string[] {
  if (!shard) return paths;
  return paths.filter((_, i) => i % shard.count === shard.index - 1);
}

/**
 * A profile publishing under a slug that an earlier build into this folder published another profile file
 * under, a file that is still there and not in this build (another shard, or a copy given the same slug):
 * its pages replace the other's without a word otherwise. Said, not refused: a profile file moved to
 * another folder is the same policy. `published` pairs a profile file with a slug, as the cache and the
 * manifest remember them.
 */
function takenOverSlugs(published: Iterable<readonly [path: string, slug: string]>, rendered: Rendered[], paths: string[]): Problem[] {
  const building = new Set(paths);
  // by slug, so that thousands of profiles are not each compared with every entry of the cache
  const publishedFrom = new Map<string, Set<string>>();
  for (const [path, slug] of published)
    if (!building.has(path)) (publishedFrom.get(slug) ?? publishedFrom.set(slug, new Set()).get(slug)!).add(path);
  return rendered.flatMap((r) =>
    [...(publishedFrom.get(r.slug) ?? [])]
      .filter((path) => existsSync(path))
      .map((path) => ({
        code: "SLUG_TAKEN_OVER", file: r.file, field: "slug",
        message: `the slug "${r.slug}" was published from ${displayPath(path)} by an earlier build into this folder; this profile's pages replace that policy's`,
        hint: `If ${displayPath(path)} is still to be published, give one of the two its own slug: field; if this profile replaces it, there is nothing to do.`,
      })),
  );
}

const cachedProfiles = (cache: BuildCache) => Object.entries(cache.entries).map(([path, e]) => [path, e.slug] as const);

/** Two profiles writing one folder would overwrite each other: refused, naming both. */
function checkSlugs(rendered: Rendered[], unchanged: (readonly [string, CacheEntry])[]) {
  // one kept from the last build is in this build all the same: named, not "a profile of the last build"
  const seen = new Map<string, string>(unchanged.map(([path, e]) => [e.slug, `${displayPath(path)} (unchanged since the last build)`]));
  const problems: Problem[] = [];
  for (const r of rendered) {
    const other = seen.get(r.slug);
    if (other) problems.push({ code: "DUPLICATE_SLUG", file: r.file, field: "slug", message: `the slug "${r.slug}" is also used by ${other}`, hint: "Give each profile its own slug: field." });
    // a slug written in the profile is refused when it is read; one taken from the file or folder name here
    else if (reservedSlug(r.slug))
      problems.push({ code: "RESERVED_SLUG", file: r.file, field: "slug", message: `the slug "${r.slug}" ${reservedSlug(r.slug)}`, hint: "Give the profile another slug: field." });
    seen.set(r.slug, r.file);
  }
  if (problems.length) throw new PolicyError(problems);
}

/**
 * The same profile file named twice would be rendered twice into one folder. Named by two paths (a
 * symbolic link to its folder, a hard link, `a/../a/profile.yaml`), it is still one file: compared by
 * what the paths lead to, or it was rendered twice and then refused as a slug clash with itself.
 */
function checkRepeatedPaths(paths: string[]) {
  const problems: Problem[] = [];
  for (const { at, first } of repeatedTargets(paths)) {
    const [path, earlier] = [paths[at]!, paths[first]!];
    if (earlier === path) {
      if (!problems.some((p) => p.file === displayPath(path))) problems.push({ code: "DUPLICATE_PROFILE", file: displayPath(path), message: "this profile is named more than once in the build", hint: "Name each profile file once." });
    } else
      problems.push({ code: "DUPLICATE_PROFILE", file: displayPath(path), message: `this profile is the same file as ${displayPath(earlier)}, named by another path (through a link)`, hint: `Name each profile file once: drop ${displayPath(path)} or ${displayPath(earlier)}.` });
  }
  if (problems.length) throw new PolicyError(problems);
}

