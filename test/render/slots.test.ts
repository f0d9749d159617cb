import { describe, expect, it } from "vitest";
import { PolicyError } from "../../src/errors.js";
import { parseClauseFile } from "../../src/load/clause-file.js";
import { loadLibrary } from "../../src/load/library.js";
import { renderClause } from "../../src/render/clause.js";
import { skeletonOf, type DocClause } from "../../src/render/document.js";
import { clauseHtml, finishedHtml, markdownToHtml } from "../../src/render/html.js";
import { fillMarkdown, type Skeleton } from "../../src/render/slots.js";
import { MdText } from "../../src/render/view.js";
import type { Clause } from "../../src/schema/clause.js";
import type { Locale } from "../../src/schema/localized.js";
import { exampleViews } from "./example-views.js";

/**
 * A body's HTML made from its skeleton (values as tokens, parsed once for many profiles) must be, byte for
 * byte, what markdown-it makes of the body's Markdown with its values in place.
 */
const viaSkeleton = (skeleton: Skeleton) => {
  const clause = { markdown: fillMarkdown(skeleton) } as DocClause;
  skeletonOf.set(clause, skeleton);
  return clauseHtml(clause);
};
const direct = (skeleton: Skeleton) => finishedHtml(markdownToHtml(fillMarkdown(skeleton)));

// values whose ends fall in every class the emphasis rule tells apart, and values that are not text
const VALUES = [
  "Acme", "星海科技有限公司", "a", "中", "Acme Co., Ltd.", "(Acme)", "“引号”", "「株式会社」", "1. first", "15", "2026-12-01",
  "- item", "+1", "=x", "# no", "> no", "*Evil*", "**bold**", "_u_", "`code`", "<script>alert(1)</script>", "a & b", "&amp;",
  "x\ny", "tab\there", " padded ", "trailing  ", "😀 emoji", "emoji 😀", "𠀀ext-B", "한국어", "ｶﾀｶﾅ", "ａｂｃ", "·dot", "é", "e\u0301",
  "ｘ１", "\u00a0nbsp", "https://a.example/x_y?q=1&r=2", "privacy@acme.example", "[link](javascript:alert(1))", "\\", "a\\", "~~s~~",
  "\uE000", "a\uE0000\uE001a", "中\uE000", "\u2028", "a|b", "{{x}}", "$1", "x_", "_x", "ab*", "中*", "*中", "“", "”x",
  // right-to-left values are written in bidi isolates (U+2068...U+2069), which markdown-it reads as letters
  "אופק", "אופק 2.0", "(שלום)", "*עברית*", "1. عربي", "- عربي", "مرحبا|x", "עברית_", "א\u2068ב",
];

// template shapes in which the neighbours of a value matter to markdown-it
const SHAPES = [
  "{{x}}", "**{{x}}**后文", "前文**{{x}}**", "**{{x}}**（以下简称“我们”）", "*{{x}}*", "_{{x}}_", "foo_{{x}}_bar", "**“{{x}}”**", "中**{{x}}**中",
  "a**{{x}}**b", "**{{x}}：**后文", "{{x}}. next", "1. {{x}}", "- {{x}}\n- {{y}}", "## {{x}}", "{{x}}\n===", "{{x}}\n---", "> {{x}}",
  "    {{x}}", "{{x}}  \nnext", "[{{x}}](https://e.example)", "[link]({{x}})", '[link](https://e.example "{{x}}")', "![{{x}}](a.png)",
  "`{{x}}`", "<{{x}}>", "| a | b |\n|---|---|\n| {{x}} | {{y}} |", "[{{x}}]\n\n[{{x}}]: https://e.example", "{{x}}{{y}}", "{{x}}**{{y}}**",
  "**{{x}}{{y}}**", "{{x}} \uE0000\uE001 {{y}}", "a\uE0000\uE001a {{x}}", "{{#if x}}{{x}}{{/if}}", "1{{x}}. foo", "{{x}}1. foo",
];

const clause = (body: string): Clause => {
  const parsed = parseClauseFile(`---\nid: own.t\ntopic: intro\ntitle: { zh-CN: 测试, en: Test }\n---\n:::zh-CN\n${body}\n:::\n\n:::en\n${body}\n:::\n`, "t.md", "own");
  if (!parsed.clause) throw new Error(JSON.stringify(parsed.problems));
  return parsed.clause;
};

describe("clause bodies rendered from skeletons", () => {
  it("give markdown-it's own HTML for every shape and value", () => {
    let compared = 0;
    for (const shape of SHAPES) {
      const c = clause(shape);
      for (const x of VALUES)
        for (const y of ["Acme", "中", "*", "1"]) {
          const skeleton = renderClause(c, "en", { x: new MdText(x), y: new MdText(y) });
          expect(viaSkeleton(skeleton), `${JSON.stringify(shape)} with ${JSON.stringify(x)}, ${JSON.stringify(y)}`).toBe(direct(skeleton));
          compared++;
        }
    }
    expect(compared).toBe(SHAPES.length * VALUES.length * 4);
  });

  it("write plain values as tokens, everything else as itself", () => {
    const c = clause("{{x}}");
    expect(renderClause(c, "en", { x: new MdText("Acme") }).values).toHaveLength(1);
    expect(renderClause(c, "en", { x: new MdText("星海") }).markdown).toBe("中\uE0000\uE001中");
    for (const x of ["(Acme)", "15", " a", "a ", "*a", "😀", ""]) expect(renderClause(c, "en", { x: new MdText(x) }).values, x).toHaveLength(0);
  });

  it("never take token characters in a value or in the clause text for a token", () => {
    for (const [body, x] of [["{{x}}", "a\uE0000\uE001a"], ["a\uE0000\uE001a {{x}}", "Acme"], ["{{x}} 中\uE0001\uE001中", "Acme"]] as const) {
      const skeleton = renderClause(clause(body), "en", { x: new MdText(x) });
      expect(skeleton.values).toHaveLength(0);
      expect(fillMarkdown(skeleton)).toBe(body.replace("{{x}}", x));
    }
  });

  it("give markdown-it's own HTML for every library clause, with each example's values and hostile ones", async () => {
    const library = await loadLibrary();
    const covered = new Set<string>();
    let compared = 0;
    for await (const { example, locale, view } of exampleViews())
      for (const c of library.clauses.values()) {
        const skeleton = tryRender(c, locale, view);
        if (!skeleton) continue;
        expect(viaSkeleton(skeleton), `${c.key} (${locale}) with ${example}`).toBe(direct(skeleton));
        covered.add(c.key);
        compared++;
      }
    // every clause some example can render was compared (the others need fields no example sets)
    expect(covered.size / library.clauses.size).toBeGreaterThan(0.9);
    expect(compared).toBeGreaterThan(10_000);
  });
});

function tryRender(c: Clause, locale: Locale, view: Record<string, unknown>): Skeleton | undefined {
  try {
    return renderClause(c, locale, view);
  } catch (e) {
    // a field this profile lacks, or a mutated value a helper cannot read (a date, a term's key)
    if (e instanceof PolicyError) return undefined;
    throw e;
  }
}
