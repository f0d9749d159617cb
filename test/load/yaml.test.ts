import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { normaliseText, parseWithPositions, parseYaml } from "../../src/load/yaml.js";
import { quickYaml } from "../../src/load/yaml-quick.js";
import { mulberry32, root } from "../helpers.js";

/**
 * The fast reader may only ever give what the `yaml` package gives (src/load/yaml-quick.ts): compared
 * on every YAML text in the repository (profiles, sets, checklists, clause front matter, the bad-input
 * fixtures) and on seeded mutations of each, as parseYaml hands it the text (BOM gone, line ends \\n).
 */
function yamlTexts(): { name: string; text: string }[] {
  const found: { name: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) {
        if (entry !== "node_modules" && entry !== "output" && !entry.startsWith(".")) walk(path);
      } else if (/\.ya?ml$/.test(entry)) found.push({ name: path, text: normaliseText(readFileSync(path, "utf8")) });
      else if (entry.endsWith(".md") && readFileSync(path, "utf8").startsWith("---\n")) {
        const lines = normaliseText(readFileSync(path, "utf8")).split("\n");
        const end = lines.indexOf("---", 1);
        if (end > 0) found.push({ name: path, text: lines.slice(1, end).join("\n") });
      }
    }
  };
  for (const dir of ["clauses", "examples", "test/fixtures"]) walk(join(root, dir));
  return found;
}

/** What the `yaml` package reads, as comparable text; undefined when it reports a problem. */
function full(text: string): string | undefined {
  const source = parseWithPositions(text, "x.yaml", 0);
  return source.problems.length ? undefined : canonical(source.data);
}
const canonical = (data: unknown) => JSON.stringify(data, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? `number:${v}` : v));

function agree(text: string): void {
  const quick = quickYaml(text);
  if (quick === undefined) return;
  expect(full(text), text).toBe(canonical(quick));
}


const INSERTS = [": ", "- ", "#", "'", '"', "  ", "\t", "\n", "[", "]", "{", "}", ",", "?", "|", ">", "~", "null", "0x1F", "-.5", "1e3", "0o7", "+1", ".inf", "yes"];

describe("the fast YAML reader", () => {
  const texts = yamlTexts();

  it("reads every YAML text in the repository as the yaml package does", () => {
    expect(texts.length).toBeGreaterThan(250);
    let quick = 0;
    for (const { text } of texts) {
      agree(text);
      if (quickYaml(text) !== undefined) quick++;
    }
    // most files take the fast way, or it would not be worth having
    expect(quick / texts.length).toBeGreaterThan(0.9);
  });

  it("agrees with the yaml package on 20 mutations of each text, or leaves them to it", () => {
    const random = mulberry32(20261122);
    for (const { text } of texts)
      for (let i = 0; i < 20; i++) {
        const at = Math.floor(random() * (text.length + 1));
        const roll = random();
        let mutated: string;
        if (roll < 0.4) mutated = text.slice(0, at) + INSERTS[Math.floor(random() * INSERTS.length)] + text.slice(at);
        else if (roll < 0.7) mutated = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 3));
        else {
          const lines = text.split("\n");
          const n = Math.floor(random() * lines.length);
          lines.splice(n, 0, lines[Math.floor(random() * lines.length)]!);
          mutated = lines.join("\n");
        }
        agree(mutated);
      }
  });

  it("agrees on the scalars where js-yaml's own core schema differs", () => {
    for (const s of ["0b101", "-.5", "+0x1", "-0x1", "0x1F", "0o17", "012", "1_000", "1e3", "1.", ".5", "+12", ".inf", "-.Inf", ".NaN", "~", "Null", "True", "yes", "2026-01-01", "12:30", ""])
      agree(`v: ${s}\nlist: [${s}]`);
  });

  it("leaves keys, anchors, tags and refused files to the yaml package", () => {
    for (const text of ["null: a", "~: a", "? [a, b]\n: c", "a: &x 1\nb: *x", "a: !!binary aGk=", "%YAML 1.2\n---\na: 1", "'1': a\n1: b", "a: 1\na: 2", "", "- a", "just text"])
      expect(quickYaml(text), text).toBeUndefined();
    // text that only looks like them is read fast
    expect(quickYaml("name: AT&T\nnote: Hello!\nshare: 50%")).toEqual({ name: "AT&T", note: "Hello!", share: "50%" });
  });
});

describe("YAML too deep to read", () => {
  it("is one problem that says so, for unclosed brackets and for indentation that keeps growing", () => {
    const brackets = `company: ${"[".repeat(20_000)}${"]".repeat(20_000)}\n`;
    const indented = `company:\n${Array.from({ length: 3000 }, (_, i) => `${"  ".repeat(i + 1)}k${i}:\n`).join("")}`;
    for (const text of [brackets, indented]) {
      const problems = parseYaml(text, "deep.yaml").problems.map((p) => `${p.code}: ${p.message} / ${p.hint}`);
      expect(problems).toEqual(["YAML_SYNTAX: the YAML is nested too deeply to be read (a profile is a few levels deep) / A profile needs a few levels: look for brackets left open or indentation that keeps growing."]);
    }
  });
});

describe("the entries a syntax error leaves whole", () => {
  const undamaged = (text: string) => parseYaml(text, "x.yaml").undamaged;

  it("are the top-level entries no error falls in, up to the next key (an error in the gap counts against the value before)", () => {
    expect(undamaged("a: 1\nb:\n  c: 2\n   d: 3\ne: [x]\n")).toEqual({ a: 1, e: ["x"] });
    expect(undamaged("a: 1\nb: [unclosed\n")).toEqual({ a: 1 });
  });

  it("leave out both values of a key written twice, and every entry after an error before the first key", () => {
    expect(undamaged("a: 1\nb: 2\na: 3\n")).toEqual({ b: 2 });
    expect(undamaged("\tx: 1\na: 1\n")).toBeUndefined();
  });

  it("are not looked for in a well-formed file, nor in one whose aliases expand too far", () => {
    expect(undamaged("a: 1\n")).toBeUndefined();
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 6 }, (_, i) => `${"bcdefg"[i]}: &${"bcdefg"[i]} [${Array(10).fill(`*${"abcdef"[i]}`).join(", ")}]`)].join("\n");
    const parsed = parseYaml(bomb, "x.yaml");
    expect(parsed.problems.map((p) => p.code)).toEqual(["YAML_ALIAS"]);
    expect(parsed.undamaged).toBeUndefined();
  });
});
