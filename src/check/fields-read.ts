import { HELPERS, parseTemplate } from "../render/handlebars.js";
import { valuesAt } from "../resolve.js";
import { conditionPaths, type Clause } from "../schema/clause.js";
import { LOCALES } from "../schema/localized.js";

/** True when the clause prints, tests or is conditioned on `field` or a field inside it. */
export function readsField(clause: Clause, field: string): boolean {
  return reads(fieldsRead(clause), field);
}

/** Every profile field a clause reads: placeholders and block parameters of both bodies, and its `when`. */
export function fieldsRead(clause: Clause): Set<string> {
  let paths = readCache.get(clause);
  if (!paths) readCache.set(clause, (paths = pathsIn(clause, undefined, true)));
  return paths;
}

/**
 * The fields of clauses found by another reader: the library snapshot (src/load/library-snapshot.ts) or
 * the thread that shared the library with this one. The compliance hints ask for the fields of every
 * clause of the library, and parsing the 400-odd bodies for them took 60-80 ms of every render thread.
 */
export function rememberFieldsRead(clause: Clause, paths: readonly string[]): void {
  readCache.set(clause, new Set(paths));
}

/** The fields of a clause when they are known already, else undefined (nothing is parsed). */
export const knownFieldsRead = (clause: Clause): ReadonlySet<string> | undefined => readCache.get(clause);

const readCache = new WeakMap<Clause, Set<string>>();

/**
 * True when the clause reads `field` (or a field inside it) in a part of its text that this profile
 * prints: its `when`, a placeholder outside any block, or inside the branch of a block that renders. A
 * field tested by {{#unless storage.crossBorder}} (or read in an {{else}}) says nothing to a profile that
 * sets it, so it does not satisfy a checklist item about it.
 */
export function readsFieldFor(clause: Clause, field: string, profile: object): boolean {
  // most clauses print the field outside any block: then no profile can skip it, and the clause need
  // not be walked again for each profile (in a 200-profile build that walk cost 40% more CPU in evidence.js)
  if (reads(unconditionalPaths(clause), field)) return true;
  let byClause = renderedCache.get(profile);
  if (!byClause) renderedCache.set(profile, (byClause = new WeakMap()));
  let paths = byClause.get(clause);
  if (!paths) byClause.set(clause, (paths = pathsIn(clause, profile, true)));
  return reads(paths, field);
}
const renderedCache = new WeakMap<object, WeakMap<Clause, Set<string>>>();

const reads = (paths: Iterable<string>, field: string) => {
  for (const path of paths) if (path === field || path.startsWith(`${field}.`)) return true;
  return false;
};

/** The fields a clause prints whatever the profile: its `when`, and placeholders outside any block. */
function unconditionalPaths(clause: Clause): Set<string> {
  let paths = unconditional.get(clause);
  if (!paths) unconditional.set(clause, (paths = pathsIn(clause, undefined, false)));
  return paths;
}
const unconditional = new WeakMap<Clause, Set<string>>();

/** The fields a clause's `when` names and its texts read (templatePaths, in both languages). */
function pathsIn(clause: Clause, profile: object | undefined, inBlocks: boolean): Set<string> {
  const paths = new Set(conditionPaths(clause.when ?? {}));
  for (const locale of LOCALES) for (const p of templatePaths(clause.bodies[locale], profile, inBlocks)) paths.add(p);
  return paths;
}

type Node = { type: string } & Record<string, unknown>;
type Path = { type: "PathExpression"; parts: string[]; depth: number; data: boolean; original: string };

/** Handlebars' truth for {{#if}}: an empty list, text or 0 is false. */
const truthy = (v: unknown) => !(v === undefined || v === null || v === false || v === "" || v === 0 || (Array.isArray(v) && v.length === 0));

/**
 * Which branches of a block render for `profile` (both when there is no profile, or the block does not
 * test a field): through a list, a branch renders when it does for any element.
 */
function branches(helper: string, tested: string | undefined, profile: object | undefined): { program: boolean; inverse: boolean } {
  if (!profile || tested === undefined || !["if", "unless", "each"].includes(helper)) return { program: true, inverse: true };
  const values = valuesAt(profile, tested);
  const set = values.some(truthy);
  const unset = !values.length || values.some((v) => !truthy(v));
  return helper === "unless" ? { program: unset, inverse: set } : { program: set, inverse: unset };
}

/**
 * Full dotted paths a template reads; inside {{#each list}} a field of the element reads as `list.field`.
 * With a profile, only the branches of blocks that render for it, and a block's test only when the branch
 * for a set value renders and has text; without `inBlocks`, nothing inside a block.
 */
function templatePaths(body: string, profile?: object, inBlocks = true): string[] {
  const out: string[] = [];
  const full = (p: Path, scopes: string[]) => {
    const base = scopes[scopes.length - 1 - p.depth] ?? "";
    return [base, ...p.parts].filter(Boolean).join(".");
  };
  const record = (params: Node[], scopes: string[]) => {
    for (const p of params) if (p.type === "PathExpression" && !(p as unknown as Path).data) out.push(full(p as unknown as Path, scopes));
  };
  const walk = (node: Node | undefined, scopes: string[]): void => {
    if (!node) return;
    if (node.type === "Program") for (const child of node.body as Node[]) walk(child, scopes);
    else if (node.type === "MustacheStatement" || node.type === "BlockStatement") {
      const path = node.path as unknown as Path;
      const params = node.params as Node[];
      // {{items "key"}} prints a scenario's data items
      if (path.original === "items") out.push("collection.items");
      if (node.type !== "BlockStatement") {
        record(params.length || HELPERS.includes(path.original) ? params : [node.path as Node], scopes);
        return;
      }
      if (!inBlocks) return;
      const first = params[0]?.type === "PathExpression" && !(params[0] as unknown as Path).data ? full(params[0] as unknown as Path, scopes) : undefined;
      const list = path.original === "each" ? first : undefined;
      const renders = branches(path.original, first, profile);
      // the branch that speaks of a set value: {{#if x}}…{{/if}}, {{#unless x}}{{else}}…{{/unless}}
      const whenSet = path.original === "unless" ? { renders: renders.inverse, node: node.inverse as Node | undefined } : { renders: renders.program, node: node.program as Node };
      if (!profile || (whenSet.renders && hasText(whenSet.node))) record(params, scopes);
      if (renders.program) walk(node.program as Node, list ? [...scopes, list] : scopes);
      if (renders.inverse) walk(node.inverse as Node | undefined, scopes);
    }
  };
  const hasText = (program: Node | undefined) => !!program && (program.body as Node[]).some((n) => n.type !== "ContentStatement" || String(n.value).trim() !== "");
  try {
    walk(parseTemplate(body) as unknown as Node, [""]);
  } catch {
    // a broken template is reported by the library checks; it reads nothing here
  }
  return out;
}
