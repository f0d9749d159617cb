import { builtinPaths } from "../paths.js";
import { releaseVersion } from "../versions/release.js";
import { parseVersion, type Bump } from "../versions/semver.js";
import { isoDateSchema } from "../schema/primitives.js";
import { defineCommand, EXIT, UsageError } from "./command.js";

export default defineCommand({
  name: "release",
  summary: "Freeze the current policy as a new version in versions/ beside the profile.",
  usage: "policypress release [PROFILE] [--version X.Y.Z | --bump major|minor|patch] [--effective YYYY-MM-DD] [--date YYYY-MM-DD] [--summary TEXT [--summary-en TEXT]]",
  help: `Writes versions/<X.Y.Z>/ (snapshot.json and readable Markdown copies) next to the profile: commit it.
A released version is never re-rendered from today's clauses, and is never modified: every later build
reproduces it from its snapshot, and check/build refuse an edited, missing or reordered snapshot.

The version is proposed from the changes: major for a material change (more data collected, new
purposes, recipients or cross-border transfer, narrower rights), minor for additions, patch for wording.
A policy that has not changed since the latest release is not released again.

Options:
  --version X.Y.Z        the version number (must be after the latest release)
  --bump KIND            major, minor or patch instead of the proposed one
  --effective DATE       when the version takes effect (default: policy.effectiveDate)
  --summary TEXT         a short summary kept with the version, in both languages; a Chinese one needs
                         --summary-en TEXT, the English summary, as well
  --date DATE            the release date (default: today, UTC)
  --json                 print the release (version, folder, changes) as JSON`,
  options: {
    version: { type: "string" },
    bump: { type: "string" },
    effective: { type: "string" },
    summary: { type: "string" },
    "summary-en": { type: "string" },
    date: { type: "string" },
  },
  takes: { arguments: "give the path of a profile.yaml, or no profile for the bundled example" },
  async run({ values, positionals, io }) {
    if (positionals.length > 1) throw new UsageError("release takes one profile");
    if (values.version && values.bump) throw new UsageError("give --version or --bump, not both");
    if (values.bump && !["major", "minor", "patch"].includes(values.bump as string)) throw new UsageError(`--bump takes major, minor or patch, not "${values.bump}"`);
    // a value that is not a version or a date at all is a usage error (exit 2), said before anything is
    // read, as for --bump; one that is well formed but not after the latest release is the input's (exit 1)
    if (values.version !== undefined && !parseVersion(values.version as string)) throw new UsageError(`--version takes a version number X.Y.Z such as 1.2.0 (no leading zeros), not "${values.version}"`);
    for (const flag of ["date", "effective"] as const)
      if (values[flag] !== undefined && !isoDateSchema.safeParse(values[flag]).success) throw new UsageError(`--${flag} takes a date written YYYY-MM-DD, such as 2027-01-01, not "${values[flag]}"`);
    // one text serves both languages, unless it is Chinese: then the English one must be given too
    if (values["summary-en"] !== undefined && values.summary === undefined) throw new UsageError("--summary-en goes with --summary (the Chinese summary)");
    const summaryZh = values.summary as string | undefined;
    if (summaryZh !== undefined && values["summary-en"] === undefined && /\p{Script=Han}/u.test(summaryZh)) throw new UsageError("--summary is in Chinese: give the English summary with --summary-en as well");
    const summary = summaryZh !== undefined ? { "zh-CN": summaryZh, en: (values["summary-en"] as string | undefined) ?? summaryZh } : undefined;
    const result = await releaseVersion({
      profile: positionals[0] ?? builtinPaths.example,
      version: values.version as string | undefined,
      bump: values.bump as Bump | undefined,
      effective: values.effective as string | undefined,
      date: values.date as string | undefined,
      summary,
      onWait: io.progress,
    });
    for (const w of result.warnings) io.err(`warning: ${w}`);
    const { snapshot, changes } = result;
    if (values.json) io.out(JSON.stringify({ ok: true, version: snapshot.version, folder: result.folder, hash: snapshot.hash, proposed: result.proposed, material: changes.material, warnings: result.warningProblems, changes }, null, 2));
    else {
      io.out(result.folder);
      io.progress(`released ${snapshot.slug} ${snapshot.version} (effective ${snapshot.effective})${changes.from ? `: ${changes.clauses.length} clause change(s), ${changes.facts.length} profile change(s)${changes.material ? ", material" : ""}; the changes called for a ${result.proposed} release` : ""}`);
    }
    return EXIT.ok;
  },
});
