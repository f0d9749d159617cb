// The library API: what a publishing pipeline calls instead of the CLI.
export { build, buildProfile, type BuildOptions, type BuildResult, type ProfileBuild } from "./build.js";
export { releaseVersion, type ReleaseOptions, type ReleaseResult } from "./versions/release.js";
export { loadProfile, parseProfile, type LoadedProfile } from "./load/profile.js";
export { loadLibrary, lookupClause, type Library } from "./load/library.js";
export { resolvePolicy, conditionHolds, type ResolvedPolicy, type Decision } from "./resolve.js";
export { renderDocument, type PolicyDocument } from "./render/document.js";
export { toMarkdown, toBilingualMarkdown } from "./render/markdown.js";
export { toHtml } from "./render/html.js";
export { renderFiles } from "./render/files.js";
export { printPdfs, type PdfJob } from "./pdf/print.js";
export { findBrowser, type BrowserOptions } from "./pdf/browser.js";
export { checkLibrary } from "./check/library.js";
export { checkCompliance, type ComplianceReport } from "./check/compliance.js";
export { loadChecklist, type Checklist } from "./load/requirements.js";
export { profileSchema, defineProfile, type Profile, type ProfileInput } from "./schema/profile.js";
export { clauseFrontMatterSchema, clauseSetSchema, type Clause, type ClauseSet } from "./schema/clause.js";
export { profileJsonSchema } from "./schema/json-schema.js";
export { PolicyError, formatError, type Problem } from "./errors.js";
export type { ManifestEntry, Manifest, Format } from "./write.js";

import type { BuildOptions } from "./build.js";
/** Identity helper so a build configuration written in TypeScript is typed (as VitePress' defineConfig). */
export const defineConfig = (config: BuildOptions): BuildOptions => config;

import { buildProfile } from "./build.js";
/** Renders one profile to Markdown and HTML strings in memory (no files written). */
export async function renderPolicy(profilePath: string) {
  const b = await buildProfile(profilePath);
  return b.files.map(({ locale, format, path, content }) => ({ locale, format, path, content }));
}
