import { translator } from "../render/i18n.js";
import { LOCALES, type Locale } from "../schema/localized.js";
import type { DocLocale, Format } from "../write.js";

/** What a page of the site shows around the policy: language switch, links, downloads, banner. */
export interface SiteChrome {
  navLabel: string;
  languages: { lang: string; label: string; href: string; current: boolean }[];
  links: { label: string; href: string }[];
  downloads: { label: string; href: string }[];
  downloadLabel: string;
  banner?: { text: string; href: string; link: string };
}

/** Where a page sits in the site, and what exists around it. */
export interface SitePlace {
  /** The folder of the page inside the profile's output: "" or "versions/1.0.0/". */
  folder: string;
  locales: DocLocale[];
  formats: Format[];
  /** A change notice (changes.html) in the same folder. */
  notice: boolean;
  /** Released versions exist: link the archive. */
  archive: boolean;
  /** The page is a released version's archived copy (under versions/): it links to the current one. */
  archived?: boolean;
  /** The absolute URL of the profile's output folder, for canonical links; none when unknown. */
  baseUrl?: string;
}

const LABEL: Record<DocLocale, string> = { "zh-CN": "中文", en: "English", bilingual: "中英对照 / Bilingual" };

export const pageName = (locale: DocLocale) => `policy.${locale}.html`;

/** The pages of a build of `locales`: one per language, in their order, and the bilingual one when both are built. */
export function pageLocalesOf(locales: readonly Locale[]): DocLocale[] {
  return LOCALES.every((l) => locales.includes(l)) ? [...locales, "bilingual"] : [...locales];
}

/** The way back up from a folder inside the profile's output to its top: "" or "../../". */
export const upFrom = (folder: string) => "../".repeat(folder.split("/").filter(Boolean).length);

/** The chrome of one page; links are relative, so the site works from disk and under any base path. */
export function siteChrome(place: SitePlace, page: DocLocale): SiteChrome {
  const t = translator(page === "en" ? "en" : "zh-CN");
  const up = upFrom(place.folder);
  const links = [{ label: t("site.home"), href: `${up}index.html` }];
  if (place.notice) links.push({ label: t("site.changes"), href: "changes.html" });
  if (place.archive) links.push({ label: t("site.archive"), href: `${up}versions/index.html` });
  const base = `policy.${page}`;
  const downloads = [
    ...(place.formats.includes("pdf") ? [{ label: "PDF", href: `${base}.pdf` }] : []),
    ...(place.formats.includes("md") ? [{ label: "Markdown", href: `${base}.md` }] : []),
  ];
  return {
    navLabel: t("site.nav"),
    languages: place.locales.map((l) => ({ lang: l === "bilingual" ? "zh-CN" : l, label: LABEL[l], href: pageName(l), current: l === page })),
    links,
    downloads,
    downloadLabel: t("site.download"),
    // the same on every archived copy, whether or not a newer version exists, so releasing a new
    // version never changes an old one's files
    banner: place.archived ? { text: t("site.archived", { version: place.folder.split("/").filter(Boolean).pop() }), href: `${up}${pageName(page)}`, link: t("site.current") } : undefined,
  };
}

/** hreflang alternates of a page: the other languages of the same version. */
export function alternates(place: SitePlace): { hreflang: string; href: string }[] {
  const single = place.locales.filter((l): l is "zh-CN" | "en" => l !== "bilingual");
  const abs = (name: string) => (place.baseUrl ? `${place.baseUrl}${place.folder}${name}` : name);
  return [...single.map((l) => ({ hreflang: l, href: abs(pageName(l)) })), { hreflang: "x-default", href: abs(place.folder ? pageName(single[0] ?? "zh-CN") : "index.html") }];
}
