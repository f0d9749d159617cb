import { dirname, resolve } from "node:path";
import { PolicyError, type Problem } from "../errors.js";
import { pick } from "../schema/localized.js";
import { profileSchema, type Profile } from "../schema/profile.js";
import { zodProblems } from "../schema/zod-problems.js";
import { displayPath, readText, repeatedTargets } from "./files.js";
import { parseYaml, type YamlSource } from "./yaml.js";
import { BIDI_CONTROL } from "../render/text.js";

/** A validated profile and where it came from. */
export interface LoadedProfile {
  path: string;
  file: string;
  dir: string;
  slug: string;
  profile: Profile;
  /** Line of a field in profile.yaml, for checks that run after validation (of its nearest ancestor when it is not written). */
  lineOf(path: readonly PropertyKey[]): number | undefined;
  /** Line of a field's key (`features:`), likewise. */
  keyLineOf(path: readonly PropertyKey[]): number | undefined;
  /** Whether profile.yaml writes the field itself, rather than leaving it to its default. */
  written(path: readonly PropertyKey[]): boolean;
}

/** Reads and validates a profile.yaml; every problem in the file is reported at once. */
export async function loadProfile(path: string): Promise<LoadedProfile> {
  const abs = resolve(path);
  const file = displayPath(abs);
  const text = await readText(abs, "profile");
  return parseProfile(text, file, abs);
}

export function parseProfile(text: string, file: string, abs = resolve(file)): LoadedProfile {
  const yaml = parseYaml(text, file);
  const dir = dirname(abs);
  if (yaml.problems.length) {
    // the entries the syntax errors leave whole are checked too, so one run reports both kinds; a field
    // in a damaged entry, or missing (it may be in one), is not judged: that would be the error's echo
    const whole = yaml.undamaged && (plainValues(yaml.undamaged) as Record<string, unknown>);
    const checked = whole ? schemaProblems(whole, yaml).filter((p) => p.field !== undefined && topField(p.field) in whole) : [];
    throw new ProfileError([...yaml.problems, ...checked], whole && referencesOf(whole, yaml, dir, false));
  }
  if (yaml.data === null || yaml.data === undefined || typeof yaml.data !== "object" || Array.isArray(yaml.data))
    throw new PolicyError({ code: "PROFILE_NOT_A_MAPPING", file, line: 1, message: "the profile is empty or is not a mapping of fields", hint: "Start from `policypress init`, or copy examples/acme/profile.yaml." });
  const data = plainValues(yaml.data) as Record<string, unknown>;
  const parsed = profileSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) throw new ProfileError(schemaProblems(data, yaml), referencesOf(data, yaml, dir, true));
  const slug = parsed.data.slug ?? defaultSlug(abs, parsed.data);
  return { path: abs, file, dir, slug, profile: parsed.data, lineOf: yaml.lineOf, keyLineOf: yaml.keyLineOf, written: (path) => isWritten(data, path) };
}

function isWritten(data: unknown, path: readonly PropertyKey[]): boolean {
  let at = data;
  for (const key of path) {
    if (!at || typeof at !== "object" || !Object.hasOwn(at, key)) return false;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return true;
}

/**
 * A profile's problems, with the parts of it that are valid on their own and that the later checks read
 * (its clause set and clause overrides): those checks can still run, and their problems come in the same
 * run (src/profile-build.ts, `withReferenceProblems`).
 */
export class ProfileError extends PolicyError {
  constructor(
    problems: Problem[],
    readonly references?: ProfileReferences,
  ) {
    super(problems);
  }
}

/** What a profile names in the clause library, and where it names it. */
export interface ProfileReferences {
  file: string;
  /** The profile's folder, which clauses.dirs is relative to. */
  dir: string;
  lineOf(path: readonly PropertyKey[]): number | undefined;
  clauseSet: Profile["clauseSet"];
  clauses: Profile["clauses"];
}

function schemaProblems(data: unknown, yaml: YamlSource): Problem[] {
  const parsed = profileSchema.safeParse(data, { reportInput: true });
  return parsed.success ? [] : firstPerField(zodProblems(parsed.error, yaml, profileSchema, "INVALID_PROFILE"));
}

/** `clauses.add[0].section` -> `clauses`. */
const topField = (field: string) => field.split(/[.[]/)[0]!;

/**
 * The clause set and overrides, when each is valid by itself. With syntax errors, only as written: an
 * absent one may be in a damaged entry, and its default would be checked in its place.
 */
function referencesOf(data: Record<string, unknown>, yaml: YamlSource, dir: string, complete: boolean): ProfileReferences | undefined {
  if (!complete && !("clauseSet" in data && "clauses" in data)) return undefined;
  const clauseSet = profileSchema.shape.clauseSet.safeParse(data.clauseSet);
  const clauses = profileSchema.shape.clauses.safeParse(data.clauses);
  if (!clauseSet.success || !clauses.success) return undefined;
  return { file: yaml.file, dir, lineOf: yaml.lineOf, clauseSet: clauseSet.data, clauses: clauses.data };
}

/**
 * Every value reaches page titles, running heads, the landing page, the feed and the sitemap as well as
 * clause text (which cleans its values itself), so bidi controls (written as they are or as YAML escapes)
 * are dropped from the profile's strings before anything reads them, and other control characters become
 * spaces: a "\0" or "\e" in the title went into <title> and <h1> as it was, an error in HTML and one
 * that makes feed.xml not XML at all. Tabs and line breaks stay (the clause text decides about those).
 */
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\uFFFE\uFFFF]/g;
const UNPLAIN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\uFFFE\uFFFF\u202A-\u202E\u2066-\u2069]/;

function plainValues(value: unknown): unknown {
  // a profile has hundreds of strings and almost none holds one of these: one scan decides
  if (typeof value === "string") return UNPLAIN.test(value) ? value.replace(BIDI_CONTROL, "").replace(CONTROL_CHARACTER, " ") : value;
  if (Array.isArray(value)) return value.map(plainValues);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainValues(v)]));
  return value;
}

/** One problem per field: "2026-2-1" is not written YYYY-MM-DD, and saying it is no real date as well adds nothing. */
function firstPerField(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => p.field === undefined || (!seen.has(p.field) && (seen.add(p.field), true)));
}

/**
 * `examples/acme/profile.yaml` -> `acme`; `legal/foo.yaml` -> `foo`. A name with no letter or digit of
 * a-z and 0-9 (`示例公司/profile.yaml`) gives way to the company's English short name, then its English
 * name: two such profiles would otherwise both be `policy`. Always a safe file name.
 */
function defaultSlug(abs: string, profile: Profile): string {
  const base = abs.replace(/\\/g, "/").split("/");
  const name = base[base.length - 1]!.replace(/\.ya?ml$/i, "");
  const fromPath = name === "profile" ? base[base.length - 2] ?? "" : name;
  const fromCompany = [profile.company.shortName, profile.company.name].map((n) => slugify(pick(n, "en").normalize("NFKD").replace(/[\u0300-\u036f]/g, "")));
  return [slugify(fromPath), ...fromCompany].find(Boolean) ?? "policy";
}

/** Lowercase a-z, 0-9 and dashes, at most 63 characters (accents are dropped from company names: Société -> societe). */
export function slugify(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 63);
}

/**
 * The profile's own clause folders, resolved against the profile's folder. One folder named twice
 * (`[legal, ./legal/]`, or through a link) was read twice, and each of its clauses and sets was said to be
 * "already defined" in itself: refused here, at the line that names it again.
 */
export function ownClauseDirs(loaded: LoadedProfile): string[] {
  const dirs = loaded.profile.clauses.dirs.map((d) => resolve(loaded.dir, d));
  const named = loaded.profile.clauses.dirs;
  const problems = repeatedTargets(dirs).map(({ at, first }): Problem => ({
    code: "CLAUSE_DIR_REPEATED", file: loaded.file, line: loaded.lineOf(["clauses", "dirs", at]), field: `clauses.dirs[${at}]`,
    message: `"${named[at]}" is the folder clauses.dirs[${first}] ("${named[first]}") names already`,
    hint: "Name each clause folder once.",
  }));
  if (problems.length) throw new PolicyError(problems);
  return dirs;
}

