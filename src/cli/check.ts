import { join, resolve } from "node:path";
import { buildProfile } from "../build.js";
import { asWarning, checkCompliance, type ComplianceReport } from "../check/compliance.js";
import { reportHtml } from "../check/html.js";
import { reportJson, reportMarkdown, reportTable, type Unchecked } from "../check/report.js";
import { formatError, PolicyError, type Problem } from "../errors.js";
import { displayPath } from "../load/files.js";
import { builtinPaths } from "../paths.js";
import { unreadFileWarnings } from "../load/library.js";
import { ownClauseDirs } from "../load/profile.js";
import { defineCommand, EXIT, UsageError } from "./command.js";
import { checkNamedFileTarget, writeNamedFile } from "../output-guard.js";

export default defineCommand({
  name: "check",
  summary: "Validate profiles, and check each policy against the disclosure checklist and the profile.",
  usage: "policypress check [PROFILE ...] [--json] [--markdown] [--html FILE]",
  help: `With no PROFILE, checks the bundled example. First the profile and the clauses it uses are validated
(every problem as file:line with what to do). Then each policy is checked against the checklist in
clauses/requirements/ (PIPL, GB/T 35273-2020, the MIIT app rules, GDPR Art. 13): each item is
satisfied (and by which clause), missing (and what to add) or not applicable; and against the
consistency rules (what the profile declares is covered, no clause contradicts the profile, no
placeholder is left, both languages are complete). See docs/compliance.md.

Options:
  --json         the results and problems as JSON on stdout
  --markdown     one Markdown table of items by profile on stdout (docs/compliance.md)
  --html FILE    also write a page for lawyers: items by law, linked to the clauses of the policy
                 pages (write it beside policy.<locale>.html, or above the profiles' folders)

Exit codes: 0 no problem, 1 a problem in the input, a required item missing or a consistency
error, 2 bad arguments, 70 internal error.`,
  options: { markdown: { type: "boolean" }, html: { type: "string" } },
  takes: {
    html: "give the file to write the page to, e.g. --html compliance.html",
    arguments: "give the path of a profile.yaml, or no profile for the bundled example",
  },
  async run({ values, positionals, io }) {
    if (values.json && values.markdown) throw new UsageError("give --json or --markdown, not both");
    const paths = positionals.length ? positionals : [builtinPaths.example];
    const problems: Problem[] = [];
    const reports: ComplianceReport[] = [];
    const unchecked: Unchecked[] = [];
    // files of the profile's own clause folders that are not read: said, but not a failed check
    const warnings: Problem[] = [];
    // what --html must not be written over
    const inputs = { files: paths.map((p) => resolve(p)), folders: [] as string[] };
    for (const path of paths) {
      try {
        const b = await buildProfile(path);
        inputs.folders.push(...ownClauseDirs(b.loaded), join(b.loaded.dir, "versions"));
        warnings.push(...unreadFileWarnings(b.library, resolve(path)));
        const report = await checkCompliance(b);
        reports.push(report);
        problems.push(...report.problems);
        io.progress(`${report.problems.length ? "FAIL" : "ok  "} ${report.profile}: ${report.clauses} clauses from set "${report.clauseSet}", zh-CN and en`);
      } catch (e) {
        if (!(e instanceof PolicyError)) throw e;
        problems.push(...e.problems);
        // named as the user named it: the first problem may be in one of its clause files
        unchecked.push({ profile: displayPath(resolve(path)), problems: e.problems });
      }
    }
    if (values.html) {
      const file = resolve(values.html as string);
      checkNamedFileTarget(file, "--html", inputs);
      await writeNamedFile(file, reportHtml(reports, unchecked), "--html");
      io.progress(`wrote ${file}`);
    }
    if (values.json) io.out(JSON.stringify({ ok: problems.length === 0, results: reports.map(reportJson), problems, warnings }, null, 2));
    else {
      for (const w of warnings) io.err(`warning: ${asWarning(w)}`);
      if (values.markdown) io.out(reportMarkdown(reports, unchecked));
      else for (const report of reports) io.out(`${reportTable(report)}\n`);
      if (problems.length) io.err(formatError(new PolicyError(problems)));
    }
    return problems.length ? EXIT.input : EXIT.ok;
  },
});
