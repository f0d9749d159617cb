import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import MarkdownIt from "markdown-it";
import puppeteer, { type Browser } from "puppeteer-core";
import { parseDocument } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build } from "../../src/build.js";
import { findBrowser } from "../../src/pdf/browser.js";
import { fixtures, tempDir } from "../helpers.js";

/**
 * A profile whose every value is an attack (test/fixtures/hostile/profile.yaml), built (PDF included), then
 * read back: the Markdown through a permissive renderer, the HTML in real Chromium with JavaScript on,
 * the PDF through pdftotext. Nothing may run, nothing may leave the page, and the values must show as
 * the literal text they are.
 */
const found = findBrowser({});
const hasBrowser = "path" in found;

const LONG = `${"长".repeat(9_990)}${"x".repeat(9_990)}<script>window.__pwned=99</script>`.slice(0, 20_000);
const dir = tempDir();
const out = join(dir, "out");
const site = join(out, "hostile");
const pdfOut = join(dir, "pdf");

const doc = parseDocument(readFileSync(join(fixtures, "hostile", "profile.yaml"), "utf8"));
doc.setIn(["collection", 0, "purpose"], LONG);
mkdirSync(join(dir, "hostile"));
writeFileSync(join(dir, "hostile", "profile.yaml"), doc.toString({ lineWidth: 0 }));

const filesOf = (ext: string) => {
  const all: string[] = [];
  const walk = (d: string) => readdirSync(d, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith(ext) && all.push(join(d, e.name))));
  walk(site);
  return all;
};

describe.runIf(hasBrowser)("a hostile profile's values are inert", () => {
  let built: unknown;
  let browser: Browser;
  beforeAll(async () => {
    // Markdown and HTML in every language; the PDF in English (printing all three would only take longer)
    built = await build({ profiles: [join(dir, "hostile", "profile.yaml")], out, formats: ["md", "html"], cache: false })
      .then(() => build({ profiles: [join(dir, "hostile", "profile.yaml")], out: pdfOut, formats: ["pdf"], locales: ["en"], cache: false }))
      .catch((e: unknown) => e);
    browser = await puppeteer.launch({
      executablePath: (found as { path: string }).path,
      headless: true,
      userDataDir: tempDir("pp-hostile-profile-"),
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("builds, the 20,000-character value included", () => {
    expect(built).not.toBeInstanceOf(Error);
    expect(readFileSync(join(site, "policy.en.md"), "utf8")).toContain("长".repeat(9_990));
  });

  it("Markdown: even a renderer that allows raw HTML finds no tag, handler or script link", () => {
    const permissive = new MarkdownIt({ html: true, linkify: true });
    const files = filesOf(".md");
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) {
      const html = permissive.render(readFileSync(file, "utf8"));
      expect(html, file).not.toMatch(/<(script|img|iframe|svg|object|embed|math|meta|base|link|style)\b/i);
      expect(html, file).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);
      expect(html, file).not.toMatch(/<[a-z][^<>]*\s(href|src|data)\s*=\s*["']?\s*(javascript|vbscript|data):/i);
      expect(html, file).not.toMatch(/<h1>heading|<blockquote>|<strong>bold/);
    }
    const en = new MarkdownIt().render(readFileSync(join(site, "policy.en.md"), "utf8"));
    expect(en).toContain("&lt;script&gt;window.__pwned=1&lt;/script&gt;Evil Corp");
    expect(en).toContain("**bold** _it_ `code` ~~del~~ services");
  });

  it("HTML in real Chromium, JavaScript on: no script runs, no dialog opens, no request leaves the page", async () => {
    const pages = filesOf(".html");
    expect(pages.length).toBeGreaterThanOrEqual(3);
    // the profile's folder and the assets every profile shares
    const own = [pathToFileURL(site).href + "/", pathToFileURL(join(out, "assets")).href + "/"];
    const inside = (url: string) => own.some((folder) => url.startsWith(folder));
    for (const file of pages) {
      const page = await browser.newPage();
      const requests: string[] = [];
      const dialogs: string[] = [];
      page.on("dialog", (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await page.setRequestInterception(true);
      page.on("request", (r) => {
        requests.push(r.url());
        if (inside(r.url())) void r.continue();
        else void r.abort("blockedbyclient");
      });
      await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
      await new Promise((r) => setTimeout(r, 50)); // a late timer or event handler would fire by now
      const seen = await page.evaluate(() => {
        const all = [...document.querySelectorAll("*")];
        return {
          pwned: (window as unknown as { __pwned?: unknown }).__pwned,
          handlers: all.flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName} ${a.name}`)),
          scriptUrls: all.flatMap((el) => [...el.attributes].filter((a) => ["href", "src", "data", "action", "formaction", "xlink:href"].includes(a.name) && /^\s*(javascript|vbscript|data):/i.test(a.value)).map((a) => `${el.tagName} ${a.value}`)),
          injected: document.querySelectorAll("iframe, object, embed, base, meta[http-equiv], svg, math, img").length,
          text: document.documentElement.innerText,
          title: document.title,
          author: document.querySelector('meta[name="author"]')?.getAttribute("content") ?? null,
        };
      });
      await page.close();
      const name = relative(out, file);
      expect(seen.pwned, name).toBeUndefined();
      expect(dialogs, name).toEqual([]);
      expect(seen.handlers, name).toEqual([]);
      expect(seen.scriptUrls, name).toEqual([]);
      expect(seen.injected, name).toBe(0);
      expect(requests.filter((u) => !inside(u)), name).toEqual([]);
      if (/policy\.en\.html$/.test(name)) {
        expect(seen.text).toContain("<script>window.__pwned=1</script>Evil Corp");
        expect(seen.text).toContain("</style><script>window.__pwned=7</script>");
        expect(seen.title).toContain("Privacy Policy</title><script>window.__pwned=9</script>");
        expect(seen.author).toBe("<script>window.__pwned=1</script>Evil Corp");
        expect(seen.text).toContain("JaVaScRiPt:window.__pwned=12 and java script:window.__pwned=13");
        expect(seen.text).toContain("red");
        expect(seen.text).not.toMatch(/[\u0000\u0007\u001b]/);
      }
    }
  });

  it("PDF: the values print as literal text; no script, no javascript: link", () => {
    const pdf = join(pdfOut, "hostile", "policy.en.pdf");
    const text = execFileSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" });
    expect(text).toContain("<script>window.__pwned=1</script>Evil Corp");
    expect(text).toContain("**bold** _it_ `code` ~~del~~ services");
    const raw = readFileSync(pdf, "latin1");
    expect(raw).not.toMatch(/\/(JavaScript|JS)\b/);
    expect(raw).not.toMatch(/\/URI\s*\(\s*(javascript|vbscript|data):/i);
  });
});
