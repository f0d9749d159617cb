import { z } from "zod";
import { clauseRefSchema, conditionSchema } from "./clause.js";
import { localeSchema } from "./localized.js";

/**
 * The disclosure checklist (clauses/requirements/<law>.yaml): what each law asks a privacy policy to say,
 * when it applies, and what in a policy satisfies it. Lawyers edit these files; see docs/compliance.md.
 */
const text = z.string().trim().min(1, "must not be empty");
const bilingual = z.strictObject({ "zh-CN": text, en: text });

/** Same form as a clause's `law:` entries, so a clause can name the item it satisfies. */
export const lawRefSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.()\-]*$/, "must be a reference such as PIPL-17 or GBT35273-5.5");
const fieldPathSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/, "must be a profile field path such as contact.email");

/** Any one entry that matches a clause in the policy satisfies the item. */
export const satisfiedBySchema = z
  .strictObject({
    topics: z.array(z.string().min(1)).default([]).describe("a clause of one of these topics (clauses/topics.yaml)"),
    clauses: z.array(clauseRefSchema).default([]).describe("one of these clauses: an id (any variant) or id:variant"),
    law: z.array(lawRefSchema).default([]).describe("a clause whose law: front matter lists one of these references"),
    fields: z.array(fieldPathSchema).default([]).describe("a clause that prints one of these profile fields, which the profile sets"),
    locales: z.array(localeSchema).default([]).describe("the policy is rendered, complete, in these languages"),
  })
  .refine((s) => Object.values(s).some((list) => list.length > 0), "must name at least one topic, clause, law reference, profile field or locale");
export type SatisfiedBy = z.infer<typeof satisfiedBySchema>;

export const requirementItemSchema = z.strictObject({
  id: z.string().regex(/^[A-Z][A-Za-z0-9]*(-[A-Za-z0-9.]+)+$/, "must be the law's id and the article, e.g. PIPL-17-1-1"),
  article: bilingual.describe("e.g. { zh-CN: 第十七条第一款第（一）项, en: Art. 17(1)(i) }"),
  requires: bilingual.describe("What the policy must say, in one sentence"),
  severity: z.enum(["required", "recommended"]),
  appliesWhen: conditionSchema.optional().describe("A condition on profile fields, in the form of a clause's when:"),
  satisfiedBy: satisfiedBySchema,
  note: z.string().optional().describe("For lawyers: the reading behind the item"),
});

export const requirementFileSchema = z.strictObject({
  law: z.strictObject({
    id: z.string().regex(/^[A-Z][A-Za-z0-9]*$/, "must be a short upper-case id such as PIPL"),
    short: bilingual.describe("How messages name the law before an article: PIPL Art. 17"),
    name: bilingual,
    appliesWhen: conditionSchema.optional().describe("Applies to every item of the file (and with the item's own condition)"),
  }),
  items: z.array(requirementItemSchema).min(1, "must list at least one item"),
});

export type RequirementFile = z.infer<typeof requirementFileSchema>;
export type Law = RequirementFile["law"];

/** An item as loaded: with its law and where it is written (for file:line problems). */
export interface Requirement extends z.infer<typeof requirementItemSchema> {
  law: Law;
  file: string;
  line?: number;
}
