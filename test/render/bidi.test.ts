import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import MarkdownIt from "markdown-it";
import puppeteer, { type Browser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProfile } from "../../src/build.js";
import { CHROMIUM_FLAGS, findBrowser } from "../../src/pdf/browser.js";
import { fixtures, tempDir } from "../helpers.js";

/**
 * A right-to-left company name in an English or Chinese policy: each value with Hebrew or Arabic letters
 * is a bidi isolate (`<bdi>` in HTML, U+2068...U+2069 in Markdown), so the punctuation and numbers around
 * it stay where the sentence puts them.
 */
const NAME = { "zh-CN": "شركة الأفق للبيانات", en: "חברת אופק בע״מ" };
const SHORT = "אופק 2";
const SERVICES = ["ענן זהב", "אפליקציית זהב"];
const dir = tempDir();
cpSync(join(fixtures, "golden"), dir, { recursive: true });
const profile = join(dir, "profile.yaml");
writeFileSync(
  profile,
  readFileSync(profile, "utf8")
    .replace(/^  name: .*/m, `  name: { zh-CN: "${NAME["zh-CN"]}", en: "${NAME.en}" }`)
    .replace(/shortName: .*/, `shortName: "${SHORT}"`)
    .replace("- name: { zh-CN: 金样云, en: Golden Cloud }", `- name: "${SERVICES[0]}"`)
    .replace("- name: { zh-CN: 金样 App, en: the Golden app }", `- name: "${SERVICES[1]}"`),
);
const found = findBrowser({});

describe("a right-to-left value is isolated", () => {
  let files: Map<string, string>;
  beforeAll(async () => {
    const built = await buildProfile(profile, { formats: ["md", "html"] });
    files = new Map(built.files.map((f) => [f.path, String(f.content)]));
  });
  const page = (name: string) => files.get(name)!;
  const bodyOf = (html: string) => html.slice(html.indexOf("<body"));

  it("HTML: every occurrence in the page's text is a <bdi> of its own, and no isolate character is left", () => {
    for (const name of ["policy.en.html", "policy.en.fragment.html", "policy.bilingual.html"]) {
      const body = bodyOf(page(name));
      for (const value of [SHORT, NAME.en]) {
        const all = body.split(value).length - 1;
        expect(all, name).toBeGreaterThan(0);
        expect(body.split(`<bdi>${value}</bdi>`).length - 1, `${name}: ${value}`).toBe(all);
      }
      expect(body, name).not.toMatch(/[\u2068\u2069]/);
    }
    expect(page("policy.en.html")).toContain(`<p class="company"><bdi>${NAME.en}</bdi></p>`);
    // two right-to-left names would otherwise run together, the " / " between them moved
    expect(page("policy.bilingual.html")).toContain(`<p class="company"><span lang="zh-CN"><bdi>${NAME["zh-CN"]}</bdi></span> / <span lang="en"><bdi>${NAME.en}</bdi></span></p>`);
  });

  it("HTML: a left-to-right value is written as before, without <bdi>", () => {
    expect(page("policy.en.html")).toContain("the Golden Sample services");
    expect(page("policy.en.html")).not.toMatch(/<bdi>[^<]*Golden/);
  });

  it("Markdown: the value is between U+2068 and U+2069, and renders as the same text", () => {
    const md = page("policy.en.md");
    const all = md.split(SHORT).length - 1;
    expect(md.split(`\u2068${SHORT}\u2069`).length - 1).toBe(all);
    const text = new MarkdownIt().render(md).replace(/[\u2068\u2069]/g, "").replaceAll("&quot;", '"');
    expect(text).toContain(`${NAME.en} ("${SHORT}" or "we") provides ${SERVICES[0]}, ${SERVICES[1]} and the Golden API`);
    // a list: each item apart, the commas and the "and" outside
    expect(md).toContain(`provides \u2068${SERVICES[0]}\u2069, \u2068${SERVICES[1]}\u2069 and the Golden API`);
  });

  describe.runIf("path" in found)("in real Chromium", () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await puppeteer.launch({ executablePath: (found as { path: string }).path, args: CHROMIUM_FLAGS, userDataDir: tempDir("pp-chromium-") });
    });
    afterAll(async () => browser?.close());

    /** Where each of `values` starts on screen (its first character's left edge) in the page's element `selector`. */
    async function leftEdges(html: string, selector: string, values: string[]): Promise<number[]> {
      const tab = await browser.newPage();
      await tab.setContent(html.replace(/<link rel="stylesheet"[^>]*>/g, ""));
      const lefts = await tab.evaluate(
        (selector: string, values: string[]) => {
          const el = [...document.querySelectorAll(selector)].find((e) => values.every((v) => e.textContent!.includes(v)))!;
          const nodes: Text[] = [];
          const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
          while (walker.nextNode()) nodes.push(walker.currentNode as Text);
          const text = nodes.map((n) => n.data).join("");
          // the rectangle of the whole value: its left edge is where a reader starts reading it
          return values.map((value) => {
            const from = text.indexOf(value);
            const range = document.createRange();
            let offset = 0;
            for (const n of nodes) {
              if (from >= offset && from < offset + n.length) range.setStart(n, from - offset);
              if (from + value.length <= offset + n.length) {
                range.setEnd(n, from + value.length - offset);
                break;
              }
              offset += n.length;
            }
            return range.getBoundingClientRect().left;
          });
        },
        selector,
        values,
      );
      await tab.close();
      return lefts;
    }

    it("an English list of Hebrew names reads in its order, left to right", async () => {
      const [first, second] = await leftEdges(page("policy.en.html"), "main p", SERVICES);
      expect(first).toBeLessThan(second!);
    });

    it("the bilingual page's two right-to-left company names stay in the order zh-CN / en", async () => {
      const [zh, en] = await leftEdges(page("policy.bilingual.html"), ".title-block .company", [NAME["zh-CN"], NAME.en]);
      expect(zh).toBeLessThan(en!);
    });
  });
});
