import { parseArgs, type ParseArgsConfig } from "node:util";
import { formatError, isPolicyError, terminalSafe, type PolicyError } from "../errors.js";
import { OUTPUT_CODES } from "../output-guard.js";

/**
 * Exit codes, documented in the README. The output folder's own troubles get sysexits.h codes apart
 * from the input's, so a pipeline can tell "fix the profile" from "retry later" or "fix the disk".
 */
export const EXIT = { ok: 0, input: 1, usage: 2, internal: 70, cantWrite: 73, locked: 75, interrupted: 130 } as const;

/** The exit code for a PolicyError: an output problem only when every problem is one. */
export function exitCodeFor(error: PolicyError): number {
  const codes = error.problems.map((p) => p.code);
  // an option the command passed on that the library refused is still a wrong option value: exit 2
  if (codes.every((c) => c === "BAD_OPTION")) return EXIT.usage;
  if (codes.every((c) => c === "OUTPUT_LOCKED")) return EXIT.locked;
  if (codes.every((c) => (OUTPUT_CODES as readonly string[]).includes(c))) return EXIT.cantWrite;
  return EXIT.input;
}

type Options = NonNullable<ParseArgsConfig["options"]>;

export interface CommandDef<O extends Options> {
  name: string;
  summary: string;
  usage: string;
  /** Lines of help below the usage line. */
  help: string;
  options: O;
  /**
   * What each option that names a file, folder or address takes (under `arguments`: what the arguments
   * are), said when it is given empty: an empty value must not read as "not given" or as "this folder".
   */
  takes?: Partial<Record<Extract<keyof O, string> | "arguments", string>>;
  run(args: { values: Record<string, unknown>; positionals: string[]; io: Io }): Promise<number>;
}

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Progress goes to stderr, and not at all with --quiet or --json. */
  progress(text: string): void;
}


/** Identity helper (as citty's defineCommand) so each command file is typed. */
export const defineCommand = <O extends Options>(def: CommandDef<O>): CommandDef<O> => def;

export class UsageError extends Error {}

export const commonOptions = {
  help: { type: "boolean", short: "h" },
  json: { type: "boolean" },
  quiet: { type: "boolean", short: "q" },
  debug: { type: "boolean" },
} as const satisfies Options;

/** Parses arguments, runs the command, and turns every error into a message and an exit code. */
export async function runCommand(def: CommandDef<Options>, argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...commonOptions, ...def.options }, allowPositionals: true, strict: true });
  } catch (e) {
    process.stderr.write(terminalSafe(`policypress ${def.name}: ${(e as Error).message}\nUsage: ${def.usage}\nRun \`policypress ${def.name} --help\` for the options.\n`));
    if (argv.includes("--json")) process.stdout.write(terminalSafe(usageJson(def, (e as Error).message)));
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${def.summary}\n\nUsage: ${def.usage}\n\n${def.help}\n`);
    return EXIT.ok;
  }
  const quiet = Boolean(values.quiet || values.json);
  const io: Io = {
    out: (t) => process.stdout.write(terminalSafe(t.endsWith("\n") ? t : `${t}\n`)),
    err: (t) => process.stderr.write(terminalSafe(t.endsWith("\n") ? t : `${t}\n`)),
    progress: (t) => {
      if (!quiet) process.stderr.write(terminalSafe(`${t}\n`));
    },
  };
  try {
    refuseEmpty(def, values, positionals);
    return await def.run({ values, positionals, io });
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`policypress ${def.name}: ${e.message}\nUsage: ${def.usage}`);
      if (values.json) io.out(usageJson(def, e.message));
      return EXIT.usage;
    }
    if (isPolicyError(e)) {
      if (values.json) io.out(JSON.stringify({ ok: false, problems: e.problems }, null, 2));
      else io.err(formatError(e));
      // a user's mistake needs no stack trace; --debug shows where it was raised all the same
      if (values.debug) io.err(e.stack ?? "");
      return exitCodeFor(e);
    }
    const hint = "Run again with --debug for the stack trace, and report it with the command you ran.";
    io.err(`policypress ${def.name}: internal error: ${(e as Error).message}`);
    if (values.debug) io.err((e as Error).stack ?? "");
    else io.err(hint);
    // a script reading --json gets every outcome on stdout: an empty stdout failed its JSON.parse instead
    if (values.json) io.out(JSON.stringify({ ok: false, problems: [{ code: "INTERNAL", message: `internal error: ${(e as Error).message}`, hint }] }, null, 2));
    return EXIT.internal;
  }
}

/**
 * An empty value ("" from an unset variable in a script) is a mistake to say, whatever the option: read
 * as a path it would resolve to the current folder (`--dir ""` loaded it as a clause folder), and read as
 * "not given" it would silently do the default (`--html ""` wrote no page).
 */
function refuseEmpty(def: CommandDef<Options>, values: Record<string, unknown>, positionals: string[]): void {
  const takes = (def.takes ?? {}) as Record<string, string | undefined>;
  for (const [name, value] of Object.entries(values)) {
    const given = Array.isArray(value) ? value : [value];
    if (given.includes(""))
      throw new UsageError(`--${name} is empty; ${takes[name] ?? `give it a value (see policypress ${def.name} --help), or drop it`}`);
  }
  if (positionals.includes("")) throw new UsageError(`an argument is empty (""); ${takes.arguments ?? "give a value, or drop it"}`);
}

/** With --json, a script reads every outcome from stdout: a usage mistake too. */
function usageJson(def: CommandDef<Options>, message: string): string {
  return `${JSON.stringify({ ok: false, problems: [{ code: "USAGE", message, hint: `Usage: ${def.usage}` }] }, null, 2)}\n`;
}

export function splitList(value: unknown): string[] | undefined {
  if (typeof value !== "string") return undefined;
  return value.split(",").map((s) => s.trim()).filter(Boolean);
}
