import { execFileSync } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findBrowser } from "../../src/pdf/browser.js";
import { cli, cliAsync, fixtures, root, tempDir } from "../helpers.js";

// Real Chromium and real poppler tools: the PDFs a user gets, read back as a PDF reader reads them.
const hasBrowser = "path" in findBrowser({});
const golden = join(fixtures, "golden", "profile.yaml");

const pdftotext = (file: string) => execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
const pdffonts = (file: string) => execFileSync("pdffonts", [file], { encoding: "utf8" });
const pdfinfo = (file: string) => execFileSync("pdfinfo", [file], { encoding: "utf8" });
/** The bookmark titles, from pdftohtml's XML outline. */
const bookmarks = (file: string) =>
  [...execFileSync("pdftohtml", ["-xml", "-i", "-stdout", "-q", file], { encoding: "utf8" }).matchAll(/<item page="\d+">([^<]*)<\/item>/g)].map((m) => m[1]!);

describe.runIf(hasBrowser)("PDF output in real Chromium", () => {
  const out = tempDir();
  const run = cli(["build", golden, "--out", out, "--quiet"]);
  const pdf = (locale: string) => join(out, "golden", `policy.${locale}.pdf`);

  it("builds zh-CN, en and bilingual PDFs", () => {
    expect(run.stderr).not.toMatch(/\berror\b/); // the fixture omits clauses the law asks for: those are warnings only
    expect(run.code).toBe(0);
    for (const locale of ["zh-CN", "en", "bilingual"]) expect(readFileSync(pdf(locale)).subarray(0, 5).toString()).toBe("%PDF-");
  });

  it("embeds the bundled CJK font as CID TrueType and never a Type 3 font", () => {
    for (const locale of ["zh-CN", "en", "bilingual"]) {
      const fonts = pdffonts(pdf(locale));
      expect(fonts).toMatch(/NotoSansSC\S*\s+CID TrueType\s+Identity-H\s+yes yes yes/);
      expect(fonts).not.toContain("Type 3");
    }
  });

  it("gives back the Chinese and English text in reading order", () => {
    const zh = pdftotext(pdf("zh-CN"));
    expect(zh.indexOf("隐私政策")).toBeLessThan(zh.indexOf("一、我们如何收集和使用您的个人信息"));
    expect(zh.indexOf("一、我们如何收集和使用您的个人信息")).toBeLessThan(zh.indexOf("二、您的权利"));
    expect(zh).toContain("我们将在十五个工作日内答复您的请求");
    expect(zh).toMatch(/第 1 页，共 \d+ 页/);
    const en = pdftotext(pdf("en"));
    expect(en).toContain("We will answer your request within 15 working days.");
    expect(en).toMatch(/Page 1 of \d+/);
    const both = pdftotext(pdf("bilingual"));
    expect(both).toContain("您的权利");
    expect(both).toContain("Your rights");
  });

  it("has a bookmark for every section and clause heading", () => {
    const zh = bookmarks(pdf("zh-CN"));
    for (const title of ["一、我们如何收集和使用您的个人信息", "（一） 个人信息收集清单", "（二） 第三方 SDK 清单", "二、您的权利", "三、如何联系我们"])
      expect(zh.some((b) => b.startsWith(title))).toBe(true);
    expect(bookmarks(pdf("en")).some((b) => b.startsWith("2.1 How we answer requests"))).toBe(true);
  });

  it("titles a bilingual heading's bookmark with both languages, apart", () => {
    // Chromium ran the two columns together: "二、您的权利2. Your rights"
    expect(bookmarks(pdf("bilingual"))).toContain("二、您的权利 / 2. Your rights");
    expect(bookmarks(pdf("bilingual"))).toContain("隐私政策 / Privacy Policy");
  });

  it("is tagged, A4, with title, author, subject, keywords and the policy's date", () => {
    const info = pdfinfo(pdf("zh-CN"));
    expect(info).toMatch(/Tagged:\s+yes/);
    expect(info).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
    expect(info).toMatch(/Title:\s+隐私政策 – 金样科技/);
    expect(info).toMatch(/Author:\s+金样科技（上海）有限公司/);
    expect(info).toMatch(/Subject:\s+隐私政策，草稿，2026年12月1日生效\n/);
    expect(info).toMatch(/Keywords:\s+隐私政策/);
    expect(info).toMatch(/CreationDate:\s+Tue Dec  1 00:00:00 2026 UTC/);
    expect(readFileSync(pdf("zh-CN"), "latin1")).toContain("/Lang (zh-CN)");
    expect(readFileSync(pdf("en"), "latin1")).toContain("/Lang (en)");
  });

  it("is byte-identical when built again", () => {
    const again = tempDir();
    expect(cli(["build", golden, "--out", again, "--formats", "pdf", "--quiet"]).code).toBe(0);
    for (const locale of ["zh-CN", "en", "bilingual"])
      expect(readFileSync(join(again, "golden", `policy.${locale}.pdf`)).equals(readFileSync(pdf(locale)))).toBe(true);
  });

  it("is the same whichever page of the pool printed it (one page for all, or one page each)", async () => {
    const { build } = await import("../../src/build.js");
    const one = tempDir();
    const three = tempDir();
    await build({ profiles: [golden], out: one, formats: ["pdf"], browser: { concurrency: 1 } });
    await build({ profiles: [golden], out: three, formats: ["pdf"], browser: { concurrency: 3 } });
    for (const locale of ["zh-CN", "en", "bilingual"])
      expect(readFileSync(join(one, "golden", `policy.${locale}.pdf`)).equals(readFileSync(join(three, "golden", `policy.${locale}.pdf`)))).toBe(true);
  });

  it("prints Letter when asked", () => {
    const dir = tempDir();
    expect(cli(["build", golden, "--out", dir, "--formats", "pdf", "--locales", "en", "--paper", "Letter", "-q"]).code).toBe(0);
    expect(pdfinfo(join(dir, "golden", "policy.en.pdf"))).toMatch(/Page size:\s+612 x 792 pts \(letter\)/);
  });
});

describe.runIf(hasBrowser)("a change notice's PDF, which links to the policy pages", () => {
  // changes.pdf links policy.*.html; Chromium wrote those links as file:// addresses inside the build's
  // staging folder: a folder deleted when the build ends, named differently in every build
  const example = join(root, "examples", "acme", "profile.yaml");
  const one = tempDir();
  const two = tempDir("pp-test-other-");
  const runs = [one, two].map((out) => cli(["build", example, "--out", out, "--formats", "html,pdf", "--locales", "en", "--quiet"]));

  it("links the pages by relative address, never a file:// one", () => {
    for (const r of runs) expect(r.code).toBe(0);
    const notice = readFileSync(join(one, "acme", "changes.pdf"), "latin1");
    expect(notice).not.toContain("file://");
    expect(notice).toMatch(/\/URI \(policy\.en\.html\) *>>/);
    expect(pdfinfo(join(one, "acme", "changes.pdf"))).toMatch(/Pages:\s+\d+/); // still a PDF a reader opens
  });

  it("keeps the space where a heading wraps in its bookmark", () => {
    // the heading wraps after "personal"; Chromium's bookmark read "your personalinformation"
    const titles = bookmarks(join(one, "acme", "policy.en.pdf"));
    expect(titles).toContain("4. How we share, transfer and publicly disclose your personal information");
    expect(titles.filter((t) => /[a-z]information/.test(t))).toEqual([]);
    expect(bookmarks(join(one, "acme", "changes.pdf"))).toContain("《隐私政策》变更说明 / Privacy Policy: what changed");
  });

  it("is titled as the change notice, not as the policy", () => {
    // its title was the policy's ("Privacy Policy – Aurora Datalink"): a reader's title bar and a search index called it the policy
    const info = pdfinfo(join(one, "acme", "changes.pdf"));
    expect(info).toMatch(/Title:\s+Privacy Policy: what changed – Aurora Datalink\n/);
    expect(info).toMatch(/Subject:\s+Privacy Policy: what changed, version 2\.0\.0/);
    expect(pdfinfo(join(one, "acme", "policy.en.pdf"))).toMatch(/Title:\s+Privacy Policy – Aurora Datalink\n/);
  });

  it("is byte-identical when built into another folder", () => {
    for (const file of ["changes.pdf", "versions/2.0.0/changes.pdf"])
      expect(readFileSync(join(two, "acme", file)).equals(readFileSync(join(one, "acme", file)))).toBe(true);
  });
});

describe.runIf(hasBrowser)("a remote browser (--browser-ws)", () => {
  it("prints through an already running Chromium instead of launching one", async () => {
    const { openBrowser } = await import("../../src/pdf/browser.js");
    const found = findBrowser({});
    const handle = await openBrowser({}, "path" in found ? found.path : undefined);
    try {
      const dir = tempDir();
      const r = await cliAsync(["build", golden, "--out", dir, "--formats", "pdf", "--locales", "en", "--browser-ws", handle.browser.wsEndpoint(), "-q"]);
      expect(r.stderr).not.toMatch(/\berror\b/);
      expect(r.code).toBe(0);
      expect(pdftotext(join(dir, "golden", "policy.en.pdf"))).toContain("Your rights");
      expect(handle.browser.connected).toBe(true); // the build disconnected, it did not close the pool's browser
    } finally {
      await handle.close();
    }
  });
});

describe("without a browser", () => {
  const env = { PUPPETEER_EXECUTABLE_PATH: "/nonexistent/chromium" };

  it("still writes Markdown and HTML, and says how to get a browser", () => {
    const dir = tempDir();
    const r = cli(["build", golden, "--out", dir], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("warning: No browser at /nonexistent/chromium (from PUPPETEER_EXECUTABLE_PATH). PDFs were skipped; Markdown and HTML were written.");
    expect(readFileSync(join(dir, "golden", "policy.en.md"), "utf8")).toContain("# Privacy Policy");
    expect(JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")).files.some((f: { format: string }) => f.format === "pdf")).toBe(false);
  });

  it("fails when PDF was asked for explicitly", () => {
    const r = cli(["build", golden, "--out", tempDir(), "--formats", "pdf"], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error NO_BROWSER: No browser at /nonexistent/chromium");
  });

  it("says so of a folder or a file that cannot run, where the launch crashed with an unhandled 'error' event", () => {
    const dir = tempDir();
    const notRunnable = join(dir, "chromium");
    writeFileSync(notRunnable, "not a program", { mode: 0o644 });
    for (const [browser, said] of [[dir, "is a folder, not a program"], [notRunnable, "is not executable (no permission to run it)"]]) {
      const r = cli(["build", golden, "--out", join(dir, "out"), "--formats", "md,pdf", "--browser", browser!, "-q"]);
      expect([r.code, r.stderr.split("\n")[0]]).toEqual([1, `error NO_BROWSER: ${browser} (from --browser) ${said}, so it cannot print PDFs.`]);
    }
  });
});

describe.runIf(hasBrowser)("English typography in the PDF", () => {
  it("takes curly quotes from the Latin font: normal width on the page, and spaces a reader can copy", () => {
    const out = tempDir();
    expect(cli(["build", "--out", out, "--formats", "pdf", "--locales", "en", "--quiet"]).code).toBe(0);
    const file = join(out, "acme", "policy.en.pdf");
    const fonts = pdffonts(file);
    expect(fonts).toMatch(/NotoSans-Regular\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    expect(fonts).not.toContain("Type 3");
    // with the CJK font's full-width quotes a reader got wide gaps; with its half-width forms, no spaces ("as“we”")
    expect(execFileSync("pdftotext", [file, "-"], { encoding: "utf8" }).replace(/\s+/g, " ")).toContain("also referred to as “we”, “us” or “our”), and welcome");
  });
});

describe.runIf(hasBrowser)("a value with characters no bundled font has", () => {
  // Chromium drew 🚀 and 𠮷 with whatever system font had them: Type 3 fonts (a colour emoji font, the
  // system's CFF-outline CJK), text a reader could not extract, and a PDF that differed between machines
  it("prints □ in their place, in the text and the running header, with no Type 3 font", () => {
    const dir = tempDir();
    cpSync(join(fixtures, "golden"), dir, { recursive: true, filter: (p) => !p.includes("expected") });
    const profile = join(dir, "profile.yaml");
    writeFileSync(profile, readFileSync(profile, "utf8").replace("shortName: { zh-CN: 金样科技, en: Golden Sample }", "shortName: { zh-CN: 金样科技🚀, en: Golden 𠮷 Sample }"));
    const out = join(dir, "out");
    const run = cli(["build", profile, "--out", out, "--formats", "pdf", "--quiet"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('"🚀" (U+1F680) is in none of the bundled fonts: PDFs print □ in its place');
    for (const locale of ["zh-CN", "en", "bilingual"]) expect(pdffonts(join(out, "golden", `policy.${locale}.pdf`))).not.toContain("Type 3");
    expect(pdftotext(join(out, "golden", "policy.en.pdf"))).toContain("Golden □ Sample");
    expect(pdftotext(join(out, "golden", "policy.zh-CN.pdf"))).toContain("金样科技□");
  });
});

describe.runIf(hasBrowser)("the running header", () => {
  /** Each word of page 2 with its box, in points from the top left, as a PDF reader lays it out. */
  const wordsOfPage2 = (file: string) => {
    const xml = execFileSync("pdftotext", ["-f", "2", "-l", "2", "-bbox", file, "-"], { encoding: "utf8" });
    const width = Number(/<page width="([\d.]+)"/.exec(xml)![1]);
    const words = [...xml.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
      xMin: Number(m[1]),
      yMin: Number(m[2]),
      xMax: Number(m[3]),
      yMax: Number(m[4]),
      text: m[5]!,
    }));
    return { width, words };
  };

  it("stays on one line inside the page when the company's short name is one 3,000-character word", () => {
    const dir = tempDir();
    cpSync(join(fixtures, "golden"), dir, { recursive: true });
    const profile = join(dir, "profile.yaml");
    const source = readFileSync(profile, "utf8");
    const long = source.replace(/shortName: .*/, `shortName: { zh-CN: ${"长".repeat(3000)}, en: ${"W".repeat(3000)} }`);
    expect(long).not.toBe(source);
    writeFileSync(profile, long);
    const out = tempDir();
    const r = cli(["build", profile, "--out", out, "--formats", "pdf", "--quiet"]);
    expect(r.code).toBe(0);
    const mm = 72 / 25.4;
    for (const [locale, title] of [["zh-CN", "隐私政策"], ["en", "Privacy Policy"], ["bilingual", "Privacy Policy"]]) {
      const { width, words } = wordsOfPage2(join(out, "golden", `policy.${locale}.pdf`));
      // the header prints in the 22 mm top margin; the body starts below it
      const header = words.filter((w) => w.yMax < 22 * mm);
      expect(header.length).toBeGreaterThan(0);
      expect(new Set(header.map((w) => w.yMin)).size).toBe(1);
      expect(Math.max(...header.map((w) => w.xMax))).toBeLessThanOrEqual(width - 18 * mm);
      const text = header.map((w) => w.text).join(" ");
      expect(text).toContain("…");
      expect(text.endsWith(title)).toBe(true);
    }
  });

  it("on Letter paper is cut to Letter's width, not A4's: inside the page and as long as fits", () => {
    const dir = tempDir();
    cpSync(join(fixtures, "golden"), dir, { recursive: true });
    const profile = join(dir, "profile.yaml");
    writeFileSync(profile, readFileSync(profile, "utf8").replace(/shortName: .*/, `shortName: { zh-CN: ${"长".repeat(300)}, en: ${"W".repeat(300)} }`));
    const out = tempDir();
    expect(cli(["build", profile, "--out", out, "--formats", "pdf", "--locales", "en", "--paper", "Letter", "--quiet"]).code).toBe(0);
    const mm = 72 / 25.4;
    const { width, words } = wordsOfPage2(join(out, "golden", "policy.en.pdf"));
    expect(width).toBeCloseTo(612, 0); // 8.5 in
    const header = words.filter((w) => w.yMax < 22 * mm);
    expect(new Set(header.map((w) => w.yMin)).size).toBe(1);
    const right = Math.max(...header.map((w) => w.xMax));
    expect(right).toBeLessThanOrEqual(width - 18 * mm);
    // cut to A4's budget the header ended 31.7 mm from Letter's edge; to Letter's it ends about 24 mm from it
    expect(right).toBeGreaterThan(width - 27 * mm);
    expect(header.map((w) => w.text).join(" ")).toMatch(/^W+… · Privacy Policy$/);
  });
});
