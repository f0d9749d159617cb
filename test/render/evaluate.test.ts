import { describe, expect, it } from "vitest";
import { loadLibrary } from "../../src/load/library.js";
import { canWalk } from "../../src/render/evaluate.js";
import { compileTemplate, compileWithHandlebars, HELPERS, parseTemplate } from "../../src/render/handlebars.js";
import { MdText } from "../../src/render/view.js";
import type { Locale } from "../../src/schema/localized.js";
import { exampleViews } from "./example-views.js";

/**
 * Clause bodies are rendered by walking their syntax tree (src/render/evaluate.ts); Handlebars' compiled
 * templates are the reference. Both must give the same text, or fail with the same message.
 */
const outcome = (render: () => string): string => {
  try {
    return `ok: ${render()}`;
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
};
const both = (source: string, view: Record<string, unknown>, locale: Locale = "en") => ({
  walked: outcome(() => compileTemplate(source)(view, locale)),
  compiled: outcome(() => compileWithHandlebars(source)(view, locale)),
});

const t = (s: string) => new MdText(s);
const VIEW = {
  company: { name: t("Acme & <Co>"), shortName: t("Acme"), nothing: undefined, empty: t(""), zero: 0, no: false, list: [] as unknown[] },
  product: { services: [{ name: t("A") }, { name: t("B \"quoted\"") }], count: 3, flag: true },
  collection: [
    { key: t("registration"), scenario: t("Sign-up"), items: [t("phone"), t("e-mail")], purpose: t("accounts") },
    { scenario: t("Support"), items: [t("chat logs")], purpose: t("help") },
  ],
  policy: { effectiveDate: t("2026-12-01"), controllingLanguage: t("zh-CN") },
  contact: { responseDays: 15, officer: {} },
  plain: "a 'plain' <string> = `x`",
  role: t("entrusted"),
};

const SHAPES = [
  "text only", "{{company.name}}", "{{{company.name}}}", "{{company.nothing}}", "{{company.missing}}", "{{company.missing.deeper}}",
  "{{nowhere.name}}", "{{company.name.length}}", "{{company.name.toHTML}}", "{{company.constructor}}", "{{collection.length}}",
  "{{company.zero}} {{company.no}} {{product.count}} {{product.flag}}", "{{plain}}", "{{{plain}}}", "{{this}}", "{{company}}",
  "{{#if company.name}}yes{{else}}no{{/if}}", "{{#if company.empty}}yes{{else}}no{{/if}}", "{{#if company.zero}}yes{{else}}no{{/if}}",
  "{{#if company.list}}yes{{else}}no{{/if}}", "{{#if company.missing}}yes{{/if}}", "{{#if nowhere.deep}}yes{{/if}}",
  "{{#unless company.no}}shown{{/unless}}", "{{#if company.no}}a{{else if product.flag}}b{{else}}c{{/if}}",
  "{{#each product.services}}[{{name}}]{{/each}}", "{{#each collection}}{{scenario}}: {{list items}}; {{/each}}",
  "{{#each collection}}{{key}}{{/each}}", "{{#each company.list}}x{{else}}none{{/each}}", "{{#each company}}({{this}}){{/each}}",
  "{{#each collection}}{{#each items}}<{{this}}>{{/each}}{{/each}}", "{{#each collection}}{{#if key}}{{items key}}{{/if}}{{/each}}",
  "{{date policy.effectiveDate}}", "{{num contact.responseDays}}", "{{language policy.controllingLanguage}}", "{{term role}}",
  '{{items "registration"}}', '{{items "nope"}}', "{{list product.services \"name\"}}", '{{list product.services "or"}}', "{{list nothing}}",
  "{{date}}", "{{date nowhere.deep}}", "line one\n  {{company.name}}\n{{#if product.flag}}\n  inside\n{{/if}}\nafter", "{{! a comment }}x{{!-- and --}}y",
  "{{#each collection}}\n- {{scenario}}\n{{/each}}\n", "{{#if product.flag}}{{company.missing}}{{/if}}", "{{#each collection}}{{nope}}{{/each}}",
  // outside what the walker does: these go to Handlebars, and must still behave as Handlebars
  "{{> evil}}", "{{lookup company 'name'}}", "{{#with company}}{{name}}{{/with}}", "{{#each collection}}{{@index}}{{../company.shortName}}{{/each}}",
  "{{list (lookup company 'x')}}", '{{date policy.effectiveDate format="x"}}', "{{#each collection as |c|}}{{c.scenario}}{{/each}}", "{{#company}}x{{/company}}",
];

describe("walking a clause body's tree gives what Handlebars' compiled template gives", () => {
  for (const locale of ["en", "zh-CN"] as const)
    it(`for every construct a body can use (${locale})`, () => {
      for (const source of SHAPES) {
        const { walked, compiled } = both(source, VIEW, locale);
        expect(walked, source).toBe(compiled);
      }
    });

  it("walks what clause bodies use, and leaves everything else to Handlebars", () => {
    const known = new Set(HELPERS);
    const walked = SHAPES.filter((s) => {
      try {
        return canWalk(parseTemplate(s), known);
      } catch {
        return false;
      }
    });
    expect(walked).toHaveLength(SHAPES.indexOf("{{> evil}}"));
  });

  it("for every library clause, with each example's values and hostile ones", async () => {
    const library = await loadLibrary();
    const known = new Set(HELPERS);
    const bodies = [...library.clauses.values()].flatMap((c) => (["zh-CN", "en"] as const).map((locale) => ({ key: `${c.key} (${locale})`, locale, source: c.bodies[locale] })));
    // the library uses nothing the walker leaves to Handlebars
    expect(bodies.filter((b) => !canWalk(parseTemplate(b.source), known)).map((b) => b.key)).toEqual([]);
    const walked = new Map(bodies.map((b) => [b.key, compileTemplate(b.source)]));
    const compiled = new Map(bodies.map((b) => [b.key, compileWithHandlebars(b.source)]));
    let rendered = 0;
    for await (const { example, locale, view } of exampleViews())
      for (const b of bodies.filter((x) => x.locale === locale)) {
        const a = outcome(() => walked.get(b.key)!(view, locale));
        expect(a, `${b.key} with ${example}`).toBe(outcome(() => compiled.get(b.key)!(view, locale)));
        if (a.startsWith("ok")) rendered++;
      }
    expect(rendered).toBeGreaterThan(10_000);
  });
});
