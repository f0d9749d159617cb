import type { z } from "zod";
import { codePointOf, CONTROL_CHARACTERS, type Problem } from "../errors.js";
import type { Library } from "../load/library.js";
import { rawHtmlIn } from "./clause-markup.js";
import { type Argument, checkHelperCall, KIND_WORDS, kindOf } from "./helper-arguments.js";
import { BLOCK_HELPERS, HELPER_HINT, HELPERS, MAX_NESTING, parseTemplate } from "../render/handlebars.js";
import { conditionPaths, type Clause, type Condition } from "../schema/clause.js";
import { LOCALES, type Locale } from "../schema/localized.js";
import { profileSchema } from "../schema/profile.js";
import { closest } from "../schema/zod-problems.js";
import { defOf, elementsOf, fieldSchemaAt, knownKeys, schemaAt, unwrap } from "../schema/walk.js";

/**
 * Names of the five source companies, their products and domains: none may stay in a clause body
 * (they become profile placeholders). Matched case-insensitively.
 */
export const SOURCE_NAMES = [
  "瑞云", "Renderbus", "Rayvision", "rayvision", "派欧", "PPIO", "pplabs", "即构", "ZEGO", "创想三维", "创想云", "Creality",
  "相芯", "FaceUnity", "faceunity.com", "creality.com", "zego.im", "ppio.cn", "renderbus.com",
];

const HAN = /\p{Script=Han}/u;
// Markdown's ![alt](address) and ![alt][reference]
const IMAGE = /!\[[^\]\n]*\](?=[([])/;

/** Checks every clause of the library; the problems name the clause file and line. */
export function checkLibrary(library: Library): Problem[] {
  const problems: Problem[] = [];
  for (const clause of library.clauses.values()) problems.push(...checkClause(clause));
  return problems;
}

// A clause's own checks run once per process; the built-in library's passed when its snapshot was made.
const clauseChecks = new WeakMap<Clause, Problem[]>();

/** checkClause, remembered for the clause. */
export function checkedClause(clause: Clause): Problem[] {
  let problems = clauseChecks.get(clause);
  if (!problems) clauseChecks.set(clause, (problems = checkClause(clause)));
  return problems;
}

/** Takes `problems` as the clause's checks (a snapshot written only for a library that passed them). */
export function rememberChecked(clause: Clause, problems: Problem[]): void {
  clauseChecks.set(clause, problems);
}

/** Whether the clause is known to pass its checks (to tell a render thread, which gets a copy). */
export const passedChecks = (clause: Clause): boolean => clauseChecks.get(clause)?.length === 0;

export function checkClause(clause: Clause): Problem[] {
  const problems: Problem[] = [];
  for (const locale of LOCALES) {
    const body = clause.bodies[locale];
    const at = (offset: number) => clause.bodyLines[locale] + body.slice(0, offset).split("\n").length - 1;
    let ast: hbs.AST.Program;
    try {
      ast = parseTemplate(body);
    } catch (e) {
      const message = (e as Error).message;
      const line = Number(/line (\d+)/.exec(message)?.[1] ?? 1);
      // the parser's last line says what it found ("Expecting 'ID', got 'CLOSE'"); a stack overflow means nesting
      const why = e instanceof RangeError ? `: its blocks are nested more than ${MAX_NESTING} deep` : parserTrouble(message);
      problems.push({ code: "TEMPLATE_SYNTAX", file: clause.file, line: clause.bodyLines[locale] + line - 1, field: locale, message: `the ${locale} text has a broken placeholder${why}`, hint: "Placeholders are written {{field.name}}; blocks open with {{#if x}} and close with {{/if}}." });
      continue;
    }
    problems.push(...checkPlaceholders(ast, clause, locale));
    if (locale === "en") {
      const outside = body.replace(/{{[^}]*}}/g, "");
      const m = HAN.exec(outside);
      if (m) {
        const offset = indexOutsidePlaceholders(body, m[0]);
        problems.push({ code: "HAN_IN_ENGLISH", file: clause.file, line: at(offset), field: "en", message: `the English text contains Chinese characters ("${body.slice(offset, offset + 12).replace(/\s+/g, " ")}…")`, hint: "Translate it, or take the value from the profile with a placeholder." });
      }
    }
    const image = IMAGE.exec(body);
    if (image)
      problems.push({ code: "CLAUSE_IMAGE", file: clause.file, line: at(image.index), field: locale, message: `the ${locale} text shows an image ("${image[0]}…")`, hint: "Clause text cannot hold images: they are not published with the pages, and one from another site would tell that site who reads the policy. Describe it in words, or link to it: [text](https://...)." });
    const html = rawHtmlIn(body);
    if (html)
      problems.push({ code: "CLAUSE_HTML", file: clause.file, line: at(html.index), field: locale, message: `the ${locale} text holds HTML ("${html.html.split("\n")[0]!.slice(0, 40)}")`, hint: "Clause text is Markdown: a page shows HTML in it as written, tags and all. Write **bold** for bold, a blank line for a new paragraph, [text](https://...) for a link." });
    const control = controlCharacter(body);
    if (control) problems.push({ code: "CLAUSE_CONTROL_CHARACTER", file: clause.file, line: at(control.index), field: locale, ...controlMessage(`the ${locale} text`, control) });
    for (const name of SOURCE_NAMES) {
      const i = body.toLowerCase().indexOf(name.toLowerCase());
      if (i >= 0) problems.push({ code: "SOURCE_NAME_IN_BODY", file: clause.file, line: at(i), field: locale, message: `the ${locale} text names a source company or product ("${name}")`, hint: "Use a placeholder such as {{company.shortName}} or {{product.name}}." });
    }
  }
  for (const locale of LOCALES) {
    const control = controlCharacter(clause.title[locale]);
    if (control) problems.push({ code: "CLAUSE_CONTROL_CHARACTER", file: clause.file, line: clause.lines.title, field: `title.${locale}`, ...controlMessage(`the ${locale} title`, control) });
  }
  problems.push(...conditionProblems(clause));
  return problems;
}

/**
 * A control character (a line break or page break copied from a word processor, an escape sequence) is
 * no text: HTML forbids it, a PDF prints a box, a terminal runs it. Tabs and line ends are text.
 */
function controlCharacter(text: string): { index: number; code: string; count: number } | undefined {
  const all = [...text.matchAll(CONTROL_CHARACTERS)];
  if (!all.length) return undefined;
  return { index: all[0]!.index, code: codePointOf(all[0]![0]), count: all.length };
}

function controlMessage(where: string, control: { code: string; count: number }): { message: string; hint: string } {
  return {
    message: `${where} contains a control character (${control.code}${control.count > 1 ? `, and ${control.count - 1} more` : ""}), which is not text: HTML forbids it and a PDF would print a box`,
    hint: control.code === "U+000B" || control.code === "U+000C" ? "A line or page break copied from a word processor: delete it, or start a new line (a blank line for a new paragraph)." : "Delete it; it was probably copied in with the text.",
  };
}

/**
 * The fields a clause's `when:` and `assumes:` name that no profile has. Such a condition never holds: a
 * clause a profile adds is left out without a word, so a build checks this of the clauses its set and
 * profile name but leave out too, not only of those it prints.
 */
export function conditionProblems(clause: Clause): Problem[] {
  return (["when", "assumes"] as const).flatMap((key) => [
    ...unknownConditionPaths(clause[key]).map((path) => ({
      code: "UNKNOWN_CONDITION_FIELD", file: clause.file, line: clause.lines[`${key}.${path}`] ?? clause.lines[key], field: `${key}.${path}`,
      message: `the condition names "${path}", which is not a profile field`, hint: `${closestField(path)}See schema/profile.schema.json for the fields.`,
    })),
    ...impossibleConditionValues(clause[key]).map(({ path, message, hint }) => ({
      code: "CONDITION_NEVER_HOLDS", file: clause.file, line: clause.lines[`${key}.${path}`] ?? clause.lines[key], field: `${key}.${path}`, message, hint,
    })),
  ]);
}

/** "Did you mean features.cookies? " for feature.cookie, when each misspelt step is close to a field. */
export function closestField(path: string): string {
  const steps: string[] = [];
  for (const step of path.split(".")) {
    const parent = steps.length ? fieldSchemaAt(profileSchema, steps) : profileSchema;
    const keys = parent ? knownKeys(elementsOf(parent), []) : [];
    const guess = keys.includes(step) ? step : closest(step, keys);
    if (!guess) return "";
    steps.push(guess);
  }
  return `Did you mean ${steps.join(".")}? `;
}

/**
 * The entries of a condition that compare a field with a value no profile can give it (`children.ageThreshold:
 * "14"`, a text where the profile holds a number; `role: processor`, not one of its values): such an entry
 * never holds, and leaves its clause out (or in) without a word. Paths through lists compare each element.
 */
export function impossibleConditionValues(condition: Condition | undefined): { path: string; message: string; hint: string }[] {
  return Object.entries(condition ?? {}).flatMap(([path, expected]) => {
    if (path === "any" && Array.isArray(expected) && !expected.length)
      return [{ path, message: "the condition lists no alternative in any: [], so it never holds", hint: "List the conditions of which one must hold: any: [ { features.cookies: true }, { sdks: true } ], or delete any." }];
    if (path === "any" && Array.isArray(expected)) return (expected as Condition[]).flatMap(impossibleConditionValues);
    if (typeof expected === "boolean") return [];
    const field = fieldSchemaAt(profileSchema, path.split("."));
    if (!field) return []; // an unknown field is reported as such
    const element = elementsOf(field);
    const wrong = (Array.isArray(expected) ? expected : [expected]).filter((v) => !element.safeParse(v).success);
    if (!wrong.length) return [];
    const choices = (defOf(unwrap(element)) as { entries?: Record<string, string> }).entries;
    const kind = kindOf(element);
    return [{
      path,
      message: `the condition compares ${path} with ${wrong.map((v) => JSON.stringify(v)).join(", ")}, a value the profile can never hold there, so it never holds`,
      hint: choices ? `${path} is one of: ${Object.values(choices).join(", ")}.` : `${path} is ${kind ? KIND_WORDS[kind] : "another kind of value"}${kind === "number" ? ": write the number without quotes" : ""}; true and false test whether it is set.`,
    }];
  });
}

/** The fields a condition (of a clause, or of a clause set's section or entry) names that no profile has: always unset. */
export function unknownConditionPaths(condition: Condition | undefined): string[] {
  return conditionPaths(condition ?? {}).filter((path) => !fieldSchemaAt(profileSchema, path.split(".")));
}

/**
 * What Handlebars' parser says ("Expecting 'OPEN_INVERSE_CHAIN', 'INVERSE', 'OPEN_ENDBLOCK', got 'EOF'"),
 * in a lawyer's words.
 */
function parserTrouble(message: string): string {
  const last = message.split("\n").slice(-1)[0] ?? "";
  const mismatch = /^(\S+) doesn't match (\S+)/.exec(last);
  if (mismatch) return `: {{#${mismatch[1]}}} is closed with {{/${mismatch[2]}}}`;
  const got = /got '(\w+)'$/.exec(last)?.[1];
  if (got === "EOF") return ": a block ({{#if}}, {{#each}}, {{#unless}}) is not closed by its {{/...}}";
  if (got === "CLOSE") return ": a pair of braces holds no field name, or a name ends with = and no value";
  if (got === "INVALID") return ": a placeholder is not closed by }}, or holds a character a field name cannot";
  if (got === "INVERSE") return ": {{else}} appears where it cannot (twice in a block, or outside one)";
  return last ? ` (${last})` : "";
}

function indexOutsidePlaceholders(body: string, ch: string): number {
  let inside = false;
  for (let i = 0; i < body.length; i++) {
    if (body.startsWith("{{", i)) inside = true;
    if (inside && body.startsWith("}}", i)) inside = false;
    if (!inside && body[i] === ch) return i;
  }
  return 0;
}

type Node = hbs.AST.Node & Record<string, unknown>;

/** Whether {{field}} prints text: not an object (other than a `{ zh-CN, en }` text) and not a list. */
function isPrintable(field: z.ZodType): boolean {
  const d = defOf(unwrap(field));
  if (d.type === "union") return (d.options ?? []).some(isPrintable);
  return d.type !== "object" && d.type !== "array" && d.type !== "record";
}

/** The schema of the field a path names, read where the path is (`../x`, `@root.x`, `this`): what `{{#each path}}` goes over, what a helper is given; undefined when it names no field. */
function eachTarget(p: hbs.AST.PathExpression, stack: z.ZodType[]): z.ZodType | undefined {
  if (p.data) return p.parts[0] === "root" && p.parts.length > 1 ? schemaAt(profileSchema, p.parts.slice(1)) : undefined;
  const context = stack[stack.length - 1 - p.depth];
  if (!context) return undefined;
  return p.parts.length ? schemaAt(context, p.parts) : context;
}

/** The schema of a list's items, or undefined when the field is not a list (a union counts if one of its forms is). */
function listElement(field: z.ZodType): z.ZodType | undefined {
  const d = defOf(unwrap(field));
  if (d.type === "array") return d.element;
  if (d.type === "union") for (const option of d.options ?? []) { const element = listElement(option); if (element) return element; }
  return undefined;
}

/** Every placeholder must name a profile field (inside {{#each x}}, a field of x's items). */
function checkPlaceholders(ast: hbs.AST.Program, clause: Clause, locale: Locale): Problem[] {
  const problems: Problem[] = [];
  const line = (n: hbs.AST.Node) => clause.bodyLines[locale] + n.loc.start.line - 1;
  const report = (p: hbs.AST.PathExpression, message: string, hint: string) =>
    problems.push({ code: "UNKNOWN_PLACEHOLDER", file: clause.file, line: line(p), field: p.original, message, hint });

  const checkPath = (p: hbs.AST.PathExpression, stack: z.ZodType[], printed = false): void => {
    if (p.data) return checkData(p, printed);
    if (p.parts.length === 0 || p.original === "this") return;
    const context = stack[stack.length - 1 - p.depth];
    const field = context && schemaAt(context, p.parts);
    // inside {{#each}} a name is the item's field: a field of the whole profile is @root.x (or ../x)
    const fromRoot = !field && stack.length > 1 && p.depth === 0 && schemaAt(profileSchema, p.parts);
    if (fromRoot)
      report(p, `the ${locale} text uses {{${p.original}}} inside {{#each}}, where names are the item's fields`, `For the profile's own field write {{@root.${p.original}}} (or {{../${p.original}}}).`);
    else if (!field)
      report(p, `the ${locale} text uses {{${p.original}}}, which is not a profile field`, "Check the spelling against schema/profile.schema.json (docs/clause-format.md lists the common ones).");
    // an object or a list printed as it is reads "[object Object]" or nothing in the policy
    else if (printed && !isPrintable(field)) {
      const list = defOf(unwrap(field)).type === "array";
      const fields = knownKeys(field, []).map((k) => `{{${p.original}.${k}}}`).slice(0, 4).join(", ");
      report(p, `the ${locale} text prints {{${p.original}}}, which is ${list ? "a list" : "a group of fields"}, not a text`,
        list ? `Print it with {{list ${p.original}}} (or {{list ${p.original} "field"}}), or {{#each ${p.original}}}…{{/each}}.` : `Print one of its fields${fields ? `: ${fields}` : ""}.`);
    }
  };
  // @root.a.b is the profile's a.b from anywhere; @index, @key, @first and @last exist inside {{#each}}
  const checkData = (p: hbs.AST.PathExpression, printed: boolean): void => {
    const [head, ...rest] = p.parts;
    if (head === "root" && rest.length) return checkPath({ ...p, data: false, parts: rest, depth: 0 }, [profileSchema], printed);
    if (!["index", "key", "first", "last"].includes(head ?? "") || rest.length)
      report(p, `the ${locale} text uses {{${p.original}}}, which is not a profile field`, "Profile fields are written without @ ({{company.name}}); inside {{#each}}, @index, @key, @first and @last, and @root.field for a field of the whole profile.");
  };
  const unknownHelper = (n: hbs.AST.Node, name: string) =>
    problems.push({ code: "TEMPLATE_UNKNOWN_HELPER", file: clause.file, line: line(n), field: name, message: `the ${locale} text calls an unknown helper "${name}"`, hint: HELPER_HINT });
  // what each argument of a helper call is, so that {{list features.cookies}} (a flag) is caught here, not at render
  const checkCall = (n: hbs.AST.Node & { hash?: hbs.AST.Hash }, name: string, params: hbs.AST.Expression[], stack: z.ZodType[]) => {
    const args = params.map((param): Argument | undefined => {
      if (param.type === "PathExpression") return { field: (param as hbs.AST.PathExpression).original, schema: eachTarget(param as hbs.AST.PathExpression, stack) };
      if (param.type.endsWith("Literal") && param.type !== "UndefinedLiteral" && param.type !== "NullLiteral") return { literal: (param as hbs.AST.StringLiteral).value };
      return undefined;
    });
    // a sub-expression's value is not known before rendering: such a call is not judged
    const named = (n.hash?.pairs ?? []).map((pair) => pair.key);
    if (args.every((a) => a)) problems.push(...checkHelperCall(name, args as Argument[], { file: clause.file, line: line(n), locale }, named));
  };
  const checkParams = (params: hbs.AST.Expression[], stack: z.ZodType[]) => {
    for (const param of params)
      if (param.type === "PathExpression") checkPath(param as hbs.AST.PathExpression, stack);
      else if (param.type === "SubExpression") {
        const sub = param as hbs.AST.SubExpression;
        const name = (sub.path as hbs.AST.PathExpression).original;
        if (!HELPERS.includes(name)) unknownHelper(sub, name);
        else checkCall(sub, name, sub.params, stack);
        checkParams(sub.params, stack);
      }
  };
  const walk = (node: Node | undefined, stack: z.ZodType[]): void => {
    if (!node) return;
    if (node.type === "Program") for (const child of (node as unknown as hbs.AST.Program).body) walk(child as Node, stack);
    else if (node.type === "MustacheStatement") {
      const m = node as unknown as hbs.AST.MustacheStatement;
      if (!m.escaped) problems.push({ code: "TRIPLE_BRACES", file: clause.file, line: line(m), field: locale, message: `the ${locale} text uses {{{…}}}, which would insert profile values unescaped`, hint: "Use double braces: {{field}}." });
      const path = m.path as hbs.AST.PathExpression;
      // {{lookup company "name"}}, {{with x}}: a name with arguments is a helper call, and only ours are allowed
      if ((m.params.length || m.hash) && !HELPERS.includes(path.original)) unknownHelper(m, path.original);
      if (HELPERS.includes(path.original) && !m.params.length)
        problems.push({ code: "TEMPLATE_SYNTAX", file: clause.file, line: line(m), field: path.original, message: `the ${locale} text calls {{${path.original}}} without the field it formats`, hint: `Name the field: {{${path.original} field.name}} (docs/clause-format.md).` });
      else if (m.params.length || HELPERS.includes(path.original)) {
        checkParams(m.params, stack);
        if (HELPERS.includes(path.original)) checkCall(m, path.original, m.params, stack);
      }
      else if (path.type !== "PathExpression")
        problems.push({ code: "TEMPLATE_SYNTAX", file: clause.file, line: line(m), field: locale, message: `the ${locale} text puts a fixed value in braces ({{${JSON.stringify((m.path as unknown as { value: unknown }).value)}}})`, hint: "Write the text itself, without braces; braces hold profile fields such as {{company.name}}." });
      else checkPath(path, stack, true);
    } else if (node.type === "PartialStatement" || node.type === "PartialBlockStatement" || node.type === "DecoratorBlock" || node.type === "Decorator") {
      const partial = node.type.startsWith("Partial");
      problems.push({
        code: "TEMPLATE_PARTIAL", file: clause.file, line: line(node), field: locale,
        message: `the ${locale} text uses ${partial ? "a partial ({{> …}})" : "a decorator ({{* …}})"}, which clause bodies cannot`,
        hint: "Write the text out in the clause, or make it a clause of its own and add it to the clause set.",
      });
    } else if (node.type === "BlockStatement") {
      const b = node as unknown as hbs.AST.BlockStatement;
      const name = (b.path as hbs.AST.PathExpression).original;
      if (!BLOCK_HELPERS.includes(name)) {
        problems.push({ code: "TEMPLATE_UNKNOWN_HELPER", file: clause.file, line: line(b), field: name, message: `the ${locale} text uses the block {{#${name}}}, which is not allowed`, hint: "Blocks: #if, #unless, #each." });
        return;
      }
      if (b.params.length !== 1)
        problems.push({ code: "TEMPLATE_SYNTAX", file: clause.file, line: line(b), field: name, message: `the ${locale} text opens {{#${name}}} with ${b.params.length} fields; it takes exactly one`, hint: `Write {{#${name} field.name}}…{{/${name}}}.` });
      checkParams(b.params, stack);
      let inner = stack;
      if (name === "each" && b.params[0]?.type === "PathExpression") {
        const p = b.params[0] as hbs.AST.PathExpression;
        const target = eachTarget(p, stack);
        const element = target && listElement(target);
        if (element) inner = [...stack, element];
        // over a text, {{#each}} runs once with the text as `this`: a hidden {{#with}}, whose inside names
        // fields of nothing (an unknown field is reported by checkParams above)
        else if (target)
          problems.push({
            code: "TEMPLATE_EACH_NOT_LIST", file: clause.file, line: line(b), field: p.original,
            message: `the ${locale} text loops with {{#each ${p.original}}}, but ${p.original} is ${isPrintable(target) ? "a single value" : "a group of fields"}, not a list`,
            hint: `{{#each}} goes over a list of the profile (collection, sdks, recipients, storage.crossBorder...); print the value with {{${p.original}}}, or test it with {{#if ${p.original}}}…{{/if}}.`,
          });
      }
      walk(b.program as unknown as Node, inner);
      walk(b.inverse as unknown as Node | undefined, stack);
    }
  };
  walk(ast as unknown as Node, [profileSchema]);
  return problems;
}
