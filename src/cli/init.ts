import { lstatSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { createInterface } from "node:readline/promises";
import Handlebars from "handlebars";
import type { z } from "zod";
import { parseProfile, slugify } from "../load/profile.js";
import { textSchema } from "../schema/localized.js";
import { emailSchema, isoDateSchema, webUrlSchema } from "../schema/primitives.js";
import { builtinPaths, packageRoot } from "../paths.js";
import { defineCommand, EXIT, UsageError } from "./command.js";
import { writeNamedFile } from "../output-guard.js";
import { PolicyError } from "../errors.js";
import { displayPath } from "../load/files.js";

interface Question {
  key: string;
  ask: string;
  fallback: string | ((answers: Record<string, string>) => string);
  check?: (value: string) => string | undefined;
}

const today = () => new Date().toISOString().slice(0, 10);

/**
 * The website's host without "www.", as the URL parser writes it: a Chinese domain name in punycode
 * (例子.中国 -> xn--fsqu00a.xn--fiqs8s), since the email check takes ASCII addresses only and the offered
 * default must be one the question accepts.
 */
export function mailDomainOf(website: string): string {
  return new URL(website).hostname.replace(/^www\./, "");
}

/**
 * The slug from the English short name, as a profile without one gets it (load/profile.ts): accents
 * dropped (Ünïcode -> unicode, not "n-code"), at most 63 characters (a longer one was written, then
 * refused by the profile check); "my-company" when nothing is left (a name in Chinese only).
 */
export function slugFromName(name: string): string {
  return slugify(name.normalize("NFKD").replace(/\p{M}+/gu, "")) || "my-company";
}

/** An answer is checked by the schema the profile checks the field with, so what init accepts, the profile accepts. */
const by = (schema: z.ZodType) => (value: string) => {
  const result = schema.safeParse(value);
  return result.success ? undefined : result.error.issues[0]?.message;
};
const name = by(textSchema);

const QUESTIONS: Question[] = [
  { key: "nameZh", ask: "公司全称（中文）", fallback: "示例科技（深圳）有限公司", check: name },
  { key: "nameEn", ask: "Company legal name (English)", fallback: "Example Technology (Shenzhen) Co., Ltd.", check: name },
  { key: "shortZh", ask: "公司简称（中文）", fallback: (a) => a.nameZh!.replace(/（.*?）|有限公司|股份|科技/g, "") || a.nameZh!, check: name },
  { key: "shortEn", ask: "Short name (English)", fallback: (a) => a.nameEn!.split(/\s+/).slice(0, 2).join(" "), check: name },
  { key: "website", ask: "Website (https://...)", fallback: "https://www.example.com", check: by(webUrlSchema) },
  { key: "email", ask: "Privacy contact email", fallback: (a) => `privacy@${mailDomainOf(a.website!)}`, check: by(emailSchema) },
  { key: "kind", ask: "What do you offer? 1 website/app  2 cloud platform  3 SDK for enterprise customers  4 hardware + cloud", fallback: "1", check: (v) => (/^[1-4]$/.test(v) ? undefined : "answer 1, 2, 3 or 4") },
  { key: "effectiveDate", ask: "Effective date (YYYY-MM-DD)", fallback: today, check: by(isoDateSchema) },
];

/**
 * Why an answer to the question `key` is refused, or undefined. A terminal that is not set to UTF-8 sends
 * its own bytes (GBK, Latin-1); the decoder makes each one U+FFFD, which the schema takes as text, so
 * the profile said "���公司" where the company's name was meant.
 */
export function answerProblem(key: string, answer: string): string | undefined {
  if (answer.includes("\uFFFD")) return "not UTF-8 text (\uFFFD marks what could not be read): set the terminal to UTF-8 and answer again";
  return QUESTIONS.find((q) => q.key === key)?.check?.(answer);
}

// Every business type starts from startup-default, which adapts to the kinds declared here; the presets
// named after the source policies keep those policies' gaps (see docs/compliance.md), so they are a
// lawyer's choice, not a default.
const PRESETS: Record<string, { clauseSet: string; cloud: boolean; sdk: boolean; app: boolean; enterprise: boolean }> = {
  "1": { clauseSet: "startup-default", cloud: false, sdk: false, app: true, enterprise: false },
  "2": { clauseSet: "startup-default", cloud: true, sdk: false, app: false, enterprise: true },
  "3": { clauseSet: "startup-default", cloud: true, sdk: true, app: false, enterprise: true },
  "4": { clauseSet: "startup-default", cloud: true, sdk: false, app: true, enterprise: false },
};

export default defineCommand({
  name: "init",
  summary: "Write a commented starter profile.yaml, asking a few questions.",
  usage: "policypress init [DIR] [--yes] [--force]",
  help: `Writes DIR/profile.yaml (DIR defaults to the current folder). On a terminal it asks for the company's
names, website, contact email, business type and effective date; --yes (or no terminal) takes the defaults.

Options:
  --yes, -y   take every default without asking
  --force     overwrite an existing profile.yaml
  --json      print { ok, profile, slug } as JSON instead of the profile's path`,
  options: { yes: { type: "boolean", short: "y" }, force: { type: "boolean" } },
  takes: { arguments: "give the folder to write profile.yaml in, or leave it out for the current folder" },
  async run({ values, positionals, io }) {
    if (positionals.length > 1) throw new UsageError("init takes at most one folder");
    const dir = resolve(positionals[0] ?? ".");
    const target = join(dir, "profile.yaml");
    refuseTakenTarget(target, values.force === true);
    const interactive = !values.yes && process.stdin.isTTY === true;
    if (!values.yes && !interactive) io.progress("The input is not a terminal, so no question was asked: the profile gets the defaults (edit it, or run init on a terminal).");
    const answers = await ask(interactive, io.err);
    if (answers === "eof" || answers === "interrupt") {
      io.err("init: stopped; nothing was written.");
      return answers === "interrupt" ? EXIT.interrupted : EXIT.usage;
    }
    const preset = PRESETS[answers.kind!]!;
    const slug = slugFromName(answers.shortEn!);
    const q = (s: string) => JSON.stringify(s);
    const template = Handlebars.create().compile(await readFile(join(builtinPaths.templates, "init-profile.yaml.hbs"), "utf8"), { noEscape: true, strict: true });
    const text = template({
      schemaUrl: relative(dir, join(packageRoot, "schema", "profile.schema.json")).split("\\").join("/"),
      profilePath: relative(process.cwd(), target) || "profile.yaml",
      slug,
      nameZh: q(answers.nameZh!), nameEn: q(answers.nameEn!), shortZh: q(answers.shortZh!), shortEn: q(answers.shortEn!),
      addressZh: q("（请填写注册地址）"), addressEn: q("(fill in the registered address)"),
      website: q(answers.website!), email: q(answers.email!),
      productZh: q(`${answers.shortZh}服务`), productEn: q(`the ${answers.shortEn} services`),
      effectiveDate: answers.effectiveDate, ...preset,
    });
    parseProfile(text, target); // what we write must itself be a valid profile
    await writeNamedFile(target, text, "DIR");
    // --json: what a script needs to go on (where the profile is, and the slug its build will publish under)
    io.out(values.json ? JSON.stringify({ ok: true, profile: target, slug }, null, 2) : target);
    io.progress(`Next: edit the address and the collection list, then run \`policypress build ${relative(process.cwd(), target) || "profile.yaml"}\`.`);
    return EXIT.ok;
  },
});

/**
 * What is at DIR/profile.yaml already. A folder was "already exists; pass --force", and then, forced,
 * "DIR names a folder"; a link to nowhere counted as nothing, and the profile was written where it led.
 */
function refuseTakenTarget(target: string, force: boolean): void {
  const taken = lstatSync(target, { throwIfNoEntry: false });
  if (taken?.isDirectory())
    throw new PolicyError({ code: "FILE_IS_DIRECTORY", file: displayPath(target), message: "there is a folder named profile.yaml here, where init writes the profile", hint: "Give init another folder, or move this one away." });
  if (taken && !force) throw new UsageError(`${displayPath(target)} already exists; pass --force to overwrite it`);
}

/** The answers, or how the user stopped: Ctrl+D at a question ("eof"), or Ctrl+C ("interrupt"). */
async function ask(interactive: boolean, say: (t: string) => void): Promise<Record<string, string> | "eof" | "interrupt"> {
  const answers: Record<string, string> = {};
  const rl = interactive ? createInterface({ input: process.stdin, output: process.stderr }) : undefined;
  let stopped: "eof" | "interrupt" | undefined;
  rl?.on("close", () => (stopped ??= "eof"));
  // Ctrl+C reaches readline as a key on a terminal: told apart from Ctrl+D, so init exits as a Ctrl+C does (130)
  // (the pending question is ended by a line end: closing the interface would leave its promise unsettled)
  rl?.on("SIGINT", () => {
    stopped = "interrupt";
    rl.write("\n");
  });
  try {
    for (const q of QUESTIONS) {
      const fallback = typeof q.fallback === "function" ? q.fallback(answers) : q.fallback;
      for (;;) {
        const reply = rl ? await rl.question(`${q.ask} [${fallback}]: `).catch(() => undefined) : "";
        if (stopped || reply === undefined) {
          say(""); // the question's line was left open: the message after it starts on a line of its own
          return stopped ?? "eof";
        }
        const answer = reply.trim() || fallback;
        const problem = answerProblem(q.key, answer);
        if (!problem) {
          answers[q.key] = answer;
          break;
        }
        if (!rl) throw new UsageError(`default for "${q.ask}" is invalid: ${problem}`);
        say(`  ${problem}`);
      }
    }
    return answers;
  } finally {
    rl?.removeAllListeners("close");
    rl?.removeAllListeners("SIGINT");
    rl?.close();
  }
}
