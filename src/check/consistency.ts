import type { Problem } from "../errors.js";
import { conditionHolds, describeCondition, getPath } from "../resolve.js";
import { conditionPaths, type Clause } from "../schema/clause.js";
import { stringsOf } from "./profile-strings.js";
import { unescapeMarkdown } from "../render/text.js";
import { LOCALES, type Locale } from "../schema/localized.js";
import { emailSchema, webUrlSchema } from "../schema/primitives.js";
import type { SatisfiedBy } from "../schema/requirement.js";
import { evidenceFor, included, isDeclared, suggestions, type BuiltPolicy } from "./evidence.js";

/**
 * Does the policy agree with the profile? Each rule is a small named function; `rules` runs them in
 * order (as markdown-it's rule lists), so a rule can be added, removed or reordered in one place.
 */
export interface Rule {
  name: string;
  summary: string;
  check(policy: BuiltPolicy): Problem[];
}

export interface RuleResult {
  rule: string;
  summary: string;
  problems: Problem[];
}

export function checkConsistency(policy: BuiltPolicy, list: Rule[] = rules): RuleResult[] {
  return list.map((r) => ({ rule: r.name, summary: r.summary, problems: r.check(policy) }));
}

/** A fact the profile can declare, and what in a policy shows the policy tells people about it. */
interface Declaration {
  field: string;
  what: string;
  covers: Partial<SatisfiedBy>;
  /** Words that name it, in each language: a collection item can say it without a dedicated clause. */
  mentions?: Record<Locale, RegExp>;
}

export const DECLARATIONS: Declaration[] = [
  { field: "features.cookies", what: "cookies", covers: { topics: ["cookies"] } },
  { field: "sdks", what: "third-party SDKs", covers: { fields: ["sdks"] } },
  { field: "storage.crossBorder", what: "cross-border transfers", covers: { fields: ["storage.crossBorder"] } },
  { field: "children.directed", what: "a service directed at children", covers: { fields: ["children.directed"] } },
  { field: "features.faceData", what: "facial (biometric) information", covers: { fields: ["features.faceData"] }, mentions: { "zh-CN": /人脸|面部|面容/, en: /\bfac(e|ial)\b/i } },
  { field: "features.idNumbers", what: "identity document numbers", covers: { fields: ["features.idNumbers"] }, mentions: { "zh-CN": /身份证|证件号/, en: /identity (card|document)|\bID (card|number)|passport/i } },
  { field: "features.bankCards", what: "bank card numbers", covers: { fields: ["features.bankCards"] }, mentions: { "zh-CN": /银行卡|银行账/, en: /bank (card|account)/i } },
  { field: "features.preciseLocation", what: "precise location", covers: { fields: ["features.preciseLocation"] }, mentions: { "zh-CN": /精确位置|精准位置|精确定位|GPS/, en: /precise (geo)?location|GPS/i } },
  { field: "features.marketing", what: "marketing messages", covers: { fields: ["features.marketing"], topics: ["rights.marketing"] } },
  { field: "features.automatedDecisions", what: "automated decision-making", covers: { fields: ["features.automatedDecisions"], topics: ["rights.automated-decisions"] } },
];

const NO_MATCH: SatisfiedBy = { topics: [], clauses: [], law: [], fields: [], locales: [] };
// one object per declaration, for every policy: the evidence checks remember their answers by it
const coverages = new Map<Declaration, SatisfiedBy>();
const coverage = (d: Declaration): SatisfiedBy => coverages.get(d) ?? coverages.set(d, { ...NO_MATCH, ...d.covers }).get(d)!;

/** The profile declares something the policy never tells people about. */
export const declarationsCovered: Rule = {
  name: "declarations-covered",
  summary: "everything the profile declares (cookies, SDKs, cross-border, children, sensitive data, marketing, automated decisions) is covered by a clause",
  check(policy) {
    const { loaded } = policy;
    const text = plainText(policy);
    return DECLARATIONS.filter((d) => isDeclared(loaded.profile, d.field))
      .filter((d) => !evidenceFor(coverage(d), policy).length)
      // named in every language built (a one-language build has no text in the other)
      .filter((d) => !d.mentions || !LOCALES.filter((l) => policy.documents[l]).every((l) => d.mentions![l].test(text[l])))
      .map((d) => {
        const offer = suggestions(coverage(d), policy);
        const clauses = offer.length ? `Add a clause that covers it (clauses.add in the profile, or the clause set): ${offer.join("; ")}` : "Write a clause that covers it and add it";
        const path = d.field.split(".");
        // on by default (features.cookies): the profile does not write it, so there is no line of its own
        const byDefault = !loaded.written(path) && typeof getPath(loaded.profile, d.field) === "boolean";
        return {
          code: "DECLARATION_NOT_COVERED", file: loaded.file, line: declarationLine(loaded, path), field: d.field,
          message: `the profile declares ${d.what} (${d.field}${byDefault ? ", on by default" : ""}), but no clause of the policy covers it`,
          hint: byDefault
            ? `${clauses}; or, if it does not apply, turn it off in the profile: ${offYaml(path)}.`
            : d.mentions ? `${clauses}, or name it in the collection scenario that collects it (collection[].items, sensitive: true).` : `${clauses}.`,
        };
      });
  },
};

/**
 * Where a declaration is written: its own line; for a default the profile does not write, the key of the
 * nearest mapping around it that the profile does write (`features:`); else no line at all (line 1 of the
 * file would point at something unrelated).
 */
function declarationLine(loaded: BuiltPolicy["loaded"], path: string[]): number | undefined {
  if (loaded.written(path)) return loaded.lineOf(path);
  for (let n = path.length - 1; n > 0; n--) if (loaded.written(path.slice(0, n))) return loaded.keyLineOf(path.slice(0, n));
  return undefined;
}

/** `features.cookies` -> `features: { cookies: false }`, as it is written in profile.yaml. */
const offYaml = (path: string[]): string => path.reduceRight<string>((inner, key, i) => (i === path.length - 1 ? `${key}: false` : `${key}: { ${inner} }`), "");

/** A clause takes for granted (its `assumes:`) what the profile denies: the policy says something false. */
export const noContradictions: Rule = {
  name: "no-contradictions",
  summary: "no clause of the policy assumes something the profile contradicts",
  check(policy) {
    const { loaded, library } = policy;
    return included(policy)
      .filter((c) => c.assumes && !conditionHolds(c.assumes, loaded.profile))
      .map((c) => {
        const first = conditionPaths(c.assumes!)[0]!;
        const others = (library.variants.get(c.id) ?? []).filter((v) => v !== c && (!v.assumes || conditionHolds(v.assumes, loaded.profile))).map((v) => v.key);
        return {
          code: "CONTRADICTION", file: loaded.file, line: loaded.lineOf(first.split(".")), field: first,
          message: `the policy includes ${c.key}, which assumes ${describeCondition(c.assumes!)}; the profile says otherwise`,
          hint: others.length ? `Choose another variant (clauses.variants): ${others.join(", ")}; or leave it out with clauses.remove.` : `Leave it out with clauses.remove, or correct ${first} in the profile.`,
        };
      });
  },
};

// Template syntax that survived rendering, a value printed as a JavaScript object, and the fill-in markers
// of drafts ("XX公司", "____", "TODO", and the starter profile's "（请填写注册地址）").
const LEFTOVERS = [/\{\{|\}\}/, /\[object [A-Z]\w*\]/, /\b(?:TODO|TBD|FIXME)\b/, /X{3,}|Ｘ{2,}|(?<![A-Za-z])XX(?=\p{Script=Han})/u, /_{3,}|＿{2,}/, /【\s*】|\[\s*\]|（\s*）|\(\s*\)/, /待填写|待补充|待定/, /（请填写[^）]*）|\(fill in [^)]*\)/i];

/** A placeholder left unresolved in the rendered text. */
export const placeholdersResolved: Rule = {
  name: "placeholders-resolved",
  summary: "no placeholder or fill-in marker is left in the rendered policy",
  check(policy) {
    const problems: Problem[] = [];
    // most policies have none: one look at each language's whole text rules them out
    const whole = plainText(policy);
    const suspect = LOCALES.filter((l) => LEFTOVERS.some((re) => re.test(whole[l])));
    for (const { clause, locale, markdown } of renderedClauses(policy, suspect)) {
      const text = unescapeMarkdown(markdown);
      // every kind of marker, not the first only: one left in the name must not hide another in the address
      for (const found of new Set(LEFTOVERS.flatMap((re) => re.exec(text)?.[0] ?? []))) {
        // a marker that comes from a profile value is the profile's to fix, not the clause's
        const source = stringsOf(policy.loaded.profile, (path, value) => value.includes(found) && path[path.length - 1] !== (locale === "en" ? "zh-CN" : "en"))[0];
        if (source) {
          const field = source.path.join(".");
          problems.push({
            code: "UNRESOLVED_PLACEHOLDER", file: policy.loaded.file, line: policy.loaded.lineOf(source.path), field,
            message: `the ${locale} policy still contains "${found}", from the profile's ${field}`,
            hint: `Fill in ${field} in the profile.`,
          });
        } else
          problems.push({
            code: "UNRESOLVED_PLACEHOLDER", file: clause.file, line: clause.bodyLines[locale], field: locale,
            message: `the ${locale} text of ${clause.key} still contains "${found}" after rendering`,
            hint: "Fill in the profile value it comes from, or correct the clause text.",
          });
      }
    }
    // a profile value printed by ten clauses is one thing to fix, said once
    return uniqueProblems(problems);
  },
};

const HAN = /\p{Script=Han}/u;

function uniqueProblems(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.file}\0${p.line}\0${p.field}\0${p.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/**
 * A web or email address is one text for both languages (the schema takes no { zh-CN, en } there): one
 * with a Chinese domain (https://例子.中国/, privacy@例子.中国) is the same address in the English policy,
 * not an untranslated text.
 */
const isAddress = (value: string) => webUrlSchema.safeParse(value).success || emailSchema.safeParse(value).success;

/** A language version is missing: a clause renders empty in one language, or Chinese text reaches the English policy. */
export const localesComplete: Rule = {
  name: "locales-complete",
  summary: "every clause and every profile value the policy prints exists in both languages",
  check(policy) {
    const { loaded } = policy;
    const problems: Problem[] = [];
    for (const locale of LOCALES)
      if (!policy.documents[locale])
        problems.push({ code: "LOCALE_MISSING", file: loaded.file, message: `the policy has no ${locale} version`, hint: "Build and check both languages." });
    const byClause = new Map<Clause, Locale[]>();
    for (const r of renderedClauses(policy)) if (!r.markdown.trim()) byClause.set(r.clause, [...(byClause.get(r.clause) ?? []), r.locale]);
    for (const [clause, empty] of byClause)
      if (empty.length < LOCALES.length)
        problems.push({ code: "LOCALE_MISSING", file: clause.file, line: clause.bodyLines[empty[0]!], field: empty[0], message: `${clause.key} renders empty in ${empty.join(" and ")} but not in the other language`, hint: "Give both languages the same conditions ({{#if}} blocks), so the two versions say the same." });
    const english = plainText(policy).en;
    const untranslated = (path: (string | number)[], value: string) => path[path.length - 1] !== "zh-CN" && HAN.test(value) && !isAddress(value) && english.includes(value);
    for (const { path, value } of stringsOf(loaded.profile, untranslated))
      problems.push({
        code: "LOCALE_MISSING", file: loaded.file, line: loaded.lineOf(path), field: path.join("."),
        message: `the English policy prints "${value.slice(0, 40)}" from ${path.join(".")}, which has no English text`,
        hint: path[path.length - 1] === "en" ? "Translate the en value." : "Write it as { zh-CN: ..., en: ... }.",
      });
    return problems;
  },
};

/** clauses.remove or clauses.variants names a clause the set does not have: the profile expects a change that is not made. */
export const overridesUsed: Rule = {
  name: "overrides-used",
  summary: "every clauses.remove and clauses.variants entry of the profile names a clause of its clause set",
  check(policy) {
    const { loaded, resolved } = policy;
    return resolved.unusedOverrides.map(({ path, ref }) => {
      const what = path[1] === "remove" ? "removes" : "chooses a variant of";
      return {
        code: "OVERRIDE_UNUSED", file: loaded.file, line: loaded.lineOf(path), field: path[1] === "remove" ? `clauses.remove[${path[2]}]` : path.join("."),
        message: `the profile ${what} ${path[1] === "remove" ? ref : ref.split(":")[0]}, which the clause set "${resolved.set.id}" does not have: it changes nothing`,
        hint: `Check the id against the set's clauses (${resolved.set.file}), or delete the entry.`,
      };
    });
  },
};

export const rules: Rule[] = [declarationsCovered, noContradictions, placeholdersResolved, localesComplete, overridesUsed];

function renderedClauses(policy: BuiltPolicy, locales: readonly Locale[] = LOCALES) {
  const byKey = new Map(included(policy).map((c) => [c.key, c]));
  return locales.flatMap((locale) =>
    (policy.documents[locale]?.sections ?? []).flatMap((s) => s.clauses.map((c) => ({ clause: byKey.get(c.key)!, locale, markdown: c.markdown }))),
  );
}

// two rules read it: it is made once per policy
const plainTexts = new WeakMap<BuiltPolicy, Record<Locale, string>>();

/** Each language's whole policy as plain text: the title block and every clause, Markdown escapes removed. */
function plainText(policy: BuiltPolicy): Record<Locale, string> {
  const known = plainTexts.get(policy);
  if (known) return known;
  const out = {} as Record<Locale, string>;
  plainTexts.set(policy, out);
  for (const locale of LOCALES) {
    const d = policy.documents[locale];
    out[locale] = d ? unescapeMarkdown([d.title, d.company, d.shortName, ...d.sections.flatMap((s) => [s.title ?? "", ...s.clauses.flatMap((c) => [c.title, c.markdown])])].join("\n")) : "";
  }
  return out;
}

