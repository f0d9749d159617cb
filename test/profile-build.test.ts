import { appendFileSync, copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PolicyError } from "../src/errors.js";
import { buildProfile } from "../src/profile-build.js";
import { root, tempDir } from "./helpers.js";

const canonical = async (base: string) => {
  const built = await buildProfile(join(root, "examples", "acme", "profile.yaml"), { base, formats: ["html"] });
  const page = built.files.find((f) => f.path === "policy.en.html")!.content;
  return /<link rel="canonical" href="([^"]*)"/.exec(page)?.[1];
};

describe("the address a profile's pages are published under (--base)", () => {
  it("percent-encodes each segment, so any base gives a valid address, and does not encode twice", async () => {
    expect(await canonical("/legal/")).toBe("https://www.aurora-datalink.example/legal/acme/policy.en.html");
    expect(await canonical("法律")).toBe("https://www.aurora-datalink.example/%E6%B3%95%E5%BE%8B/acme/policy.en.html");
    expect(await canonical('/a "quoted" <base>/')).toBe("https://www.aurora-datalink.example/a%20%22quoted%22%20%3Cbase%3E/acme/policy.en.html");
    expect(await canonical("/caf%C3%A9//x/")).toBe("https://www.aurora-datalink.example/caf%C3%A9/x/acme/policy.en.html");
    expect(await canonical("")).toBe("https://www.aurora-datalink.example/acme/policy.en.html");
  });
});

describe("buildProfile()'s options", () => {
  it("are checked as build()'s are: an unsafe site address, an unknown locale or paper, an unknown option", async () => {
    // unchecked, siteUrl "javascript:..." gave canonical links "null/acme/...", and locale "fr" a TEMPLATE_ERROR
    const profile = join(root, "examples", "acme", "profile.yaml");
    const wrong = { siteUrl: "javascript:alert(1)", locales: ["fr"], paper: "Legal", local: ["en"] } as unknown as Parameters<typeof buildProfile>[1];
    const error = (await buildProfile(profile, wrong).catch((e: unknown) => e)) as PolicyError;
    expect(error).toBeInstanceOf(PolicyError);
    expect(error.problems.map((p) => `${p.code} ${p.field}`).sort()).toEqual(["BAD_OPTION local", "BAD_OPTION locales.0", "BAD_OPTION paper", "BAD_OPTION siteUrl"]);
  });
});

describe("a clause left out of the policy", () => {
  it("is reported when its condition names no profile field: the clause the profile adds would vanish without a word", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "own"));
    copyFileSync(join(root, "examples", "acme", "profile.yaml"), join(dir, "profile.yaml"));
    appendFileSync(join(dir, "profile.yaml"), "\nclauses:\n  dirs: [own]\n  add: [{ clause: own.cookie, section: cookies }]\n");
    writeFileSync(join(dir, "own", "c.md"), "---\nid: own.cookie\ntopic: cookies\ntitle: { zh-CN: 甲, en: A }\nwhen: { features.cookie: true }\n---\n:::zh-CN\n甲。\n:::\n\n:::en\nA.\n:::\n");
    const error = (await buildProfile(join(dir, "profile.yaml"), { formats: ["md"] }).catch((e: unknown) => e)) as PolicyError;
    expect(error).toBeInstanceOf(PolicyError);
    expect(error.problems.map((p) => `${p.file?.split("/").slice(-2).join("/")}:${p.line} ${p.code} [${p.field}] ${p.message} / ${p.hint}`)).toEqual([
      'own/c.md:5 UNKNOWN_CONDITION_FIELD [when.features.cookie] the condition names "features.cookie", which is not a profile field / Did you mean features.cookies? See schema/profile.schema.json for the fields.',
    ]);
  });
});
