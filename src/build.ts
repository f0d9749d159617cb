import { rm } from "node:fs/promises";
import { resolve } from "node:path";
import { checkClause } from "./check/library.js";
import { PolicyError, type Problem } from "./errors.js";
import type { Clause } from "./schema/clause.js";
import { loadLibrary, type Library } from "./load/library.js";
import { loadProfile, ownClauseDirs, type LoadedProfile } from "./load/profile.js";
import { builtinPaths } from "./paths.js";
import { printPdfs, type PdfJob, type PrintOptions } from "./pdf/print.js";
import { renderDocument, type PolicyDocument } from "./render/document.js";
import { assetFiles, type RenderedFile } from "./render/files.js";
import { profileSite } from "./site/assemble.js";
import { cacheEntry, cacheHit, profileKey, readCache, writeCache, type BuildCache, type CacheEntry } from "./cache.js";
import { defaultJobs, renderAll } from "./parallel.js";
import type { ProfileOutput, ProfileTask } from "./profile-output.js";
import type { Snapshot } from "./versions/snapshot.js";
import { readVersions } from "./versions/store.js";
import { resolvePolicy, type ResolvedPolicy } from "./resolve.js";
import { LOCALES, type Locale } from "./schema/localized.js";
import { openOutput } from "./lock.js";
import { Staging, type Format, type Manifest, type ManifestEntry } from "./write.js";

export interface BuildOptions {
  /** profile.yaml paths; none builds the bundled example. */
  profiles?: string[];
  out?: string;
  formats?: Format[];
  locales?: Locale[];
  /** true when the user asked for the formats explicitly: then a missing browser fails the build. */
  formatsExplicit?: boolean;
  browser?: Omit<PrintOptions, "onProgress">;
  /** Path the output is published under (default /), for the sitemap, feed and canonical links. */
  base?: string;
  /** Origin of the published site (default: from the profile). */
  siteUrl?: string;
  /** Render threads (default: one per core when there are 4 profiles or more). */
  jobs?: number;
  /** Build only part i of n of the profiles (1-based), e.g. { index: 1, count: 4 }. */
  shard?: { index: number; count: number };
  /** false: ignore and do not update the incremental build cache. */
  cache?: boolean;
  onProgress?: (message: string) => void;
  /** How long to wait for another build writing into `out` (default POLICYPRESS_LOCK_WAIT seconds, else 30 s). */
  lockWaitMs?: number;
}

export interface BuildResult {
  out: string;
  manifest: Manifest;
  files: ManifestEntry[];
  warnings: string[];
  /** Slugs of the profiles rendered this time, and of those kept unchanged from the last build (the cache). */
  rendered: string[];
  unchanged: string[];
}

/** Everything one profile goes through; each stage's output is the next one's input. */
export interface ProfileBuild {
  loaded: LoadedProfile;
  library: Library;
  resolved: ResolvedPolicy;
  documents: Partial<Record<Locale, PolicyDocument>>;
  /** Released versions, oldest first (verified: an edited or missing snapshot stops the build). */
  history: Snapshot[];
  files: RenderedFile[];
}

/**
 * The pipeline, in order: load (read + validate with zod) -> resolve the clause set -> render each
 * locale -> write Markdown and HTML -> print PDFs -> swap the output in and write the manifest.
 */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const out = resolve(options.out ?? "output");
  const formats = options.formats ?? ["md", "html", "pdf"];
  const locales = options.locales ?? [...LOCALES];
  const say = options.onProgress ?? (() => {});
  const warnings: string[] = [];
  const profileOptions: ProfileOptions = { locales, formats, base: options.base, siteUrl: options.siteUrl };
  const paths = shardOf(options.profiles?.length ? options.profiles : [builtinPaths.example], options.shard);

  // load -> validate -> resolve -> render, skipping profiles whose inputs have not changed since the last build
  const cache = options.cache === false ? { entries: {} } : await readCache(out);
  const keyOptions = { ...profileOptions, paper: options.browser?.paper ?? "A4" };
  const keys = options.cache === false ? [] : await Promise.all(paths.map((p) => profileKey(p, keyOptions)));
  const hits = new Map<string, CacheEntry>();
  const tasks: ProfileTask[] = [];
  paths.forEach((path, i) => {
    const k = keys[i];
    const hit = k && cacheHit(cache, k.slug, k.key, out);
    if (hit) hits.set(k.slug, hit);
    else tasks.push({ path, options: profileOptions });
  });
  const jobs = options.jobs ?? defaultJobs(tasks.length);
  const builds = await renderAll(tasks, jobs);
  checkUniqueSlugs(builds, [...hits.keys()]);
  for (const [slug, hit] of hits) {
    warnings.push(...hit.warnings);
    say(`unchanged ${slug}: kept from the last build`);
  }
  for (const b of builds) {
    warnings.push(...b.warnings);
    say(`rendered ${b.slug}: ${b.clauses} clauses in ${b.locales.join(", ")}`);
  }

  // one build at a time per output folder; leftovers of a killed one are put right first (src/lock.ts)
  const inputs = builds.map((b) => ({ file: b.file, slug: b.slug, profileDir: b.dir, clauseDirs: b.clauseDirs }));
  const { lock, notes } = await openOutput(out, inputs, { waitMs: options.lockWaitMs, onWait: say });
  warnings.push(...notes);
  const staging = new Staging(out);
  try {
    const entries: ManifestEntry[] = [];
    const pdfJobs: PdfJob[] = [];
    for (const b of builds) {
      // PDFs are printed from the HTML pages, so those are written whenever PDF is asked for;
      // the site's json and xml files come with the pages
      const wanted = (f: RenderedFile) => formats.includes(f.format) || ((f.format === "json" || f.format === "xml") && (formats.includes("md") || formats.includes("html")));
      const needed = (f: RenderedFile) => wanted(f) || (f.format === "html" && formats.includes("pdf"));
      for (const file of b.files.filter(needed)) {
        const written = await staging.write(`${b.slug}/${file.path}`, file.content);
        if (wanted(file)) entries.push(entry(b, file, file.format, file.path, written));
      }
      if (formats.includes("html") || formats.includes("pdf"))
        for (const asset of assetFiles(b.files))
          if (asset.from) await staging.copy(asset.from, `${b.slug}/${asset.path}`);
          else await staging.write(`${b.slug}/${asset.path}`, asset.content ?? "");
      if (formats.includes("pdf")) pdfJobs.push(...pdfJobsFor(b, staging));
    }
    let complete = true;
    if (pdfJobs.length) {
      const pdf = await printPdfs(pdfJobs, { ...options.browser, onProgress: say });
      if (pdf.missingBrowser) {
        if (options.formatsExplicit) throw new PolicyError({ code: "NO_BROWSER", message: pdf.missingBrowser.message, hint: pdf.missingBrowser.hint });
        warnings.push(`${pdf.missingBrowser.message} PDFs were skipped; Markdown and HTML were written. ${pdf.missingBrowser.hint}`);
        complete = false;
      }
      for (const done of pdf.done) {
        const b = builds.find((x) => x.slug === done.job.slug)!;
        const written = await staging.write(`${done.job.slug}/${done.job.pdfPath}`, done.pdf);
        entries.push(entry(b, done.job.file, "pdf", done.job.pdfPath, written));
      }
    }
    if (!formats.includes("html")) for (const b of builds) await removeHtmlUsedOnlyForPdf(staging, b);
    const manifest = await staging.commit(builds.map((b) => b.slug), entries);
    if (options.cache !== false) await updateCache(out, cache, builds, keys, entries, complete);
    const kept = [...hits.values()].flatMap((h) => h.files.map(({ mtimeMs: _m, ...f }) => f));
    return { out, manifest, files: [...entries, ...kept].sort((a, b) => a.path.localeCompare(b.path)), warnings, rendered: builds.map((b) => b.slug), unchanged: [...hits.keys()] };
  } catch (e) {
    await staging.discard();
    throw e;
  } finally {
    await lock.release();
  }
}

/** Remembers each freshly built profile's key and files; a build left incomplete (no browser) is not remembered. */
async function updateCache(out: string, cache: BuildCache, builds: ProfileOutput[], keys: ({ slug: string; key: string } | undefined)[], entries: ManifestEntry[], complete: boolean) {
  for (const b of builds) {
    const key = keys.find((k) => k?.slug === b.slug)?.key;
    if (key && complete) cache.entries[b.slug] = await cacheEntry(out, key, entries.filter((e) => e.slug === b.slug), b.warnings);
    else delete cache.entries[b.slug];
  }
  await writeCache(out, cache);
}

/** `--shard i/n`: the i-th of n interleaved parts of the profile list, so CI machines can split a build. */
function shardOf(paths: string[], shard: { index: number; count: number } | undefined): string[] {
  if (!shard) return paths;
  return paths.filter((_, i) => i % shard.count === shard.index - 1);
}

/** load -> resolve -> render, for one profile (no file is written yet). */
export interface ProfileOptions {
  locales?: Locale[];
  /** The formats the build writes (the site links downloads only for these). */
  formats?: Format[];
  /** Path the output folder is published under, e.g. /legal/ (default /). */
  base?: string;
  /** Origin of the published site; defaults to that of policy.url, else company.website. */
  siteUrl?: string;
}

/** https://example.com + /legal/ + acme/ : where the profile's folder will be published. */
function siteBaseUrl(loaded: LoadedProfile, site: ProfileOptions): string {
  const origin = new URL(site.siteUrl ?? loaded.profile.policy.url ?? loaded.profile.company.website).origin;
  const base = `/${(site.base ?? "/").replace(/^\/+|\/+$/g, "")}/`.replace(/\/+/g, "/");
  return `${origin}${base}${encodeURIComponent(loaded.slug)}/`;
}

export async function buildProfile(path: string, site: ProfileOptions = {}): Promise<ProfileBuild> {
  const locales = site.locales ?? [...LOCALES];
  const loaded = await loadProfile(path);
  const library = await loadLibrary({ own: ownClauseDirs(loaded) });
  const resolved = resolvePolicy(loaded, library);
  const clauseProblems = resolved.sections.flatMap((s) => s.clauses.flatMap(checkedClause));
  if (clauseProblems.length) throw new PolicyError(clauseProblems);
  const documents: Partial<Record<Locale, PolicyDocument>> = {};
  const problems: Problem[] = [];
  for (const locale of locales) {
    try {
      documents[locale] = renderDocument(loaded, resolved, locale);
    } catch (e) {
      if (!(e instanceof PolicyError)) throw e;
      problems.push(...e.problems);
    }
  }
  if (problems.length) throw new PolicyError(dedupe(problems));
  const history = await readVersions(loaded.dir);
  const files = profileSite(loaded, resolved, documents, history, { formats: site.formats ?? ["md", "html", "pdf"], locales, baseUrl: siteBaseUrl(loaded, site) });
  return { loaded, library, resolved, documents, history, files };
}

// A clause's own checks (placeholders name real fields, no Chinese in the English...) run once per process.
const clauseChecks = new WeakMap<Clause, Problem[]>();
function checkedClause(clause: Clause): Problem[] {
  let problems = clauseChecks.get(clause);
  if (!problems) clauseChecks.set(clause, (problems = checkClause(clause)));
  return problems;
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.file}:${p.line}:${p.code}:${p.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

function entry(b: ProfileOutput, file: RenderedFile, format: Format, path: string, written: { sha256: string; bytes: number }): ManifestEntry {
  return { profile: b.file, slug: b.slug, version: file.version, locale: file.locale, format, path: `${b.slug}/${path}`, ...written };
}

function pdfJobsFor(b: ProfileOutput, staging: Staging): PdfJob[] {
  return b.files
    .filter((f) => f.format === "html" && /(^|\/)(policy\.(zh-CN|en|bilingual)|changes)\.html$/.test(f.path))
    .map((f) => ({
      slug: b.slug,
      file: f,
      locale: f.locale,
      htmlFile: staging.path(`${b.slug}/${f.path}`),
      root: staging.path(b.slug),
      pdfPath: f.path.replace(/\.html$/, ".pdf"),
      documents: f.documents,
      date: f.documents[0]!.effectiveIso,
    }));
}

async function removeHtmlUsedOnlyForPdf(staging: Staging, b: ProfileOutput) {
  for (const f of b.files.filter((x) => x.format === "html")) await rm(staging.path(`${b.slug}/${f.path}`), { force: true });
  await rm(staging.path(`${b.slug}/assets`), { recursive: true, force: true });
}

/** Two profiles writing one folder would overwrite each other: refused, naming both. */
function checkUniqueSlugs(builds: ProfileOutput[], unchanged: string[]) {
  const seen = new Map<string, string>(unchanged.map((slug) => [slug, "a profile of the last build"]));
  const problems: Problem[] = [];
  for (const b of builds) {
    const other = seen.get(b.slug);
    if (other) problems.push({ code: "DUPLICATE_SLUG", file: b.file, field: "slug", message: `the slug "${b.slug}" is also used by ${other}`, hint: "Give each profile its own slug: field." });
    seen.set(b.slug, b.file);
  }
  if (problems.length) throw new PolicyError(problems);
}
