import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkLibrary } from "../../src/check/library.js";
import { formatProblem } from "../../src/errors.js";
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

  it("says an own clause replaces a built-in one", async () => {
    const library = await libraryWith({ "list.md": clause({ zh: "清单。", en: "List." }, "id: collection.list\ntopic: collection.list\ntitle: { zh-CN: 清单, en: List }") });
    expect(library.replaced).toEqual([expect.stringMatching(/^collection\.list:default: .*list\.md replaces the built-in clauses\/collection\/collection\.list\.md$/)]);
  });
});
