import type { LoadedProfile } from "../load/profile.js";
import type { PolicyDocument } from "../render/document.js";
import { noticeFiles, renderFiles, type RenderedFile } from "../render/files.js";
import type { ResolvedPolicy } from "../resolve.js";
import type { Locale } from "../schema/localized.js";
import { diffVersions } from "../versions/changes.js";
import { asView, draftChanges } from "../versions/history.js";
import { makeNotice, type Notice } from "../versions/notice.js";
import type { Snapshot } from "../versions/snapshot.js";
import type { Format } from "../write.js";
import type { Paper } from "../render/paper.js";
import { archivePage, atomFeed, fragments, landingPage, sitemap, versionsJson, type SiteInput } from "./pages.js";

export interface SiteOptions {
  formats: Format[];
  locales: Locale[];
  /** Absolute URL of the profile's folder once published, e.g. https://example.com/legal/acme/ */
  baseUrl: string;
  /** The paper the PDFs are printed on (default A4). */
  paper?: Paper;
}

/**
 * Everything a profile publishes: the current policy (the latest release, or the draft with the notice
 * of what changed since), each released version re-made from its snapshot with its notice, and the
 * site around them: landing page, archive, Atom feed, versions.json, sitemap, embeddable fragments.
 */
export function profileSite(loaded: LoadedProfile, resolved: ResolvedPolicy, draft: Partial<Record<Locale, PolicyDocument>>, history: Snapshot[], options: SiteOptions): RenderedFile[] {
  const latest = history[history.length - 1];
  const notices = new Map<string, Notice>();
  history.forEach((snapshot, i) => {
    if (i > 0) notices.set(`versions/${snapshot.version}/`, makeNotice(diffVersions(asView(history[i - 1]!), asView(snapshot)), asView(snapshot), snapshot.released));
  });
  let current = draft;
  if (latest) {
    const { view, changes } = draftChanges(loaded, resolved, latest);
    if (changes.unchanged) {
      current = pick(latest.documents, options.locales);
      const own = notices.get(`versions/${latest.version}/`);
      if (own) notices.set("", own);
    } else {
      // the draft's notice is dated by the profile, not the clock, so rebuilding gives the same files
      const policy = loaded.profile.policy;
      notices.set("", makeNotice(changes, view, policy.updatedDate ?? policy.effectiveDate, policy.effectiveDate));
    }
  }
  const place = (folder: string) => ({ formats: options.formats, notice: notices.has(folder), archive: history.length > 0, archived: folder !== "", baseUrl: options.baseUrl });
  const currentVersion = Object.values(current)[0]?.version;
  const files: RenderedFile[] = [...renderFiles(current, "", place(""), options.paper)];
  const top = notices.get("");
  if (top) files.push(...noticeFiles(top, Object.values(current), ""));
  for (const snapshot of history) {
    const folder = `versions/${snapshot.version}/`;
    const docs = pick(snapshot.documents, options.locales);
    files.push(...renderFiles(docs, folder, place(folder), options.paper));
    const notice = notices.get(folder);
    if (notice) files.push(...noticeFiles(notice, Object.values(docs), folder));
  }
  // the dates the documents show as "updated": the draft's from the profile, a release's its release date
  const updated = new Map(history.map((s) => [s.version, s.released]));
  updated.set("draft", loaded.profile.policy.updatedDate ?? loaded.profile.policy.effectiveDate);
  const input: SiteInput = { slug: loaded.slug, current, history, notices, formats: options.formats, baseUrl: options.baseUrl, updated };
  const docs = Object.values(current) as PolicyDocument[];
  const version = currentVersion ?? "draft";
  const page = (path: string, content: string, format: Format = "html"): RenderedFile => ({ locale: "bilingual", format, path, version, content, documents: docs });
  files.push(page("index.html", landingPage(input)), page("sitemap.xml", sitemap(input, files), "xml"), page("feed.xml", atomFeed(input), "xml"));
  if (history.length) files.push(page("versions/index.html", archivePage(input)), page("versions.json", versionsJson(input), "json"));
  for (const f of fragments(current)) files.push({ locale: f.locale, format: "html", path: f.path, version, content: f.content, documents: [f.doc] });
  return files;
}

function pick(documents: Record<Locale, PolicyDocument>, locales: Locale[]): Partial<Record<Locale, PolicyDocument>> {
  return Object.fromEntries(locales.map((l) => [l, documents[l]]));
}
