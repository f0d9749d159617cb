import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { createInterface } from "node:readline/promises";
import Handlebars from "handlebars";
import { parseProfile } from "../load/profile.js";
import { builtinPaths, packageRoot } from "../paths.js";
import { defineCommand, EXIT, UsageError } from "./command.js";
import { writeNamedFile } from "../output-guard.js";

interface Question {
  key: string;
  ask: string;
  fallback: string | ((answers: Record<string, string>) => string);
  check?: (value: string) => string | undefined;
}

const today = () => new Date().toISOString().slice(0, 10);

const QUESTIONS: Question[] = [
  { key: "nameZh", ask: "公司全称（中文）", fallback: "示例科技（深圳）有限公司" },
  { key: "nameEn", ask: "Company legal name (English)", fallback: "Example Technology (Shenzhen) Co., Ltd." },
  { key: "shortZh", ask: "公司简称（中文）", fallback: (a) => a.nameZh!.replace(/（.*?）|有限公司|股份|科技/g, "") || a.nameZh! },
  { key: "shortEn", ask: "Short name (English)", fallback: (a) => a.nameEn!.split(/\s+/).slice(0, 2).join(" ") },
  { key: "website", ask: "Website (https://...)", fallback: "https://www.example.com", check: (v) => (/^https?:\/\/[^\s/]+\.[^\s]+$/.test(v) ? undefined : "must start with https://") },
  { key: "email", ask: "Privacy contact email", fallback: (a) => `privacy@${a.website!.replace(/^https?:\/\/(www\.)?/, "").split("/")[0]}`, check: (v) => (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) ? undefined : "must be an email address") },
  { key: "kind", ask: "What do you offer? 1 website/app  2 cloud platform  3 SDK for enterprise customers  4 hardware + cloud", fallback: "1", check: (v) => (/^[1-4]$/.test(v) ? undefined : "answer 1, 2, 3 or 4") },
  { key: "effectiveDate", ask: "Effective date (YYYY-MM-DD)", fallback: today, check: (v) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? undefined : "write YYYY-MM-DD") },
];

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
  --force     overwrite an existing profile.yaml`,
  options: { yes: { type: "boolean", short: "y" }, force: { type: "boolean" } },
  async run({ values, positionals, io }) {
    if (positionals.length > 1) throw new UsageError("init takes at most one folder");
    const dir = resolve(positionals[0] ?? ".");
    const target = join(dir, "profile.yaml");
    if (existsSync(target) && !values.force) throw new UsageError(`${target} already exists; pass --force to overwrite it`);
    const interactive = !values.yes && process.stdin.isTTY === true;
    const answers = await ask(interactive, io.err);
    const preset = PRESETS[answers.kind!]!;
    const slug = answers.shortEn!.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "my-company";
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
    io.out(target);
    io.progress(`Next: edit the address and the collection list, then run \`policypress build ${relative(process.cwd(), target) || "profile.yaml"}\`.`);
    return EXIT.ok;
  },
});

async function ask(interactive: boolean, say: (t: string) => void): Promise<Record<string, string>> {
  const answers: Record<string, string> = {};
  const rl = interactive ? createInterface({ input: process.stdin, output: process.stderr }) : undefined;
  try {
    for (const q of QUESTIONS) {
      const fallback = typeof q.fallback === "function" ? q.fallback(answers) : q.fallback;
      for (;;) {
        const answer = rl ? (await rl.question(`${q.ask} [${fallback}]: `)).trim() || fallback : fallback;
        const problem = q.check?.(answer);
        if (!problem) {
          answers[q.key] = answer;
          break;
        }
        if (!rl) throw new UsageError(`default for "${q.ask}" is invalid: ${problem}`);
        say(`  ${problem}`);
      }
    }
  } finally {
    rl?.close();
  }
  return answers;
}
