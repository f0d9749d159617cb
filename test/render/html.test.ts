import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildProfile } from "../../src/build.js";
import { widthEm } from "../../src/render/advance.js";
import { headerRoomEm } from "../../src/render/html.js";
import { fixtures, root, tempDir } from "../helpers.js";

/** The running header's text, from the page's `@top-left { content: "..." }` (CSS escapes undone). */
const runningHeaderOf = (html: string) =>
  /@top-left \{ content: "((?:[^"\\]|\\[0-9a-f]+ )*)"/.exec(html)![1]!.replace(/\\([0-9a-f]+) /g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)));

describe("the running header's width", () => {
  const dir = tempDir();
  cpSync(join(fixtures, "golden"), dir, { recursive: true });
  const profile = join(dir, "profile.yaml");
  writeFileSync(profile, readFileSync(profile, "utf8").replace(/shortName: .*/, `shortName: { zh-CN: ${"长".repeat(300)}, en: ${"W".repeat(300)} }`));
  const headerOn = async (paper: "A4" | "Letter") => {
    const built = await buildProfile(profile, { formats: ["html"], paper });
    return runningHeaderOf(built.files.find((f) => f.path === "policy.en.html")!.content);
  };

  it("is the paper's width less its margins: Letter is 5.9 mm wider than A4", () => {
    expect(headerRoomEm("Letter") - headerRoomEm("A4")).toBeCloseTo(((5.9 / 25.4) * 72 * 0.97) / 8, 6);
  });

  it("cuts a long name to the paper the PDF is printed on, not to A4 whatever the paper", async () => {
    const a4 = await headerOn("A4");
    const letter = await headerOn("Letter");
    for (const [header, paper] of [[a4, "A4"], [letter, "Letter"]] as const) {
      expect(header).toMatch(/^W+… · Privacy Policy$/);
      expect(widthEm(header)).toBeLessThanOrEqual(headerRoomEm(paper));
      // nothing more would have fitted: one more W passes the room
      expect(widthEm(header) + widthEm("W")).toBeGreaterThan(headerRoomEm(paper));
    }
    expect(letter.length).toBeGreaterThan(a4.length);
  });
});

describe("the contents and title block of a bilingual page", () => {
  it("marks each language of an entry, of the title and of the company, so English takes its curly quotes from the Latin font", async () => {
    // the whole entry was in the page's language, Chinese: "minors’" had a full-width quote, a wide gap after it
    const built = await buildProfile(join(root, "examples", "acme", "profile.yaml"), { formats: ["html"] });
    const page = built.files.find((f) => f.path === "policy.bilingual.html")!.content;
    expect(page).toContain('<a href="#children"><span lang="zh-CN">九、我们如何处理未成年人的个人信息</span> / <span lang="en">9. How we handle minors’ personal information</span></a>');
    expect(page).toContain('<h1><span lang="zh-CN">隐私政策</span> / <span lang="en">Privacy Policy</span></h1>');
    expect(page).toContain('<p class="company"><span lang="zh-CN">极光数联科技（杭州）有限公司</span> / <span lang="en">Aurora Datalink Technology (Hangzhou) Co., Ltd.</span></p>');
    const en = built.files.find((f) => f.path === "policy.en.html")!.content;
    expect(en).toContain('<a href="#children">9. How we handle minors’ personal information</a>');
    expect(en).toContain("<h1>Privacy Policy</h1>");
  });
});

describe("the running header's font", () => {
  it("gives English its curly quotes from the Latin font, as the body does; Chinese keeps them full width", async () => {
    // the header was all Noto Sans SC: "Ann’s" printed with a full-width ’, a wide gap after "Ann"
    const built = await buildProfile(join(fixtures, "golden", "profile.yaml"), { formats: ["html"] });
    const pageCss = (path: string) => /<style media="print">([^<]*)<\/style>/.exec(built.files.find((f) => f.path === path)!.content)![1]!;
    expect(pageCss("policy.en.html")).toContain('font-family: "PolicyPress Latin Quotes", "Noto Sans SC", sans-serif;');
    for (const path of ["policy.zh-CN.html", "policy.bilingual.html"]) expect(pageCss(path)).toContain('font-family: "Noto Sans SC", sans-serif;');
  });
});
