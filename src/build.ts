import { resolve } from "node:path";
import { checkClause } from "./check/library.js";
import { complianceWarnings } from "./check/compliance.js";
import { PolicyError, type Problem } from "./errors.js";
import type { Clause } from "./schema/clause.js";
import { loadLibrary, type Library } from "./load/library.js";
import { loadProfile, ownClauseDirs, type LoadedProfile } from "./load/profile.js";
import { builtinPaths } from "./paths.js";
import { printPdfs, type PdfJob, type PrintOptions } from "./pdf/print.js";
import { renderDocument, type PolicyDocument } from "./render/document.js";
import { assetFiles, type RenderedFile } from "./render/files.js";
import { profileSite } from "./site/assemble.js";
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
  onProgress?: (message: string) => void;
  /** How long to wait for another build writing into `out` (default POLICYPRESS_LOCK_WAIT seconds, else 30 s). */
  lockWaitMs?: number;
}

export interface BuildResult {
  out: string;
  manifest: Manifest;
  files: ManifestEntry[];
  warnings: string[];
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

  const builds: ProfileBuild[] = [];
  const problems: Problem[] = [];
  for (const path of options.profiles?.length ? options.profiles : [builtinPaths.example]) {
    try {
      builds.push(await buildProfile(path, { locales, formats, base: options.base, siteUrl: options.siteUrl }));
    } catch (e) {
      if (!(e instanceof PolicyError)) throw e;
      problems.push(...e.problems);
    }
  }
  if (problems.length) throw new PolicyError(problems);
  checkUniqueSlugs(builds);
  for (const b of builds) {
    warnings.push(...b.library.replaced.map((r) => `${b.loaded.file}: own clause ${r}`));
    // a build is not a compliance gate: what `check` fails on (a required item missing...) only warns here
    warnings.push(...(await complianceWarnings(b)));
    say(`rendered ${b.loaded.slug}: ${b.resolved.sections.reduce((n, s) => n + s.clauses.length, 0)} clauses in ${Object.keys(b.documents).join(", ")}`);
  }

  // one build at a time per output folder; leftovers of a killed one are put right first (src/lock.ts)
  const inputs = builds.map((b) => ({ file: b.loaded.file, slug: b.loaded.slug, profileDir: b.loaded.dir, clauseDirs: ownClauseDirs(b.loaded) }));
  const { lock, notes } = await openOutput(out, inputs, { waitMs: options.lockWaitMs, onWait: say });
  warnings.push(...notes);
  const staging = new Staging(out);
  try {
    const entries: ManifestEntry[] = [];
    const pdfJobs: PdfJob[] = [];
    for (const b of builds) {
      // PDFs are printed from the HTML pages, so those are written whenever PDF is asked for
      // the site's json and xml files come with the pages
      const wanted = (f: RenderedFile) => formats.includes(f.format) || ((f.format === "json" || f.format === "xml") && (formats.includes("md") || formats.includes("html")));
      const needed = (f: RenderedFile) => wanted(f) || (f.format === "html" && formats.includes("pdf"));
      for (const file of b.files.filter(needed)) {
        const written = await staging.write(`${b.loaded.slug}/${file.path}`, file.content);
        if (wanted(file)) entries.push(entry(b, file, file.format, file.path, written));
      }
      if (formats.includes("html") || formats.includes("pdf"))
        for (const asset of assetFiles(b.files))
          if (asset.from) await staging.copy(asset.from, `${b.loaded.slug}/${asset.path}`);
          else await staging.write(`${b.loaded.slug}/${asset.path}`, asset.content ?? "");
      if (formats.includes("pdf")) pdfJobs.push(...pdfJobsFor(b, staging));
    }
    if (pdfJobs.length) {
      const pdf = await printPdfs(pdfJobs, { ...options.browser, onProgress: say });
      if (pdf.missingBrowser) {
        if (options.formatsExplicit) throw new PolicyError({ code: "NO_BROWSER", message: pdf.missingBrowser.message, hint: pdf.missingBrowser.hint });
        warnings.push(`${pdf.missingBrowser.message} PDFs were skipped; Markdown and HTML were written. ${pdf.missingBrowser.hint}`);
      }
      for (const done of pdf.done) {
        const b = builds.find((x) => x.loaded.slug === done.job.slug)!;
        const written = await staging.write(`${done.job.slug}/${done.job.pdfPath}`, done.pdf);
        entries.push(entry(b, done.job.file, "pdf", done.job.pdfPath, written));
      }
    }
    if (!formats.includes("html")) for (const b of builds) await removeHtmlUsedOnlyForPdf(staging, b);
    const manifest = await staging.commit(builds.map((b) => b.loaded.slug), entries);
    return { out, manifest, files: entries.sort((a, b) => a.path.localeCompare(b.path)), warnings };
  } catch (e) {
    await staging.discard();
    throw e;
  } finally {
    await lock.release();
  }
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

function entry(b: ProfileBuild, file: RenderedFile, format: Format, path: string, written: { sha256: string; bytes: number }): ManifestEntry {
  return { profile: b.loaded.file, slug: b.loaded.slug, version: file.version, locale: file.locale, format, path: `${b.loaded.slug}/${path}`, ...written };
}

function pdfJobsFor(b: ProfileBuild, staging: Staging): PdfJob[] {
  return b.files
    .filter((f) => f.format === "html" && /(^|\/)(policy\.(zh-CN|en|bilingual)|changes)\.html$/.test(f.path))
    .map((f) => ({
      slug: b.loaded.slug,
      file: f,
      locale: f.locale,
      htmlFile: staging.path(`${b.loaded.slug}/${f.path}`),
      root: staging.path(b.loaded.slug),
      pdfPath: f.path.replace(/\.html$/, ".pdf"),
      documents: f.documents,
      date: f.documents[0]!.effectiveIso,
    }));
}

async function removeHtmlUsedOnlyForPdf(staging: Staging, b: ProfileBuild) {
  const { rm } = await import("node:fs/promises");
  for (const f of b.files.filter((x) => x.format === "html")) await rm(staging.path(`${b.loaded.slug}/${f.path}`), { force: true });
  await rm(staging.path(`${b.loaded.slug}/assets`), { recursive: true, force: true });
}

function checkUniqueSlugs(builds: ProfileBuild[]) {
  const seen = new Map<string, string>();
  const problems: Problem[] = [];
  for (const b of builds) {
    const other = seen.get(b.loaded.slug);
    if (other) problems.push({ code: "DUPLICATE_SLUG", file: b.loaded.file, field: "slug", line: b.loaded.lineOf(["slug"]), message: `the slug "${b.loaded.slug}" is also used by ${other}`, hint: "Give each profile its own slug: field." });
    seen.set(b.loaded.slug, b.loaded.file);
  }
  if (problems.length) throw new PolicyError(problems);
}
