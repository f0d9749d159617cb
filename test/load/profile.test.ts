import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { formatError, PolicyError } from "../../src/errors.js";
import { loadProfile } from "../../src/load/profile.js";
import { fixtures, root } from "../helpers.js";

const dir = join(fixtures, "profiles");

/** Each bad-*.yaml has a bad-*.expected.txt with the exact message a user sees (UPDATE_GOLDEN=1 rewrites). */
describe("bad profiles give the exact messages", () => {
  for (const name of readdirSync(dir).filter((f) => f.startsWith("bad-") && f.endsWith(".yaml"))) {
    it(name, async () => {
      const error = await loadProfile(join(dir, name)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PolicyError);
      const message = formatError(error as PolicyError).replaceAll(relative(process.cwd(), root) ? `${relative(process.cwd(), root)}/` : "", "");
      const expectedFile = join(dir, name.replace(/\.yaml$/, ".expected.txt"));
      if (process.env.UPDATE_GOLDEN || !existsSync(expectedFile)) writeFileSync(expectedFile, `${message}\n`);
      expect(`${message}\n`).toBe(readFileSync(expectedFile, "utf8"));
    });
  }
});

describe("good profiles", () => {
  it("applies defaults", async () => {
    const { profile, slug } = await loadProfile(join(dir, "good-minimal.yaml"));
    expect(slug).toBe("good-minimal");
    expect(profile.clauseSet).toBe("startup-default");
    expect(profile.contact.responseDays).toBe(15);
    expect(profile.children.ageThreshold).toBe(14);
    expect(profile.policy.controllingLanguage).toBe("zh-CN");
  });

  it("takes its slug from the file or folder name, else from the company's English short name or name", async () => {
    const text = readFileSync(join(dir, "good-minimal.yaml"), "utf8");
    const load = (folder: string, yaml = text) => {
      const path = join(mkdtempSync(join(tmpdir(), "pp-slug-")), folder, "profile.yaml");
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, yaml);
      return loadProfile(path).then((p) => p.slug);
    };
    expect(await load("Acme Cloud")).toBe("acme-cloud");
    // a Chinese folder name has no character a slug may hold: the company's English short name, then its English name
    expect(await load("示例公司", text.replace("shortName: 示例", "shortName: { zh-CN: 示例, en: Société Exemple }"))).toBe("societe-exemple");
    expect(await load("示例公司", text.replace("name: 示例有限公司", "name: { zh-CN: 示例有限公司, en: \"Example Co., Ltd.\" }"))).toBe("example-co-ltd");
    expect(await load("示例公司")).toBe("policy");
  });

  it("drops bidi controls from values, written as they are or as YAML escapes (they would reverse the text around them)", async () => {
    const text = readFileSync(join(dir, "good-minimal.yaml"), "utf8").replace("shortName: 示例", 'shortName: { zh-CN: "示\u202e例", en: "Evil\u2066 RTL‭" }');
    const path = join(mkdtempSync(join(tmpdir(), "pp-bidi-")), "profile.yaml");
    writeFileSync(path, text);
    expect((await loadProfile(path)).profile.company.shortName).toEqual({ "zh-CN": "示例", en: "Evil RTL" });
  });

  it("turns control characters in values into spaces (they went into <title>, <h1> and feed.xml as they were)", async () => {
    const text = readFileSync(join(dir, "good-minimal.yaml"), "utf8")
      .replace("shortName: 示例", 'shortName: { zh-CN: "示\\0例\\e[31m", en: "Ex\\x7Fam\\x85ple\\uFFFE" }')
      .replace("effectiveDate: 2026-12-01", 'effectiveDate: 2026-12-01\n  title: "Privacy\\tPolicy\\r\\nof\\bX"');
    const path = join(mkdtempSync(join(tmpdir(), "pp-control-")), "profile.yaml");
    writeFileSync(path, text);
    const { profile } = await loadProfile(path);
    expect(profile.company.shortName).toEqual({ "zh-CN": "示 例 [31m", en: "Ex am ple" });
    // tabs and line breaks are the clause text's to judge
    expect(profile.policy.title).toBe("Privacy\tPolicy \nof X");
  });

  it("reads a file with a byte order mark and CRLF line ends", async () => {
    const { profile } = await loadProfile(join(dir, "good-bom-crlf.yaml"));
    expect(profile.company.name).toBe("示例有限公司");
    expect(profile.collection[0]!.items).toEqual(["手机号码"]);
  });

  it("says clearly when the path is missing or a folder", async () => {
    await expect(loadProfile(join(dir, "nope.yaml"))).rejects.toMatchObject({ code: "FILE_NOT_FOUND" });
    await expect(loadProfile(dir)).rejects.toMatchObject({ code: "FILE_IS_DIRECTORY", hint: "Name the profile.yaml file inside the folder." });
  });
});
