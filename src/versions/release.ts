import { PolicyError, type Problem } from "../errors.js";
import { loadLibrary } from "../load/library.js";
import { loadProfile, ownClauseDirs } from "../load/profile.js";
import { isoDateSchema } from "../schema/primitives.js";
import { resolvePolicy } from "../resolve.js";
import { withReferenceProblems } from "../profile-build.js";
import { diffVersions, type ChangeSet } from "./changes.js";
import { asView, draftChanges, renderVersion } from "./history.js";
import { bumpVersion, compareVersions, parseVersion, type Bump } from "./semver.js";
import type { Snapshot } from "./snapshot.js";
import { checkVersionsFolder, readVersions, versionsDir, writeVersion } from "./store.js";
import { rmdir } from "node:fs/promises";
import { lockOutput } from "../lock.js";
import type { LoadedProfile } from "../load/profile.js";
import type { ResolvedPolicy } from "../resolve.js";
import { releaseOptionProblems, type ReleaseOptions } from "../schema/release-options.js";
export type { ReleaseOptions } from "../schema/release-options.js";

export interface ReleaseResult {
  snapshot: Snapshot;
  folder: string;
  changes: ChangeSet;
  /** The bump the changes call for, whatever was chosen. */
  proposed: Bump;
  warnings: string[];
  /** The same as objects (code, file, field, message), as `release --json` prints them. */
  warningProblems: Problem[];
}

/** Freezes the working policy as a new version in versions/ beside the profile. */
export async function releaseVersion(options: ReleaseOptions): Promise<ReleaseResult> {
  const wrong = releaseOptionProblems(options);
  if (wrong.length) throw new PolicyError(wrong);
  const loaded = await withReferenceProblems(() => loadProfile(options.profile), (own) => loadLibrary({ own }));
  const library = await loadLibrary({ own: ownClauseDirs(loaded) });
  const resolved = resolvePolicy(loaded, library);
  // one release at a time per profile: two at once would both name the same previous version
  const dir = versionsDir(loaded.dir);
  // a versions/ that is a file or a loop is the input's problem, said before the lock would trip on it
  const existed = await checkVersionsFolder(dir);
  const lock = await lockOutput(dir, { onWait: options.onWait, holder: "release" });
  try {
    return await releaseLocked(options, loaded, resolved);
  } finally {
    await lock.release();
    if (!existed) await rmdir(dir).catch(() => {}); // only when the release wrote nothing into it
  }
}

async function releaseLocked(options: ReleaseOptions, loaded: LoadedProfile, resolved: ResolvedPolicy): Promise<ReleaseResult> {
  const history = await readVersions(loaded.dir);
  const latest = history[history.length - 1];
  const { changes: draft } = draftChanges(loaded, resolved, latest);
  if (latest && draft.unchanged)
    throw new PolicyError({ code: "NOTHING_TO_RELEASE", file: loaded.file, message: `nothing changed since version ${latest.version}`, hint: "Change the profile or its clauses first; `policypress diff` shows what would be released." });

  const version = chooseVersion(options, latest?.version, draft.bump, loaded.file);
  const released = checkDate(options.date ?? new Date().toISOString().slice(0, 10), "--date", loaded.file);
  const effective = checkDate(options.effective ?? loaded.profile.policy.effectiveDate, "--effective", loaded.file);
  if (latest) notBefore(latest, released, effective, loaded.file);
  const view = renderVersion(loaded, resolved, { version, effective, updated: released });
  const changes = diffVersions(latest ? asView(latest) : null, view);
  const warningProblems = noticeWarnings(changes, released, effective, loaded.profile.policy.noticeDays, loaded.file);
  const { snapshot, folder } = await writeVersion(loaded.dir, {
    format: 1,
    slug: loaded.slug,
    version,
    released,
    effective,
    summary: options.summary,
    clauseSet: resolved.set.id,
    previous: latest ? { version: latest.version, hash: latest.hash } : null,
    profile: view.profile,
    documents: view.documents,
  });
  return { snapshot, folder, changes, proposed: draft.bump, warnings: warningProblems.map((w) => w.message), warningProblems };
}

function chooseVersion(options: ReleaseOptions, latest: string | undefined, proposed: Bump, file: string): string {
  if (!options.version) {
    const next = bumpVersion(latest, options.bump ?? proposed);
    // past 999999 a number is no version folder any read takes: released, it would break the history for good
    if (!parseVersion(next))
      throw new PolicyError({ code: "BAD_VERSION", file, field: options.bump ? "--bump" : undefined, message: `the next ${options.bump ?? proposed} version after ${latest} would be ${next}, and a part of a version number is at most 999999`, hint: "Give a version with --version, or a smaller --bump." });
    return next;
  }
  if (latest && compareVersions(options.version, latest) <= 0)
    throw new PolicyError({ code: "BAD_VERSION", file, field: "--version", message: `version ${options.version} is not after the latest release, ${latest}`, hint: `Use a higher number; the changes call for ${bumpVersion(latest, proposed)}.` });
  return options.version;
}

function checkDate(value: string, flag: string, file: string): string {
  if (!isoDateSchema.safeParse(value).success) throw new PolicyError({ code: "BAD_DATE", file, field: flag, message: `${flag} "${value}" is not a date`, hint: "Write it as YYYY-MM-DD." });
  return value;
}

/** A version is released, and takes effect, no earlier than the one before it: the history reads forwards. */
function notBefore(latest: Snapshot, released: string, effective: string, file: string) {
  const problems = [];
  if (released < latest.released)
    problems.push({ code: "BAD_DATE", file, field: "--date", message: `the release date ${released} is before that of version ${latest.version} (${latest.released})`, hint: `Release on ${latest.released} or later (--date, default today).` });
  if (effective < latest.effective)
    problems.push({ code: "BAD_DATE", file, field: "--effective", message: `the effective date ${effective} is before that of version ${latest.version} (${latest.effective})`, hint: "Set policy.effectiveDate in the profile, or --effective, to the date the new version applies from." });
  if (problems.length) throw new PolicyError(problems);
}

const addDays = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** PIPL Art. 17(2): people must be told of a material change before it applies. */
function noticeWarnings(changes: ChangeSet, released: string, effective: string, noticeDays: number, file: string): Problem[] {
  const warnings: Problem[] = [];
  if (effective < released) warnings.push({ code: "EFFECTIVE_BEFORE_RELEASE", file, field: "--effective", message: `the effective date ${effective} is before the release date ${released}` });
  if (changes.material && effective < addDays(released, noticeDays))
    warnings.push({
      code: "SHORT_NOTICE", file, field: "--effective",
      message: `this is a material change, but it takes effect on ${effective}, less than ${noticeDays} days (policy.noticeDays) after the release on ${released}: users may not be told in time (PIPL Art. 17)`,
    });
  return warnings;
}
