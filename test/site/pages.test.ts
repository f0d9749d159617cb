import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildProfile } from "../../src/profile-build.js";
import { fixtures, root, tempDir } from "../helpers.js";

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const unescapeXml = (s: string) => s.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" })[e]!);

/**
 * A strict reader for the XML PolicyPress writes (elements, attributes in double quotes, text): it throws
 * on anything not well formed, an unclosed or crossed element, a bare & or <, more than one root.
 */
function parseXml(xml: string): XmlElement {
  const body = xml.replace(/^<\?xml version="1\.0" encoding="utf-8"\?>\n/, "");
  const document: XmlElement = { name: "#document", attrs: {}, children: [], text: "" };
  const open = [document];
  for (const m of body.matchAll(/<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g)) {
    const [, close, name, attrs, selfClosing, text, stray] = m;
    const top = open[open.length - 1]!;
    if (stray) throw new Error(`a bare < at ${m.index}`);
    if (text !== undefined) {
      if (/&(?!(lt|gt|quot|apos|amp|#\d+|#x[0-9a-f]+);)/i.test(text)) throw new Error(`a bare & in ${JSON.stringify(text)}`);
      if (top === document && text.trim()) throw new Error("text outside the root element");
      top.text += unescapeXml(text);
    } else if (close) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      open.pop();
    } else {
      const element: XmlElement = { name: name!, attrs: Object.fromEntries([...attrs!.matchAll(/([\w:.-]+)="([^"]*)"/g)].map(([, k, v]) => [k!, unescapeXml(v!)])), children: [], text: "" };
      top.children.push(element);
      if (!selfClosing) open.push(element);
    }
  }
  if (open.length !== 1) throw new Error(`<${open[open.length - 1]!.name}> is not closed`);
  if (document.children.length !== 1) throw new Error("not one root element");
  return document.children[0]!;
}

const W3C_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** The sitemap of a profile, checked against the sitemap protocol; each page's address and lastmod. */
async function sitemapOf(profile: string): Promise<Map<string, string | undefined>> {
  const built = await buildProfile(profile, { formats: ["md", "html"] });
  const xml = built.files.find((f) => f.path === "sitemap.xml")!.content;
  const urlset = parseXml(xml);
  expect(urlset.name).toBe("urlset");
  expect(urlset.attrs).toEqual({ xmlns: "http://www.sitemaps.org/schemas/sitemap/0.9", "xmlns:xhtml": "http://www.w3.org/1999/xhtml" });
  const pages = new Map<string, string | undefined>();
  for (const url of urlset.children) {
    expect(url.name).toBe("url");
    const names = url.children.map((c) => c.name);
    expect(names[0]).toBe("loc");
    expect(names.slice(1).every((n, i) => (n === "lastmod" && i === 0) || n === "xhtml:link"), names.join()).toBe(true);
    const loc = url.children[0]!.text;
    expect(new URL(loc).href, "an absolute address").toBe(loc);
    expect(new URL(loc).protocol).toBe("https:");
    for (const link of url.children.filter((c) => c.name === "xhtml:link")) {
      expect(link.attrs.rel).toBe("alternate");
      expect(new URL(link.attrs.href!).href).toBe(link.attrs.href);
    }
    const lastmod = url.children.find((c) => c.name === "lastmod")?.text;
    if (lastmod !== undefined) {
      expect(lastmod).toMatch(W3C_DATE);
      expect(new Date(`${lastmod}T00:00:00Z`).toISOString().slice(0, 10)).toBe(lastmod);
    }
    pages.set(loc, lastmod);
  }
  return pages;
}

/** The golden fixture (its own clauses beside it) with other policy dates. */
function goldenWithDates(dates: string): string {
  const dir = tempDir();
  cpSync(join(fixtures, "golden"), dir, { recursive: true, filter: (p) => !p.includes("expected") });
  const file = join(dir, "profile.yaml");
  writeFileSync(file, readFileSync(file, "utf8").replace("  effectiveDate: 2026-12-01\n  updatedDate: 2026-11-15\n", dates));
  return file;
}

describe("sitemap.xml", () => {
  it("dates a page by its update, not by an effective date still to come, and never after the policy takes effect", async () => {
    const pages = await sitemapOf(goldenWithDates("  effectiveDate: 2099-01-01\n  updatedDate: 2026-11-15\n"));
    expect([...pages.keys()]).toEqual(["index.html", "policy.zh-CN.html", "policy.en.html", "policy.bilingual.html"].map((p) => `https://golden.example/golden/${p}`));
    expect(pages.get("https://golden.example/golden/index.html")).toBeUndefined();
    for (const [loc, lastmod] of pages) if (!loc.endsWith("index.html")) expect(lastmod, loc).toBe("2026-11-15");
    // updated after it took effect: the page is dated when the policy took effect
    const later = await sitemapOf(goldenWithDates("  effectiveDate: 2027-01-01\n  updatedDate: 2027-02-01\n"));
    expect(later.get("https://golden.example/golden/policy.en.html")).toBe("2027-01-01");
  });

  it("dates each released version's pages by its release, not by when it took effect", async () => {
    // acme: 1.0.0 released 2026-06-01, in effect from 2026-06-15; 2.0.0, the current one, 2026-11-20 and 2026-12-01
    const pages = await sitemapOf(join(root, "examples", "acme", "profile.yaml"));
    const base = "https://www.aurora-datalink.example/acme/";
    expect(pages.get(`${base}policy.zh-CN.html`)).toBe("2026-11-20");
    expect(pages.get(`${base}versions/2.0.0/policy.en.html`)).toBe("2026-11-20");
    expect(pages.get(`${base}versions/1.0.0/policy.bilingual.html`)).toBe("2026-06-01");
  });
});

describe("two-language lines of a zh-CN page", () => {
  it("mark their English part as English: the bilingual policy's title block and footer, the landing page, the notice", async () => {
    const built = await buildProfile(join(root, "examples", "acme", "profile.yaml"), { formats: ["html"] });
    const page = (path: string) => String(built.files.find((f) => f.path === path)!.content);
    const name = '<span lang="en">Aurora Datalink Technology (Hangzhou) Co., Ltd.</span>';
    const bilingual = page("policy.bilingual.html");
    expect(bilingual).toContain(`<p class="company"><span lang="zh-CN">极光数联科技（杭州）有限公司</span> / ${name}</p>`);
    expect(bilingual).toContain('<h1><span lang="zh-CN">隐私政策</span> / <span lang="en">Privacy Policy</span></h1>');
    expect(bilingual).toContain(`<p>${'<span lang="zh-CN">极光数联科技（杭州）有限公司</span>'} / ${name} · <span lang="zh-CN">隐私政策</span> / <span lang="en">Privacy Policy</span> · `);
    expect(page("index.html")).toContain(`<p class="company">极光数联科技（杭州）有限公司 / ${name}</p>\n<h1>隐私政策 / <span lang="en">Privacy Policy</span></h1>`);
    expect(page("changes.html")).toContain(`<p class="company">极光数联科技（杭州）有限公司 / ${name}</p>\n<h1>《隐私政策》变更说明 / <span lang="en">Privacy Policy: what changed</span></h1>`);
    // a page in one language has nothing to mark
    expect(page("policy.en.html")).toContain('<p class="company">Aurora Datalink Technology (Hangzhou) Co., Ltd.</p>\n  <h1>Privacy Policy</h1>');
  });
});

describe("the embeddable fragment", () => {
  it("has no <main> and no id=\"content\": it goes inside the host page's own <main>, where another is invalid HTML", async () => {
    const built = await buildProfile(join(root, "examples", "acme", "profile.yaml"), { formats: ["html"] });
    const page = (path: string) => String(built.files.find((f) => f.path === path)!.content);
    for (const locale of ["zh-CN", "en"]) {
      const fragment = page(`policy.${locale}.fragment.html`);
      expect(fragment).not.toMatch(/<main\b/);
      expect(fragment).not.toContain('id="content"');
      // the policy itself is all there
      expect(fragment).toContain(`<div class="policy-body">\n<section id="policy-${locale}-intro"`);
      expect(fragment.match(/<\/?div\b/g)!.filter((t) => t === "<div").length).toBe(fragment.match(/<\/div>/g)!.length);
      // the page keeps its landmark, which its skip link leads to
      expect(page(`policy.${locale}.html`)).toMatch(/<main id="content">\n<section id="intro"[\s\S]*<\/main>/);
    }
  });

  it("has ids of its own: both languages' fragments in one host page repeat none, and each #link leads into its own", async () => {
    const built = await buildProfile(join(root, "examples", "acme", "profile.yaml"), { formats: ["html"] });
    const fragment = (locale: string) => String(built.files.find((f) => f.path === `policy.${locale}.fragment.html`)!.content);
    const host = `<main id="content"><section id="contact">${fragment("zh-CN")}${fragment("en")}</section></main>`;
    const ids = [...host.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);
    expect(ids.length).toBeGreaterThan(40);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    for (const locale of ["zh-CN", "en"]) {
      const own = new Set([...fragment(locale).matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!));
      expect([...own].every((id) => id.startsWith(`policy-${locale}-`))).toBe(true);
      const targets = [...fragment(locale).matchAll(/\s(?:href="#|aria-labelledby=")([^"]+)"/g)].map((m) => m[1]!);
      expect(targets.length).toBeGreaterThan(10);
      expect(targets.filter((t) => !own.has(t))).toEqual([]);
    }
  });
});
