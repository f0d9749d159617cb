import { buildProfile } from "../build.js";
import { PolicyError, type Problem } from "../errors.js";
import { builtinPaths } from "../paths.js";
import { defineCommand, EXIT } from "./command.js";

export default defineCommand({
  name: "check",
  summary: "Validate profiles and the clauses they use, without writing anything.",
  usage: "policypress check [PROFILE ...] [--json]",
  help: `With no PROFILE, checks the bundled example. Every problem is reported as file:line with what to do;
the exit code is 1 when there is any.

Exit codes: 0 no problem, 1 problems in the input, 2 bad arguments, 70 internal error.`,
  options: {},
  async run({ values, positionals, io }) {
    const paths = positionals.length ? positionals : [builtinPaths.example];
    const problems: Problem[] = [];
    const results: { profile: string; ok: boolean; clauses?: number }[] = [];
    for (const path of paths) {
      try {
        const b = await buildProfile(path);
        const clauses = b.resolved.sections.reduce((n, s) => n + s.clauses.length, 0);
        results.push({ profile: b.loaded.file, ok: true, clauses });
        io.progress(`ok  ${b.loaded.file}: ${clauses} clauses from set "${b.resolved.set.id}", zh-CN and en`);
      } catch (e) {
        if (!(e instanceof PolicyError)) throw e;
        problems.push(...e.problems);
        results.push({ profile: path, ok: false });
      }
    }
    if (problems.length) throw new PolicyError(problems);
    if (values.json) io.out(JSON.stringify({ ok: true, results }, null, 2));
    return EXIT.ok;
  },
});
