import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadLibrary } from "../../src/load/library.js";
import { canWalk } from "../../src/render/evaluate.js";
import { compileTemplate, compileWithHandlebars, HELPERS, parseTemplate } from "../../src/render/handlebars.js";
import { compilePageTemplate, pageTemplate } from "../../src/render/html.js";
import { MdText } from "../../src/render/view.js";
import { root } from "../helpers.js";
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
  // what a view never holds today, so that the blocks are compared on it too
  tags: new Set([t("x"), t("y")]),
  holes: [, t("a")],
  nulls: [null, t("b"), undefined, 0],
  lazy(this: { company: { shortName: MdText } }) {
    return this.company.shortName;
  },
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
  "{{#each collection}}\n- {{scenario}}\n{{/each}}\n", "{{#each tags}}[{{this}}]{{/each}}", "{{#each holes}}({{this}}){{else}}none{{/each}}",
  "{{#each nulls}}{{#if this}}y{{else}}n{{/if}}{{/each}}", "{{#each nulls}}{{#unless this}}({{this}}){{/unless}}{{/each}}", "{{#if lazy}}{{lazy}}{{/if}}",
  "{{#each plain}}x{{else}}a string is no list{{/each}}", "{{#unless company.list}}empty{{/unless}}", "{{#each product}}<{{this}}>{{/each}}", "{{#if product.flag}}{{company.missing}}{{/if}}", "{{#each collection}}{{nope}}{{/each}}",
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

describe("walking the page templates gives what Handlebars' compiled templates give", () => {
  const evil = `A & B <script>"x" 'y' \`z\` =`;
  const col = (text: string) => [{ lang: "zh-CN", text }, { lang: "en", text }];
  const sections = [
    { anchor: "s1", heading: col(evil), clauses: [{ anchor: "c1", key: "intro:default", heading: col("一、标题"), bodies: [{ lang: "zh-CN", html: "<p>正文</p>" }, { lang: "en", html: `<p>${evil}</p>` }], stacked: true }] },
    { anchor: "s2", clauses: [{ anchor: "c2", key: "k", bodies: [{ lang: "en", html: "<table></table>" }], stacked: false }] },
  ];
  const site = {
    navLabel: evil, languages: [{ current: true, lang: "zh-CN", label: "中文" }, { href: "policy.en.html", lang: "en", label: evil }],
    links: [{ href: "index.html", label: "Home" }], banner: { text: evil, href: "../", link: "latest" }, downloadLabel: "Download:", downloads: [{ href: "a.pdf", label: "PDF" }],
  };
  const page = {
    lang: "zh-CN", layout: "bilingual", title: evil, company: evil, description: evil, keywords: evil, version: "draft", versionLabel: evil, effectiveIso: "2026-12-01",
    facts: [{ lang: "en", label: "Effective", value: evil }], controlling: col(evil), tocTitle: evil, titleParts: [{ before: "", lang: "zh-CN", text: evil }, { before: " / ", lang: "en", text: evil }], companyParts: [{ before: "", lang: undefined, text: evil }], toc: [{ anchor: "s1", parts: [{ before: "", lang: "zh-CN", text: evil }, { before: " / ", lang: "en", text: evil }] }, { anchor: "s2", parts: [{ before: "", lang: undefined, text: evil }] }],
    sectionsHtml: "<section>already rendered</section>", assets: "../assets", pageCss: "@page {}", skipLabel: evil,
    alternates: [{ hreflang: "en", href: "https://e.example/a?b=1&c=2" }], canonical: "https://e.example/",
  };
  const views = [
    { name: "a page with its site", view: { ...page, fragment: false, site } },
    { name: "a page without a site", view: { ...page, fragment: false, site: undefined, alternates: [], canonical: undefined } },
    { name: "a fragment", view: { ...page, fragment: true, site: undefined } },
    { name: "a site with nothing in it", view: { ...page, fragment: false, site: {} } },
  ];

  for (const name of ["policy", "policy-sections"])
    it(`templates/${name}.hbs`, () => {
      const source = readFileSync(join(root, "templates", `${name}.hbs`), "utf8");
      expect(canWalk(parseTemplate(source), new Set())).toBe(true);
      for (const { name: what, view } of [...views, { name: "sections", view: { sections } }, { name: "nothing", view: {} }])
        expect(pageTemplate(source)(view), what).toBe(compilePageTemplate(source)(view));
    });
});
