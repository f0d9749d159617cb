import { z } from "zod";

/**
 * What a clause's front matter may cite (clauses/citations.yaml, and citations.yaml at the root of a
 * profile's own clause folder): the laws a `law:` reference names and the source policies a `sources:`
 * entry names. A reference's first part after the id (PIPL-17-1-2: 17; GBT35273-5.5: 5) must be one of
 * the numbers 1 to `numbers` or one of `names`.
 */
const partsSchema = {
  numbers: z.int().min(1).optional().describe("the parts are numbered 1 to this (articles, clauses, sections)"),
  names: z.array(z.union([z.string().min(1), z.int()]).transform(String)).default([]).describe("parts with other names: appendices, notices, a preamble"),
};

export const citedLawSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/, "must be a short id such as PIPL"),
  name: z.string().min(1).describe("The law's name, for people"),
  ...partsSchema,
});

export const citedSourceSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, "must be lowercase words joined by dashes, e.g. ppio"),
  name: z.string().min(1).describe("The source policy, for people"),
  ...partsSchema,
});

export const citationsSchema = z.strictObject({
  laws: z.array(citedLawSchema).default([]),
  sources: z.array(citedSourceSchema).default([]),
});

export type CitedLaw = z.infer<typeof citedLawSchema>;
export type CitedSource = z.infer<typeof citedSourceSchema>;
export type Citations = { laws: Map<string, CitedLaw>; sources: Map<string, CitedSource> };
