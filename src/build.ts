import { resolve } from "node:path";
import { checkClause } from "./check/library.js";
import { PolicyError, type Problem } from "./errors.js";
import type { Clause } from "./schema/clause.js";
import { loadLibrary, type Library } from "./load/library.js";
import { loadProfile, ownClauseDirs, type LoadedProfile } from "./load/profile.js";
import { builtinPaths } from "./paths.js";
import { printPdfs, type PdfJob, type PrintOptions } from "./pdf/print.js";
import { renderDocument, type PolicyDocument } from "./render/document.js";
import { assetFiles, noticeFiles, renderFiles, type RenderedFile } from "./render/files.js";
import { diffVersions } from "./versions/changes.js";
import { asView, draftChanges } from "./versions/history.js";
import { makeNotice } from "./versions/notice.js";
import type { Snapshot } from "./versions/snapshot.js";
import { readVersions } from "./versions/store.js";
import { resolvePolicy, type ResolvedPolicy } from "./resolve.js";
import { LOCALES, type Locale } from "./schema/localized.js";
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
  onProgress?: (message: string) => void;
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
      builds.push(await buildProfile(path, locales));
    } catch (e) {
      if (!(e instanceof PolicyError)) throw e;
      problems.push(...e.problems);
    }
  }
  if (problems.length) throw new PolicyError(problems);
  checkUniqueSlugs(builds);
  for (const b of builds) {
    warnings.push(...b.library.replaced.map((r) => `${b.loaded.file}: own clause ${r}`));
    say(`rendered ${b.loaded.slug}: ${b.resolved.sections.reduce((n, s) => n + s.clauses.length, 0)} clauses in ${Object.keys(b.documents).join(", ")}`);
  }

  const staging = new Staging(out);
  try {
    const entries: ManifestEntry[] = [];
    const pdfJobs: PdfJob[] = [];
    for (const b of builds) {
      // PDFs are printed from the HTML pages, so those are written whenever PDF is asked for
      const wanted = (f: RenderedFile) => formats.includes(f.format) || (f.format === "json" && (formats.includes("md") || formats.includes("html")));
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
  }
}

/** load -> resolve -> render, for one profile (no file is written yet). */
export async function buildProfile(path: string, locales: Locale[] = [...LOCALES]): Promise<ProfileBuild> {
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
  return { loaded, library, resolved, documents, history, files: [...currentFiles(loaded, resolved, documents, history, locales), ...releasedFiles(history, locales)] };
}

/**
 * The policy at the top of the profile's folder: the latest release when the profile has not changed
 * since, else the draft, with the notice of what changed since the latest release.
 */
function currentFiles(loaded: LoadedProfile, resolved: ResolvedPolicy, documents: Partial<Record<Locale, PolicyDocument>>, history: Snapshot[], locales: Locale[]): RenderedFile[] {
  const latest = history[history.length - 1];
  if (!latest) return renderFiles(documents);
  const { view, changes } = draftChanges(loaded, resolved, latest);
  if (changes.unchanged) return renderFiles(pickLocales(latest.documents, locales));
  // the draft's notice is dated by the profile, not the clock, so rebuilding gives the same files
  const dated = loaded.profile.policy.updatedDate ?? loaded.profile.policy.effectiveDate;
  return [...renderFiles(documents), ...noticeFiles(makeNotice(changes, view, dated, loaded.profile.policy.effectiveDate), Object.values(documents))];
}

/** Every released version, re-made from its snapshot (never from today's clauses), with its notice. */
function releasedFiles(history: Snapshot[], locales: Locale[]): RenderedFile[] {
  return history.flatMap((snapshot, i) => {
    const folder = `versions/${snapshot.version}/`;
    const docs = pickLocales(snapshot.documents, locales);
    const files = renderFiles(docs, folder);
    if (i > 0) {
      const changes = diffVersions(asView(history[i - 1]!), asView(snapshot));
      files.push(...noticeFiles(makeNotice(changes, asView(snapshot), snapshot.released), Object.values(docs), folder));
    }
    return files;
  });
}

function pickLocales(documents: Record<Locale, PolicyDocument>, locales: Locale[]): Partial<Record<Locale, PolicyDocument>> {
  return Object.fromEntries(locales.map((l) => [l, documents[l]]));
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
    .filter((f) => f.format === "html")
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
