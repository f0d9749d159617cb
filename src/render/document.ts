import type { z } from "zod";
import { PolicyError, ProblemList } from "../errors.js";
import type { LoadedProfile } from "../load/profile.js";
import type { ResolvedPolicy } from "../resolve.js";
import { pick, type Locale } from "../schema/localized.js";
import { profileSchema } from "../schema/profile.js";
import type { docClauseSchema, docSectionSchema, policyDocumentSchema } from "../schema/snapshot.js";
import { withEmptyObjects } from "../schema/walk.js";
import { renderClause } from "./clause.js";
import { hasKey, translator } from "./i18n.js";
import { clauseNumber, formatDate, sectionNumber } from "./numbering.js";
import { fillMarkdown, type Skeleton } from "./slots.js";
import { localView } from "./view.js";

// A document is plain data, frozen as it is in released snapshots: its shape is the snapshot schema's
export type DocClause = z.infer<typeof docClauseSchema>;

/**
 * The skeleton (slots.ts) each clause rendered in this process was made from, for its HTML. Kept beside
 * the documents rather than in them: a document is plain data, frozen as it is in released snapshots.
 */
export const skeletonOf = new WeakMap<DocClause, Skeleton>();

export type DocSection = z.infer<typeof docSectionSchema>;

/** One locale of a policy, everything rendered but not yet written as Markdown or HTML. */
export type PolicyDocument = z.infer<typeof policyDocumentSchema>;

export const anchorOf = (id: string) => id.replace(/[^a-z0-9]+/g, "-");

export interface Anchors {
  sections: string[];
  /** By clause key. */
  clauses: Map<string, string>;
}

/**
 * The HTML anchors of a policy's sections and clauses, unique in its page: a section keeps the anchor of
 * its id; a clause whose anchor a section or an earlier clause already has (the section
 * `collection-methods` and the clause `collection.methods`) gets -2, -3... The policy check links to
 * clauses by the same anchors.
 */
export function anchorsOf(resolved: ResolvedPolicy): Anchors {
  let anchors = anchorMemo.get(resolved);
  if (anchors) return anchors;
  const sections = resolved.sections.map((s) => anchorOf(s.id));
  const taken = new Set(sections);
  const clauses = new Map<string, string>();
  for (const section of resolved.sections)
    for (const clause of section.clauses) {
      const base = anchorOf(clause.id);
      let anchor = base;
      for (let n = 2; taken.has(anchor); n++) anchor = `${base}-${n}`;
      taken.add(anchor);
      clauses.set(clause.key, anchor);
    }
  anchorMemo.set(resolved, (anchors = { sections, clauses }));
  return anchors;
}
const anchorMemo = new WeakMap<ResolvedPolicy, Anchors>();

/** Renders every clause of the resolved policy in one locale. */
export interface DocumentMeta {
  /** "draft", or the released version. */
  version: string;
  /** YYYY-MM-DD; defaults to the profile's effective date. */
  effective?: string;
  /** YYYY-MM-DD; defaults to the profile's updated date, else the effective date. */
  updated?: string;
}

// each locale's document starts from the same filled profile (one fill per profile, not per locale)
const filled = new WeakMap<LoadedProfile["profile"], LoadedProfile["profile"]>();
function filledProfile(profile: LoadedProfile["profile"]): LoadedProfile["profile"] {
  let view = filled.get(profile);
  if (!view) filled.set(profile, (view = withEmptyObjects(profileSchema, profile) as typeof profile));
  return view;
}

export function renderDocument(loaded: LoadedProfile, resolved: ResolvedPolicy, locale: Locale, meta: DocumentMeta = { version: "draft" }): PolicyDocument {
  const { profile } = loaded;
  const t = translator(locale);
  const view = localView(filledProfile(profile), locale);
  const problems = new ProblemList();
  const collect = (render: () => Skeleton): Skeleton => {
    try {
      return render();
    } catch (e) {
      if (!(e instanceof PolicyError)) throw e;
      problems.addAll(e.problems);
      return { markdown: "", values: [] };
    }
  };
  let sectionIndex = 0;
  const anchors = anchorsOf(resolved);
  const sections = resolved.sections.map((section, sectionAt): DocSection => {
    const numbered = section.heading;
    if (numbered) sectionIndex++;
    let clauseIndex = 0;
    const title = section.title ? section.title[locale] : hasKey(locale, `sections.${section.id}`) ? t(`sections.${section.id}`) : undefined;
    return {
      id: section.id,
      anchor: anchors.sections[sectionAt]!,
      number: numbered && title ? sectionNumber(sectionIndex, locale) : undefined,
      title: numbered ? title : undefined,
      clauses: section.clauses.map((clause): DocClause => {
        const showTitle = clause.showTitle && numbered;
        if (showTitle) clauseIndex++;
        const skeleton = collect(() => renderClause(clause, locale, view));
        const rendered: DocClause = {
          key: clause.key,
          id: clause.id,
          anchor: anchors.clauses.get(clause.key)!,
          number: showTitle ? clauseNumber(sectionIndex, clauseIndex, locale) : undefined,
          title: clause.title[locale],
          showTitle,
          markdown: fillMarkdown(skeleton),
        };
        skeletonOf.set(rendered, skeleton);
        return rendered;
      }),
    };
  });
  problems.throwIfAny();
  const title = pick(profile.policy.title, locale);
  return {
    locale,
    slug: loaded.slug,
    version: meta.version,
    title,
    company: pick(profile.company.name, locale),
    shortName: pick(profile.company.shortName, locale),
    effectiveIso: meta.effective ?? profile.policy.effectiveDate,
    effective: formatDate(meta.effective ?? profile.policy.effectiveDate, locale),
    updated: formatDate(meta.updated ?? profile.policy.updatedDate ?? profile.policy.effectiveDate, locale),
    controlling: t("policy.controlling", { title, language: t(`language.${profile.policy.controllingLanguage}`) }),
    website: profile.company.website,
    sections,
  };
}
