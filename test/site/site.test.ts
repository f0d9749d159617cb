import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PolicyError } from "../../src/errors.js";
import { CHROMIUM_FLAGS, findBrowser } from "../../src/pdf/browser.js";
import { startDevServer } from "../../src/site/dev-server.js";
import { bin, cli, fixtures, tempDir } from "../helpers.js";

// The published site in real Chromium: every page, the language switch and contents links, layout at
// desktop and phone width, accessibility (axe-core), and the live preview reloading after an edit.
const found = findBrowser({});
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === "assets" ? [] : htmlFiles(p);
    return name.endsWith(".html") && !name.includes("fragment") ? [p] : [];
  });
}

describe.runIf("path" in found)("the published site in real Chromium", () => {
  const out = tempDir();
  let browser: Browser;
  const site = join(out, "acme");

  beforeAll(async () => {
    const r = cli(["build", "--out", out, "--formats", "md,html", "--base", "/legal/", "-q"]);
    expect(r.code).toBe(0);
    browser = await puppeteer.launch({ executablePath: (found as { path: string }).path, args: CHROMIUM_FLAGS, userDataDir: tempDir("pp-chromium-") });
  });
  afterAll(async () => browser?.close());

  async function open(file: string, width = 1280, height = 900): Promise<{ page: Page; errors: string[]; outside: string[] }> {
    const page = await browser.newPage();
    await page.setViewport({ width, height });
    const errors: string[] = [];
    const outside: string[] = [];
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    page.on("pageerror", (e) => errors.push(String(e)));
    // the site is the output folder: the profile's pages and the assets all profiles share
    page.on("request", (r) => {
      if (![site, join(out, "assets")].some((folder) => r.url().startsWith(`${pathToFileURL(folder).href}/`))) outside.push(r.url());
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    await page.evaluate(() => document.fonts.ready);
    return { page, errors, outside };
  }

  it("has a landing page, the policy in each language, the archive, notices, feed, versions.json and sitemap", () => {
    for (const f of ["index.html", "policy.zh-CN.html", "policy.en.html", "policy.bilingual.html", "changes.html", "versions/index.html", "versions/1.0.0/policy.en.html", "versions/2.0.0/changes.html", "feed.xml", "versions.json", "sitemap.xml", "policy.zh-CN.fragment.html", "policy.en.md"])
      expect(statSync(join(site, f)).isFile(), f).toBe(true);
    const versions = JSON.parse(readFileSync(join(site, "versions.json"), "utf8"));
    expect(versions.versions.map((v: { version: string }) => v.version)).toEqual(["2.0.0", "1.0.0"]);
    const sitemap = readFileSync(join(site, "sitemap.xml"), "utf8");
    expect(sitemap).toContain("<loc>https://www.aurora-datalink.example/legal/acme/policy.en.html</loc>");
    expect(sitemap).toContain('hreflang="zh-CN" href="https://www.aurora-datalink.example/legal/acme/versions/1.0.0/policy.zh-CN.html"');
    expect(readFileSync(join(site, "feed.xml"), "utf8")).toContain("<id>https://www.aurora-datalink.example/legal/acme/versions/2.0.0/</id>");
    const zh = readFileSync(join(site, "policy.zh-CN.html"), "utf8");
    expect(zh).toContain('<link rel="alternate" hreflang="en" href="https://www.aurora-datalink.example/legal/acme/policy.en.html">');
    // a comment says what the file is (an HTML validator run over the folder reports it as a page with no doctype)
    expect(readFileSync(join(site, "policy.en.fragment.html"), "utf8")).toMatch(/^<!-- A fragment to embed, not a page: [^\n]*-->\n<div class="policypress single" lang="en">/);
  });

  it("loads every page with no console error and no request outside the site", async () => {
    const pages = htmlFiles(site);
    expect(pages.length).toBe(13);
    for (const file of pages) {
      const { page, errors, outside } = await open(file);
      expect(errors, relative(site, file)).toEqual([]);
      expect(outside, relative(site, file)).toEqual([]);
      await page.close();
    }
  });

  it("switches language and follows contents links to the right section", async () => {
    const { page } = await open(join(site, "policy.zh-CN.html"));
    await Promise.all([page.waitForNavigation(), page.click('.site-nav a[hreflang="en"]')]);
    expect(page.url()).toMatch(/policy\.en\.html$/);
    expect(await page.$eval("h1", (h) => h.textContent)).toBe("Privacy Policy");
    const link = await page.$eval(".toc li:nth-child(8) a", (a) => [a.getAttribute("href"), a.textContent]);
    await page.click(".toc li:nth-child(8) a");
    await page.waitForFunction((hash) => location.hash === hash, {}, link[0]);
    const target = await page.$eval(link[0]!, (el) => [el.querySelector("h2")!.textContent, el.getBoundingClientRect().top]);
    expect(target[0]).toBe(link[1]);
    expect(Math.abs(target[1] as number)).toBeLessThan(50);
    await page.close();
  });

  it("keeps anchors stable across versions", () => {
    const ids = (f: string) => [...readFileSync(join(site, f), "utf8").matchAll(/<section id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids("versions/1.0.0/policy.en.html")).toEqual(ids("versions/2.0.0/policy.en.html"));
  });

  it("fits a phone without horizontal scrolling, and keeps the contents beside the text on a wide screen", async () => {
    const shots = tempDir();
    for (const name of ["index.html", "policy.zh-CN.html", "policy.en.html", "policy.bilingual.html", "versions/index.html", "changes.html"]) {
      const { page } = await open(join(site, name), 390, 844);
      const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      expect(scroll, name).toBeLessThanOrEqual(inner);
      await page.screenshot({ path: join(shots, `${name.replace(/\//g, "-")}.phone.png`) });
      await page.close();
    }
    const { page } = await open(join(site, "policy.en.html"), 1440, 900);
    await page.evaluate(() => window.scrollTo(0, 3000));
    const toc = await page.$eval(".toc", (el) => { const r = el.getBoundingClientRect(); return { top: r.top, left: r.left, position: getComputedStyle(el).position }; });
    expect(toc.position).toBe("sticky");
    expect(toc.top).toBeGreaterThanOrEqual(0);
    expect(toc.top).toBeLessThan(100);
    await page.screenshot({ path: join(shots, "policy.en.desktop.png") });
    await page.close();
  });

  it("passes axe-core with no serious or critical violation (WCAG 2.1 AA)", async () => {
    for (const name of ["index.html", "policy.zh-CN.html", "policy.en.html", "policy.bilingual.html", "versions/index.html", "versions/2.0.0/changes.html"]) {
      for (const scheme of ["light", "dark"] as const) {
        const { page } = await open(join(site, name));
        await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
        await page.addScriptTag({ content: axeSource });
        const violations = await page.evaluate(async () => {
          const axe = (window as unknown as { axe: { run(o: unknown): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe;
          const r = await axe.run({ runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
          return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} (${v.nodes.length})`);
        });
        expect(violations, `${name} ${scheme}`).toEqual([]);
        await page.close();
      }
    }
  });
});

describe("policypress dev on a port it cannot have", () => {
  it("says the port is taken, as a mistake to fix, and lets the process end", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      // said before the site is built (it was said after building the whole site)
      const builds: unknown[] = [];
      const error = await startDevServer({ profile: join(fixtures, "golden", "profile.yaml"), port, onBuild: (b) => builds.push(b) }).catch((e: unknown) => e);
      expect(builds).toEqual([]);
      expect((error as PolicyError).problems).toEqual([{ code: "PORT_IN_USE", message: `port ${port} is already in use`, hint: "Choose another with --port, or stop the program that listens on it." }]);
      // the preview's temporary folder is gone with it
      expect(readdirSync(tmpdir()).filter((n) => n.startsWith("policypress-dev-") && statSync(join(tmpdir(), n)).mtimeMs > Date.now() - 10_000)).toEqual([]);
      // the CLI says it the same way and exits: Vite's file watcher used to keep it running after the error
      const r = spawnSync(process.execPath, [bin, "dev", join(fixtures, "golden", "profile.yaml"), "--port", String(port)], { encoding: "utf8", timeout: 30_000 });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`error PORT_IN_USE: port ${port} is already in use\n    hint: Choose another with --port, or stop the program that listens on it.\n`);
      expect(r.stderr).not.toContain("rebuilt in");
    } finally {
      taken.close();
    }
  }, 40_000);
});

/** A copy of the golden fixture served by the live preview, and a browser page showing its English policy. */
async function withPreview(test: (dir: string, page: Page) => Promise<void>): Promise<void> {
  const dir = tempDir();
  cpSync(join(fixtures, "golden"), dir, { recursive: true, filter: (p) => !p.includes("expected") });
  const port = 20000 + Math.floor(Math.random() * 20000);
  const server = await startDevServer({ profile: join(dir, "profile.yaml"), port });
  const browser = await puppeteer.launch({ executablePath: (found as { path: string }).path, args: CHROMIUM_FLAGS, userDataDir: tempDir("pp-chromium-") });
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}policy.en.html`, { waitUntil: "load" });
    await test(dir, page);
  } finally {
    await browser.close();
    await server.close();
  }
}

/** Writes a file and waits for the preview to reload the page. */
const saveAndReload = (page: Page, file: string, text: string) => Promise.all([page.waitForNavigation({ timeout: 20_000 }), writeFileSync(file, text)]);

describe.runIf("path" in found)("policypress dev", () => {
  it("sends the site's root to the policy's own folder (it answered an empty 404)", async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const server = await startDevServer({ profile: join(fixtures, "golden", "profile.yaml"), port });
    try {
      const root = new URL(server.url).origin;
      const response = await fetch(`${root}/`, { redirect: "manual" });
      expect([response.status, response.headers.get("location")]).toEqual([302, new URL(server.url).pathname]);
      expect((await fetch(`${root}/`)).status).toBe(200);
    } finally {
      await server.close();
    }
  }, 40_000);

  it("reloads the page after a clause edit, and shows a mistake with its file and line until it is fixed", () =>
    withPreview(async (dir, page) => {
      expect(await page.content()).toContain("We will answer your request within 15 working days.");
      const rights = join(dir, "own", "rights.md");
      const text = readFileSync(rights, "utf8");
      await saveAndReload(page, rights, text.replace("We will answer your request", "We shall answer your request"));
      await page.waitForFunction(() => document.body.textContent!.includes("We shall answer your request"), { timeout: 20_000 });

      await saveAndReload(page, rights, text.replace("{{contact.email}}", "{{contact.emial}}"));
      await page.waitForFunction(() => document.body.textContent!.includes("cannot be built"), { timeout: 20_000 });
      expect(await page.$eval("ol", (o) => o.textContent)).toMatch(/rights\.md:\d+ UNKNOWN_PLACEHOLDER \[contact\.emial\]/);

      await saveAndReload(page, rights, text);
      await page.waitForFunction(() => document.body.textContent!.includes("We will answer your request"), { timeout: 20_000 });
    }));

  it("watches a folder added to clauses.dirs from the next rebuild on", () =>
    withPreview(async (dir, page) => {
      cpSync(join(dir, "own"), join(dir, "own2"), { recursive: true });
      const profile = join(dir, "profile.yaml");
      await saveAndReload(page, profile, readFileSync(profile, "utf8").replace("dirs: [own]", "dirs: [own2]"));
      const rights = join(dir, "own2", "rights.md");
      await saveAndReload(page, rights, readFileSync(rights, "utf8").replace("We will answer your request", "We shall answer your request"));
      await page.waitForFunction(() => document.body.textContent!.includes("We shall answer your request"), { timeout: 20_000 });
    }));
});

describe("a one-language build (--locales en)", () => {
  const out = tempDir();
  const site = join(out, "acme");
  let stderr = "";
  beforeAll(() => {
    const r = cli(["build", "--out", out, "--formats", "md,html", "--locales", "en", "-q"]);
    expect(r.code).toBe(0);
    stderr = r.stderr;
  });

  it("links only to pages it wrote: archive, notices, versions.json, feed and sitemap included", () => {
    const files = [...htmlFiles(site), join(site, "index.html")];
    const broken: string[] = [];
    for (const file of files)
      for (const [, href] of readFileSync(file, "utf8").matchAll(/(?:href|src)="([^"#?]+)/g))
        if (!/^[a-z]+:/.test(href!) && !statSync(join(file, "..", decodeURIComponent(href!)), { throwIfNoEntry: false }))
          broken.push(`${relative(site, file)} -> ${href}`);
    expect(broken).toEqual([]);
    expect(readFileSync(join(site, "sitemap.xml"), "utf8")).not.toContain("zh-CN");
    expect(readFileSync(join(site, "feed.xml"), "utf8")).not.toContain("policy.zh-CN");
    const versions = JSON.parse(readFileSync(join(site, "versions.json"), "utf8"));
    expect(Object.keys(versions.versions[0].pages)).toEqual(["en"]);
    expect(readFileSync(join(site, "changes.md"), "utf8")).toContain("## 新版本全文 / Clean copy\n\npolicy.en.md\n");
  });

  it("does not call a declaration uncovered because the other language has no text", () => {
    expect(stderr).not.toContain("DECLARATION_NOT_COVERED");
  });
});

describe("the manifest", () => {
  it("lists the shared assets every page links to, each with its hash and size, as they are on disk", () => {
    const out = tempDir();
    expect(cli(["build", "--out", out, "--formats", "md,html", "-q"]).code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { assets: { path: string; sha256: string; bytes: number }[] };
    const onDisk = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? onDisk(join(dir, n)) : [relative(out, join(dir, n))]));
    expect(manifest.assets.map((a) => a.path)).toEqual(onDisk(join(out, "assets")).sort((a, b) => a.localeCompare(b)));
    expect(manifest.assets.map((a) => a.path)).toContain("assets/policy.css");
    for (const a of manifest.assets) {
      const bytes = readFileSync(join(out, a.path));
      expect([bytes.byteLength, createHash("sha256").update(bytes).digest("hex")], a.path).toEqual([a.bytes, a.sha256]);
    }
  });
});
