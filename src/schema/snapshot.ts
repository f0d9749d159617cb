import { z } from "zod";
import { localeSchema, LOCALES } from "./localized.js";
import { isoDateSchema } from "./primitives.js";
import { profileSchema } from "./profile.js";

/**
 * A released version as `policypress release` writes it into versions/<X.Y.Z>/snapshot.json. Every read
 * checks the whole file against this schema, once: a snapshot forged with a recomputed hash passes the
 * tamper check, and what it holds is then rendered, compared and published as it is, so a field of the
 * wrong kind must be said here, naming the file, not crash the build far from it. The types of a
 * rendered document come from here too, since a document is what a snapshot freezes.
 */

/** X.Y.Z with no leading zeros; six digits at most, so a version never turns into an unsafe number. */
export const VERSION_PATTERN = /^(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})$/;
export const versionSchema = z.string().regex(VERSION_PATTERN, "must be a version number X.Y.Z, e.g. 1.2.0");
const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, "must be a SHA-256 hash (64 hex digits)");

// the pages put anchors in id and href attributes: only what anchorOf() makes
const anchorSchema = z.string().regex(/^[a-z0-9-]+$/, "must be lowercase letters, digits and dashes");

export const docClauseSchema = z.strictObject({
  key: z.string(),
  id: z.string().min(1),
  /** Stable across versions and locales: derived from the clause id. */
  anchor: anchorSchema,
  number: z.string().optional(),
  title: z.string(),
  showTitle: z.boolean(),
  /** The rendered body, Markdown. */
  markdown: z.string(),
});

export const docSectionSchema = z.strictObject({
  id: z.string().min(1),
  anchor: anchorSchema,
  number: z.string().optional(),
  title: z.string().optional(),
  // a policy has a few hundred clauses at most; a notice compares two versions' clause orders in
  // time and memory that grow with the product of their counts, so thousands are refused
  clauses: z.array(docClauseSchema).max(1000, "holds more than 1000 clauses"),
});

/** One locale of a policy, everything rendered but not yet written as Markdown or HTML. */
export const policyDocumentSchema = z.strictObject({
  locale: localeSchema,
  slug: z.string(),
  version: z.string(),
  title: z.string(),
  company: z.string(),
  shortName: z.string(),
  effectiveIso: isoDateSchema,
  effective: z.string(),
  updated: z.string(),
  /** The "which language prevails" statement. */
  controlling: z.string(),
  website: z.string(),
  sections: z.array(docSectionSchema).max(1000, "holds more than 1000 sections"),
});

const MAX_CLAUSES = 2000;

/**
 * Both locales of a version. The bilingual page and the notice set them side by side, section by
 * section and clause by clause, so they must have the same sections and clauses in the same order.
 */
const documentsSchema = z
  .strictObject(Object.fromEntries(LOCALES.map((l) => [l, policyDocumentSchema])) as Record<(typeof LOCALES)[number], typeof policyDocumentSchema>)
  .superRefine((docs, ctx) => {
    for (const l of LOCALES) if (docs[l].locale !== l) ctx.addIssue({ code: "custom", path: [l, "locale"], message: `must be ${l}, the locale it is filed under` });
    const [zh, en] = [docs["zh-CN"], docs.en];
    if (zh.sections.reduce((n, s) => n + s.clauses.length, 0) > MAX_CLAUSES) ctx.addIssue({ code: "custom", path: ["zh-CN", "sections"], message: `holds more than ${MAX_CLAUSES} clauses` });
    const shape = (d: typeof zh) => d.sections.map((s) => `${s.id}:${s.clauses.map((c) => c.id).join(",")}`).join(";");
    if (shape(zh) !== shape(en)) ctx.addIssue({ code: "custom", path: ["en", "sections"], message: "do not have the same sections and clauses, in the same order, as the zh-CN ones" });
  });

const bilingualSchema = z.strictObject({ "zh-CN": z.string(), en: z.string() });

export const snapshotSchema = z.strictObject({
  format: z.literal(1),
  slug: z.string(),
  version: versionSchema,
  /** YYYY-MM-DD the version was released. */
  released: isoDateSchema,
  /** YYYY-MM-DD it takes effect. */
  effective: isoDateSchema,
  summary: bilingualSchema.optional(),
  clauseSet: z.string(),
  previous: z.strictObject({ version: versionSchema, hash: sha256Schema }).nullable(),
  profile: profileSchema,
  documents: documentsSchema,
  /** Readable copies written beside snapshot.json (policy.zh-CN.md ...), name -> sha256. */
  files: z.record(z.string(), sha256Schema),
  /** sha256 of everything above, canonically serialised. */
  hash: sha256Schema,
});
