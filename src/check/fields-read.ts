import { HELPERS, parseTemplate } from "../render/handlebars.js";
import { conditionPaths, type Clause } from "../schema/clause.js";
import { LOCALES } from "../schema/localized.js";

/** True when the clause prints, tests or is conditioned on `field` or a field inside it. */
export function readsField(clause: Clause, field: string): boolean {
  for (const path of fieldsRead(clause)) if (path === field || path.startsWith(`${field}.`)) return true;
  return false;
}

/** Every profile field a clause reads: placeholders and block parameters of both bodies, and its `when`. */
export function fieldsRead(clause: Clause): Set<string> {
  let paths = readCache.get(clause);
  if (!paths) {
    paths = new Set(conditionPaths(clause.when ?? {}));
    for (const locale of LOCALES) for (const p of templatePaths(clause.bodies[locale])) paths.add(p);
    readCache.set(clause, paths);
  }
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

type Node = { type: string } & Record<string, unknown>;
type Path = { type: "PathExpression"; parts: string[]; depth: number; data: boolean; original: string };

/** Full dotted paths a template reads; inside {{#each list}} a field of the element reads as `list.field`. */
function templatePaths(body: string): string[] {
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
      if (params.length || HELPERS.includes(path.original) || node.type === "BlockStatement") record(params, scopes);
      else record([node.path as Node], scopes);
      if (node.type === "BlockStatement") {
        const list = path.original === "each" && params[0]?.type === "PathExpression" ? full(params[0] as unknown as Path, scopes) : undefined;
        walk(node.program as Node, list ? [...scopes, list] : scopes);
        walk(node.inverse as Node | undefined, scopes);
      }
    }
  };
  try {
    walk(parseTemplate(body) as unknown as Node, [""]);
  } catch {
    // a broken template is reported by the library checks; it reads nothing here
  }
  return out;
}
