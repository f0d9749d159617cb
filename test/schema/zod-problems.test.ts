import { describe, expect, it } from "vitest";
import { parseYaml } from "../../src/load/yaml.js";
import { clauseSetSchema } from "../../src/schema/clause.js";
import { profileSchema } from "../../src/schema/profile.js";
import { closest, zodProblems } from "../../src/schema/zod-problems.js";

const problems = (schema: typeof clauseSetSchema | typeof profileSchema, text: string) => {
  const yaml = parseYaml(text, "x.yaml");
  const parsed = schema.safeParse(yaml.data, { reportInput: true });
  return parsed.success ? [] : zodProblems(parsed.error, yaml, schema).map((p) => `${p.field}: ${p.message}${p.hint ? ` / ${p.hint}` : ""}`);
};

describe("a value that may take one of several forms", () => {
  it("a bilingual text: names the misspelt language and the missing one", () => {
    const found = problems(profileSchema, "company:\n  name: { zh-cn: 甲, EN: A }\n").filter((p) => p.startsWith("company.name"));
    expect(found).toEqual([
      'company.name: must be a text, or a mapping with both zh-CN and en texts: the key "zh-cn" is neither zh-CN nor en (did you mean "zh-CN"?); the key "EN" is neither zh-CN nor en (did you mean "en"?); zh-CN is missing; en is missing / Write one text, or both languages spelt exactly so: { zh-CN: "...", en: "..." }.',
    ]);
  });

  it("another union (a clause-set entry): says what its closest form lacks, not the bilingual text's rule", () => {
    const found = problems(clauseSetSchema, "id: s\ntitle: { zh-CN: 甲, en: A }\nsections:\n  - id: main\n    clauses: [42, { clause: 7 }]\n");
    expect(found).toEqual([
      "sections[0].clauses[0]: must be a text, not number 42 / YAML reads this value as a number, not a text: put it in double quotes, as written.",
      "sections[0].clauses[1]: clause: must be a text, not number 7",
    ]);
  });
});

describe("a number or true/false where a text belongs", () => {
  it("says to quote it when the quoted value would do, and what the value is when a bilingual text was wanted", () => {
    const found = problems(profileSchema, "company:\n  shortName: 360\n  postcode: 010000\n  website: true\ncontact:\n  phone: +8613800138000\npolicy:\n  firstPublishedDate: 20261201\n");
    expect(found.filter((p) => /shortName|postcode|website|phone|firstPublished/.test(p))).toEqual([
      "company.shortName: must be a text, or a mapping with both zh-CN and en texts, not number 360 / YAML reads this value as a number, not a text: put it in double quotes, as written.",
      "company.postcode: must be a text, not number 10000 / YAML reads this value as a number, not a text: put it in double quotes, as written.",
      // quoted, neither would do: no hint that leads to the next mistake
      "company.website: must be a text, not boolean true",
      "policy.firstPublishedDate: must be a text, not number 20261201",
      "contact.phone: must be a text, not number 8613800138000 / YAML reads this value as a number, not a text: put it in double quotes, as written.",
    ]);
  });
});

describe("a number out of range", () => {
  it("says the bound in plain words, for days and for other numbers", () => {
    const found = problems(profileSchema, "contact:\n  responseDays: 100000\nchildren:\n  ageThreshold: 200\n  minorAge: -1\n").filter((p) => /responseDays|ageThreshold|minorAge/.test(p));
    expect(found).toEqual([
      "contact.responseDays: must be at most 3650 days (ten years)",
      "children.ageThreshold: must be at most 18, not number 200",
      "children.minorAge: must be at least 14, not number -1",
    ]);
  });
});

describe("a missing field", () => {
  it("of a list item is placed at that item, not at the list's first", () => {
    const text = "sdks:\n  - name: a\n    provider: p\n    purpose: x\n    data: [a]\n  - name: b\n    provider: p\n    purpose: x\n    data: [a]\n";
    const yaml = parseYaml(text, "x.yaml");
    const parsed = profileSchema.safeParse(yaml.data, { reportInput: true });
    const lines = parsed.success ? [] : zodProblems(parsed.error, yaml, profileSchema).filter((p) => p.field?.startsWith("sdks")).map((p) => `${p.line} ${p.field}`);
    expect(lines).toEqual(["2 sdks[0].policyUrl", "6 sdks[1].policyUrl"]);
  });
});

describe("closest: the word a typo was likely meant to be", () => {
  it("counts two letters swapped as one edit (ppoi: ppio), and still refuses a word too far off", () => {
    expect(closest("ppoi", ["ppio", "zego", "ruiyun"])).toBe("ppio");
    expect(closest("zeog", ["ppio", "zego", "ruiyun"])).toBe("zego");
    expect(closest("featrues", ["features", "kinds"])).toBe("features");
    expect(closest("abcd", ["ppio", "zego"])).toBeUndefined();
  });
});
