import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lineByIndentation } from "../../src/load/yaml-lines.js";
import { normaliseText, parseWithPositions, parseYaml } from "../../src/load/yaml.js";
import { quickYaml } from "../../src/load/yaml-quick.js";
import { mulberry32, root } from "../helpers.js";

/**
 * Lines read from the indentation must be the yaml package's (src/load/yaml-lines.ts): compared on
 * every path of every YAML text in the repository, on paths that do not exist (a missing key, item or
 * deeper field: the nearest ancestor's line), and on seeded mutations of the texts.
 */
function yamlTexts(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) {
        if (entry !== "node_modules" && entry !== "output" && !entry.startsWith(".")) walk(path);
      } else if (/\.ya?ml$/.test(entry)) found.push(normaliseText(readFileSync(path, "utf8")));
    }
  };
  for (const dir of ["clauses", "examples", "test/fixtures"]) walk(join(root, dir));
  // a file with a NUL byte (UTF-16, binary) is refused before it is parsed (src/load/files.ts): not a YAML text
  return found.filter((text) => !text.includes("\0"));
}

/** Every path into `data`, and for each a missing key, a missing item and a field below it. */
function pathsOf(data: unknown, prefix: PropertyKey[] = []): PropertyKey[][] {
  const paths: PropertyKey[][] = [prefix, [...prefix, "zzMissing"], [...prefix, 99], [...prefix, "zzMissing", "deeper"]];
  if (Array.isArray(data)) data.forEach((v, i) => paths.push(...pathsOf(v, [...prefix, i])));
  else if (data && typeof data === "object") for (const [k, v] of Object.entries(data)) paths.push(...pathsOf(v, [...prefix, k]));
  return paths;
}

/** Compares both on every path; returns how many paths there were and how many the indentation answered. */
function compare(text: string): { paths: number; answered: number } {
  const data = quickYaml(text);
  if (data === undefined) return { paths: 0, answered: 0 };
  const full = parseWithPositions(text, "x.yaml", 0);
  let answered = 0;
  const paths = pathsOf(data);
  for (const path of paths) {
    const line = lineByIndentation(text, path);
    if (line === undefined) continue;
    answered++;
    expect(line + 1, `${JSON.stringify(path)} in\n${text}`).toBe(full.lineOf(path));
  }
  return { paths: paths.length, answered };
}


describe("lines read from the indentation", () => {
  const texts = yamlTexts();

  it("are the yaml package's on every path of every YAML file in the repository", () => {
    let paths = 0;
    let answered = 0;
    for (const text of texts) {
      const r = compare(text);
      paths += r.paths;
      answered += r.answered;
    }
    // most paths are answered without the yaml package, or it would not be worth having
    expect(answered / paths).toBeGreaterThan(0.8);
  });

  it("are the yaml package's on mutated files (indentation changed, lines repeated, comments and blank lines added)", () => {
    const random = mulberry32(20261123);
    const edits = [
      (l: string) => `  ${l}`,
      (l: string) => l.replace(/^ {2}/, ""),
      (l: string) => `${l} # note`,
      (l: string) => `${l}\n`,
      (l: string) => `# ${l}`,
      (l: string) => l.replace(/: /, ":\n    "),
      (l: string) => l.replace(/^(\s*)- /, "$1-\n$1  "),
      (l: string) => `${l}\n${l}`,
    ];
    for (const text of texts.filter((t) => t.length < 20_000))
      for (let n = 0; n < 10; n++) {
        const lines = text.split("\n");
        const at = Math.floor(random() * lines.length);
        lines[at] = edits[Math.floor(random() * edits.length)]!(lines[at]!);
        compare(lines.join("\n"));
      }
  });

  it("leave a block to the yaml package when its first key is one they do not read (quoted, or a merge key)", () => {
    // the block was taken for a scalar: every field of company was said to be on the "name" line
    for (const first of ['"name": x', "'name': x", "<<: { name: x }"]) {
      const text = `company:\n  ${first}\n  shortName: y\n  address: z\n`;
      expect(compare(text).paths, first).toBeGreaterThan(0);
      expect(parseYaml(text, "x.yaml").lineOf(["company", "address"]), first).toBe(4);
    }
  });
});
