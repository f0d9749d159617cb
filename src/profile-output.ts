import { buildProfile, type ProfileOptions } from "./build.js";
import { complianceWarnings } from "./check/compliance.js";
import { ownClauseDirs } from "./load/profile.js";
import type { RenderedFile } from "./render/files.js";

/** What rendering one profile hands to the writing stage: plain data, so a worker thread can send it. */
export interface ProfileOutput {
  slug: string;
  /** The profile as the user named it (for messages and the manifest). */
  file: string;
  dir: string;
  clauseDirs: string[];
  effective: string;
  clauses: number;
  locales: string[];
  files: RenderedFile[];
  warnings: string[];
}

export interface ProfileTask {
  path: string;
  options: ProfileOptions;
}

/** load -> validate -> resolve -> render for one profile, and the warnings a build prints for it. */
export async function profileOutput(task: ProfileTask): Promise<ProfileOutput> {
  const b = await buildProfile(task.path, task.options);
  return {
    slug: b.loaded.slug,
    file: b.loaded.file,
    dir: b.loaded.dir,
    clauseDirs: ownClauseDirs(b.loaded),
    effective: b.loaded.profile.policy.effectiveDate,
    clauses: b.resolved.sections.reduce((n, s) => n + s.clauses.length, 0),
    locales: Object.keys(b.documents),
    files: b.files,
    warnings: [
      ...b.library.replaced.map((r) => `${b.loaded.file}: own clause ${r}`),
      // a build is not a compliance gate: what `check` fails on (a required item missing...) only warns here
      ...(await complianceWarnings(b)),
    ],
  };
}
