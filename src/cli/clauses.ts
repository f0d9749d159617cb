import { resolve } from "node:path";
import { checkLibrary } from "../check/library.js";
import { PolicyError, printable, type Problem } from "../errors.js";
import { asWarning } from "../check/compliance.js";
import { loadLibrary, lookupClause, unreadFileWarnings, untitledSections, type Library } from "../load/library.js";
import { matrixHtml, sourceMatrix } from "../library/matrix.js";
import type { Clause } from "../schema/clause.js";
import { closest } from "../schema/zod-problems.js";
import { fieldsRead } from "../check/fields-read.js";
import { defineCommand, EXIT, UsageError, type Io } from "./command.js";
import { writeNamedFile } from "../output-guard.js";
import { compareText } from "../text-order.js";

export default defineCommand({
  name: "clauses",
  summary: "Browse the clause library: list by topic, show, search, the topic-by-source matrix, check.",
  usage: "policypress clauses [list|show ID[:VARIANT]|search TEXT|matrix|sets|check] [--topic T] [--dir DIR] [--html FILE] [--json]",
  help: `Subcommands:
  list (default)        every clause variant, grouped by topic (--topic T: one topic)
  show ID[:VARIANT]     one clause: both languages, conditions, fields used, sources, legal references
  search TEXT           clauses whose title or text contains TEXT, in either language
  matrix                which source policy covers which topic, with which variants (--html FILE: as a page)
  sets                  the clause sets (presets) and their sections
  check                 validate the whole library (placeholders, translations, source names)

Options:
  --dir DIR   also load your own clauses and clause sets from DIR (repeatable)
  --json      machine-readable output`,
  options: { topic: { type: "string" }, dir: { type: "string", multiple: true }, html: { type: "string" } },
  takes: {
    dir: "give a folder of your own clauses, e.g. --dir legal/clauses (the current folder: --dir .)",
    html: "give the file to write the matrix page to, e.g. --html matrix.html",
    arguments: "give a subcommand and what it takes (a clause id, a search text)",
  },
  async run({ values, positionals, io: terminal }) {
    const [sub = "list", ...args] = positionals;
    // an own clause's title or body may hold control characters (\e[2J clears the screen): shown, not obeyed
    const io: Io = { out: (t) => terminal.out(printable(t)), err: (t) => terminal.err(printable(t)), progress: (t) => terminal.progress(printable(t)) };
    refuseWhatDoesNotApply(sub, args, values);
    const library = await loadLibrary({ own: ((values.dir as string[] | undefined) ?? []).map((d) => resolve(d)) });
    const json = Boolean(values.json);
    switch (sub) {
      case "list":
        return list(library, io, json, values.topic as string | undefined);
      case "show":
        return show(library, io, json, args[0]);
      case "search":
        return search(library, io, json, args.join(" "), values.topic as string | undefined);
      case "matrix":
        return matrix(library, io, json, values.html as string | undefined);
      case "sets":
        return sets(library, io, json);
      case "check": {
        const problems = checkLibrary(library);
        if (problems.length) throw new PolicyError(problems);
        const warnings = libraryWarnings(library);
        if (json) io.out(JSON.stringify({ ok: true, clauses: library.clauses.size, sets: library.sets.size, warnings }));
        else {
          for (const w of warnings) io.err(`warning: ${asWarning(w)}`);
          io.out(`ok: ${library.clauses.size} clauses, ${library.sets.size} clause sets, ${library.topics.length} topics`);
        }
        return EXIT.ok;
      }
      default:
        throw new UsageError(`unknown subcommand "${sub}"`);
    }
  },
});

/**
 * What a build of a profile using these folders would warn about: own clauses and sets that replace built-in
 * ones, YAML files there that are not read (a clause written as YAML would be left out without a word), and
 * sections of own sets that would print without a heading.
 */
function libraryWarnings(library: Library): Problem[] {
  const replaced = library.replaced.map((r): Problem => ({ code: "CLAUSE_REPLACED", message: `own clause ${r}` }));
  // a section of an own set with no heading to print, whatever profile uses it
  const untitled = [...library.sets.values()].filter((set) => set.origin === "own").flatMap((set) => untitledSections(set, set.sections.map((s) => s.id)));
  return [...replaced, ...unreadFileWarnings(library), ...untitled];
}

/** What each subcommand takes besides --dir and --json: an option given where it does nothing is a mistake to say. */
const TAKES: Record<string, { options: string[]; args: "none" | "one" | "text" }> = {
  list: { options: ["topic"], args: "none" },
  show: { options: [], args: "one" },
  search: { options: ["topic"], args: "text" },
  matrix: { options: ["html"], args: "none" },
  sets: { options: [], args: "none" },
  check: { options: [], args: "none" },
};

function refuseWhatDoesNotApply(sub: string, args: string[], values: Record<string, unknown>) {
  const takes = TAKES[sub];
  if (!takes) return; // the unknown subcommand is reported by the switch
  for (const option of ["topic", "html"]) if (values[option] !== undefined && !takes.options.includes(option)) throw new UsageError(`clauses ${sub} does not take --${option}`);
  if (takes.args === "none" && args.length) throw new UsageError(`clauses ${sub} takes no argument (got "${args.join(" ")}")`);
  if (takes.args === "one" && args.length > 1) throw new UsageError(`clauses ${sub} takes one clause id (got ${args.length}: ${args.join(" ")})`);
}

/** A topic and the topics below it: `rights` takes in `rights.deletion`. */
const inTopic = (id: string, topic: string) => id === topic || id.startsWith(`${topic}.`);

/** `--topic` names a topic of the library, or says which one was meant. */
function checkTopic(library: Library, topic: string | undefined): void {
  if (!topic || library.topics.some((t) => inTopic(t.id, topic))) return;
  const guess = closest(topic, library.topics.map((t) => t.id));
  throw new UsageError(`unknown topic "${topic}"${guess ? `; did you mean ${guess}?` : ""} (\`policypress clauses list\` shows them all)`);
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

const summary = (c: Clause) => ({ key: c.key, topic: c.topic, title: c.title, sources: c.sources, law: c.law, when: c.when, file: c.file });
const sourcesText = (c: Clause) => c.sources.map((s) => `${s.policy} ${s.section}`).join("; ");

function list(library: Library, io: Io, json: boolean, topic?: string): number {
  checkTopic(library, topic);
  const topics = library.topics.filter((t) => !topic || inTopic(t.id, topic));
  const byTopic = topics.map((t) => ({ topic: t, clauses: [...library.clauses.values()].filter((c) => c.topic === t.id).sort((a, b) => compareText(a.key, b.key)) }));
  if (json) {
    io.out(JSON.stringify(byTopic.map((g) => ({ topic: g.topic, clauses: g.clauses.map(summary) })), null, 2));
    return EXIT.ok;
  }
  if (topic && byTopic.every((g) => !g.clauses.length)) io.err(`no clause of the library has the topic ${topic} yet (write one: docs/clause-format.md)`);
  for (const g of byTopic) {
    if (!g.clauses.length) continue;
    io.out(`\n${g.topic.id}  ${g.topic["zh-CN"]} / ${g.topic.en}`);
    for (const c of g.clauses) io.out(`  ${c.key.padEnd(52)} ${c.title["zh-CN"]} / ${c.title.en}${c.sources.length ? `  [${sourcesText(c)}]` : ""}`);
  }
  return EXIT.ok;
}

function show(library: Library, io: Io, json: boolean, ref?: string): number {
  if (!ref) throw new UsageError("show needs a clause id, e.g. retention.period");
  const variants = library.variants.get(ref.split(":")[0]!) ?? [];
  const clause = lookupClause(ref, library) ?? (ref.includes(":") ? undefined : variants[0]);
  if (!clause) {
    const guess = variants.length ? undefined : closest(ref.split(":")[0]!, [...library.variants.keys()]);
    const hint = variants.length ? `; its variants: ${variants.map((v) => v.variant).join(", ")}` : guess ? `; did you mean ${guess}?` : " (try `policypress clauses search`)";
    throw new UsageError(`no clause "${ref}"${hint}`);
  }
  // full paths: inside {{#each collection}}, {{purpose}} is collection.purpose
  const fields = [...fieldsRead(clause)];
  if (json) {
    io.out(JSON.stringify({ ...summary(clause), variant: clause.variant, bodies: clause.bodies, fields, otherVariants: variants.filter((v) => v !== clause).map((v) => v.key) }, null, 2));
    return EXIT.ok;
  }
  io.out(`${clause.key}  (${clause.file})`);
  io.out(`topic:      ${clause.topic}`);
  io.out(`title:      ${clause.title["zh-CN"]} / ${clause.title.en}`);
  io.out(`when:       ${clause.when ? JSON.stringify(clause.when) : "always"}`);
  io.out(`fields:     ${fields.join(", ") || "none"}`);
  io.out(`sources:    ${sourcesText(clause) || "none"}`);
  io.out(`law:        ${clause.law.join(", ") || "none"}`);
  if (clause.note) io.out(`note:       ${clause.note}`);
  const others = variants.filter((v) => v !== clause);
  if (others.length) io.out(`variants:   ${others.map((v) => v.variant).join(", ")}`);
  io.out(`\n[zh-CN]\n${clause.bodies["zh-CN"]}\n\n[en]\n${clause.bodies.en}`);
  return EXIT.ok;
}

function search(library: Library, io: Io, json: boolean, text: string, topic?: string): number {
  if (!text.trim()) throw new UsageError("search needs some text");
  checkTopic(library, topic);
  const needle = text.toLowerCase();
  const hits = [...library.clauses.values()].filter((c) =>
    (!topic || inTopic(c.topic, topic)) &&
    [c.key, c.title["zh-CN"], c.title.en, c.bodies["zh-CN"], c.bodies.en].some((s) => s.toLowerCase().includes(needle)),
  );
  if (json) io.out(JSON.stringify(hits.map(summary), null, 2));
  else {
    for (const c of hits) {
      const body = [c.bodies["zh-CN"], c.bodies.en].find((b) => b.toLowerCase().includes(needle)) ?? "";
      const i = body.toLowerCase().indexOf(needle);
      const excerpt = i >= 0 ? `…${body.slice(Math.max(0, i - 30), i + needle.length + 40).replace(/\s+/g, " ")}…` : "";
      io.out(`${c.key.padEnd(52)} ${c.title["zh-CN"]} / ${c.title.en}${excerpt ? `\n    ${excerpt}` : ""}`);
    }
    io.progress(`${hits.length} clause(s) match "${text}"`);
  }
  return EXIT.ok;
}

async function matrix(library: Library, io: Io, json: boolean, htmlFile?: string): Promise<number> {
  const m = sourceMatrix(library);
  if (htmlFile) {
    const path = resolve(htmlFile);
    await writeNamedFile(path, matrixHtml(m), "--html");
    io.progress(`wrote ${path}`);
  }
  if (json) {
    io.out(JSON.stringify(m, null, 2));
    return EXIT.ok;
  }
  const width = Math.max(...m.rows.map((r) => r.topic.id.length));
  // a column as wide as its source's name: an own source (citations.yaml) may be longer than the five
  const columns = m.sources.map((s) => Math.max(10, s.length));
  io.out(`${"topic".padEnd(width)}  ${m.sources.map((s, i) => s.padEnd(columns[i]!)).join(" ")}`.trimEnd());
  for (const row of m.rows) io.out(`${row.topic.id.padEnd(width)}  ${row.cells.map((c, i) => (c.length ? String(c.length) : "·").padEnd(columns[i]!)).join(" ")}`.trimEnd());
  io.out("\nEach cell counts the clause variants carrying that source's text for the topic; `--json` or `--html FILE` names them.");
  return EXIT.ok;
}

function sets(library: Library, io: Io, json: boolean): number {
  const all = [...library.sets.values()].sort((a, b) => compareText(a.id, b.id));
  if (json) {
    io.out(JSON.stringify(all.map((s) => ({ id: s.id, title: s.title, file: s.file, sections: s.sections.map((x) => ({ id: x.id, clauses: x.clauses.length })) })), null, 2));
    return EXIT.ok;
  }
  for (const s of all) io.out(`${s.id.padEnd(26)} ${s.title["zh-CN"]} / ${s.title.en}  (${count(s.sections.length, "section")}, ${count(s.sections.reduce((n, x) => n + x.clauses.length, 0), "clause")})`);
  return EXIT.ok;
}
