import { dirname, resolve } from "node:path";
import { filesIntact, quickKey, resolvedKey, type CacheEntry, type SharedKeys } from "./cache.js";
import { checkCompliance } from "./check/compliance.js";
import type { Problem } from "./errors.js";
import { glyphProblems } from "./check/glyphs.js";
import { displayPath, readText } from "./load/files.js";
import { loadLibraryOfRound, unreadFileWarnings, untitledSections } from "./load/library.js";
import { ownClauseDirs, parseProfile } from "./load/profile.js";
import { checkOutputTargets, outputInside } from "./output-guard.js";
import type { PdfDocument } from "./pdf/print.js";
import { renderProfile, withReferenceProblems, type ProfileOptions } from "./profile-build.js";
import type { RenderedFile } from "./render/files.js";
import { resolvePolicy } from "./resolve.js";
import { pageFaces } from "./site/assets.js";
import { manifestProfile, Staging, type DocLocale, type Format, type ManifestEntry } from "./write.js";

/**
 * One profile's part of a build, run in a render thread: key -> load -> resolve -> key -> render ->
 * write into the staging folder. Only small plain data goes back to the main thread (manifest lines,
 * what to print), so memory does not grow with the number of profiles.
 */
export interface ProfileTask {
  path: string;
  options: ProfileOptions & { formats: Format[] };
  out: string;
  /** The build's staging folder (absolute), inside `out`. */
  staging: string;
  /** Undefined when the cache is off. */
  shared?: SharedKeys;
  /** The last build's cache entry for this profile file. */
  previous?: CacheEntry;
}

/** A document to print as PDF, from an HTML page written to the staging folder. */
export interface PdfSource {
  /** The HTML page and the PDF, relative to the profile's folder. */
  htmlPath: string;
  pdfPath: string;
  locale: DocLocale;
  version: string;
  documents: PdfDocument[];
  /** YYYY-MM-DD: the PDF's dates, so rebuilds are byte-identical. */
  date: string;
}

export type TaskResult =
  | { kind: "unchanged"; path: string; entry: CacheEntry }
  | {
      kind: "rendered";
      path: string;
      slug: string;
      /** The profile as the user named it (for messages and the manifest). */
      file: string;
      clauses: number;
      locales: string[];
      entries: ManifestEntry[];
      pdf: PdfSource[];
      /** The font subsets (indexes into allFaces()) its HTML pages need. */
      faces: number[];
      /** HTML pages written only to print PDFs from (HTML was not asked for): removed after printing. */
      printOnly: string[];
      /** Problems that do not stop the build (compliance, a replaced built-in clause, a missing glyph). */
      warnings: Problem[];
      /** What the cache remembers once the output is in place (undefined when the cache is off). */
      keys?: { quick: string; key: string; ownDirs: string[] };
    };

const PRINTED = /(^|\/)(policy\.(zh-CN|en|bilingual)|changes)\.html$/;

export async function runProfileTask(task: ProfileTask): Promise<TaskResult> {
  const abs = resolve(task.path);
  const text = await readText(abs, "profile");
  const bytes = Buffer.from(text, "utf8");
  const previous = task.previous;
  if (task.shared && previous) {
    const quick = quickKey(task.shared, bytes, dirname(abs), previous.ownDirs);
    if (previous.quick === quick && filesIntact(task.out, previous.files)) return kept(abs, previous);
  }
  return oneAtATime(() => renderTask(task, abs, text, bytes));
}

/** A profile kept from the last build: its cache entry stands for its output. */
const kept = (path: string, entry: CacheEntry): TaskResult => ({ kind: "unchanged", path, entry });

/**
 * A thread has several profiles under way (IN_FLIGHT in parallel.ts), so that reading a profile and
 * checking its cache entry overlap with work, but renders one at a time: two interleaved at their awaits
 * kept both profiles' intermediate objects alive across garbage collections, and a 200-profile build
 * took about 5% longer.
 */
let renderingDone: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  const run = renderingDone.then(work);
  renderingDone = run.catch(() => {});
  return run;
}

async function renderTask(task: ProfileTask, abs: string, text: string, bytes: Buffer): Promise<TaskResult> {
  const previous = task.previous;
  // the own clause folders are read only when the output is not inside one (checkOutputTargets, below)
  const loaded = await withReferenceProblems(
    () => parseProfile(text, displayPath(abs), abs),
    (own) => (outputInside(task.out, own) ? undefined : loadLibraryOfRound({ own })),
  );
  const ownDirs = ownClauseDirs(loaded);
  // before anything is read from the clause folders or written: an output folder that overlaps the inputs
  checkOutputTargets(task.out, [{ file: loaded.file, slug: loaded.slug, profileDir: loaded.dir, clauseDirs: ownDirs }]);
  const library = await loadLibraryOfRound({ own: ownDirs });
  const resolved = resolvePolicy(loaded, library);
  const keys = task.shared && { quick: quickKey(task.shared, bytes, loaded.dir, ownDirs), key: resolvedKey(task.shared, bytes, loaded, resolved), ownDirs };
  if (keys && previous && previous.key === keys.key && previous.slug === loaded.slug && filesIntact(task.out, previous.files))
    return kept(abs, { ...previous, quick: keys.quick, ownDirs });

  const built = await renderProfile(loaded, library, resolved, task.options);
  const formats = task.options.formats;
  // versions.json and the notices' json come with the documents; the sitemap and the feed, which link to
  // the HTML pages, with the pages; PDFs are printed from the HTML pages
  const documents = formats.includes("md") || formats.includes("html");
  const wanted = (f: RenderedFile) => formats.includes(f.format) || (f.format === "json" && documents) || (f.format === "xml" && formats.includes("html"));
  const printed = (f: RenderedFile) => f.format === "html" && formats.includes("pdf") && PRINTED.test(f.path);
  const staging = new Staging(task.out, task.staging);
  const writes = built.files.filter((f) => wanted(f) || printed(f)).map(async (f) => ({ f, written: await staging.write(`${loaded.slug}/${f.path}`, f.content) }));
  const profile = manifestProfile(task.out, abs);
  const entries: ManifestEntry[] = (await Promise.all(writes))
    .filter(({ f }) => wanted(f))
    .map(({ f, written }) => ({ profile, slug: loaded.slug, version: f.version, locale: f.locale, format: f.format, path: `${loaded.slug}/${f.path}`, ...written }));
  const toPrint = built.files.filter(printed);
  // an embeddable fragment is its page without the page's chrome: its characters are the page's
  const pages = built.files.filter((f) => f.format === "html" && (wanted(f) || printed(f)) && !f.path.endsWith(".fragment.html"));
  return {
    kind: "rendered",
    path: abs,
    slug: loaded.slug,
    file: loaded.file,
    clauses: resolved.sections.reduce((n, s) => n + s.clauses.length, 0),
    locales: Object.keys(built.documents),
    entries,
    pdf: toPrint.map(pdfSource),
    faces: pageFaces(pages.map((f) => f.content)),
    printOnly: formats.includes("html") ? [] : toPrint.map((f) => f.path),
    warnings: [
      ...library.replaced.map((r): Problem => ({ code: "CLAUSE_REPLACED", file: loaded.file, message: `own clause ${r}` })),
      ...unreadFileWarnings(library, abs),
      ...untitledSections(resolved.set, resolved.sections.map((s) => s.id)),
      // a build is not a compliance gate: what `check` fails on (a required item missing...) only warns here
      ...(await checkCompliance(built)).problems,
      ...glyphProblems(loaded),
    ],
    keys,
  };
}

function pdfSource(f: RenderedFile): PdfSource {
  return {
    htmlPath: f.path,
    pdfPath: f.path.replace(/\.html$/, ".pdf"),
    locale: f.locale,
    version: f.version,
    documents: f.documents.map(({ title, company, shortName, version, effective, effectiveIso, locale }) => ({ title, company, shortName, version, effective, effectiveIso, locale })),
    date: f.documents[0]!.effectiveIso,
  };
}
