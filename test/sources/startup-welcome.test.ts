import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildProfile } from "../../src/profile-build.js";
import { fixtures, tempDir } from "../helpers.js";

// The startup default's first paragraph names what the profile says the company offers: a startup with a
// website and an app was welcomed to "web services, embeddable widgets and APIs" (a developer cloud's
// products, in the source's welcome) and its app went unnamed.
const minimal = readFileSync(join(fixtures, "profiles", "good-minimal.yaml"), "utf8");
async function welcome(extra: string, appName?: string): Promise<{ zh: string; en: string }> {
  const file = join(tempDir(), "profile.yaml");
  const product = appName ? minimal.replace("product:\n", `product:\n  appName: ${appName}\n`) : minimal;
  writeFileSync(file, `${product}${extra}`);
  const { documents } = await buildProfile(file, { formats: ["md"] });
  const first = (locale: "zh-CN" | "en") => documents[locale]!.sections[0]!.clauses[0]!;
  expect(first("en").id).toBe("intro.welcome");
  return { zh: first("zh-CN").markdown.split("\n")[0]!, en: first("en").markdown.split("\n")[0]! };
}

describe("the startup default's welcome", () => {
  it("names the website and the other products and services, no widgets or APIs the profile never declared", async () => {
    const { zh, en } = await welcome("kinds: { website: true }\n");
    expect(en).toContain("welcome to our website https://example.com (the “Website”) and the other products and services we provide (together, the “Services”)");
    expect(zh).toContain("我们的网站https://example.com（以下简称“网站”）以及我们提供的其他产品和服务");
    expect(`${zh}${en}`).not.toMatch(/widgets|小工具|App/);
  });

  it("names the app: by its name when the profile gives one, else as our mobile app", async () => {
    const unnamed = await welcome("kinds: { app: true }\n");
    expect(unnamed.en).toContain("(the “Website”), our mobile app (the “App”) and the other");
    expect(unnamed.zh).toContain("（以下简称“网站”）、我们的移动应用（以下简称“App”）以及");
    const named = await welcome("kinds: { app: true }\n", "{ zh-CN: 示例 App, en: the Example app }");
    expect(named.en).toContain("(the “Website”), the Example app (the “App”) and the other");
    expect(named.zh).toContain("（以下简称“网站”）、示例 App（以下简称“App”）以及");
  });
});
