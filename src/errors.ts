import { compareText } from "./text-order.js";

/**
 * Errors are for people: what happened, where (file:line, field), and what to do. One class carries
 * them all; a `PolicyErrors` collects every problem found in a run so the user fixes them in one pass.
 */
export interface ProblemLocation {
  file?: string;
  line?: number;
  column?: number;
  field?: string;
}

export interface Problem extends ProblemLocation {
  code: string;
  message: string;
  hint?: string;
}

export class PolicyError extends Error implements Problem {
  readonly code: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly field?: string;
  readonly hint?: string;
  /** Every problem this error stands for (one, or all problems found in a file or a build). */
  readonly problems: Problem[];

  constructor(problem: Problem | Problem[]) {
    const list = sortProblems(Array.isArray(problem) ? problem : [problem]);
    if (list.length === 0) throw new Error("PolicyError needs at least one problem");
    const first = list[0]!;
    super(list.length === 1 ? first.message : `${list.length} problems, the first: ${first.message}`);
    this.name = "PolicyError";
    this.code = first.code;
    this.file = first.file;
    this.line = first.line;
    this.column = first.column;
    this.field = first.field;
    this.hint = first.hint;
    this.problems = list;
  }
}

/** Collects problems while a stage runs, then throws them together. */
export class ProblemList {
  readonly items: Problem[] = [];
  add(problem: Problem): void {
    this.items.push(problem);
  }
  addAll(problems: Problem[]): void {
    this.items.push(...problems);
  }
  get empty(): boolean {
    return this.items.length === 0;
  }
  throwIfAny(): void {
    if (!this.empty) throw new PolicyError(this.items);
  }
}

function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) => compareText(a.file ?? "", b.file ?? "") || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  );
}

export function isPolicyError(error: unknown): error is PolicyError {
  return error instanceof PolicyError;
}

/** `file:line:column` as editors and terminals link it. */
export function formatLocation(p: ProblemLocation): string {
  if (!p.file) return "";
  return [p.file, p.line, p.line !== undefined ? p.column : undefined].filter((x) => x !== undefined).join(":");
}

// C0 and C1 control characters but the tab and the line end: no text (HTML forbids them, a PDF prints a
// box), and a terminal runs them (ESC [2J clears the screen, CR writes over the line)
const CONTROL = "\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F";
export const CONTROL_CHARACTER = new RegExp(`[${CONTROL}]`);
export const CONTROL_CHARACTERS = new RegExp(`[${CONTROL}]`, "g");
/** U+001B, as a message names a character. */
export const codePointOf = (c: string) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
// the escape is valid inside a JSON string and means the same character there: JSON stays the same value
const escaped = (c: string) => `\\u${codePointOf(c).slice(2)}`;

/** Command output for a terminal: its control characters shown as \u001B instead of being run. */
export const terminalSafe = (text: string) => text.replace(CONTROL_CHARACTERS, escaped);

// in a message, bidi controls too: a hostile file's key or name (`"\e[2J": 1`) would reorder the line
// that reports it. (Not in command output, where a notice's bidi isolates belong to the text.)
const UNPRINTABLE = new RegExp(`[${CONTROL}\\u202A-\\u202E\\u2066-\\u2069]`, "g");
export const printable = (text: string) => text.replace(UNPRINTABLE, escaped);

/** One problem as the terminal shows it: `file:line  message (field)` and an indented hint. */
export function formatProblem(p: Problem): string {
  const where = formatLocation(p);
  const field = p.field ? ` [${p.field}]` : "";
  const head = printable(`${where ? `${where}  ` : ""}error ${p.code}${field}: ${p.message}`);
  return p.hint ? `${head}\n    hint: ${printable(p.hint)}` : head;
}

export function formatError(error: PolicyError): string {
  const lines = error.problems.map(formatProblem);
  const n = error.problems.length;
  if (n > 1) lines.push(`${n} problems found.`);
  return lines.join("\n");
}
