import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { parseClauseFile } from "../../src/load/clause-file.js";
import { renderClause } from "../../src/render/clause.js";
import { skeletonOf, type DocClause } from "../../src/render/document.js";
import { clauseHtml, markdownToHtml } from "../../src/render/html.js";
import { fillMarkdown } from "../../src/render/slots.js";
import { MdText } from "../../src/render/view.js";
import { chineseNumeral, formatDate, joinList } from "../../src/render/numbering.js";
import { cleanText, escapeInline, escapeMarkdown } from "../../src/render/text.js";

describe("numbers, dates and lists per locale", () => {
  it("writes Chinese numerals", () => {
    expect([1, 10, 11, 15, 20, 24, 99, 100, 105, 115, 999].map(chineseNumeral)).toEqual(["一", "十", "十一", "十五", "二十", "二十四", "九十九", "一百", "一百零五", "一百一十五", "九百九十九"]);
  });
  it("formats dates in UTC, whatever the machine's time zone", () => {
    expect(formatDate("2024-05-24", "zh-CN")).toBe("2024年5月24日");
    expect(formatDate("2024-05-24", "en")).toBe("May 24, 2024");
  });
  it("joins lists", () => {
    expect(joinList(["甲", "乙", "丙"], "zh-CN")).toBe("甲、乙和丙");
    expect(joinList(["A", "B", "C"], "en", "or")).toBe("A, B or C");
    expect(joinList(["A"], "en")).toBe("A");
  });
});

describe("Markdown of Chinese clauses", () => {
  it("closes bold that ends in CJK punctuation before a Han character", () => {
    expect(markdownToHtml("**信息变更：**注册和管理账号")).toContain("<strong>信息变更：</strong>注册和管理账号");
  });
});

describe("profile values are inert in Markdown and HTML", () => {
  const hostile = [
    "<script>alert(1)</script>",
    "**bold** _it_ `code`",
    "[click](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
    "# heading",
    "- item",
    "1. first",
    "a | b",
    "{{company.name}}",
    "line\nbreak\u0000nul",
  ];
  for (const value of hostile)
    it(`renders ${JSON.stringify(value)} as literal text`, () => {
      const html = markdownToHtml(`Name: ${escapeMarkdown(value)}\n\n${escapeMarkdown(value)}`);
      expect(html).not.toMatch(/<(script|img|strong|em|code|a|h1|li|ol|ul|table)\b/);
      const literal = value.replace(/[\n\u0000]/g, " ").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
      expect(html).toContain(literal);
    });
});

/**
 * Web and e-mail addresses in the Markdown files: a viewer that links bare addresses (GitHub,
 * markdown-it with linkify) must link exactly the address and show it without backslashes; any other
 * value stays escaped, and no viewer links a part of it.
 */
describe("addresses in Markdown", () => {
  const linkify = new MarkdownIt({ linkify: true });
  /** Every link a linkifying viewer makes of a Markdown text: its address and the text it shows. */
  const links = (markdown: string) => [...linkify.render(markdown).matchAll(/<a href="([^"]*)">(.*?)<\/a>/g)].map(([, href, text]) => ({ href, text }));
  const linkOf = (address: string) =>
    address.includes("://")
      ? { href: linkify.utils.escapeHtml(linkify.normalizeLink(address)), text: linkify.utils.escapeHtml(linkify.normalizeLinkText(address)) }
      : { href: `mailto:${address}`, text: address };
  // the escaping every value had before: each character markdown-it could read as syntax
  const strict = (raw: string) => escapeInline(raw).replace(/^([-+=])/, "\\$1").replace(/^(\d+)([.)])/, "$1\\$2");

  const ADDRESSES = [
    "https://example.com/privacy_policy?a=1&b=2",
    "privacy_team@example.com",
    "first.last+legal@mail.example.cn",
    "https://a.example/policy(v2)/zh",
    "https://a.example:8443/legal/#!/section-2",
    "https://a.example/?q=it's;lang=zh-CN&x=%E4%BD%A0",
    "https://例子.测试/隐私政策",
    "https://a.example/",
  ];
  // hostile, or an address some character of which Markdown could read as syntax (an _ beside a mark)
  const NOT_PLAIN = [
    "javascript:alert(1)",
    "https://x.com/a)b[c]",
    "<script>alert(1)</script>",
    "[click](https://evil.example)",
    "https://a.example/*b*",
    "https://a.example/~user/",
    "https://a.example/x_",
    "_team@example.com",
    "https://a.example/x&amp;y",
    "https://a.example/`x`",
    "1.a@example.com",
    "http://a.example/x](javascript:alert(1))",
    "see https://x.com/a)b and a_@b.example",
    "https://en.wikipedia.org/wiki/Privacy_(law)",
  ];
  // the places a value stands in the library's clauses: running text beside spaces, Chinese punctuation
  // or letters, a bold phrase, a table cell, a link's address
  const SHAPES = ["Write to {{x}} today.", "邮箱：{{x}}。", "访问 {{x}} 以取得", "**{{x}}**后文", "_{{x}}_", "| a | b |\n|---|---|\n| {{x}} | c |", "[the policy]({{x}})", "1. {{x}}"];
  const fill = (shape: string, markdown: string) => shape.replace("{{x}}", () => markdown);

  it("writes an address as it is: a linkifying viewer links exactly it, and the HTML is what it was", () => {
    for (const address of ADDRESSES) {
      expect(escapeMarkdown(address), address).toBe(address);
      // linkify-it links an e-mail address only after a space or an ASCII mark, not after "："
      const linked = ["Write to {{x}} today.", "访问 {{x}} 以取得", "**{{x}}** 后文", "| a | b |\n|---|---|\n| {{x}} | c |", ...(address.includes("://") ? ["网址：{{x}}。"] : [])];
      for (const shape of linked)
        expect(links(fill(shape, escapeMarkdown(address))), `${address} in ${JSON.stringify(shape)}`).toEqual([linkOf(address)]);
      for (const shape of SHAPES) expect(markdownToHtml(fill(shape, escapeMarkdown(address))), `${address} in ${JSON.stringify(shape)}`).toBe(markdownToHtml(fill(shape, strict(address))));
    }
  });

  it("links each address of a list on its own, and none of a list run together in Chinese", () => {
    const sites = ["https://a.example/x_y", "https://b.example", "mail_box@c.example"];
    expect(links(`Our websites: ${escapeMarkdown(joinList(sites, "en"))}.`)).toEqual(sites.map(linkOf));
    // 甲、乙和丙: 和 is a letter, so a viewer could not tell where the second address ends
    for (const link of links(`网站：${escapeMarkdown(joinList(sites, "zh-CN"))}。`)) expect(sites.map(linkOf)).toContainEqual(link);
  });

  it("reaches a clause body so, from a field or a list, and its HTML stays text", () => {
    const body = "Write to {{contact.email}} or visit {{company.website}}, {{list company.otherWebsites}}.";
    const parsed = parseClauseFile(`---\nid: own.t\ntopic: intro\ntitle: { zh-CN: 测试, en: Test }\n---\n:::zh-CN\n${body}\n:::\n\n:::en\n${body}\n:::\n`, "t.md", "own");
    const sites = ["https://acme.example/privacy_policy?a=1&b=2", "https://b.example/x_y", "https://c.example"];
    const view = { contact: { email: new MdText("privacy_team@acme.example") }, company: { website: new MdText(sites[0]!), otherWebsites: sites.slice(1).map((s) => new MdText(s)) } };
    const skeleton = renderClause(parsed.clause!, "en", view);
    const clause = { markdown: fillMarkdown(skeleton) } as DocClause;
    skeletonOf.set(clause, skeleton);
    expect(links(clause.markdown)).toEqual(["privacy_team@acme.example", ...sites].map(linkOf));
    expect(clauseHtml(clause)).toBe(`<p>Write to privacy_team@acme.example or visit ${sites.map((s) => s.replace("&", "&amp;")).join(", ").replace(/, (?=[^,]*$)/, " and ")}.</p>\n`);
  });

  it("keeps any other value escaped: it shows as typed, makes no markup, and no viewer links a part of it", () => {
    for (const value of NOT_PLAIN)
      for (const shape of SHAPES.filter((s) => !s.includes("]("))) {
        const markdown = fill(shape, escapeMarkdown(value));
        const where = `${value} in ${JSON.stringify(shape)}`;
        expect(links(markdown), where).toEqual([]);
        for (const html of [markdownToHtml(markdown), linkify.render(markdown)]) {
          expect(html, where).not.toMatch(/<(a|script|img|code|del|s)\b/);
          expect(html, where).toContain(linkify.utils.escapeHtml(value));
        }
        expect(markdownToHtml(markdown), where).toBe(markdownToHtml(fill(shape, strict(value))));
      }
  });
});

describe("cleanText", () => {
  // the three replacements it makes when a value needs any (its quick test must miss none)
  const reference = (raw: string) => raw.replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u2028\u2029]/g, " ").replace(/[\u202A-\u202E\u2066-\u2069]/g, "").replace(/[\t\n]+/g, " ");

  it("changes a value exactly where a control, bidi control, tab or line break stands", () => {
    const specials = [0x00, 0x07, 0x09, 0x0a, 0x0b, 0x0d, 0x1f, 0x7f, 0x85, 0x9f, 0x2028, 0x2029, 0x202a, 0x202e, 0x2066, 0x2069].map((c) => String.fromCharCode(c));
    const plain = ["a", "中", " ", "\u00a0", "\u200b", "\u2067x", "\u202f", "😀"];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = (list: string[]) => list[Math.floor(next() * list.length)]!;
    for (let n = 0; n < 500; n++) {
      const raw = Array.from({ length: 1 + Math.floor(next() * 12) }, () => pick(next() < 0.3 ? specials : plain)).join("");
      expect(cleanText(raw), JSON.stringify(raw)).toBe(reference(raw));
    }
    for (const c of specials) expect(cleanText(`a${c}b`), JSON.stringify(c)).not.toBe(`a${c}b`);
    expect(cleanText("金样科技 Golden Sample")).toBe("金样科技 Golden Sample");
  });
});
