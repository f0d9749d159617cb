import type { z } from "zod";
import type { Problem } from "../errors.js";
import { hasKey } from "../render/i18n.js";
import { isoDateSchema } from "../schema/primitives.js";
import { LOCALES, type Locale } from "../schema/localized.js";
import { profileSchema } from "../schema/profile.js";
import { defOf, knownKeys, unwrap } from "../schema/walk.js";

/**
 * What a profile field holds, as a helper sees it. A helper given the wrong kind does not fail: {{list
 * features.cookies}} prints "true", {{num company.name}} "NaN", {{list product.services "nmae"}} nothing;
 * so the library check compares each helper call with the profile schema (src/render/handlebars.ts).
 */
type Kind = "date" | "number" | "flag" | "language" | "choice" | "text" | "texts" | "records" | "group";

export const KIND_WORDS: Record<Kind, string> = {
  date: "a date", number: "a number", flag: "a yes/no flag", language: "a language", choice: "one of fixed values",
  text: "a text", texts: "a list of texts", records: "a list of entries with fields", group: "a group of fields",
};

/** The kinds each helper takes, what it is for, and how many arguments it has. */
const TAKES: Record<string, { kinds: Kind[]; says: string; max: number }> = {
  date: { kinds: ["date"], says: "{{date}} formats a date (YYYY-MM-DD)", max: 1 },
  num: { kinds: ["number"], says: "{{num}} writes a number (in Chinese numerals in the zh-CN text)", max: 1 },
  language: { kinds: ["language"], says: "{{language}} names a language (zh-CN or en)", max: 1 },
  term: { kinds: ["choice"], says: "{{term}} gives the label of a fixed value, e.g. {{term role}} inside {{#each collection}}", max: 1 },
  items: { kinds: ["text"], says: '{{items}} takes the key of a collection scenario, in quotes: {{items "registration"}}', max: 1 },
  list: { kinds: ["texts", "records", "text"], says: '{{list}} joins a list: {{list security.certifications}}, or {{list product.services "name"}} for a field of each entry', max: 2 },
};

/** A call's argument: a profile field (its schema, or undefined when no profile has it) or a literal. */
export type Argument = { field: string; schema: z.ZodType | undefined } | { literal: string | number | boolean };

export function kindOf(schema: z.ZodType): Kind | undefined {
  const s = unwrap(schema);
  const d = defOf(s) as ReturnType<typeof defOf> & { entries?: Record<string, string> };
  if (d === defOf(isoDateSchema)) return "date";
  if (d.type === "string") return "text";
  if (d.type === "number" || d.type === "int") return "number";
  if (d.type === "boolean") return "flag";
  if (d.type === "enum") return Object.values(d.entries ?? {}).every((v) => (LOCALES as readonly string[]).includes(v)) ? "language" : "choice";
  if (d.type === "array") {
    const element = kindOf(d.element!);
    return element === "group" ? "records" : "texts";
  }
  if (d.type === "object") return isBilingual(s) ? "text" : "group";
  if (d.type === "record") return "group";
  if (d.type === "union") {
    const kinds = new Set((d.options ?? []).map(kindOf));
    // a { zh-CN, en } text or a plain one is a text; other mixtures are not judged
    if (kinds.has("text")) return "text";
    return kinds.size === 1 ? [...kinds][0] : undefined;
  }
  return undefined;
}

const isBilingual = (s: z.ZodType) => LOCALES.every((l) => knownKeys(s, []).includes(l));

function literalKind(value: string | number | boolean, helper: string): Kind {
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "flag";
  if (helper === "date" && isoDateSchema.safeParse(value).success) return "date";
  if (helper === "language" && (LOCALES as readonly string[]).includes(value)) return "language";
  if (helper === "term") return "choice";
  return "text";
}

/**
 * Problems of one helper call, `{{list features.cookies}}` for instance: an argument of a kind the helper
 * cannot use, a second argument it does not take, a field of each entry the entries lack, a fixed value
 * with no label. An argument that names no field is left to the placeholder check.
 */
export function checkHelperCall(helper: string, args: Argument[], at: { file: string; line: number; locale: Locale }, named: string[] = []): Problem[] {
  const takes = TAKES[helper];
  if (!takes || !args.length) return [];
  const call = `{{${helper} ${[...args.map((a) => ("field" in a ? a.field : JSON.stringify(a.literal))), ...named.map((n) => `${n}=…`)].join(" ")}}}`;
  const problem = (field: string, message: string, hint: string): Problem => ({ code: "TEMPLATE_HELPER_ARGUMENT", file: at.file, line: at.line, field, message: `the ${at.locale} text calls ${call}, ${message}`, hint });
  const [first, second] = args;
  const problems: Problem[] = [];
  // {{date policy.effectiveDate format="x"}}: no helper reads a named argument, so it would change nothing
  if (named.length) problems.push(problem(helper, `but ${helper} takes no named argument (${named.join(", ")})`, `${takes.says}.`));
  if (args.length > takes.max) problems.push(problem(helper, `but ${helper} takes ${takes.max === 1 ? "one argument" : "at most two"}: the others would be ignored`, `${takes.says}.`));
  const kind = "field" in first! ? (first.schema && kindOf(first.schema)) : literalKind(first!.literal, helper);
  const name = "field" in first! ? first.field : JSON.stringify(first!.literal);
  // {{items}} takes a scenario's key itself, whatever the kind of a field given instead: said once
  if (helper === "items" && "field" in first!) return [...problems, problem(name, `but items takes the key of a collection scenario in quotes, not a field`, `${takes.says}.`)];
  if (kind && !takes.kinds.includes(kind)) {
    // a few fields of the right kind, where the profile has such fields outside lists
    const fields = "field" in first! && helper !== "list" ? fieldsOf(takes.kinds) : [];
    const hint = helper === "list" && kind === "flag" ? `${takes.says}; test a flag with {{#if ${name}}}…{{/if}}.` : `${takes.says}${fields.length ? `, e.g. ${fields.slice(0, 4).join(", ")}` : ""}.`;
    problems.push(problem(name, `but ${name} is ${KIND_WORDS[kind]}`, hint));
  }
  if (helper === "term" && kind === "choice" && "field" in first! && first.schema) {
    const values = Object.values((defOf(unwrap(first.schema)) as { entries?: Record<string, string> }).entries ?? {});
    const unlabelled = values.filter((v) => LOCALES.some((l) => !hasKey(l, `terms.${v}`)));
    if (unlabelled.length) problems.push(problem(name, `but locales/ give no label (terms.${unlabelled[0]}) for ${unlabelled.map((v) => `"${v}"`).join(", ")}`, "Add the label to terms in locales/zh-CN.json and locales/en.json."));
  }
  if (helper === "list" && args.length <= 2) problems.push(...listFieldProblems(first!, second, kind, problem));
  return problems;
}

/** {{list x}} prints entries with fields as "[object Object]"; {{list x "field"}} names a field each entry has. */
function listFieldProblems(first: Argument, second: Argument | undefined, kind: Kind | undefined, problem: (field: string, message: string, hint: string) => Problem): Problem[] {
  if (!("field" in first) || !first.schema || !kind) return [];
  const element = defOf(unwrap(first.schema)).element;
  const keys = element ? knownKeys(element, []) : [];
  const examples = keys.slice(0, 4).map((k) => `{{list ${first.field} "${k}"}}`).join(", ");
  if (second && !("literal" in second && typeof second.literal === "string"))
    return [problem(first.field, `but the second argument of list is "or" or the name of a field of each entry, in quotes`, `Write {{list ${first.field} "or"}}${examples ? `, or ${examples}` : ""}.`)];
  const field = second && "literal" in second && second.literal !== "or" ? String(second.literal) : undefined;
  if (kind === "records" && !field)
    return [problem(first.field, `but ${first.field} is a list of entries with fields: it would print "[object Object]"`, `Name the field of each entry to print: ${examples}.`)];
  if (field && kind !== "records")
    return [problem(first.field, `but ${first.field} is ${KIND_WORDS[kind]}, whose entries have no field "${field}"`, `Write {{list ${first.field}}}, or {{list ${first.field} "or"}} to join alternatives.`)];
  if (field && !keys.includes(field))
    return [problem(first.field, `but the entries of ${first.field} have no field "${field}": it would print nothing`, `Their fields: ${keys.join(", ")}.`)];
  return [];
}

/** The profile's fields (outside lists) of the given kinds, for a hint: policy.effectiveDate, ... */
function fieldsOf(kinds: Kind[], schema: z.ZodType = profileSchema, prefix = ""): string[] {
  const d = defOf(unwrap(schema));
  if (d.type !== "object" || (prefix && isBilingual(unwrap(schema)))) return [];
  return Object.entries(d.shape ?? {}).flatMap(([key, child]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    const kind = kindOf(child);
    return [...(kind && kinds.includes(kind) && kind !== "text" ? [path] : []), ...fieldsOf(kinds, child, path)];
  });
}
