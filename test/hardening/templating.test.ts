import { describe, expect, it } from "vitest";
import { checkClause } from "../../src/check/library.js";
import { PolicyError } from "../../src/errors.js";
import { parseClauseFile } from "../../src/load/clause-file.js";
import { renderClause } from "../../src/render/clause.js";
import { compileTemplate } from "../../src/render/handlebars.js";
import { markdownToHtml } from "../../src/render/html.js";
import { fillMarkdown } from "../../src/render/slots.js";
import { MdText } from "../../src/render/view.js";
import type { Clause } from "../../src/schema/clause.js";

const renderClauseBody = (c: Clause, locale: "zh-CN" | "en", values: Record<string, unknown>) => fillMarkdown(renderClause(c, locale, values));
const view = () => ({ company: { name: new MdText("ACME") }, collection: [], contact: { email: new MdText("a@b.example") } });

const clause = (body: string): Clause => {
  const parsed = parseClauseFile(`---\nid: own.t\ntopic: intro\ntitle: { zh-CN: 测试, en: Test }\n---\n:::zh-CN\n${body}\n:::\n\n:::en\n${body}\n:::\n`, "t.md", "own");
  if (!parsed.clause) throw new Error(JSON.stringify(parsed.problems));
  return parsed.clause;
};

describe("clause templates cannot reach the prototype or unknown helpers", () => {
  // what each gives: rendered text must never show a function, an object or native code
  const reaching = ["{{constructor.name}}", "{{__proto__}}", "{{company.constructor}}", "{{company.name.constructor}}", "{{company.__proto__.constructor}}", "{{#if constructor}}yes{{/if}}", "{{../company}}", "{{company.name.toHTML}}"];
  for (const source of reaching)
    it(`${source} renders nothing dangerous`, () => {
      let out = "";
      try {
        out = compileTemplate(source)(view(), "en");
      } catch (e) {
        // strict mode: a name that is not an own field is an error, which is as good
        expect((e as Error).message).toMatch(/not defined|Access has been denied/);
      }
      expect(out).not.toMatch(/function|native code|\[object|Object|yes/);
    });

  for (const source of ['{{lookup company "constructor"}}', "{{#with company}}{{name}}{{/with}}", '{{log "x"}}', "{{this.constructor.constructor 'return process'}}"])
    it(`${source} is refused when compiled (known helpers only)`, () => {
      expect(() => compileTemplate(source)(view(), "en")).toThrow(/knownHelpersOnly|unknown helper/);
    });

  it("the library check rejects prototype placeholders with their line, instead of crashing", () => {
    const problems = checkClause(clause("{{constructor.name}} {{__proto__}} {{company.constructor}} {{company.name.raw}}"));
    expect(problems.filter((p) => p.code === "UNKNOWN_PLACEHOLDER").map((p) => `${p.line} ${p.field}`)).toEqual([
      "7 constructor.name", "7 __proto__", "7 company.constructor", "7 company.name.raw",
      "11 constructor.name", "11 __proto__", "11 company.constructor", "11 company.name.raw",
    ]);
  });

  it("the library check lists every helper call it does not know, partial and decorator, with its line", () => {
    const problems = checkClause(clause('{{lookup company "name"}}\n{{> footer}}\n{{#> layout}}x{{/layout}}\n{{list (lookup company "x")}}\n{{with company}}\n{{date policy.effectiveDate}} {{list sdks "name"}}'));
    // the body is the clause's zh-CN text (lines 7 to 12) and again its en text
    expect(problems.filter((p) => p.line! <= 12).map((p) => `${p.line} ${p.code} ${p.field}`)).toEqual([
      "7 TEMPLATE_UNKNOWN_HELPER lookup",
      "8 TEMPLATE_PARTIAL zh-CN",
      "9 TEMPLATE_PARTIAL zh-CN",
      "10 TEMPLATE_UNKNOWN_HELPER lookup",
      "11 TEMPLATE_UNKNOWN_HELPER with",
    ]);
    expect(problems.find((p) => p.code === "TEMPLATE_UNKNOWN_HELPER")?.hint).toBe("Use only the helpers date, num, language, term, items, list and the blocks #if, #unless, #each (see docs/clause-format.md).");
  });

  it("the library check refuses {{#each}} over a field that is not a list, at its line", () => {
    const messages = (body: string) => checkClause(clause(body)).filter((p) => p.line! < 11).map((p) => `${p.line} ${p.code} ${p.message}`);
    // over a text Handlebars runs the block once, a hidden {{#with}}: {{contact.email}} inside would read the text's field
    expect(messages("{{#each company.name}}[{{contact.email}}]{{/each}}")).toEqual(["7 TEMPLATE_EACH_NOT_LIST the zh-CN text loops with {{#each company.name}}, but company.name is a single value, not a list"]);
    expect(messages("{{#each company}}x{{/each}}")).toEqual(["7 TEMPLATE_EACH_NOT_LIST the zh-CN text loops with {{#each company}}, but company is a group of fields, not a list"]);
    expect(messages("{{#each collection}}{{#each scenario}}x{{/each}}{{/each}}")).toEqual(["7 TEMPLATE_EACH_NOT_LIST the zh-CN text loops with {{#each scenario}}, but scenario is a single value, not a list"]);
    // lists, also read through @root and ../
    expect(messages("{{#each collection}}{{#each items}}{{this}}{{/each}}{{#each ../sdks}}{{name}}{{/each}}{{/each}} {{#each @root.collection}}{{scenario}}{{/each}}")).toEqual([]);
  });

  it("the library check says what is wrong with a broken block, at its line", () => {
    const messages = (body: string) => checkClause(clause(body)).filter((p) => p.line! < 11).map((p) => `${p.line} ${p.code} ${p.message}`);
    expect(messages("{{#if}}x{{/if}}")).toEqual(["7 TEMPLATE_SYNTAX the zh-CN text opens {{#if}} with 0 fields; it takes exactly one"]);
    expect(messages("{{#each a b}}x{{/each}}")).toContain("7 TEMPLATE_SYNTAX the zh-CN text opens {{#each}} with 2 fields; it takes exactly one");
    // in a lawyer's words, not the parser's ("Expecting 'OPEN_ENDBLOCK', got 'INVERSE'")
    expect(messages("{{#if company.name}}a{{else}}b{{else}}c{{/if}}")).toEqual(["7 TEMPLATE_SYNTAX the zh-CN text has a broken placeholder: {{else}} appears where it cannot (twice in a block, or outside one)"]);
    expect(messages("{{#if company.name}}a")).toEqual(["7 TEMPLATE_SYNTAX the zh-CN text has a broken placeholder: a block ({{#if}}, {{#each}}, {{#unless}}) is not closed by its {{/...}}"]);
    expect(messages("{{#if company.name}}a{{/each}}")).toEqual(["7 TEMPLATE_SYNTAX the zh-CN text has a broken placeholder: {{#if}} is closed with {{/each}}"]);
    expect(messages("a {{company.name")).toEqual(["7 TEMPLATE_SYNTAX the zh-CN text has a broken placeholder: a placeholder is not closed by }}, or holds a character a field name cannot"]);
    // Handlebars' parser takes time that grows with the square of the depth (16 s at 5,000): refused before it
    expect(messages(`${"{{#if company.name}}".repeat(5000)}x${"{{/if}}".repeat(5000)}`)).toEqual(["7 TEMPLATE_SYNTAX the zh-CN text has a broken placeholder: its blocks are nested more than 64 deep"]);
    expect(messages(`${"{{#if company.name}}".repeat(64)}x${"{{/if}}".repeat(64)}`)).toEqual([]);
    expect(messages(`${"{{#if company.name}}".repeat(65)}x${"{{/if}}".repeat(65)}`)).toHaveLength(1);
  });

  it("several missing fields of one body are all reported, with where each goes in the profile", () => {
    const body = "{{company.name}} {{product.appName}}\n{{contact.officer.name}}\n{{#each collection}}{{key}}{{/each}} {{#if product.sdkName}}{{product.sdkName}}{{/if}}";
    const view = { company: { name: new MdText("A") }, product: {}, contact: { officer: {} }, collection: [{ scenario: new MdText("s") }] };
    const error = (() => {
      try {
        renderClause(clause(body), "en", view);
      } catch (e) {
        return e as PolicyError;
      }
    })();
    expect(error?.problems.map((p) => `${p.line} ${p.code} ${p.field}`)).toEqual(["13 MISSING_FIELD product.appName", "14 MISSING_FIELD contact.officer.name", "15 MISSING_FIELD collection[].key"]);
    expect(error?.problems[2]!.message).toBe("the en text uses {{key}} (collection[].key), but the profile has no value for it");
  });

  it("a rendering error is a PolicyError at the clause's line, never another exception", () => {
    for (const body of ["{{> evil}}", "{{lookup company 'x'}}", "{{#each}}", "{{helperMissing}}", "{{company.name.length}}"]) {
      const error = (() => {
        try {
          renderClauseBody(clause(body), "en", view());
        } catch (e) {
          return e;
        }
      })();
      expect(error, body).toBeInstanceOf(PolicyError);
      expect((error as PolicyError).line, body).toBe(11);
    }
  });

  it("a helper given a field of the wrong kind is refused, never printed as NaN, the raw text or a locale key", () => {
    const values = { ...view(), policy: { effectiveDate: new MdText("2026-12-01") }, contact: { responseDays: 15 } };
    const message = (body: string) => {
      try {
        return renderClauseBody(clause(body), "en", values);
      } catch (e) {
        return (e as PolicyError).problems.map((p) => `${p.line} ${p.code}: ${p.message}`).join("\n");
      }
    };
    expect(message("{{num company.name}}")).toBe('11 TEMPLATE_ERROR: the en text could not be rendered: {{num}} formats a number, not the text "ACME"');
    expect(message("{{num company}}")).toBe("11 TEMPLATE_ERROR: the en text could not be rendered: {{num}} formats a number, not a group of fields");
    expect(message("{{date company.name}}")).toBe('11 TEMPLATE_ERROR: the en text could not be rendered: {{date}} formats a date written YYYY-MM-DD, not the text "ACME"');
    expect(message("{{language company.name}}")).toBe('11 TEMPLATE_ERROR: the en text could not be rendered: {{language}} names a language (zh-CN, en), not the text "ACME"');
    expect(message("{{num contact.responseDays}} {{date policy.effectiveDate}}")).toBe("15 December 1, 2026");
  });
});

describe("profile values are data, never templates", () => {
  it("a value holding {{...}} is inserted as literal text, not evaluated", () => {
    const evil = "{{constructor.constructor 'return process'}} {{#each this}}x{{/each}} {{> p}}";
    const out = renderClauseBody(clause("Name: {{company.name}}"), "en", { company: { name: new MdText(evil) } });
    expect(markdownToHtml(out)).toContain("Name: {{constructor.constructor 'return process'}} {{#each this}}x{{/each}} {{&gt; p}}");
  });
});

describe("clause Markdown: raw HTML off, dangerous links refused", () => {
  const bodies = [
    "<script>window.__pwned = 1</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<javascript:alert(1)>",
    "[x]: javascript:alert(1)\n\n[y][x]",
  ];
  for (const body of bodies)
    it(JSON.stringify(body), () => {
      const html = markdownToHtml(body);
      expect(html).not.toMatch(/<(script|img|iframe)\b/i);
      expect(html).not.toMatch(/<a\b[^>]*href="\s*(javascript|vbscript|data):/i);
      expect(html).not.toMatch(/<[a-z]+\b[^>]*\son[a-z]+=/i);
    });
});

describe("front matter is YAML only", () => {
  for (const fence of ["---js", "---javascript", "--- coffee", "---json"])
    it(`refuses ${fence} front matter with a clear message`, () => {
      const { clause: parsed, problems } = parseClauseFile(`${fence}\n{ id: "own.x" }\n---\n:::zh-CN\n甲\n:::\n:::en\nA\n:::\n`, "x.md", "own");
      expect(parsed).toBeUndefined();
      expect(problems).toEqual([expect.objectContaining({ code: "CLAUSE_FRONT_MATTER_LANGUAGE", line: 1, message: `front matter marked "---${fence.replace(/^---\s*/, "")}" is not read: front matter is YAML only` })]);
    });

  it("refuses code tags inside YAML front matter", () => {
    const { problems } = parseClauseFile('---\nid: own.x\ntopic: !!js/function "function () {}"\ntitle: { zh-CN: 甲, en: A }\n---\n:::zh-CN\n甲\n:::\n:::en\nA\n:::\n', "x.md", "own");
    expect(problems.map((p) => `${p.line} ${p.code}`)).toEqual(["3 YAML_SYNTAX"]);
  });
});
