import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import MarkdownIt from "markdown-it";
import { parse, stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { buildProfile } from "../../src/build.js";
import { formatError, PolicyError } from "../../src/errors.js";
import { fixtures, mulberry32, root, tempDir } from "../helpers.js";
import { leftovers, outputProblems, startCli } from "./support.js";

/**
 * Valid profiles mutated at random, with a fixed seed so a failure can be replayed: wrong types, fields
 * removed or added, hostile strings, broken YAML. Every run must either build a policy whose pages hold
 * no live markup, or fail with a PolicyError; never another exception, never a hang.
 */
const SEED = 20_261_201;
const RUNS = 150;
const CLI_RUNS = 3;
const HANG_MS = 15_000;


const HOSTILE = [
  "<script>window.__pwned=1</script>",
  "<img src=x onerror=alert(1)>",
  '"><svg onload=alert(1)>',
  "'; alert(1); '",
  "[x](javascript:alert(1))",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  " java\tscript:alert(1)",
  "java\u0000script:alert(1)",
  "https://example.com/\"onmouseover=\"alert(1)",
  "{{constructor.constructor 'alert(1)'}}",
  "{{#each this}}{{/each}}",
  "{{{company.name}}}",
  "**bold** _it_ `code` # heading\n- item\n> quote",
  "| a | b |\n|---|---|",
  "\u0000\u0007\u001b[31m\u202e\u2028\ufeff",
  "../../../../../../../../",
  "/",
  "C:\\Windows\\system32",
  "😀𠜎",
  " ",
  "",
  "null",
  "2026-02-30",
  "x".repeat(20_000),
  "长".repeat(20_001),
];
const SCALARS: unknown[] = [0, -1, 3.5, 1e21, true, false, null, [], {}, [null], { "zh-CN": "只有中文" }, { en: "only English" }];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path to a value in `v` (containers included). */
function paths(v: Json, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])));
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  return out;
}

function mutate(profile: Json, rand: () => number): Json {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const copy = structuredClone(profile);
  for (let n = 1 + Math.floor(rand() * 3); n > 0; n--) {
    // half the time a text value (most stay valid, so the hostile text reaches the pages), else anything
    const all = paths(copy).filter((p) => p.length > 0);
    const texts = all.filter((p) => typeof p.reduce((o: Json, k) => (o as Record<string, Json>)[k]!, copy) === "string");
    const textOnly = rand() < 0.5 && texts.length > 0;
    const path = pick(textOnly ? texts : all);
    const parent = path.slice(0, -1).reduce((o: Json, k) => (o as Record<string, Json>)[k]!, copy) as Record<string | number, Json>;
    const key = path[path.length - 1]!;
    const op = textOnly ? 0.3 : rand();
    if (op < 0.2) Array.isArray(parent) ? parent.splice(key as number, 1) : delete parent[key];
    else if (op < 0.55) parent[key] = pick(HOSTILE);
    else if (op < 0.8) parent[key] = structuredClone(pick(SCALARS)) as Json;
    else if (op < 0.9 && parent[key] && typeof parent[key] === "object" && !Array.isArray(parent[key])) (parent[key] as Record<string, Json>)[pick(["extra", "__proto__", "constructor", "zh-cn", "fr"])] = pick(HOSTILE);
    else if (Array.isArray(parent[key])) (parent[key] as Json[]).push(pick(HOSTILE));
    else parent[key] = [parent[key]!, pick(HOSTILE)];
  }
  return copy;
}

/** Damage to the text itself, for the YAML reader: cut short, a stray character, a broken line. */
function damage(text: string, rand: () => number): string {
  const at = Math.floor(rand() * text.length);
  const chars = [":", "\t", "&a ", "*a", "!!binary ", "{", "[", '"', "'", "#", "---\n", "%TAG ! x\n", "\u0000", "\r"];
  const op = rand();
  if (op < 0.3) return text.slice(0, at);
  if (op < 0.7) return text.slice(0, at) + chars[Math.floor(rand() * chars.length)] + text.slice(at);
  const lines = text.split("\n");
  const i = Math.floor(rand() * lines.length);
  lines.splice(i, 0, lines[i]!);
  return lines.join("\n");
}

// the three starting points, each copied with what it needs beside it (own clauses, released versions)
const base = tempDir("pp-fuzz-");
cpSync(join(fixtures, "profiles", "good-minimal.yaml"), join(base, "minimal", "profile.yaml"));
cpSync(join(fixtures, "golden"), join(base, "golden"), { recursive: true, filter: (p) => !p.includes("expected") });
cpSync(join(root, "examples", "acme"), join(base, "acme"), { recursive: true });
const starts = ["minimal", "golden", "acme"].map((name) => ({ dir: join(base, name), profile: parse(readFileSync(join(base, name, "profile.yaml"), "utf8")) as Json }));

function variant(rand: () => number): { dir: string; text: string } {
  const start = starts[Math.floor(rand() * starts.length)]!;
  const text = stringify(mutate(start.profile, rand), { lineWidth: 0 });
  return { dir: start.dir, text: rand() < 0.2 ? damage(text, rand) : text };
}

const permissive = new MarkdownIt({ html: true });
const LIVE = /<(script|iframe|object|embed|img|svg|math|base|meta|link|style)\b|<[a-z][^<>]*\son[a-z]+\s*=|<[a-z][^<>]*\s(href|src|data)\s*=\s*["']?\s*(javascript|vbscript|data):/i;
/** Markup that would be live in the page: a dangerous tag, an event handler, a script link. */
function liveMarkup(html: string): string | undefined {
  // the page template's own <meta>, <link> and <style> in <head> are not from the profile
  const body = html.replace(/^[\s\S]*?<body[^>]*>/i, "");
  return LIVE.exec(body)?.[0];
}

describe(`fuzzed profiles (seed ${SEED})`, () => {
  it(`${RUNS} runs in-process: a policy with no live markup, or a PolicyError`, async () => {
    const rand = mulberry32(SEED);
    const outcomes = { built: 0, refused: 0 };
    for (let run = 0; run < RUNS; run++) {
      const { dir, text } = variant(rand);
      const file = join(dir, "profile.yaml");
      writeFileSync(file, text);
      const where = `run ${run} (seed ${SEED}), profile:\n${text.slice(0, 3000)}`;
      let timer: NodeJS.Timeout | undefined;
      const hang = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`hung for ${HANG_MS} ms`)), HANG_MS)));
      try {
        const b = await Promise.race([buildProfile(file), hang]);
        outcomes.built++;
        expect(b.files.length, where).toBeGreaterThan(0);
        for (const f of b.files) {
          expect(typeof f.content, where).toBe("string");
          if (f.format === "html") expect(liveMarkup(f.content), `${f.path} of ${where}`).toBeUndefined();
          if (f.format === "md") expect(liveMarkup(permissive.render(f.content)), `${f.path} of ${where}`).toBeUndefined();
        }
      } catch (e) {
        if (!(e instanceof PolicyError)) throw new Error(`${where}\n\nthrew ${(e as Error)?.stack ?? String(e)}`);
        outcomes.refused++;
        for (const p of e.problems) {
          expect(p.code, where).toMatch(/^[A-Z][A-Z0-9_]+$/);
          expect(p.message.length, where).toBeGreaterThan(0);
        }
        expect(formatError(e), where).toContain(" error ");
      } finally {
        clearTimeout(timer);
      }
    }
    // the mutations reach both outcomes, so neither half of the check is vacuous
    expect(outcomes.built).toBeGreaterThan(5);
    expect(outcomes.refused).toBeGreaterThan(RUNS / 2);
  });

  it(`${CLI_RUNS} runs through the CLI: exit 0 with a whole output, or exit 1 with messages and nothing written`, async () => {
    const rand = mulberry32(SEED + 1);
    const runs = Array.from({ length: CLI_RUNS }, (_, i) => {
      const { dir, text } = variant(rand);
      const own = tempDir("pp-fuzz-cli-");
      cpSync(dir, own, { recursive: true });
      writeFileSync(join(own, "profile.yaml"), text);
      const out = join(own, "out");
      return { i, text, out, done: startCli(["build", join(own, "profile.yaml"), "--out", out, "--formats", "md,html", "-q"]).done };
    });
    for (const run of runs) {
      const r = await run.done;
      const where = `CLI run ${run.i} (seed ${SEED + 1}): exit ${r.code}\n${r.stderr.slice(0, 2000)}\nprofile:\n${run.text.slice(0, 2000)}`;
      expect([0, 1], where).toContain(r.code);
      expect(r.stderr, where).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
      if (r.code === 0) expect(outputProblems(run.out), where).toEqual([]);
      else {
        expect(r.stderr, where).toMatch(/ error [A-Z_]+/);
        expect(existsSync(join(run.out, "manifest.json")), where).toBe(false);
      }
      expect(leftovers(run.out), where).toEqual([]);
    }
  });
});
