import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadLibrary } from "../../src/load/library.js";
import { root } from "../helpers.js";

/**
 * docs/glossary.md fixes one English rendering per Chinese legal term. Every clause variant whose Chinese
 * text uses a term (of three characters or more: the short ones, 处理, 使用, 同意, are everyday words too)
 * must use the glossary's English for it. The English is matched loosely, word by word on the first five
 * letters of each word and in order, so "withdraw that consent" carries "withdraw consent" and "public
 * disclosure" carries "publicly disclose", while "representative in China" does not carry "domestic
 * representative".
 */
interface Term {
  zh: string[];
  en: string[];
  /** What the note says not to write (`not "controller"`). */
  not: string[];
  line: number;
}

/** The glossary's rows: "A / B" are alternatives in either column; parentheses and 《》 are dropped. */
function glossary(): Term[] {
  const lines = readFileSync(join(root, "docs", "glossary.md"), "utf8").split("\n");
  return lines.flatMap((line, i) => {
    const cells = /^\| ([^|]+) \| ([^|]+) \|([^|]*)\|/.exec(line);
    if (!cells || cells[1] === "zh-CN " || cells[1]!.startsWith("---")) return [];
    const zh = cells[1]!.split("/").map((s) => s.replace(/[（(].*?[）)]/g, "").replace(/[《》]/g, "").trim());
    const en = cells[2]!.split("/").map((s) => s.replace(/\(.*?\)/g, "").replace(/"/g, "").trim());
    const not = [...(cells[3] ?? "").matchAll(/\bnot "([^"]+)"/g)].map((m) => m[1]!);
    return [{ zh: zh.filter(Boolean), en: en.filter(Boolean), not, line: i + 1 }];
  });
}

const STOP = new Set(["the", "a", "an", "of", "to", "and", "with", "for", "in", "on", "your", "you", "who", "has", "everyone"]);
// the clauses write the apostrophe as ’, the glossary as '
const words = (s: string) => s.toLowerCase().replace(/’/g, "'").match(/[a-z0-9]+(?:[-'][a-z0-9]+)*/g) ?? [];
const stem = (word: string) => word.replace(/(?<=..)s$/, "").slice(0, 5);

/** Does `text` hold the words of `phrase` in order, within a few words of each other? */
function carries(text: string, phrase: string): boolean {
  const all = words(phrase);
  const wanted = all.filter((w) => !STOP.has(w)).map(stem);
  const have = words(text).map(stem);
  for (let i = 0; i < have.length; i++) {
    if (have[i] !== wanted[0]) continue;
    let next = 1;
    for (let k = i + 1; next < wanted.length && k < Math.min(i + all.length + 3, have.length); k++) if (have[k] === wanted[next]) next++;
    if (next === wanted.length) return true;
  }
  return false;
}

/** Where the glossary's English does not fit, and why: clause key -> Chinese term. */
const EXCEPTIONS: Record<string, Record<string, string>> = {
  "cookies.basics:device-identifiers": { 设备信息: "同类设备信息标识技术 is 'similar technologies that identify devices': no device information is named" },
};

describe("the clause library follows the glossary", async () => {
  const terms = glossary();
  const library = await loadLibrary();
  const allZh = terms.flatMap((t) => t.zh);

  it("reads the glossary", () => {
    expect(terms.length).toBeGreaterThan(100);
    expect(carries("you may withdraw that consent at any time", "withdraw consent")).toBe(true);
    expect(carries("our representative in China", "domestic representative")).toBe(false);
  });

  it("uses the glossary's English wherever the Chinese uses a glossary term", () => {
    const deviations: string[] = [];
    for (const clause of library.clauses.values()) {
      const key = `${clause.id}:${clause.variant}`;
      for (const term of terms) {
        const used = term.zh.filter((zh) => [...zh].length >= 3 && usesTerm(clause.bodies["zh-CN"], zh, allZh));
        const excused = used.filter((zh) => EXCEPTIONS[key]?.[zh]);
        if (used.length > excused.length && !term.en.some((en) => carries(clause.bodies.en, en)))
          deviations.push(`${clause.file}: ${used.join(", ")} -> ${term.en.join(" / ")} (docs/glossary.md:${term.line})`);
      }
    }
    expect(deviations).toEqual([]);
  });

  it("never uses the word a glossary note rules out for a term (\"personal data\" for 个人信息)", () => {
    const ruled = terms.filter((t) => t.not.length);
    expect(ruled.map((t) => t.not).flat()).toContain("personal data");
    const found: string[] = [];
    for (const clause of library.clauses.values())
      for (const term of ruled)
        for (const word of term.not)
          if (term.zh.some((zh) => clause.bodies["zh-CN"].includes(zh)) && new RegExp(`\\b${word}\\b`, "i").test(clause.bodies.en))
            found.push(`${clause.file}: "${word}" for ${term.zh.join(" / ")} (docs/glossary.md:${term.line})`);
    expect(found).toEqual([]);
  });
});

/** The term, where it is not part of a longer glossary term (境内 in 中华人民共和国境内). */
function usesTerm(text: string, zh: string, allZh: string[]): boolean {
  let rest = text;
  for (const longer of allZh) if (longer.length > zh.length && longer.includes(zh)) rest = rest.split(longer).join("\u25a1");
  return rest.includes(zh);
}
