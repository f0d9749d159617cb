import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkLibrary } from "../../src/check/library.js";
import { formatProblem, type Problem } from "../../src/errors.js";
import { loadLibrary } from "../../src/load/library.js";
import { tempDir } from "../helpers.js";

const GENERATED = ["collection.list", "sdks.list", "sharing.recipients-list", "cross-border.list", "effective.dates", "intro.controlling-language"];

describe("the built-in clause library", async () => {
  const library = await loadLibrary();

  it("passes its own checks: fields exist, both languages, no Chinese in English, no source names", () => {
    const problems = checkLibrary(library).map(formatProblem);
    expect(problems).toEqual([]);
  });

  it("has a title in both languages, a topic and provenance (source or law) for every clause", () => {
    const topics = new Set(library.topics.map((t) => t.id));
    for (const clause of library.clauses.values()) {
      expect(topics.has(clause.topic), clause.file).toBe(true);
      expect(clause.title["zh-CN"] && clause.title.en, clause.file).toBeTruthy();
      // provenance: a source policy's section, or for clauses drafted from the statute its articles;
      // the generated lists and the date and language lines carry the profile's facts
      if (!GENERATED.includes(clause.id))
        expect(clause.sources.length + clause.law.length, `${clause.file} has neither sources: nor law:`).toBeGreaterThan(0);
    }
  });

  it("has the presets: startup-default and one per source business type", () => {
    for (const id of ["startup-default", "cloud-platform", "edge-cloud-sdk", "developer-rtc-cloud", "consumer-hardware-cloud", "ar-sdk-website"])
      expect(library.sets.has(id), id).toBe(true);
  });
});

describe("library checks catch a lawyer's mistakes, with file and line", () => {
  function libraryWith(files: Record<string, string>) {
    const dir = tempDir();
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, ".."), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    return loadLibrary({ own: [dir] });
  }
  const clause = (body: { zh: string; en: string }, front = "id: own.test\ntopic: intro\ntitle: { zh-CN: 测试, en: Test }") =>
    `---\n${front}\n---\n:::zh-CN\n${body.zh}\n:::\n\n:::en\n${body.en}\n:::\n`;

  it("reports Chinese left in the English text, an unknown placeholder, triple braces and a source name", async () => {
    const library = await libraryWith({ "bad.md": clause({ zh: "瑞云将处理{{company.nmae}}。", en: "We process 个人信息.\n{{{company.name}}}" }) });
    const own = [...library.clauses.values()].filter((c) => c.origin === "own");
    const problems = checkLibrary({ ...library, clauses: new Map(own.map((c) => [c.key, c])) }).map((p) => `${p.line} ${p.code} ${p.message}`);
    expect(problems).toEqual([
      '7 UNKNOWN_PLACEHOLDER the zh-CN text uses {{company.nmae}}, which is not a profile field',
      '7 SOURCE_NAME_IN_BODY the zh-CN text names a source company or product ("瑞云")',
      '12 TRIPLE_BRACES the en text uses {{{…}}}, which would insert profile values unescaped',
      '11 HAN_IN_ENGLISH the English text contains Chinese characters ("个人信息. {{{com…")',
    ]);
  });

  it("reports a missing translation and a duplicate clause, all at once", async () => {
    const error = await libraryWith({
      "a.md": "---\nid: own.a\ntopic: intro\ntitle: { zh-CN: 甲, en: A }\n---\n:::zh-CN\n只有中文。\n:::\n",
      "b.md": clause({ zh: "乙。", en: "B." }, "id: own.b\ntopic: intro\ntitle: { zh-CN: 乙, en: B }"),
      "c.md": clause({ zh: "乙。", en: "B." }, "id: own.b\ntopic: nowhere\ntitle: { zh-CN: 乙, en: B }"),
    }).catch((e: unknown) => e);
    const lines = (error as { problems: { code: string; file: string }[] }).problems.map((p) => `${p.file.split("/").pop()} ${p.code}`);
    expect(lines).toEqual(["a.md CLAUSE_MISSING_LOCALE", "c.md DUPLICATE_CLAUSE"]);
  });

  it("refuses a placeholder that prints a group of fields, a list or a fixed value", async () => {
    const library = await libraryWith({ "bad.md": clause({ zh: "甲{{company}}乙{{product.services}}", en: 'A {{"x"}} {{company.name}} {{1}}' }) });
    const own = [...library.clauses.values()].filter((c) => c.origin === "own");
    const problems = checkLibrary({ ...library, clauses: new Map(own.map((c) => [c.key, c])) }).map((p) => `${p.line} ${p.code} ${p.message}`);
    expect(problems).toEqual([
      "7 UNKNOWN_PLACEHOLDER the zh-CN text prints {{company}}, which is a group of fields, not a text",
      "7 UNKNOWN_PLACEHOLDER the zh-CN text prints {{product.services}}, which is a list, not a text",
      '11 TEMPLATE_SYNTAX the en text puts a fixed value in braces ({{"x"}})',
      "11 TEMPLATE_SYNTAX the en text puts a fixed value in braces ({{1}})",
    ]);
  });

  it("checks @root paths and @ variables, and refuses a helper called without its field", async () => {
    const library = await libraryWith({ "bad.md": clause({ zh: "{{@root.company.nmae}}{{@root.company.name}}{{#each collection}}{{@index}}{{@foo}}{{/each}}", en: "{{num}} {{date policy.effectiveDate}}" }) });
    const own = [...library.clauses.values()].filter((c) => c.origin === "own");
    const problems = checkLibrary({ ...library, clauses: new Map(own.map((c) => [c.key, c])) }).map((p) => `${p.line} ${p.code} ${p.message}`);
    expect(problems).toEqual([
      "7 UNKNOWN_PLACEHOLDER the zh-CN text uses {{@root.company.nmae}}, which is not a profile field",
      "7 UNKNOWN_PLACEHOLDER the zh-CN text uses {{@foo}}, which is not a profile field",
      "11 TEMPLATE_SYNTAX the en text calls {{num}} without the field it formats",
    ]);
  });

  it("checks what each helper is given against the profile schema: {{list features.cookies}} is a flag, not a list", async () => {
    const library = await libraryWith({
      "bad.md": clause({
        zh: '{{list features.cookies}}；{{num company.name}}；{{date policy.effectiveDate format="long"}}；{{num contact.responseDays}}',
        en: '{{list product.services}} {{list product.services "nmae"}} {{list product.services "name"}} {{list security.certifications "name"}}\n{{#each collection}}{{term role}} {{list items "or"}}{{/each}} {{items "registration"}} {{items company.name}} {{items features.cookies}} {{date company.name 1}}',
      }),
    });
    const own = [...library.clauses.values()].filter((c) => c.origin === "own");
    const problems = checkLibrary({ ...library, clauses: new Map(own.map((c) => [c.key, c])) });
    expect(problems.map((p) => `${p.file.split("/").pop()}:${p.line} ${p.code} [${p.field}] ${p.message}\n  ${p.hint}`)).toEqual([
      "bad.md:7 TEMPLATE_HELPER_ARGUMENT [features.cookies] the zh-CN text calls {{list features.cookies}}, but features.cookies is a yes/no flag\n  {{list}} joins a list: {{list security.certifications}}, or {{list product.services \"name\"}} for a field of each entry; test a flag with {{#if features.cookies}}…{{/if}}.",
      "bad.md:7 TEMPLATE_HELPER_ARGUMENT [company.name] the zh-CN text calls {{num company.name}}, but company.name is a text\n  {{num}} writes a number (in Chinese numerals in the zh-CN text), e.g. policy.noticeDays, contact.responseDays, retention.afterClosureDays, retention.logMonths.",
      "bad.md:7 TEMPLATE_HELPER_ARGUMENT [date] the zh-CN text calls {{date policy.effectiveDate format=…}}, but date takes no named argument (format)\n  {{date}} formats a date (YYYY-MM-DD).",
      'bad.md:11 TEMPLATE_HELPER_ARGUMENT [product.services] the en text calls {{list product.services}}, but product.services is a list of entries with fields: it would print "[object Object]"\n  Name the field of each entry to print: {{list product.services "name"}}, {{list product.services "description"}}.',
      'bad.md:11 TEMPLATE_HELPER_ARGUMENT [product.services] the en text calls {{list product.services "nmae"}}, but the entries of product.services have no field "nmae": it would print nothing\n  Their fields: name, description.',
      'bad.md:11 TEMPLATE_HELPER_ARGUMENT [security.certifications] the en text calls {{list security.certifications "name"}}, but security.certifications is a list of texts, whose entries have no field "name"\n  Write {{list security.certifications}}, or {{list security.certifications "or"}} to join alternatives.',
      'bad.md:12 TEMPLATE_HELPER_ARGUMENT [company.name] the en text calls {{items company.name}}, but items takes the key of a collection scenario in quotes, not a field\n  {{items}} takes the key of a collection scenario, in quotes: {{items "registration"}}.',
      'bad.md:12 TEMPLATE_HELPER_ARGUMENT [features.cookies] the en text calls {{items features.cookies}}, but items takes the key of a collection scenario in quotes, not a field\n  {{items}} takes the key of a collection scenario, in quotes: {{items "registration"}}.',
      "bad.md:12 TEMPLATE_HELPER_ARGUMENT [date] the en text calls {{date company.name 1}}, but date takes one argument: the others would be ignored\n  {{date}} formats a date (YYYY-MM-DD).",
      "bad.md:12 TEMPLATE_HELPER_ARGUMENT [company.name] the en text calls {{date company.name 1}}, but company.name is a text\n  {{date}} formats a date (YYYY-MM-DD), e.g. policy.effectiveDate, policy.updatedDate, policy.publishedDate, policy.firstPublishedDate.",
    ]);
  });

  it("names the clause an own set most likely meant by a misspelt id", async () => {
    const error = await libraryWith({ "sets/mine.yaml": "id: mine\ntitle: { zh-CN: 我的, en: Mine }\nsections:\n  - id: intro\n    clauses: [intro.welcom, no.such-thing]\n" }).catch((e: unknown) => e);
    expect((error as { problems: Problem[] }).problems.map((p) => `${p.line} ${p.field} ${p.message}`)).toEqual([
      '5 sections[0].clauses[0] unknown clause "intro.welcom"; did you mean intro.welcome?',
      '5 sections[0].clauses[1] unknown clause "no.such-thing"',
    ]);
  });

  it("reports a condition on a misspelt field of a list's elements, or on a value the field can never hold", async () => {
    const error = await libraryWith({
      "cond.md": clause({ zh: "甲。", en: "A." }, 'id: own.cond\ntopic: intro\ntitle: { zh-CN: 甲, en: A }\nwhen:\n  collection.sensitve: true\n  children.ageThreshold: "14"\n  any: [{ collection.role: processor }]'),
      "sets/mine.yaml": "id: mine\ntitle: { zh-CN: 我的, en: Mine }\nsections:\n  - id: intro\n    when: { features.cookies: \"yes\" }\n    clauses: [{ clause: own.cond, when: { any: [] } }]\n",
    }).catch((e: unknown) => e);
    expect((error as { problems: Problem[] }).problems.map((p) => `${p.file!.split("/").pop()}:${p.line} ${p.code} [${p.field}] ${p.message} / ${p.hint}`)).toEqual([
      "cond.md:6 UNKNOWN_CONDITION_FIELD [when.collection.sensitve] the condition names \"collection.sensitve\", which is not a profile field / Did you mean collection.sensitive? See schema/profile.schema.json for the fields.",
      'cond.md:7 CONDITION_NEVER_HOLDS [when.children.ageThreshold] the condition compares children.ageThreshold with "14", a value the profile can never hold there, so it never holds / children.ageThreshold is a number: write the number without quotes; true and false test whether it is set.',
      'cond.md:8 CONDITION_NEVER_HOLDS [when.collection.role] the condition compares collection.role with "processor", a value the profile can never hold there, so it never holds / collection.role is one of: handler, entrusted.',
      'mine.yaml:5 CONDITION_NEVER_HOLDS [sections[0].when.features.cookies] the condition compares features.cookies with "yes", a value the profile can never hold there, so it never holds / features.cookies is a yes/no flag; true and false test whether it is set.',
      "mine.yaml:6 CONDITION_NEVER_HOLDS [sections[0].clauses[0].when.any] the condition lists no alternative in any: [], so it never holds / List the conditions of which one must hold: any: [ { features.cookies: true }, { sdks: true } ], or delete any.",
    ]);
  });

  it("refuses control characters in a title or a text: a Word line break or an escape sequence is no text, and invalid HTML", async () => {
    const library = await libraryWith({ "ctl.md": clause({ zh: "第一行\u000b第二行\u000b。", en: "Line\u001b[31m one." }, 'id: own.ctl\ntopic: intro\ntitle: { zh-CN: "标题", en: "Title\\a" }') });
    const own = [...library.clauses.values()].filter((c) => c.origin === "own");
    expect(checkLibrary({ ...library, clauses: new Map(own.map((c) => [c.key, c])) }).map((p) => `${p.line} ${p.code} [${p.field}] ${p.message} / ${p.hint}`)).toEqual([
      "7 CLAUSE_CONTROL_CHARACTER [zh-CN] the zh-CN text contains a control character (U+000B, and 1 more), which is not text: HTML forbids it and a PDF would print a box / A line or page break copied from a word processor: delete it, or start a new line (a blank line for a new paragraph).",
      "11 CLAUSE_CONTROL_CHARACTER [en] the en text contains a control character (U+001B), which is not text: HTML forbids it and a PDF would print a box / Delete it; it was probably copied in with the text.",
      "4 CLAUSE_CONTROL_CHARACTER [title.en] the en title contains a control character (U+0007), which is not text: HTML forbids it and a PDF would print a box / Delete it; it was probably copied in with the text.",
    ]);
  });

  it("says that inside {{#each}} a field of the whole profile is @root.field", async () => {
    const library = await libraryWith({ "bad.md": clause({ zh: "{{#each collection}}{{company.name}}{{@root.company.name}}{{/each}}", en: "A." }) });
    const own = [...library.clauses.values()].filter((c) => c.origin === "own");
    const problems = checkLibrary({ ...library, clauses: new Map(own.map((c) => [c.key, c])) });
    expect(problems.map((p) => `${p.line} ${p.message} / ${p.hint}`)).toEqual([
      "7 the zh-CN text uses {{company.name}} inside {{#each}}, where names are the item's fields / For the profile's own field write {{@root.company.name}} (or {{../company.name}}).",
    ]);
  });

  it("points at the line of the id, the topic and the condition, wherever they are in the front matter", async () => {
    const front = (id: string, extra: string) => `# reviewed by the legal team\n# second comment\ntitle: { zh-CN: 甲, en: A }\n${extra}\nid: ${id}`;
    const error = await libraryWith({
      "a.md": clause({ zh: "甲。", en: "A." }, front("own.a", "topic: intro")),
      "b.md": clause({ zh: "甲。", en: "A." }, front("own.a", "topic: nowhere")),
    }).catch((e: unknown) => e);
    const lines = (error as { problems: { code: string; file: string; line: number }[] }).problems.map((p) => `${p.file.split("/").pop()}:${p.line} ${p.code}`);
    expect(lines).toEqual(["b.md:6 DUPLICATE_CLAUSE"]);
    const topic = await libraryWith({ "c.md": clause({ zh: "甲。", en: "A." }, front("own.c", "topic: nowhere")) }).catch((e: unknown) => e);
    expect((topic as { problems: { code: string; line: number }[] }).problems.map((p) => `${p.line} ${p.code}`)).toEqual(["5 UNKNOWN_TOPIC"]);
    const when = await libraryWith({ "d.md": clause({ zh: "甲。", en: "A." }, front("own.d", "topic: intro\nwhen:\n  features.cookies: true\n  features.nosuch: true")) });
    const own = [...when.clauses.values()].filter((c) => c.origin === "own");
    expect(checkLibrary({ ...when, clauses: new Map(own.map((c) => [c.key, c])) }).map((p) => `${p.line} ${p.code} ${p.field}`)).toEqual(["8 UNKNOWN_CONDITION_FIELD when.features.nosuch"]);
  });

  it("reports every file's problems in one run: a file that fails to load does not hide another's placeholder", async () => {
    const error = await libraryWith({
      "c1.md": clause({ zh: "甲。", en: "A." }, "id: own.c1\ntopic: nowhere\ntitle: { zh-CN: 甲, en: A }"),
      "c2.md": clause({ zh: "甲{{company.nmae}}。", en: "A." }, "id: own.c2\ntopic: intro\ntitle: { zh-CN: 甲, en: A }"),
      "c3.md": "---\nid: own.c3\ntopic intro\n---\n",
      "sets/mine.yaml": "id: mine\ntitle: { zh-CN: 我的, en: Mine }\nsections:\n  - id: intro\n    clauses: [own.c3]\n",
    }).catch((e: unknown) => e);
    const found = (error as { problems: { code: string; file: string; hint?: string }[] }).problems;
    expect(found.map((p) => `${p.file.split("/").pop()} ${p.code}`)).toEqual([
      "c1.md UNKNOWN_TOPIC", "c2.md UNKNOWN_PLACEHOLDER", "c3.md YAML_SYNTAX", "c3.md CLAUSE_MISSING_LOCALE", "c3.md CLAUSE_MISSING_LOCALE", "mine.yaml UNKNOWN_CLAUSE",
    ]);
    expect(found.at(-1)!.hint).toContain("Or it is in a clause file that did not load");
  });

  it("does not blame a clause file that did not load when only a clause set is broken", async () => {
    const error = await libraryWith({
      "sets/broken.yaml": "id: broken\nsections: []\n",
      "sets/mine.yaml": "id: mine\ntitle: { zh-CN: 我的, en: Mine }\nsections:\n  - id: intro\n    clauses: [own.nope]\n",
    }).catch((e: unknown) => e);
    const found = (error as { problems: { code: string; file: string; hint?: string }[] }).problems;
    expect(found.map((p) => `${p.file.split("/").pop()} ${p.code}`)).toEqual(["broken.yaml MISSING_FIELD", "broken.yaml INVALID_CLAUSE_SET", "mine.yaml UNKNOWN_CLAUSE"]);
    expect(found.at(-1)!.hint).toBe("List the clauses with `policypress clauses`; check the spelling of the id.");
  });

  it("points an empty front matter or clause set at line 1, and says what a set id looks like", async () => {
    const error = await libraryWith({
      "a.md": "---\n---\n:::zh-CN\n甲。\n:::\n:::en\nA.\n:::\n",
      "sets/empty.yaml": "",
      "sets/bad.yaml": "id: Mine Set\ntitle: { zh-CN: 我的, en: Mine }\nsections:\n  - id: intro\n    clauses: [intro.welcome:developer-brief]\n",
    }).catch((e: unknown) => e);
    const found = (error as { problems: { code: string; file: string; line?: number; message: string }[] }).problems;
    expect(found.map((p) => `${p.file.split("/").pop()}:${p.line} ${p.code} ${p.message}`)).toEqual([
      'a.md:1 MISSING_FIELD required field "id" is missing',
      'a.md:1 MISSING_FIELD required field "topic" is missing',
      'a.md:1 MISSING_FIELD required field "title" is missing',
      "bad.yaml:1 INVALID_CLAUSE_SET must be lowercase words joined by dashes, e.g. startup-default",
      "empty.yaml:1 INVALID_CLAUSE_SET must be a mapping (key: value lines), not empty",
    ]);
  });

  it("says an own clause replaces a built-in one", async () => {
    const library = await libraryWith({ "list.md": clause({ zh: "清单。", en: "List." }, "id: collection.list\ntopic: collection.list\ntitle: { zh-CN: 清单, en: List }") });
    expect(library.replaced).toEqual([expect.stringMatching(/^collection\.list:default: .*list\.md replaces the built-in clauses\/collection\/collection\.list\.md$/)]);
  });
});

describe("clause sets in a profile's own folders", () => {
  const clauseText = (id: string, variant: string) => `---\nid: ${id}\nvariant: ${variant}\ntopic: intro\ntitle: { zh-CN: 甲, en: A }\n---\n:::zh-CN\n甲。\n:::\n\n:::en\nA.\n:::\n`;
  const setText = (ref: string) => `id: mine\ntitle: { zh-CN: 我的, en: Mine }\nsections:\n  - id: intro\n    clauses: [${ref}, intro.welcome:developer-brief]\n`;
  function folders(files: Record<string, string>) {
    const dir = tempDir();
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, ".."), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    return dir;
  }

  it("may name a clause of a later folder: references are checked once every folder is read", async () => {
    const dir = folders({ "a/sets/mine.yaml": setText("own.b"), "b/b.md": clauseText("own.b", "default") });
    for (const own of [[join(dir, "a"), join(dir, "b")], [join(dir, "b"), join(dir, "a")]]) {
      const library = await loadLibrary({ own });
      expect(library.sets.get("mine")?.sections[0]?.clauses[0]).toBe("own.b");
    }
  });

  it("must say which variant once a later folder gives a clause a second one", async () => {
    const dir = folders({ "a/sets/mine.yaml": setText("own.z"), "a/z.md": clauseText("own.z", "alpha"), "b/z.md": clauseText("own.z", "beta") });
    const error = await loadLibrary({ own: [join(dir, "a"), join(dir, "b")] }).catch((e: unknown) => e);
    expect((error as { problems: unknown[] }).problems.map((p) => formatProblem(p as never).split("\n")[0]!.replace(/^.*\/a\//, "a/"))).toEqual([
      'a/sets/mine.yaml:5  error UNKNOWN_CLAUSE [sections[0].clauses[0]]: clause "own.z" has several variants; say which',
    ]);
  });

  it("are read from a `sets` folder inside the clause folder, not from one higher up its path", async () => {
    const dir = folders({ "sets/own/notes.yaml": "reviewer: me\n", "sets/own/a.md": clauseText("own.a", "default") });
    const library = await loadLibrary({ own: [join(dir, "sets", "own")] });
    expect(library.clauses.has("own.a:default")).toBe(true);
  });
});
