import { z } from "zod";
import { CONTROL_CHARACTER } from "../errors.js";
import { localizedSchema, LOCALES } from "./localized.js";

const bilingual = z.strictObject({ "zh-CN": z.string().trim().min(1), en: z.string().trim().min(1) });
// a set's and a section's headings are printed into every page that uses the set: a control character
// (a Word line break, an escape sequence) is no text there, and HTML forbids it (a clause's own title and
// text get CLAUSE_CONTROL_CHARACTER from the library check)
const heading = z
  .string()
  .trim()
  .min(1)
  .refine((s) => !CONTROL_CHARACTER.test(s), "contains a control character (a line or page break copied from a word processor, or an escape sequence): delete it");
const bilingualHeading = z.strictObject({ "zh-CN": heading, en: heading });

export const clauseIdSchema = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)*$/, "must be lowercase dotted words, e.g. retention.period");
export const variantSchema = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be lowercase words joined by dashes, e.g. working-days");

const conditionValueSchema = z.union([z.boolean(), z.string(), z.number(), z.array(z.union([z.string(), z.number()]))]);
type ConditionValue = z.infer<typeof conditionValueSchema>;
/** `field.path: expected`, all of which must hold; `any: [ {...}, {...} ]` holds when one of its conditions does. */
export type Condition = { [path: string]: ConditionValue | Condition[] };

/** Every field path a condition reads, inside `any:` too. */
export function conditionPaths(condition: Condition): string[] {
  return Object.entries(condition).flatMap(([k, v]) => (k === "any" && Array.isArray(v) ? (v as Condition[]).flatMap(conditionPaths) : [k]));
}

/** See docs/clause-format.md. */
export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.record(
    z.string().regex(/^([A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*)$/, "must be a profile field path such as features.cookies, or any"),
    z.union([conditionValueSchema, z.array(conditionSchema)]),
  ),
);

export const sourceRefSchema = z.strictObject({
  policy: z.string().regex(/^[a-z0-9-]+$/),
  // unquoted, 5.10 is the number 5.1: a section with a dot is written in quotes
  section: z.union([z.string().trim().min(1, "must name a section of the source policy, e.g. \"三.1\""), z.number().refine(Number.isInteger, 'write a section with a dot in quotes, e.g. "5.10" (unquoted, 5.10 is the number 5.1)')]).transform(String),
});

export const clauseFrontMatterSchema = z.strictObject({
  id: clauseIdSchema,
  variant: variantSchema.default("default"),
  topic: z.string().min(1),
  title: bilingual,
  showTitle: z.boolean().default(true),
  when: conditionSchema.optional(),
  /** What the text takes for granted ("the services are for adults"): `check` reports a profile that says otherwise. */
  assumes: conditionSchema.optional(),
  sources: z.array(sourceRefSchema).default([]),
  law: z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.()\-]*$/, "must be a reference such as PIPL-17 or GBT35273-5.5")).default([]),
  note: z.string().optional(),
});
export type ClauseFrontMatter = z.infer<typeof clauseFrontMatterSchema>;

/** A clause variant as loaded: front matter plus one body per locale, with where each body starts. */
export interface Clause extends ClauseFrontMatter {
  /** `id:variant`, the key clause sets and profiles use. */
  key: string;
  file: string;
  bodies: Record<(typeof LOCALES)[number], string>;
  /** 1-based line in `file` of each body's first line, so template errors point into the file. */
  bodyLines: Record<(typeof LOCALES)[number], number>;
  /** 1-based lines of front matter fields (`id`, `topic`, `when.<path>`...), for problems found after loading. */
  lines: Record<string, number>;
  /** Where the clause came from: the built-in library or a profile's own folder. */
  origin: "library" | "own";
}

export const clauseRefSchema = z.string().regex(/^[a-z0-9]+([.-][a-z0-9]+)*(:[a-z0-9]+(-[a-z0-9]+)*)?$/, "must be a clause id, optionally with :variant");

export const setEntrySchema = z.union([
  clauseRefSchema,
  z.strictObject({ clause: clauseRefSchema, when: conditionSchema.optional() }),
]);

const setIdSchema = z.string().regex(/^[a-z0-9-]+$/, "must be lowercase words joined by dashes, e.g. startup-default");

export const sectionSchema = z.strictObject({
  id: setIdSchema,
  title: bilingualHeading.optional(),
  heading: z.boolean().default(true),
  when: conditionSchema.optional(),
  clauses: z.array(setEntrySchema).min(1, "a section must list at least one clause"),
});

export const clauseSetSchema = z.strictObject({
  id: setIdSchema,
  title: bilingualHeading,
  description: localizedSchema.optional(),
  sections: z.array(sectionSchema).min(1, "a clause set must have at least one section"),
});
export type ClauseSet = z.infer<typeof clauseSetSchema> & {
  file: string;
  origin: "library" | "own";
  /** 1-based line of each section's id, for problems found after loading. */
  sectionLines?: (number | undefined)[];
  /** 1-based line of each entry of each section's clauses, for problems found when a profile is resolved. */
  entryLines?: (number | undefined)[][];
};

export const topicSchema = z.strictObject({ id: z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)*$/), "zh-CN": z.string().min(1), en: z.string().min(1) });
export const topicsSchema = z.array(topicSchema);
export type Topic = z.infer<typeof topicSchema>;
