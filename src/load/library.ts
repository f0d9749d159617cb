import { existsSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, sep } from "node:path";
import { knownFieldsRead, rememberFieldsRead } from "../check/fields-read.js";
import { checkCitations } from "../check/citations.js";
import { checkClause, closestField, impossibleConditionValues, passedChecks, rememberChecked, unknownConditionPaths } from "../check/library.js";
import { PolicyError, ProblemList, type Problem } from "../errors.js";
import { builtinPaths } from "../paths.js";
import { hasKey } from "../render/i18n.js";
import { clauseSetSchema, topicsSchema, type Clause, type ClauseSet, type Condition, type Topic } from "../schema/clause.js";
import { LOCALES } from "../schema/localized.js";
import { closest, zodProblems } from "../schema/zod-problems.js";
import { CITATIONS_FILE, readCitations } from "./citations.js";
import { parseClauseFile } from "./clause-file.js";
import { displayPath, listFiles, readText } from "./files.js";
import { FolderCache, recheckFiles } from "./fresh.js";
import { readSnapshot } from "./library-snapshot.js";
import { parseYaml } from "./yaml.js";

/** The clause library: every clause variant, clause set and topic, from the built-in folders and a profile's own. */
export interface Library {
  clauses: Map<string, Clause>;
  /** Variants of each clause id, in file order. */
  variants: Map<string, Clause[]>;
  sets: Map<string, ClauseSet>;
  topics: Topic[];
  /** Own clauses or sets that replaced built-in ones, said aloud (never silent). */
  replaced: string[];
  /** YAML files in own clause folders that are neither clause sets nor in `sets/`: not read (see `unreadFileWarnings`). */
  unread: UnreadFile[];
}

/** A file of an own clause folder (`root`) that the library does not read. */
export interface UnreadFile {
  root: string;
  path: string;
}

export interface LibraryDirs {
  /** Folders of the profile's own clauses and clause sets (`*.md` and `*.yaml` below them). */
  own: string[];
}

const cache = new FolderCache<Promise<Library>>();
const BUILTIN_ONLY = JSON.stringify([]);

/** Loads and checks the library as its files are now. Throws every problem found at once. */
export function loadLibrary(dirs: LibraryDirs = { own: [] }): Promise<Library> {
  recheckFiles();
  return loadLibraryOfRound(dirs);
}

/** `loadLibrary` for a profile of a build: its files are looked at once per build (src/load/fresh.ts). */
export function loadLibraryOfRound(dirs: LibraryDirs): Promise<Library> {
  // the built-in library alone comes from its snapshot when that is current (src/load/library-snapshot.ts)
  const snapshot = () => (dirs.own.length ? undefined : readSnapshot());
  return cache.get(JSON.stringify(dirs.own), [builtinPaths.clauses, ...dirs.own], () => {
    const library = snapshot();
    return library ? Promise.resolve(library) : readLibrary(dirs);
  });
}

/** The built-in library as it is read in this build, copied into a render thread (src/parallel.ts). */
export interface SharedLibrary {
  library: Library;
  stamp: string;
  /** The fields each clause reads, where this thread knows them already (by clause key). */
  reads: [string, string[]][];
  /** The clauses this thread knows to pass their checks (by key): the snapshot's, or those it checked. */
  checked: string[];
}

/**
 * The built-in library, for a render thread to start with instead of reading and checking the 220
 * clause files again (about 200 ms of the thread's start). Undefined when it has problems: the thread
 * reads it and reports them.
 */
export async function libraryToShare(): Promise<SharedLibrary | undefined> {
  const library = await loadLibraryOfRound({ own: [] }).catch(() => undefined);
  const current = cache.current(BUILTIN_ONLY);
  if (!library || !current) return undefined;
  const reads = [...library.clauses.values()].flatMap((c): [string, string[]][] => {
    const known = knownFieldsRead(c);
    return known ? [[c.key, [...known]]] : [];
  });
  const checked = [...library.clauses.values()].filter(passedChecks).map((c) => c.key);
  return { library, stamp: current.stamp, reads, checked };
}

/** In a render thread: the built-in library the build's first thread read (see `libraryToShare`). */
export function adoptLibrary(shared: SharedLibrary): void {
  for (const [key, paths] of shared.reads) rememberFieldsRead(shared.library.clauses.get(key)!, paths);
  for (const key of shared.checked) rememberChecked(shared.library.clauses.get(key)!, []);
  cache.adopt(BUILTIN_ONLY, Promise.resolve(shared.library), shared.stamp);
}

async function readLibrary(dirs: LibraryDirs): Promise<Library> {
  const problems = new ProblemList();
  const library: Library = { clauses: new Map(), variants: new Map(), sets: new Map(), topics: [], replaced: [], unread: [] };
  library.topics = await readTopics(problems);

  const roots: { dir: string; origin: Clause["origin"] }[] = [
    { dir: builtinPaths.clauses, origin: "library" },
    ...dirs.own.map((dir) => ({ dir, origin: "own" as const })),
  ];
  // a set may name a clause of any folder, whatever the order of clauses.dirs: references are checked last
  const sets: ReadSet[] = [];
  for (const root of roots) {
    if (!existsSync(root.dir)) {
      problems.add({ code: "CLAUSE_DIR_NOT_FOUND", file: displayPath(root.dir), message: "the clause folder does not exist", hint: clauseDirHint(root.dir) });
      continue;
    }
    const unreadable: Problem[] = [];
    const files = await reported(problems, () => listFiles(root.dir, [".md", ".yaml", ".yml"], unreadable));
    problems.addAll(unreadable);
    for (const file of files ?? []) if (file.endsWith(".md")) await addClause(library, file, root.origin, problems);
    // clause sets live in a folder named `sets` (clauses/sets/ in the library, <dir>/sets/ in a profile's own)
    for (const file of files ?? [])
      if (!file.endsWith(".md") && inSetsFolder(root.dir, file)) sets.push(...(await addSet(library, file, root.origin, problems)));
      // the built-in library's other YAML (topics, the checklist) is its own; in an own folder, a set in
      // the wrong place would be skipped without a word, and the build fail later on an unknown set
      // an own folder's citations.yaml adds to the laws and sources its clauses may cite (readCitations)
      else if (!file.endsWith(".md") && root.origin === "own" && file !== join(root.dir, CITATIONS_FILE)) {
        const misplaced = await misplacedSet(root.dir, file);
        problems.addAll(misplaced);
        if (!misplaced.length) library.unread.push({ root: root.dir, path: file });
      }
  }
  // only a clause file (or folder) that failed can hide a clause a set names: a broken set cannot
  const unreadable = problems.items.some((p) => p.code === "CLAUSE_DIR_NOT_FOUND" || (!!p.file && !/\.ya?ml$/.test(p.file)));
  for (const { set, lineOf } of sets)
    if (library.sets.get(set.id) === set) problems.addAll([...checkSetReferences(set, library, lineOf, unreadable), ...checkSetSections(set), ...checkSetConditions(set, lineOf)]);
  checkTopics(library, problems);
  const citations = await readCitations(dirs.own, problems);
  for (const clause of library.clauses.values()) problems.addAll(checkCitations(clause, citations));
  // a library that fails to load is not checked clause by clause later: the clauses that did load are
  // checked now, so one run reports every problem of every file
  if (!problems.empty) for (const clause of library.clauses.values()) if (clause.origin === "own") problems.addAll(checkClause(clause));
  problems.throwIfAny();
  for (const list of library.variants.values()) list.sort((a, b) => (a.variant === "default" ? -1 : b.variant === "default" ? 1 : 0));
  return library;
}

async function readTopics(problems: ProblemList): Promise<Topic[]> {
  const file = displayPath(builtinPaths.topics);
  const yaml = parseYaml(await readText(builtinPaths.topics, "topic list"), file);
  problems.addAll(yaml.problems);
  const parsed = topicsSchema.safeParse(yaml.data, { reportInput: true });
  if (!parsed.success) {
    problems.addAll(zodProblems(parsed.error, yaml, topicsSchema));
    return [];
  }
  return parsed.data;
}

async function addClause(library: Library, path: string, origin: Clause["origin"], problems: ProblemList) {
  const file = displayPath(path);
  const text = await reported(problems, () => readText(path, "clause file"));
  if (text === undefined) return;
  const { clause, problems: found } = parseClauseFile(text, file, origin);
  problems.addAll(found);
  if (!clause) return;
  const existing = library.clauses.get(clause.key);
  if (existing && existing.origin === origin) {
    problems.add({ code: "DUPLICATE_CLAUSE", file, line: clause.lines.id, field: "id", message: `clause ${clause.key} is already defined in ${existing.file}`, hint: "Give this variant another `variant:` name, or delete one of the two files." });
    return;
  }
  if (existing) {
    library.replaced.push(`${clause.key}: ${file} replaces the built-in ${existing.file}`);
    const list = library.variants.get(clause.id)!;
    list.splice(list.indexOf(existing), 1, clause);
  } else {
    const list = library.variants.get(clause.id) ?? [];
    list.push(clause);
    library.variants.set(clause.id, list);
  }
  library.clauses.set(clause.key, clause);
}

/** Clause sets live in a folder named `sets` inside a clause folder (clauses/sets/, <dir>/sets/), at any depth below it. */
function inSetsFolder(root: string, file: string): boolean {
  return relative(root, file).split(sep).slice(0, -1).includes("sets");
}

/**
 * A clause set outside a `sets` folder, which is not read: an error rather than a warning, since the
 * library's warnings reach only a build that succeeds, and a profile naming the set fails. Other YAML in a
 * clause folder has no `sections`: it is not an error, but is listed in `library.unread` and warned about
 * (`unreadFileWarnings`); a file that is not YAML at all is left alone.
 */
async function misplacedSet(root: string, path: string): Promise<Problem[]> {
  const text = await readText(path, "clause set").catch(() => undefined);
  if (text === undefined || !/\bsections\b/.test(text)) return [];
  const { data } = parseYaml(text, displayPath(path));
  if (!data || typeof data !== "object" || Array.isArray(data) || !("sections" in data)) return [];
  return [
    {
      code: "CLAUSE_SET_NOT_READ",
      file: displayPath(path),
      message: `this clause set was not read: clause sets are read only from a folder named "sets" inside a clause folder (${displayPath(root)})`,
      hint: `Move it to ${displayPath(join(root, "sets", basename(path)))}.`,
    },
  ];
}

/**
 * A warning for each YAML file of an own clause folder that is not read: a lawyer's clause written as
 * YAML, or a clause set with `section:` misspelt or broken YAML, would otherwise be skipped without a
 * word, and the policy printed without it. A clause folder that holds the profile itself (`dirs: [.]`)
 * is the profile's own folder, where other YAML (the profile, other profiles, CI files) belongs: nothing
 * in it is warned about, except a clause set outside `sets/` (an error, `misplacedSet`). A clause folder
 * above the profile's (`dirs: [..]`) is warned about outside the profile's folder: that YAML is in the
 * clause folder only, not beside the profile.
 */
export function unreadFileWarnings(library: Library, profilePath?: string): Problem[] {
  return library.unread
    .filter((f) => !profilePath || !(within(f.root, profilePath) && within(dirname(profilePath), f.path)))
    .map((f) => ({
      code: "CLAUSE_FILE_NOT_READ",
      file: displayPath(f.path),
      message: `this file is not read: a clause folder (${displayPath(f.root)}) is read for clauses (*.md) and, in its "sets" folder, clause sets (sets/*.yaml with "sections:"); this YAML file is neither`,
      hint: `A clause is a Markdown file (docs/clause-format.md); a clause set goes in ${displayPath(join(f.root, "sets", basename(f.path)))} and lists "sections:"; anything else belongs outside the clause folder.`,
    }));
}

function within(folder: string, path: string): boolean {
  const way = relative(folder, path);
  return way !== ".." && !way.startsWith(`..${sep}`) && !isAbsolute(way);
}

interface ReadSet {
  set: ClauseSet;
  lineOf: (path: PropertyKey[]) => number | undefined;
}

async function addSet(library: Library, path: string, origin: ClauseSet["origin"], problems: ProblemList): Promise<ReadSet[]> {
  const file = displayPath(path);
  const text = await reported(problems, () => readText(path, "clause set"));
  if (text === undefined) return [];
  const yaml = parseYaml(text, file);
  problems.addAll(yaml.problems);
  if (yaml.problems.length) return [];
  const parsed = clauseSetSchema.safeParse(yaml.data, { reportInput: true });
  if (!parsed.success) {
    // an empty file has no line to point at: its problem goes at line 1
    problems.addAll(zodProblems(parsed.error, yaml, clauseSetSchema, "INVALID_CLAUSE_SET").map((p) => ({ ...p, line: p.line ?? 1 })));
    return [];
  }
  const set: ClauseSet = { ...parsed.data, file, origin, sectionLines: parsed.data.sections.map((_, si) => yaml.lineOf(["sections", si, "id"]) ?? yaml.lineOf(["sections", si])),
    entryLines: parsed.data.sections.map((section, si) => section.clauses.map((_, ci) => yaml.lineOf(["sections", si, "clauses", ci]))) };
  const existing = library.sets.get(set.id);
  if (existing && existing.origin === origin) {
    problems.add({ code: "DUPLICATE_CLAUSE_SET", file, line: yaml.lineOf(["id"]), field: "id", message: `clause set "${set.id}" is already defined in ${existing.file}`, hint: "Rename one of them." });
    return [];
  }
  if (existing) library.replaced.push(`clause set ${set.id}: ${file} replaces the built-in ${existing.file}`);
  library.sets.set(set.id, set);
  return [{ set, lineOf: yaml.lineOf }];
}

/** An unreadable file is one more problem of the library, reported with all the others. */
async function reported<T>(problems: ProblemList, read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (e) {
    if (!(e instanceof PolicyError)) throw e;
    problems.addAll(e.problems);
    return undefined;
  }
}

/** Every clause a set names must exist; checked once every folder's clauses are read. */
function checkSetReferences(set: ClauseSet, library: Library, lineOf: (p: PropertyKey[]) => number | undefined, unreadable = false): Problem[] {
  const problems: Problem[] = [];
  set.sections.forEach((section, si) =>
    section.clauses.forEach((entry, ci) => {
      const ref = typeof entry === "string" ? entry : entry.clause;
      const why = unknownRef(ref, library);
      // the clause may be in a file that failed to load: that file's problems are listed too
      const hint = why && unreadable && !library.variants.has(ref.split(":")[0]!) ? `${why.hint} Or it is in a clause file that did not load (its problems are listed with these).` : why?.hint;
      if (why) problems.push({ code: "UNKNOWN_CLAUSE", file: set.file, line: lineOf(["sections", si, "clauses", ci]), field: `sections[${si}].clauses[${ci}]`, message: why.message, hint });
    }),
  );
  return problems;
}

/** Section ids are unique in a set: `clauses.add` names a section by its id. */
function checkSetSections(set: ClauseSet): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  set.sections.forEach((section, si) => {
    const first = seen.get(section.id);
    if (first !== undefined)
      problems.push({ code: "DUPLICATE_SECTION", file: set.file, line: set.sectionLines?.[si], field: `sections[${si}].id`, message: `section "${section.id}" is already the id of sections[${first}]`, hint: "Give each section its own id, or put the clauses of both in one section." });
    else seen.set(section.id, si);
  });
  return problems;
}

/**
 * A numbered section's heading is its `title`, or the default one of its id in locales/. A section
 * with neither prints its clauses under no heading and is left out of the contents: said as a warning
 * (a set may mean it, and sets written so have been built for a long time), at the section's line.
 */
export function untitledSections(set: ClauseSet, printed: readonly string[]): Problem[] {
  return set.sections.flatMap((section, si) => {
    const missing = LOCALES.filter((locale) => !hasKey(locale, `sections.${section.id}`));
    if (!section.heading || section.title || !missing.length || !printed.includes(section.id)) return [];
    return [{
      code: "SECTION_NO_TITLE", file: set.file, line: set.sectionLines?.[si], field: `sections[${si}].title`,
      message: `section "${section.id}" is printed without a heading: it has no title, and locales/${missing.join(".json and locales/")}.json give no default heading for "${section.id}"`,
      hint: "Give it a title: { zh-CN: ..., en: ... }, or write heading: false if it is meant to have none.",
    }];
  });
}

/** A condition of a set (of a section or an entry) reads profile fields: a misspelt one would always be unset, and silently leave a clause out or in. */
function checkSetConditions(set: ClauseSet, lineOf: (p: PropertyKey[]) => number | undefined): Problem[] {
  const problems: Problem[] = [];
  const check = (condition: Condition | undefined, at: PropertyKey[], field: string) => {
    for (const path of unknownConditionPaths(condition))
      problems.push({
        code: "UNKNOWN_CONDITION_FIELD", file: set.file, line: lineOf([...at, path]) ?? lineOf(at), field: `${field}.${path}`,
        message: `the condition names "${path}", which is not a profile field`, hint: `${closestField(path)}See schema/profile.schema.json for the fields.`,
      });
    for (const { path, message, hint } of impossibleConditionValues(condition))
      problems.push({ code: "CONDITION_NEVER_HOLDS", file: set.file, line: lineOf([...at, path]) ?? lineOf(at), field: `${field}.${path}`, message, hint });
  };
  set.sections.forEach((section, si) => {
    check(section.when, ["sections", si, "when"], `sections[${si}].when`);
    section.clauses.forEach((entry, ci) => typeof entry === "object" && check(entry.when, ["sections", si, "clauses", ci, "when"], `sections[${si}].clauses[${ci}].when`));
  });
  return problems;
}

/** Why a clause reference does not resolve, or undefined when it does. */
export function unknownRef(ref: string, library: Library): { message: string; hint: string } | undefined {
  const [id, variant] = ref.split(":") as [string, string | undefined];
  const variants = library.variants.get(id);
  if (!variants) {
    const guess = closest(id, [...library.variants.keys()]);
    return { message: `unknown clause "${id}"${guess ? `; did you mean ${guess}?` : ""}`, hint: "List the clauses with `policypress clauses`; check the spelling of the id." };
  }
  if (variant && !variants.some((c) => c.variant === variant))
    return { message: `clause "${id}" has no variant "${variant}"`, hint: `Its variants: ${variants.map((c) => c.variant).join(", ")}.` };
  if (!variant && variants.length > 1 && !variants.some((c) => c.variant === "default"))
    return { message: `clause "${id}" has several variants; say which`, hint: `Write ${id}:VARIANT with one of: ${variants.map((c) => c.variant).join(", ")}.` };
  return undefined;
}

/** The clause a reference names: the given variant, else the `default` one, else the only one. */
export function lookupClause(ref: string, library: Library): Clause | undefined {
  const [id, variant] = ref.split(":") as [string, string | undefined];
  const variants = library.variants.get(id) ?? [];
  if (variant) return variants.find((c) => c.variant === variant);
  return variants.find((c) => c.variant === "default") ?? (variants.length === 1 ? variants[0] : undefined);
}

function checkTopics(library: Library, problems: ProblemList) {
  const known = new Set(library.topics.map((t) => t.id));
  for (const c of library.clauses.values())
    if (!known.has(c.topic))
      problems.add({ code: "UNKNOWN_TOPIC", file: c.file, line: c.lines.topic, field: "topic", message: `unknown topic "${c.topic}"`, hint: "Use a topic listed in clauses/topics.yaml, or add it there." });
}

/** Where to look for a clause folder that is not there: `~/legal` is not the home folder's (no shell reads the profile). */
function clauseDirHint(dir: string): string {
  const hint = "Check clauses.dirs in the profile; paths are relative to the profile.";
  return /[\\/]~/.test(dir) ? `${hint} A ~ is not your home folder there: write the folder's path from the profile, or in full (/home/you/...).` : hint;
}
