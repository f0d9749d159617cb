import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkCitations } from "../../src/check/citations.js";
import { formatProblem, ProblemList, type Problem } from "../../src/errors.js";
import { readCitations } from "../../src/load/citations.js";
import { loadLibrary } from "../../src/load/library.js";
import { loadChecklist } from "../../src/load/requirements.js";
import type { Clause } from "../../src/schema/clause.js";
import { cli, tempDir } from "../helpers.js";

const clause = (front: string) => `---\nid: own.cited\ntopic: intro\ntitle: { zh-CN: 甲, en: A }\n${front}\n---\n:::zh-CN\n甲。\n:::\n\n:::en\nA.\n:::\n`;

function folder(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const problemsOf = (dir: string) =>
  loadLibrary({ own: [dir] }).then(
    () => [],
    (e: { problems: Problem[] }) => e.problems.map((p) => formatProblem({ ...p, file: p.file?.split("/").pop() })),
  );

describe("a clause cites only laws and source policies that citations.yaml lists", () => {
  it("reports an article the law does not have, an unknown law, source policy or section, at its line", async () => {
    const dir = folder({
      "cited.md": clause('law: [PIPL-17, PIPL-999, PIPLL-13, GBT35273-5.5, GBT35273-E]\nsources:\n  - { policy: zegoo, section: "1" }\n  - policy: ppio\n    section: "十五"\n  - { policy: zego, section: "5.2" }'),
    });
    expect(await problemsOf(dir)).toEqual([
      'cited.md:5  error UNKNOWN_LAW_REFERENCE [law[1]]: the clause cites "PIPL-999", but PIPL has no part "999"\n    hint: PIPL (中华人民共和国个人信息保护法 / Personal Information Protection Law) is cited as PIPL-1 to PIPL-74, followed by a paragraph or item if needed (PIPL-17-1-2, GBT35273-5.5).',
      'cited.md:5  error UNKNOWN_LAW_REFERENCE [law[2]]: the clause cites "PIPLL-13", but no law has the id "PIPLL"; did you mean PIPL-13?\n    hint: A reference is a law\'s id, a dash and its article or clause: PIPL-17, GBT35273-5.5. The laws: PIPL, CSL, DSL, GBT35273, MIIT, CAC, GDPR (clauses/citations.yaml, or citations.yaml at the top of your own clause folder).',
      'cited.md:5  error UNKNOWN_LAW_REFERENCE [law[4]]: the clause cites "GBT35273-E", but GBT35273 has no part "E"\n    hint: GBT35273 (GB/T 35273-2020 信息安全技术 个人信息安全规范 / Personal information security specification) is cited as GBT35273-1 to GBT35273-11, GBT35273-A, GBT35273-B, GBT35273-C, GBT35273-D, followed by a paragraph or item if needed (PIPL-17-1-2, GBT35273-5.5).',
      'cited.md:7  error UNKNOWN_SOURCE [sources[0].policy]: the clause names the source policy "zegoo", which clauses/citations.yaml does not list; did you mean zego?\n    hint: The source policies: creality, faceunity, ppio, ruiyun, zego (clauses/citations.yaml, or citations.yaml at the top of your own clause folder).',
      'cited.md:9  error UNKNOWN_SOURCE [sources[1].section]: the clause cites section "十五" of ppio, which has no such section\n    hint: The sections of ppio (PPIO 隐私政策 / PPIO privacy policy) begin with 引言, 一, 二, 三, 四, 五, 六, 七, 八, 九, 十; a sub-section follows a dot or a bracket: "三.1(2)".',
    ]);
  });

  it("refuses a section written as a number with a dot, which YAML reads as another number (5.10 is 5.1), and an empty one", async () => {
    const dir = folder({ "cited.md": clause('sources:\n  - { policy: zego, section: 5.10 }\n  - { policy: zego, section: " " }') });
    expect(await problemsOf(dir)).toEqual([
      'cited.md:6  error INVALID_CLAUSE [sources[0].section]: write a section with a dot in quotes, e.g. "5.10" (unquoted, 5.10 is the number 5.1)',
      'cited.md:7  error INVALID_CLAUSE [sources[1].section]: must name a section of the source policy, e.g. "三.1"',
    ]);
  });

  it("takes the laws and sources that citations.yaml of an own clause folder adds, and does not warn that it is unread", async () => {
    const dir = folder({
      "cited.md": clause('law: [JRT0171-5, PIPL-13]\nsources: [{ policy: our-2023-policy, section: "第二章.3" }]'),
      "citations.yaml": "laws:\n  - { id: JRT0171, name: JR/T 0171-2020, numbers: 9 }\nsources:\n  - { id: our-2023-policy, name: our policy of 2023, names: [第一章, 第二章] }\n",
    });
    const library = await loadLibrary({ own: [dir] });
    expect(library.clauses.get("own.cited:default")!.law).toEqual(["JRT0171-5", "PIPL-13"]);
    expect(library.unread).toEqual([]);
    writeFileSync(join(dir, "citations.yaml"), "laws:\n  - { id: JRT0171, numbers: 9 }\n");
    // a broken citations.yaml is reported, and what its clauses cite from it with them
    expect((await problemsOf(dir)).map((p) => p.split("\n")[0])).toEqual([
      'citations.yaml:2  error MISSING_FIELD [laws[0].name]: required field "laws[0].name" is missing',
      'cited.md:5  error UNKNOWN_LAW_REFERENCE [law[0]]: the clause cites "JRT0171-5", but no law has the id "JRT0171"',
      'cited.md:6  error UNKNOWN_SOURCE [sources[0].policy]: the clause names the source policy "our-2023-policy", which clauses/citations.yaml does not list',
    ]);
  });

  it("lists every reference the built-in clauses and the checklist make: no item asks for a reference no clause may cite", async () => {
    const library = await loadLibrary();
    const checklist = await loadChecklist(library);
    const refs = [...checklist.items.map((i) => i.id), ...checklist.items.flatMap((i) => i.satisfiedBy.law)];
    const problems = new ProblemList();
    const citations = await readCitations([], problems);
    expect(problems.empty).toBe(true);
    const asClause = { law: refs, sources: [], lines: {}, file: "checklist" } as unknown as Clause;
    expect(checkCitations(asClause, citations).map((p) => p.message)).toEqual([]);
  });

  it("fails `clauses check --json` with the problems as JSON on stdout and nothing on stderr", () => {
    const dir = folder({ "cited.md": clause("law: [PIPL-999]") });
    const r = cli(["clauses", "check", "--dir", dir, "--json"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout).problems.map((p: Problem) => `${p.line} ${p.code} ${p.field}`)).toEqual(["5 UNKNOWN_LAW_REFERENCE law[0]"]);
  });
});
