import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadLibrary } from "../../src/load/library.js";
import { root } from "../helpers.js";

/**
 * The library's English is typeset: “double quotes” and the apostrophe ’, never the typewriter's " and ',
 * so one policy does not mix the two (print-quality PDFs show the difference). Template expressions
 * ({{#eq x "y"}}) and HTML tags keep their straight quotes.
 */
const prose = (text: string) => text.replace(/\{\{[\s\S]*?\}\}/g, "").replace(/<[^>]*>/g, "");

/** Where `text` has a straight quote, or a paragraph opens a different number of quotes than it closes. */
function quoteProblems(text: string): string[] {
  return prose(text).split(/\n\s*\n/).flatMap((paragraph) => {
    const found: string[] = [];
    const straight = /["']/.exec(paragraph);
    if (straight) found.push(`straight ${straight[0]} in “${paragraph.slice(Math.max(0, straight.index - 30), straight.index + 30)}”`);
    const open = paragraph.split("“").length, close = paragraph.split("”").length;
    if (open !== close) found.push(`${open - 1} “ but ${close - 1} ” in “${paragraph.slice(0, 80)}…”`);
    return found;
  });
}

describe("the English is typeset with typographic quotes", async () => {
  const library = await loadLibrary();

  it("finds what it looks for", () => {
    expect(quoteProblems(`the “Services” and the company’s {{#eq a "b"}}x{{/eq}} <a href="x">`)).toEqual([]);
    expect(quoteProblems(`the "Services"`)).toHaveLength(1);
    expect(quoteProblems(`the company's`)).toHaveLength(1);
    expect(quoteProblems(`the “Services`)).toEqual([`1 “ but 0 ” in “the “Services…”`]);
  });

  it("in every clause variant's English text and title", () => {
    const found = [...library.clauses.values()].flatMap((c) =>
      [...quoteProblems(c.bodies.en), ...quoteProblems(c.title.en)].map((p) => `${c.file}: ${p}`),
    );
    expect(found).toEqual([]);
  });

  it("in the English labels and headings (locales/en.json)", () => {
    const strings: string[] = [];
    const walk = (o: unknown): void => void (typeof o === "string" ? strings.push(o) : Object.values(o as object).forEach(walk));
    walk(JSON.parse(readFileSync(join(root, "locales", "en.json"), "utf8")));
    expect(strings.length).toBeGreaterThan(20);
    expect(strings.flatMap(quoteProblems)).toEqual([]);
  });
});
