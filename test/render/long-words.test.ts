import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import puppeteer, { type Browser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProfile } from "../../src/build.js";
import { CHROMIUM_FLAGS, findBrowser } from "../../src/pdf/browser.js";
import { breakLongWordsInCells } from "../../src/render/text.js";
import { fixtures, tempDir } from "../helpers.js";

/**
 * A very long word in a table cell (an English cell breaks only at spaces) must not make the table
 * thousands of pixels wide: each long word in a cell gets a <wbr> every 15 characters.
 */
describe("breakLongWordsInCells", () => {
  it("puts a <wbr> every 15 characters into a word of 30 or more, in cells only", () => {
    const word = "W".repeat(31);
    expect(breakLongWordsInCells(`<p>${word}</p><table><tr><td>a ${word} b</td></tr></table>`)).toBe(
      `<p>${word}</p><table><tr><td>a ${"W".repeat(15)}<wbr>${"W".repeat(15)}<wbr>W b</td></tr></table>`,
    );
  });

  it("leaves shorter words, CJK text, tags and their attributes alone", () => {
    const html = `<td><a href="https://example.com/${"a".repeat(40)}">${"W".repeat(29)}</a> ${"长".repeat(60)}</td>`;
    expect(breakLongWordsInCells(html)).toBe(html);
  });

  it("never cuts a character reference, a combining sequence or an emoji", () => {
    const units = ["&amp;", "e\u0301", "👨‍👩‍👧", "&#39;", "x"];
    const word = Array.from({ length: 40 }, (_, i) => units[i % units.length]).join("");
    const out = breakLongWordsInCells(`<td>${word}</td>`);
    expect(out.replaceAll("<wbr>", "")).toBe(`<td>${word}</td>`);
    for (const piece of out.slice(4, -5).split("<wbr>")) expect(piece).toMatch(/^(?:&amp;|e\u0301|👨‍👩‍👧|&#39;|x){15}$|^(?:&amp;|e\u0301|👨‍👩‍👧|&#39;|x){10}$/u);
  });
});

const found = findBrowser({});
describe.runIf("path" in found)("a 300-letter value in the collection table, in real Chromium", () => {
  const WORD = "W".repeat(300);
  const dir = tempDir();
  cpSync(join(fixtures, "golden"), dir, { recursive: true });
  const profile = join(dir, "profile.yaml");
  writeFileSync(profile, readFileSync(profile, "utf8").replace("en: mobile number }", `en: "mobile number ${WORD}" }`));
  let browser: Browser;
  let html: string;
  beforeAll(async () => {
    const built = await buildProfile(profile, { formats: ["html"] });
    html = String(built.files.find((f) => f.path === "policy.en.html")!.content);
    browser = await puppeteer.launch({ executablePath: (found as { path: string }).path, args: CHROMIUM_FLAGS, userDataDir: tempDir("pp-chromium-") });
  });
  afterAll(async () => browser?.close());

  it("keeps the table within a desktop page, and the word whole as text", async () => {
    const tab = await browser.newPage();
    await tab.setViewport({ width: 1200, height: 900 });
    await tab.setContent(html.replace(/<link rel="stylesheet" href="[^"]*policy\.css">/, `<style>${readFileSync(join(import.meta.dirname, "../../templates/policy.css"), "utf8")}</style>`));
    const seen = await tab.evaluate(() => {
      const wrap = [...document.querySelectorAll(".table-wrap")].find((w) => w.textContent!.includes("mobile number"))!;
      return { scroll: wrap.scrollWidth, width: wrap.clientWidth, text: wrap.textContent! };
    });
    await tab.close();
    expect(seen.text).toContain(`mobile number ${WORD}`);
    expect(seen.scroll).toBeLessThanOrEqual(seen.width);
  });
});
