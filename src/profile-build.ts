import { resolve } from "node:path";
import { checkedClause, conditionProblems, passedChecks } from "./check/library.js";
import type { Clause } from "./schema/clause.js";
import { PolicyError, type Problem } from "./errors.js";
import { loadLibrary, type Library } from "./load/library.js";
import { loadProfile, ownClauseDirs, ProfileError, type LoadedProfile } from "./load/profile.js";
import { renderDocument, type PolicyDocument } from "./render/document.js";
import type { RenderedFile } from "./render/files.js";
import { referenceProblems, resolvePolicy, type ResolvedPolicy } from "./resolve.js";
import { profileOptionProblems, type ProfileOptions } from "./schema/build-options.js";
export type { ProfileOptions } from "./schema/build-options.js";
import { LOCALES, type Locale } from "./schema/localized.js";
import { profileSite } from "./site/assemble.js";
import type { Snapshot } from "./versions/snapshot.js";
import { readVersions } from "./versions/store.js";

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

/** What the site around a profile's policy needs to know (the same for every profile of a build). */
/** load -> validate -> resolve -> render, for one profile, in memory (no file is written). */
export async function buildProfile(path: string, site: ProfileOptions = {}): Promise<ProfileBuild> {
  const wrong = profileOptionProblems(site);
  if (wrong.length) throw new PolicyError(wrong);
  const loaded = await withReferenceProblems(() => loadProfile(path), (own) => loadLibrary({ own }));
  const library = await loadLibrary({ own: ownClauseDirs(loaded) });
  return renderProfile(loaded, library, resolvePolicy(loaded, library), site);
}

/**
 * A profile that fails to load may still name a valid clause set and overrides: those are checked against
 * the clause library (read by `readLibrary`, which may decline) and their problems, or the library's own,
 * come with the profile's. Fixing a date and then meeting an unknown clause is two runs for one file.
 */
export async function withReferenceProblems<T>(load: () => T | Promise<T>, readLibrary: (own: string[]) => Promise<Library> | undefined): Promise<T> {
  try {
    return await load();
  } catch (e) {
    if (!(e instanceof ProfileError) || !e.references) throw e;
    const refs = e.references;
    let more: Problem[] = [];
    try {
      const library = await readLibrary(refs.clauses.dirs.map((d) => resolve(refs.dir, d)));
      if (library) more = referenceProblems(refs, library);
    } catch (l) {
      if (!(l instanceof PolicyError)) throw l;
      more = l.problems;
    }
    throw new PolicyError([...e.problems, ...more]);
  }
}

/** The render stage of `buildProfile`, for a profile already loaded and resolved. */
export async function renderProfile(loaded: LoadedProfile, library: Library, resolved: ResolvedPolicy, site: ProfileOptions = {}): Promise<ProfileBuild> {
  const locales = site.locales ?? [...LOCALES];
  // a clause the set or the profile names but leaves out may be left out only for a condition on no field
  // (a clause known to pass its checks, as the built-in library's, has none)
  const leftOut = resolved.decisions.filter((d) => !d.included).map((d) => library.clauses.get(d.clause)).filter((c): c is Clause => c !== undefined && !passedChecks(c));
  const clauseProblems = dedupe([...resolved.sections.flatMap((s) => s.clauses.flatMap(checkedClause)), ...leftOut.flatMap(conditionProblems)]);
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
  const files = profileSite(loaded, resolved, documents, history, { formats: site.formats ?? ["md", "html", "pdf"], locales, baseUrl: siteBaseUrl(loaded, site), paper: site.paper });
  return { loaded, library, resolved, documents, history, files };
}

/** A segment already percent-encoded (/caf%C3%A9/) is not encoded twice; a stray % is taken as it is. */
function decodeSafely(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** https://example.com + /legal/ + acme/ : where the profile's folder will be published. */
function siteBaseUrl(loaded: LoadedProfile, site: ProfileOptions): string {
  const origin = new URL(site.siteUrl ?? loaded.profile.policy.url ?? loaded.profile.company.website).origin;
  // each segment percent-encoded: a base such as /法律/ or one with quotes still gives a valid address
  const segments = (site.base ?? "").split("/").filter(Boolean).map((s) => encodeURIComponent(decodeSafely(s)));
  const base = `/${segments.map((s) => `${s}/`).join("")}`;
  return `${origin}${base}${encodeURIComponent(loaded.slug)}/`;
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.file}:${p.line}:${p.code}:${p.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
