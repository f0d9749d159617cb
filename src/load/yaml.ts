import type { Document } from "yaml";
import type { Problem } from "../errors.js";
import { onFirstUse } from "./on-first-use.js";
import { linesOf } from "./yaml-lines.js";
import { quickYaml } from "./yaml-quick.js";

const yaml = onFirstUse<typeof import("yaml")>("yaml");

/** A parsed YAML file that can say on which line any value stands, for `file:line` errors. */
export interface YamlSource {
  file: string;
  data: unknown;
  /** Line (1-based) of the value at `path`, or of its nearest ancestor that exists. */
  lineOf(path: readonly PropertyKey[]): number | undefined;
  /** Line of the key of the last segment of `path` (where an unknown field is written). */
  keyLineOf(path: readonly PropertyKey[]): number | undefined;
  /** The keys a mapping at `path` has in the file (for "did you mean"). */
  problems: Problem[];
  /**
   * With syntax errors (or a custom tag): the top-level entries no error falls in, as data. The
   * yaml package recovers a document around an error; what lies outside the damaged entries is as written,
   * so it can still be checked. Undefined when the file is not a mapping or an error is outside every entry.
   */
  undamaged?: Record<string, unknown>;
}

/** Strips a UTF-8 byte order mark and normalises CRLF/CR line ends, so Windows-edited files read the same. */
export function normaliseText(text: string): string {
  return text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
}

/**
 * Parses YAML 1.2 (core schema) keeping positions. Duplicate keys, unknown tags (`!!js/function` and the
 * like) and alias bombs are problems, never silently accepted. `lineOffset` shifts lines when the YAML is
 * front matter inside a larger file.
 */
export function parseYaml(text: string, file: string, lineOffset = 0): YamlSource {
  const normal = normaliseText(text);
  const data = quickYaml(normal);
  if (data === undefined) return parseWithPositions(normal, file, lineOffset);
  // well-formed: lines are read from the indentation (yaml-lines.ts), else from the yaml package's positions
  let full: YamlSource | undefined;
  const positions = () => (full ??= parseWithPositions(normal, file, lineOffset));
  let byIndentation: ReturnType<typeof linesOf> | null = null;
  const lineOf = (path: readonly PropertyKey[]) => {
    if (byIndentation === null) byIndentation = linesOf(normal);
    const line = byIndentation?.(path);
    return line === undefined ? positions().lineOf(path) : line + 1 + lineOffset;
  };
  return { file, data, problems: [], lineOf, keyLineOf: (path) => positions().keyLineOf(path) };
}

/** The `yaml` package's reading, with every node's position (also what the fast reader is tested against). */
export function parseWithPositions(text: string, file: string, lineOffset: number): YamlSource {
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    schema: "core",
    customTags: [],
    // explicit YAML 1.1 tags (!!binary, !!set, !!omap, !!timestamp) would otherwise still resolve
    resolveKnownTags: false,
    strict: true,
  });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line + lineOffset;
  const problems: Problem[] = [...doc.errors, ...doc.warnings].map((e) => ({
    code: e.code === "DUPLICATE_KEY" ? "YAML_DUPLICATE_KEY" : "YAML_SYNTAX",
    file,
    line: e.pos ? lineAt(e.pos[0]) : undefined,
    column: e.pos ? lineCounter.linePos(e.pos[0]).col : undefined,
    message: e.code === "DUPLICATE_KEY" && e.pos ? duplicateKeyMessage(doc, e.pos[0], lineAt) : yamlMessage(e.code, e.message),
    hint: TOO_DEEP.test(e.message) ? "A profile needs a few levels: look for brackets left open or indentation that keeps growing." : yamlHint(e.code),
  }));
  let data: unknown = undefined;
  if (doc.errors.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: 50 });
    } catch (e) {
      const at = firstAlias(doc, (e as Error).message);
      const why = /Excessive alias count/.test((e as Error).message) ? "its aliases (*name) expand to far too much data (an alias bomb)" : (e as Error).message;
      problems.push({ code: "YAML_ALIAS", file, line: at === undefined ? undefined : lineAt(at), message: `the YAML could not be expanded: ${why}`, hint: "Remove anchors (&name) and aliases (*name): write the values out." });
    }
  }
  return {
    file,
    data,
    problems,
    // an alias that expands too far has no place of its own to leave out: then nothing is trusted
    undamaged: doc.errors.length || doc.warnings.length ? undamagedEntries(doc, [...doc.errors, ...doc.warnings].map((e) => e.pos[0])) : undefined,
    lineOf: (path) => nodeLine(doc, path, false, lineAt),
    keyLineOf: (path) => nodeLine(doc, path, true, lineAt),
  };
}

/**
 * The top-level entries of a document with errors that no error touches. An entry reaches up to the next
 * one's key, so an error in the gap after a value counts against that value (it may have cut it short);
 * an error before the first key, or an entry that cannot be read, and no entry is trusted. A key written
 * twice is left out whole: which of its values the user meant is not known.
 */
function undamagedEntries(doc: Document, errorAt: number[]): Record<string, unknown> | undefined {
  const { isMap, isNode, isScalar } = yaml();
  const root = doc.contents;
  if (!isMap(root) || !root.items.length) return undefined;
  const starts = root.items.map((pair) => (isNode(pair.key) && pair.key.range ? pair.key.range[0] : undefined));
  if (starts.some((s) => s === undefined) || errorAt.some((at) => at < starts[0]!)) return undefined;
  const damaged = new Set<string>();
  const entries: [string, unknown][] = [];
  for (const [i, pair] of root.items.entries()) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (key === undefined) return undefined;
    const end = starts[i + 1] ?? Infinity;
    if (errorAt.some((at) => at >= starts[i]! && at < end)) damaged.add(key);
    else entries.push([key, pair.value]);
  }
  try {
    // fromEntries, not assignment: a "__proto__" key stays a field (and an unknown one), not a prototype
    return Object.fromEntries(entries.filter(([key]) => !damaged.has(key)).map(([key, value]) => [key, isNode(value) ? value.toJS(doc, { maxAliasCount: 50 }) : null]));
  } catch {
    return undefined;
  }
}

/** Offset of the alias an expansion error is about: the one named in the message, else the first. */
function firstAlias(doc: Document, message: string): number | undefined {
  const { isAlias, visit } = yaml();
  let first: number | undefined;
  let named: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (!isAlias(node) || !node.range) return;
      first ??= node.range[0];
      if (named === undefined && message.endsWith(`: ${node.source}`)) named = node.range[0];
    },
  });
  return named ?? first;
}

/** Which key is written twice, and where it was first: "this key is written twice" left the reader to look for both. */
function duplicateKeyMessage(doc: Document, at: number, lineAt: (offset: number) => number): string {
  const { isMap, isScalar, visit } = yaml();
  let said: string | undefined;
  visit(doc, {
    Map(_key, map) {
      if (!isMap(map)) return undefined;
      const twice = map.items.find((p) => isScalar(p.key) && p.key.range?.[0] === at);
      if (!twice || !isScalar(twice.key)) return undefined;
      const name = twice.key.value;
      const first = map.items.find((p) => isScalar(p.key) && p.key.value === name);
      const line = first && isScalar(first.key) && first.key.range ? lineAt(first.key.range[0]) : undefined;
      said = `the key ${JSON.stringify(String(name).slice(0, 60))} is written twice in the same mapping${line === undefined ? "" : ` (first on line ${line})`}`;
      return visit.BREAK;
    },
  });
  return said ?? yamlMessage("DUPLICATE_KEY", "");
}

// the yaml package reads nested values recursively: thousands of levels run out of stack
const TOO_DEEP = /Maximum call stack size exceeded/;

function yamlMessage(code: string, message: string): string {
  if (TOO_DEEP.test(message)) return "the YAML is nested too deeply to be read (a profile is a few levels deep)";
  const first = message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
  if (code === "DUPLICATE_KEY") return "this key is written twice in the same mapping";
  if (code === "TAG_RESOLVE_FAILED") return `${first} (custom YAML tags are not allowed)`;
  return first;
}

function yamlHint(code: string): string | undefined {
  if (code === "DUPLICATE_KEY") return "Keep one of the two and delete the other.";
  if (code === "TAG_RESOLVE_FAILED") return "Write the value as plain text, a number, a list or a mapping.";
  if (code === "BAD_INDENT" || code === "MISSING_CHAR" || code === "BLOCK_AS_IMPLICIT_KEY")
    return "Check the indentation (spaces, not tabs); a value that itself contains \": \" or \" #\" must be put in double quotes.";
  return "Check the YAML syntax near this line; values with a colon or # inside need quotes.";
}

function nodeLine(
  doc: Document,
  path: readonly PropertyKey[],
  wantKey: boolean,
  lineAt: (offset: number) => number,
): number | undefined {
  const { isMap, isNode, isScalar } = yaml();
  for (let n = path.length; n >= 0; n--) {
    const sub = path.slice(0, n);
    if (wantKey && n === path.length && n > 0) {
      const parent = sub.length > 1 ? doc.getIn(sub.slice(0, -1), true) : doc.contents;
      if (isMap(parent)) {
        const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(sub[sub.length - 1]));
        if (pair && isNode(pair.key) && pair.key.range) return lineAt(pair.key.range[0]);
      }
      continue;
    }
    const node = n === 0 ? doc.contents : doc.getIn(sub, true);
    if (isNode(node) && node.range) {
      if (n < path.length && isMap(node)) {
        // the wanted value is missing: point at the mapping's first key, where it belongs
        const first = node.items[0];
        if (first && isNode(first.key) && first.key.range) return lineAt(first.key.range[0]);
      }
      return lineAt(node.range[0]);
    }
  }
  return undefined;
}
