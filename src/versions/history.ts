import type { LoadedProfile } from "../load/profile.js";
import { renderDocument, type PolicyDocument } from "../render/document.js";
import type { ResolvedPolicy } from "../resolve.js";
import { LOCALES, type Locale } from "../schema/localized.js";
import { diffVersions, type ChangeSet, type VersionView } from "./changes.js";
import type { Snapshot } from "./snapshot.js";

export const asView = (s: Snapshot): VersionView => ({ version: s.version, profile: s.profile, documents: s.documents });

/** The profile with the dates a version carries, so the date clauses and the header agree. */
function withDates(loaded: LoadedProfile, effective: string, updated: string): LoadedProfile {
  const profile = { ...loaded.profile, policy: { ...loaded.profile.policy, effectiveDate: effective, updatedDate: updated } };
  return { ...loaded, profile };
}

export interface RenderAs {
  version: string;
  effective: string;
  updated: string;
}

/** Both locales of the working profile, rendered as a given version with given dates. */
export function renderVersion(loaded: LoadedProfile, resolved: ResolvedPolicy, as: RenderAs): VersionView {
  const dated = withDates(loaded, as.effective, as.updated);
  const documents = Object.fromEntries(
    LOCALES.map((l) => [l, renderDocument(dated, resolved, l, { version: as.version, effective: as.effective, updated: as.updated })]),
  ) as Record<Locale, PolicyDocument>;
  return { version: as.version, profile: dated.profile, documents };
}

/**
 * What changed from the latest release to the working profile. Dates are not content: the draft is
 * rendered with the latest release's dates, so an unchanged profile compares as unchanged.
 */
export function draftChanges(loaded: LoadedProfile, resolved: ResolvedPolicy, latest: Snapshot | undefined): { view: VersionView; changes: ChangeSet } {
  const view = latest
    ? renderVersion(loaded, resolved, { version: "draft", effective: latest.effective, updated: latest.released })
    : renderVersion(loaded, resolved, { version: "draft", effective: loaded.profile.policy.effectiveDate, updated: loaded.profile.policy.updatedDate ?? loaded.profile.policy.effectiveDate });
  return { view, changes: diffVersions(latest ? asView(latest) : null, view) };
}

