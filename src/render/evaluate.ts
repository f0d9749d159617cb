import type Handlebars from "handlebars";

/**
 * Clause bodies are evaluated by walking their Handlebars syntax tree, not compiled to JavaScript.
 *
 * Why: Handlebars turns each template into a JavaScript function. The library has about 600 bodies, so
 * every render thread parsed and compiled 600 functions, and V8 optimised each of them on its own as it
 * became hot; in a build of a few hundred profiles that compiling cost more than the rendering. One
 * walker is one function for V8 to optimise, whatever the number of clauses.
 *
 * It walks what clause bodies and the page templates use: text, comments, {{path}}, {{{path}}},
 * {{helper args}} and the blocks #if, #unless and #each (with {{else}}), with Handlebars' own helpers
 * (the blocks done as its helpers do them), escaping and lookups (strict for clause bodies), so the
 * output and the errors are Handlebars' own (test/render/evaluate.test.ts compares both over the whole
 * library and the pages). `canWalk` says
 * whether a tree stays within that; anything else (partials, ../, @data, sub-expressions, hash arguments,
 * an unknown helper) goes to Handlebars' compiler instead.
 */
type Node = hbs.AST.Node;
type Program = hbs.AST.Program;
type Statement = hbs.AST.Statement;
type Path = hbs.AST.PathExpression;
type Mustache = hbs.AST.MustacheStatement;
type Block = hbs.AST.BlockStatement;

export interface WalkEnv {
  helpers: Record<string, Handlebars.HelperDelegate>;
  escape: (value: unknown) => string;
  /** The names callable as helpers (the compiler's knownHelpers). */
  known: Set<string>;
  /** Handlebars' strict mode: a missing field is an error (clause bodies), or renders as nothing (pages). */
  strict: boolean;
}

// without knownHelpersOnly, {{name}} is a helper call when a helper has that name: such trees go to Handlebars
const BUILT_IN = new Set(["if", "unless", "each", "with", "lookup", "log", "helperMissing", "blockHelperMissing"]);

const BLOCKS = new Set(["if", "unless", "each"]);
const LITERALS = new Set(["StringLiteral", "NumberLiteral", "BooleanLiteral", "UndefinedLiteral", "NullLiteral"]);

/** True when every node of the tree is one the walker renders exactly as Handlebars would. */
export function canWalk(program: Program, known: Set<string>): boolean {
  const simplePath = (node: Node): boolean => {
    const p = node as Path;
    return node.type === "PathExpression" && !p.data && p.depth === 0 && p.parts.every((part) => typeof part === "string");
  };
  const param = (node: Node) => LITERALS.has(node.type) || simplePath(node);
  const statement = (node: Statement): boolean => {
    switch (node.type) {
      case "ContentStatement":
      case "CommentStatement":
        return true;
      case "MustacheStatement": {
        const m = node as Mustache;
        if (!simplePath(m.path) || m.hash || BUILT_IN.has((m.path as Path).parts[0] ?? "")) return false;
        const name = (m.path as Path).original;
        return m.params.length ? known.has(name) && m.params.every(param) : true;
      }
      case "BlockStatement": {
        const b = node as Block;
        const name = (b.path as Path).original;
        const plainBlock = simplePath(b.path) && BLOCKS.has(name) && !b.hash && !b.program.blockParams?.length;
        return plainBlock && b.params.length === 1 && param(b.params[0]!) && all(b.program) && (!b.inverse || all(b.inverse));
      }
      default:
        return false;
    }
  };
  const all = (p: Program): boolean => p.body.every(statement);
  return all(program);
}

/** @data: the same for the whole tree, as no walked tree reads what a block would add (@index...). */
type Data = Record<string, unknown>;

/** Renders a tree `canWalk` accepted, with `context` as the top context and `data` as @data. */
export function walk(program: Program, context: unknown, data: Data, env: WalkEnv): string {
  return renderProgram(program, context, data, env);
}

function renderProgram(program: Program, context: unknown, data: Data, env: WalkEnv): string {
  let out = "";
  for (const node of program.body) {
    if (node.type === "ContentStatement") out += (node as hbs.AST.ContentStatement).value;
    else if (node.type === "MustacheStatement") out += mustache(node as Mustache, context, data, env);
    else if (node.type === "BlockStatement") out += block(node as Block, context, data, env);
  }
  return out;
}

function mustache(m: Mustache, context: unknown, data: Data, env: WalkEnv): string {
  const path = m.path as Path;
  let value: unknown;
  if (env.known.has(path.original)) value = callHelper(path.original, m, context, data, env);
  else {
    value = env.strict ? strictLookup(context, path) : lookup(context, path.parts, path.parts.length, false);
    // a function found in the context is called, as Handlebars does (container.lambda)
    if (typeof value === "function") value = (value as (this: unknown) => unknown).call(context);
  }
  return m.escaped ? env.escape(value) : value == null ? "" : `${value as string}`;
}

/**
 * #if, #unless and #each as Handlebars' own helpers do them (helpers/if.js, each.js), without the data
 * frames they make for @index and the like, which a walked tree never reads.
 */
function block(b: Block, context: unknown, data: Data, env: WalkEnv): string {
  const self = context ?? NULL_CONTEXT;
  let value = paramValue(b.params[0]!, context, env.strict);
  if (typeof value === "function") value = (value as (this: unknown) => unknown).call(self);
  const otherwise = () => (b.inverse ? renderProgram(b.inverse, self, data, env) : "");
  const name = (b.path as Path).original;
  if (name === "each") return eachOf(value, (item) => renderProgram(b.program, item, data, env)) ?? otherwise();
  // false, 0, "", null, undefined, NaN and an empty list are false (includeZero is a hash argument: never here)
  const truthy = !!value && !(Array.isArray(value) && value.length === 0);
  return (name === "if") === truthy ? renderProgram(b.program, self, data, env) : otherwise();
}

/** Each element of a list, iterable or object rendered; undefined when there was none (the {{else}} part then). */
function eachOf(value: unknown, render: (item: unknown) => string): string | undefined {
  if (!value || typeof value !== "object") return undefined;
  let list: unknown[];
  if (Array.isArray(value)) list = value;
  else if (Symbol.iterator in value) list = [...(value as Iterable<unknown>)];
  else list = Object.keys(value).map((key) => (value as Record<string, unknown>)[key]);
  if (!list.length) return undefined;
  let out = "";
  // as Handlebars: a hole in a list is skipped, but the list still counts as not empty
  for (let i = 0; i < list.length; i++) if (i in list) out += render(list[i]);
  return out;
}

function callHelper(name: string, node: Mustache, context: unknown, data: Data, env: WalkEnv): unknown {
  const args = node.params.map((p) => paramValue(p, context, env.strict));
  const options = { name, hash: {}, data, loc: node.loc };
  const self = context ?? NULL_CONTEXT;
  return env.helpers[name]!.call(self, ...args, options);
}
const NULL_CONTEXT = Object.seal({});

function paramValue(node: hbs.AST.Expression, context: unknown, strict: boolean): unknown {
  switch (node.type) {
    case "StringLiteral":
    case "NumberLiteral":
    case "BooleanLiteral":
      return (node as hbs.AST.StringLiteral).value;
    case "NullLiteral":
      return null;
    case "UndefinedLiteral":
      return undefined;
    default:
      return lookup(context, (node as Path).parts, (node as Path).parts.length, strict);
  }
}

/** Handlebars' strict lookup: every part but the last looked up as usual, the last one must exist. */
function strictLookup(context: unknown, path: Path): unknown {
  const { parts } = path;
  if (!parts.length) return context;
  const parent = lookup(context, parts, parts.length - 1);
  const name = parts[parts.length - 1]!;
  if (!parent || !(name in (parent as object))) {
    throw new Error(`"${name}" not defined in ${parent as string} - ${path.loc.start.line}:${path.loc.start.column}`);
  }
  return lookupProperty(parent, name);
}

/** The first `count` parts looked up one after the other (in strict mode a missing object throws, as in Handlebars). */
function lookup(context: unknown, parts: string[], count: number, strict = true): unknown {
  let value = context;
  for (let i = 0; i < count && (strict || value != null); i++) value = lookupProperty(value, parts[i]!);
  return value;
}

/** As Handlebars' runtime: own properties only (prototype access stays off), null and undefined as they are. */
function lookupProperty(parent: unknown, name: string): unknown {
  const result = (parent as Record<string, unknown>)[name];
  if (result == null) return result;
  return Object.prototype.hasOwnProperty.call(parent, name) && !(name === "constructor" && typeof result === "function") ? result : undefined;
}
