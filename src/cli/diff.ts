import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildProfile } from "../build.js";
import { builtinPaths } from "../paths.js";
import { diffVersions } from "../versions/changes.js";
import { asView, draftChanges } from "../versions/history.js";
import { makeNotice, noticeHtml, noticeMarkdown } from "../versions/notice.js";
import { defineCommand, EXIT, UsageError } from "./command.js";

export default defineCommand({
  name: "diff",
  summary: "Print the change notice between two versions, or from the latest release to the working draft.",
  usage: "policypress diff [PROFILE] [--from V] [--to V|draft] [--format md|html|json]",
  help: `The notice lists clauses added, removed, changed and moved; profile changes in plain words (data items,
purposes, SDKs and recipients, storage and cross-border, retention, contact); a word-level redline of
changed text in both languages; and a short bilingual notice fit for an email or a banner. Material
changes are flagged.

Options:
  --from V          the older version (default: the one before --to)
  --to V            the newer version, or draft (default: draft)
  --format F        md (default), html or json
  --json            the notice as JSON (as --format json)`,
  options: { from: { type: "string" }, to: { type: "string" }, format: { type: "string" } },
  takes: { arguments: "give the path of a profile.yaml, or no profile for the bundled example" },
  async run({ values, positionals, io }) {
    // --json, which every command takes, printed the Markdown notice: a script's JSON.parse failed on it
    if (values.json && values.format !== undefined && values.format !== "json") throw new UsageError(`--json prints the notice as JSON; it cannot go with --format ${String(values.format)}`);
    const format = (values.format as string | undefined) ?? (values.json ? "json" : "md");
    if (!["md", "html", "json"].includes(format)) throw new UsageError(`--format takes md, html or json, not "${format}"`);
    const b = await buildProfile(positionals[0] ?? builtinPaths.example);
    const history = b.history;
    const find = (v: string) => {
      const s = history.find((x) => x.version === v);
      if (!s) throw new UsageError(`no released version ${v}${history.length ? ` (released: ${history.map((x) => x.version).join(", ")})` : " (nothing is released yet)"}`);
      return s;
    };
    const toVersion = (values.to as string | undefined) ?? "draft";
    let notice;
    if (toVersion === "draft") {
      const from = values.from ? find(values.from as string) : history[history.length - 1];
      const { view, changes } = draftChanges(b.loaded, b.resolved, from);
      const policy = b.loaded.profile.policy;
      notice = makeNotice(changes, view, policy.updatedDate ?? policy.effectiveDate, policy.effectiveDate);
    } else {
      const to = find(toVersion);
      const index = history.indexOf(to);
      const from = values.from ? find(values.from as string) : history[index - 1];
      if (from && history.indexOf(from) >= index) throw new UsageError(`--from ${from.version} is not before --to ${to.version}`);
      notice = makeNotice(diffVersions(from ? asView(from) : null, asView(to)), asView(to), to.released);
    }
    if (format === "json") io.out(JSON.stringify(notice, null, 2));
    // printed to stand alone: its stylesheet inside it, and no links to pages that are not beside it
    else if (format === "html") io.out(noticeHtml(notice, { cleanCopy: {}, styles: readFileSync(join(builtinPaths.templates, "policy.css"), "utf8") }));
    else io.out(noticeMarkdown(notice));
    return EXIT.ok;
  },
});
