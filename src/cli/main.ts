import buildCommand from "./build.js";
import checkCommand from "./check.js";
import clausesCommand from "./clauses.js";
import devCommand from "./dev.js";
import diffCommand from "./diff.js";
import releaseCommand from "./release.js";
import initCommand from "./init.js";
import schemaCommand from "./schema.js";
import { terminalSafe } from "../errors.js";
import { EXIT, runCommand, type CommandDef } from "./command.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const commands: CommandDef<any>[] = [buildCommand, checkCommand, initCommand, clausesCommand, releaseCommand, diffCommand, devCommand, schemaCommand];

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "policypress: turn a company profile into a bilingual (zh-CN + en) privacy policy.",
    "",
    "Usage: policypress <command> [options]",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `policypress <command> --help` for a command's options.",
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(`${usage()}\n`);
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === "--version" || name === "-v") {
    const { readFileSync } = await import("node:fs");
    process.stdout.write(`${JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version}\n`);
    return EXIT.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(terminalSafe(`policypress: unknown command "${name}"\n\n${usage()}\n`));
    // as every usage mistake with --json: a script reading stdout found nothing there (`policypress biuld --json`)
    if (argv.includes("--json")) process.stdout.write(`${JSON.stringify({ ok: false, problems: [{ code: "USAGE", message: `unknown command "${name}"`, hint: `Commands: ${commands.map((c) => c.name).join(", ")}.` }] }, null, 2)}\n`);
    return EXIT.usage;
  }
  return runCommand(command, rest);
}

// `policypress ... | head` closes stdout early: that is the reader's choice, not an error.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});

process.exitCode = await main(process.argv.slice(2));
