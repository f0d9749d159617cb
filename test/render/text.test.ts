import { describe, expect, it } from "vitest";
import { markdownToHtml } from "../../src/render/html.js";
import { chineseNumeral, formatDate, joinList } from "../../src/render/numbering.js";
import { escapeMarkdown } from "../../src/render/text.js";

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
