import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildProfile } from "../../src/build.js";
import { fixtures } from "../helpers.js";

// Golden files: the fixture profile (with its own clause set) rendered in every locale and format.
// After an intended change, regenerate with UPDATE_GOLDEN=1 npx vitest run test/render/golden.test.ts
const dir = join(fixtures, "golden");
const expectedDir = join(dir, "expected");

describe("golden outputs", async () => {
  const b = await buildProfile(join(dir, "profile.yaml"));
  for (const file of b.files) {
    it(`${file.path} matches its golden file`, () => {
      const path = join(expectedDir, file.path);
      if (process.env.UPDATE_GOLDEN || !existsSync(path)) {
        mkdirSync(expectedDir, { recursive: true });
        writeFileSync(path, file.content);
      }
      expect(file.content).toBe(readFileSync(path, "utf8"));
    });
  }

  it("numbers sections and clauses per locale", () => {
    const zh = b.files.find((f) => f.path === "policy.zh-CN.md")!.content;
    const en = b.files.find((f) => f.path === "policy.en.md")!.content;
    expect(zh).toContain("## 一、我们如何收集和使用您的个人信息");
    expect(zh).toContain("### （二） 第三方 SDK 清单");
    expect(zh).toContain("## 二、您的权利");
    expect(en).toContain("## 1. How we collect and use your personal information");
    expect(en).toContain("### 1.2 List of third-party SDKs");
    expect(en).toContain("## 2. Your rights");
  });

  it("fills every placeholder, in the right language", () => {
    const zh = b.files.find((f) => f.path === "policy.zh-CN.md")!.content;
    const en = b.files.find((f) => f.path === "policy.en.md")!.content;
    expect(zh).toContain("金样云、金样 App和金样 API");
    expect(zh).toContain("十五个工作日");
    expect(zh).toContain("2026年12月1日");
    expect(en).toContain("Golden Cloud, the Golden app and the Golden API");
    expect(en).toContain("within 15 working days");
    expect(en).toContain("December 1, 2026");
    expect(en).not.toMatch(/\p{Script=Han}/u);
    for (const text of [zh, en]) expect(text).not.toMatch(/{{|}}/);
  });

  it("leaves out a clause whose condition is not met", () => {
    expect(b.resolved.decisions.find((d) => d.clause === "golden.cookies:default")).toMatchObject({ included: false });
    expect(b.files.find((f) => f.path === "policy.en.md")!.content).not.toContain("We do not use cookies");
  });

  it("escapes a table cell separator that comes from the profile", () => {
    expect(b.files.find((f) => f.path === "policy.en.md")!.content).toContain("to send news \\| offers");
  });

  it("writes the data list and the SDK list", () => {
    const html = b.files.find((f) => f.path === "policy.zh-CN.html")!.content;
    expect(html).toContain("<td>手机号码和密码</td>");
    expect(html).toContain("<td>Example Push SDK</td>");
  });
});
