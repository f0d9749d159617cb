import type { z } from "zod";

export type Def = { type: string; shape?: Record<string, z.ZodType>; innerType?: z.ZodType; element?: z.ZodType; options?: z.ZodType[]; valueType?: z.ZodType };
export const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

export function unwrap(s: z.ZodType): z.ZodType {
  let cur = s;
  for (let d = defOf(cur); (d.type === "default" || d.type === "optional" || d.type === "prefault" || d.type === "nullable") && d.innerType; d = defOf(cur)) cur = d.innerType;
  return cur;
}

/** The sub-schema for a path, following objects, arrays, records and the object member of unions. */
export function schemaAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  return follow(schema, path, unwrap);
}

/**
 * The sub-schema of a field path as conditions and the checklist write it, where a step after a list names
 * a field of its elements (`collection.sensitive`: any scenario's). `schemaAt` takes any step after a list
 * for an index into it, so `collection.sensitve` named the scenario itself and passed as a field.
 */
export function fieldSchemaAt(schema: z.ZodType, path: readonly string[]): z.ZodType | undefined {
  return follow(schema, path, elementsOf);
}

/** Each step of `path` taken from `into(the schema so far)`; undefined once a step names nothing. */
function follow(schema: z.ZodType, path: readonly PropertyKey[], into: (s: z.ZodType) => z.ZodType): z.ZodType | undefined {
  let cur: z.ZodType | undefined = schema;
  for (const seg of path) {
    if (!cur) return undefined;
    cur = childOf(into(cur), seg);
  }
  return cur;
}

/** A list's elements (a list of lists: the innermost), or the schema itself when it is not a list. */
export function elementsOf(schema: z.ZodType): z.ZodType {
  let cur = unwrap(schema);
  for (let d = defOf(cur); d.type === "array" && d.element; d = defOf(cur)) cur = unwrap(d.element);
  return cur;
}

function childOf(s: z.ZodType, seg: PropertyKey): z.ZodType | undefined {
  const d = defOf(s);
  // own keys only: `constructor` or `__proto__` in a placeholder must not find Object's
  if (d.type === "object") return d.shape && Object.hasOwn(d.shape, String(seg)) ? d.shape[String(seg)] : undefined;
  if (d.type === "array") return d.element;
  if (d.type === "record") return d.valueType;
  if (d.type === "union") for (const o of d.options ?? []) { const c = childOf(unwrap(o), seg); if (c) return c; }
  return undefined;
}

export function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const s = schemaAt(schema, path);
  if (!s) return [];
  const d = defOf(unwrap(s));
  if (d.type === "object") return Object.keys(d.shape ?? {});
  if (d.type === "union") return (d.options ?? []).flatMap((o) => { const od = defOf(unwrap(o)); return od.type === "object" ? Object.keys(od.shape ?? {}) : []; });
  return [];
}

/**
 * Fills every object-valued field the schema knows but the value lacks with `{}`, so a template's
 * `{{#if contact.officer.email}}` reads "unset" instead of failing on a missing `officer`.
 */
export function withEmptyObjects(schema: z.ZodType, value: unknown): unknown {
  const plan = planOf(schema);
  if (plan.kind === "object" && value && typeof value === "object" && !Array.isArray(value)) {
    const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const [key, child, isObject] of plan.fields) {
      if (out[key] === undefined && isObject) out[key] = withEmptyObjects(child, {});
      else if (out[key] !== undefined) out[key] = withEmptyObjects(child, out[key]);
    }
    return out;
  }
  if (plan.kind === "array" && Array.isArray(value)) return value.map((v) => withEmptyObjects(plan.element, v));
  return value;
}

// what withEmptyObjects needs of a schema, worked out once per schema (it runs for every profile and locale)
type Plan = { kind: "object"; fields: [string, z.ZodType, boolean][] } | { kind: "array"; element: z.ZodType } | { kind: "other" };
const plans = new WeakMap<z.ZodType, Plan>();

function planOf(schema: z.ZodType): Plan {
  let plan = plans.get(schema);
  if (plan) return plan;
  const d = defOf(unwrap(schema));
  if (d.type === "object") plan = { kind: "object", fields: Object.entries(d.shape ?? {}).map(([key, child]) => [key, child, defOf(unwrap(child)).type === "object"]) };
  else if (d.type === "array" && d.element) plan = { kind: "array", element: d.element };
  else plan = { kind: "other" };
  plans.set(schema, plan);
  return plan;
}
