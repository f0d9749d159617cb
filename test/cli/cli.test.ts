import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { cli, fixtures, root, tempDir } from "../helpers.js";
import { exitCodeFor } from "../../src/cli/command.js";
import { PolicyError } from "../../src/errors.js";

describe("policypress build (end to end, in a temp folder)", () => {
  const out = tempDir();
  const run = cli(["build", "--out", out, "--formats", "md,html", "--quiet"]);

  it("exits 0 and prints the written files on stdout", () => {
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    // the current policy (6 files, 2 fragments, and 2.0.0's notice as md, html, json), the site (index,
    // archive, feed, sitemap, versions.json) and the two released versions (6, and 6 + their notice's 3)
    expect(run.stdout.trim().split("\n")).toHaveLength(31);
  });

  it("writes zh-CN, en and bilingual Markdown and HTML for the example", () => {
    for (const locale of ["zh-CN", "en", "bilingual"])
      for (const ext of ["md", "html"]) expect(existsSync(join(out, "acme", `policy.${locale}.${ext}`))).toBe(true);
  });

  it("writes a manifest whose hashes and sizes match the files", () => {
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect(manifest.files).toHaveLength(31);
    for (const f of manifest.files) {
      const bytes = readFileSync(join(out, f.path));
      expect(f).toMatchObject({ slug: "acme", bytes: bytes.byteLength });
      // a draft here means a clause the example uses was edited: node examples/acme/rerelease.mjs
      expect(f.version, "the example is a draft: run node examples/acme/rerelease.mjs").toBe(f.path.includes("/versions/1.0.0/") ? "1.0.0" : "2.0.0");
      expect(f.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
      expect(["zh-CN", "en", "bilingual"]).toContain(f.locale);
      expect(["md", "html", "json", "xml"]).toContain(f.format);
      expect(f.profile).toMatch(/examples\/acme\/profile\.yaml$/);
    }
  });

  it("gives the machine-readable result with --json", () => {
    const r = cli(["build", "--out", tempDir(), "--formats", "md", "--json"]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.ok).toBe(true);
    expect(result.files.map((f: { path: string }) => f.path).filter((p: string) => /^acme\/policy\.[^/]+\.md$/.test(p))).toEqual(["acme/policy.bilingual.md", "acme/policy.en.md", "acme/policy.zh-CN.md"]);
  });

  it("lists with --json the shared assets the pages need, as manifest.json does", () => {
    // a pipeline that uploads what --json lists published pages without their stylesheet and fonts
    const out = tempDir();
    const r = cli(["build", "--out", out, "--formats", "md,html", "--json"]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { assets: { path: string; sha256: string; bytes: number }[] };
    expect(result.assets.map((a) => a.path)).toContain("assets/policy.css");
    expect(result.assets).toEqual(JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")).assets);
  });

  it("builds only the locales asked for", () => {
    const dir = tempDir();
    expect(cli(["build", "--out", dir, "--formats", "md", "--locales", "en", "-q"]).code).toBe(0);
    expect(existsSync(join(dir, "acme", "policy.en.md"))).toBe(true);
    expect(existsSync(join(dir, "acme", "policy.zh-CN.md"))).toBe(false);
    expect(existsSync(join(dir, "acme", "policy.bilingual.md"))).toBe(false);
  });
});

describe("exit codes and messages", () => {
  it("exits 1 with file:line messages for a bad profile, and no stack trace", () => {
    const r = cli(["build", join(fixtures, "profiles", "bad-fields.yaml"), "--out", tempDir()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bad-fields.yaml:1  error UNKNOWN_FIELD [compnay]: unknown field "compnay"; did you mean "company"?');
    expect(r.stderr).toContain("8 problems found.");
    expect(r.stderr).not.toMatch(/\s+at .*\.js:\d+/);
  });

  it("reports a profile's schema problem and its unknown clause set in one run, through the build's render task too", () => {
    const r = cli(["build", join(fixtures, "builds", "bad-schema-and-clause-set", "profile.yaml"), "--out", tempDir(), "--formats", "md"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("profile.yaml:13  error INVALID_PROFILE [contact.email]: must be an email address");
    expect(r.stderr).toContain('profile.yaml:18  error UNKNOWN_CLAUSE_SET [clauseSet]: unknown clause set "startup-defualt"; did you mean "startup-default"?');
  });

  it("exits 2 for a usage error", () => {
    const r = cli(["build", "--formats", "docx"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown format "docx"; use md, html or pdf');
    expect(cli(["frobnicate"]).code).toBe(2);
    expect(cli(["build", "--no-such-flag"]).code).toBe(2);
  });

  it("prints help for every command", () => {
    for (const command of ["build", "check", "init", "clauses", "release", "diff", "schema"]) {
      const r = cli([command, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: policypress ${command}`);
    }
  });

  it("check passes on the example and fails on a bad profile", () => {
    expect(cli(["check", "-q"]).code).toBe(0);
    const bad = cli(["check", join(fixtures, "profiles", "bad-missing.yaml"), "--json"]);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).problems[0]).toMatchObject({ code: "MISSING_FIELD", field: "company", line: 2 });
  });

  it("names the profile field a clause needs when the profile lacks it", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "own.md"), `---\nid: own.sdk\ntopic: sdks\ntitle: { zh-CN: SDK, en: SDK }\n---\n:::zh-CN\n第一行。\n我们的 SDK 名为{{product.sdkName}}。\n:::\n\n:::en\nOur SDK is {{product.sdkName}}.\n:::\n`);
    mkdirSync(join(dir, "sets"));
    writeFileSync(join(dir, "sets", "mine.yaml"), "id: mine\ntitle: { zh-CN: 我的, en: Mine }\nsections:\n  - id: sdks\n    clauses: [own.sdk]\n");
    const profile = readFileSync(join(fixtures, "profiles", "good-minimal.yaml"), "utf8") + "clauseSet: mine\nclauses: { dirs: [.] }\n";
    writeFileSync(join(dir, "profile.yaml"), profile);
    const r = cli(["check", join(dir, "profile.yaml")], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("own.md:8  error MISSING_FIELD [product.sdkName]: the zh-CN text uses {{product.sdkName}}, but the profile has no value for it");
    expect(r.stderr).toContain("own.md:12  error MISSING_FIELD [product.sdkName]: the en text uses {{product.sdkName}}");
  });
});

describe("YAML in an own clause folder that is not read", () => {
  const hello = `---\nid: own.hello\ntopic: intro\ntitle: { zh-CN: 问候, en: Hello }\n---\n:::zh-CN\n{{company.name}}向您问好。\n:::\n\n:::en\n{{company.name}} says hello.\n:::\n`;
  const set = "id: mine\ntitle: { zh-CN: 我的, en: Mine }\nsections:\n  - id: intro\n    clauses: [own.hello]\n";
  const profileIn = (dir: string, dirs: string) => {
    writeFileSync(join(dir, "profile.yaml"), readFileSync(join(fixtures, "profiles", "good-minimal.yaml"), "utf8") + `clauseSet: mine\nclauses: { dirs: [${dirs}] }\n`);
    return join(dir, "profile.yaml");
  };

  it("is named by `clauses check --dir`, with an own clause that replaces a built-in one, as a build would say them", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "consent.yaml"), "id: own.consent\ntopic: rights\n");
    writeFileSync(join(dir, "period.md"), hello.replace("id: own.hello", "id: retention.period\nvariant: necessary-period"));
    mkdirSync(join(dir, "sets"));
    writeFileSync(join(dir, "sets", "mine.yaml"), set.replace("id: intro", "id: greeting").replace("own.hello", "retention.period:necessary-period"));
    const r = cli(["clauses", "check", "--dir", dir], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("ok: 209 clauses, 7 clause sets, 52 topics\n");
    expect(r.stderr).toContain('warning: sets/mine.yaml:4  SECTION_NO_TITLE [sections[0].title]: section "greeting" is printed without a heading');
    expect(r.stderr.split("\n").slice(0, 2)).toEqual([
      `warning: CLAUSE_REPLACED: own clause retention.period:necessary-period: period.md replaces the built-in ${join(root, "clauses", "retention", "retention.period.necessary-period.md")}`,
      `warning: consent.yaml  CLAUSE_FILE_NOT_READ: this file is not read: a clause folder (${dir}) is read for clauses (*.md) and, in its "sets" folder, clause sets (sets/*.yaml with "sections:"); this YAML file is neither`,
    ]);
    const json = JSON.parse(cli(["clauses", "check", "--dir", dir, "--json"], { cwd: dir }).stdout);
    expect(json.warnings.map((w: { code: string }) => w.code)).toEqual(["CLAUSE_REPLACED", "CLAUSE_FILE_NOT_READ", "SECTION_NO_TITLE"]);
  });

  it("is named in a warning by build and check, with what such a folder is read for", () => {
    const dir = tempDir();
    const clauses = join(dir, "legal", "clauses");
    mkdirSync(join(clauses, "sets"), { recursive: true });
    mkdirSync(join(clauses, "drafts"));
    writeFileSync(join(clauses, "hello.md"), hello);
    writeFileSync(join(clauses, "sets", "mine.yaml"), set);
    // a lawyer's clause written as YAML, and a set with "section:" misspelt: both used to be skipped without a word
    writeFileSync(join(clauses, "consent.yaml"), "id: own.consent\ntopic: rights\nzh-CN: 您可以撤回同意。\nen: You may withdraw consent.\n");
    writeFileSync(join(clauses, "drafts", "other.yml"), "id: other\nsection:\n  - id: intro\n");
    const profile = profileIn(dir, "legal/clauses");
    const warning = (file: string) =>
      `warning: legal/clauses/${file}  CLAUSE_FILE_NOT_READ: this file is not read: a clause folder (legal/clauses) is read for clauses (*.md) and, in its "sets" folder, clause sets (sets/*.yaml with "sections:"); this YAML file is neither\n` +
      `    hint: A clause is a Markdown file (docs/clause-format.md); a clause set goes in legal/clauses/sets/${file.split("/").pop()} and lists "sections:"; anything else belongs outside the clause folder.`;
    const built = cli(["build", profile, "--out", join(dir, "out"), "--formats", "md", "--quiet"], { cwd: dir });
    expect(built.code).toBe(0);
    expect(built.stderr).toContain(warning("consent.yaml"));
    expect(built.stderr).toContain(warning("drafts/other.yml"));
    expect(built.stderr).not.toContain("sets/mine.yaml  CLAUSE_FILE_NOT_READ");
    const checked = cli(["check", profile], { cwd: dir });
    expect(checked.stderr).toContain(warning("consent.yaml"));
    const json = JSON.parse(cli(["check", profile, "--json"], { cwd: dir }).stdout) as { warnings: { code: string; file: string }[] };
    expect(json.warnings.map((w) => `${w.code} ${w.file}`)).toEqual(["CLAUSE_FILE_NOT_READ legal/clauses/consent.yaml", "CLAUSE_FILE_NOT_READ legal/clauses/drafts/other.yml"]);
  });

  it("is not warned about in a clause folder that is the profile's own folder (dirs: [.]): the profile and its neighbours belong there", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "sets"));
    writeFileSync(join(dir, "hello.md"), hello);
    writeFileSync(join(dir, "sets", "mine.yaml"), set);
    writeFileSync(join(dir, "other-profile.yaml"), readFileSync(join(fixtures, "profiles", "good-minimal.yaml"), "utf8"));
    const profile = profileIn(dir, ".");
    const built = cli(["build", profile, "--out", join(dir, "..", `${dir.split("/").pop()}-out`), "--formats", "md", "--quiet"], { cwd: dir });
    expect(built.code).toBe(0);
    expect(built.stderr).not.toContain("CLAUSE_FILE_NOT_READ");
  });

  it("is warned about in a clause folder above the profile's (dirs: [..]), outside the profile's own folder", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "sets"));
    mkdirSync(join(dir, "acme"));
    writeFileSync(join(dir, "hello.md"), hello);
    writeFileSync(join(dir, "sets", "mine.yaml"), set);
    writeFileSync(join(dir, "consent.yaml"), "id: own.consent\ntopic: rights\nzh-CN: 您可以撤回同意。\nen: You may withdraw consent.\n");
    // beside the profile: its own folder, where other YAML belongs
    writeFileSync(join(dir, "acme", "ci.yaml"), "steps: []\n");
    const profile = profileIn(join(dir, "acme"), "..");
    const built = cli(["build", profile, "--out", join(dir, "..", `${dir.split("/").pop()}-out`), "--formats", "md", "--quiet"], { cwd: dir });
    expect(built.code).toBe(0);
    expect(built.stderr).toContain(
      `warning: consent.yaml  CLAUSE_FILE_NOT_READ: this file is not read: a clause folder (${dir}) is read for clauses (*.md) and, in its "sets" folder, clause sets (sets/*.yaml with "sections:"); this YAML file is neither\n` +
        '    hint: A clause is a Markdown file (docs/clause-format.md); a clause set goes in sets/consent.yaml and lists "sections:"; anything else belongs outside the clause folder.',
    );
    expect(built.stderr).not.toContain("acme/ci.yaml  CLAUSE_FILE_NOT_READ");
    expect(built.stderr).not.toContain("acme/profile.yaml  CLAUSE_FILE_NOT_READ");
  });
});

describe("build --out at the root of the file system", () => {
  it("is refused as a usage mistake (exit 2) before anything is written, not blamed on the slug", () => {
    const r = cli(["build", "--out", "/", "--formats", "md"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--out / is the root of the file system; give a folder for the site, e.g. --out output");
    expect(r.stderr).not.toContain("UNSAFE_PATH");
    expect(existsSync("/manifest.json")).toBe(false);
  });
});

describe("policypress init", () => {
  it("writes a valid, commented starter profile with --yes, and refuses to overwrite it", () => {
    const dir = tempDir();
    const r = cli(["init", dir, "--yes"]);
    expect(r.code).toBe(0);
    const text = readFileSync(join(dir, "profile.yaml"), "utf8");
    expect(text).toContain("# yaml-language-server: $schema=");
    // the one thing left to fill in: the registered address, which check reports until it is written
    const check = cli(["check", join(dir, "profile.yaml"), "-q"]);
    expect(check.code).toBe(1);
    expect([...check.stderr.matchAll(/error (\w+) \[([\w.-]+)\]/g)].map((m) => `${m[1]} ${m[2]}`)).toEqual(["UNRESOLVED_PLACEHOLDER company.address.zh-CN", "UNRESOLVED_PLACEHOLDER company.address.en"]);
    writeFileSync(join(dir, "profile.yaml"), text.replace(/address: .*/, "address: { zh-CN: 深圳市南山区科技园1号, en: \"1 Science Park, Nanshan District, Shenzhen\" }"));
    expect(cli(["check", join(dir, "profile.yaml"), "-q"]).code).toBe(0);
    expect(cli(["init", dir, "--yes"]).code).toBe(2);
    // with no terminal and no --yes, it says that nothing was asked
    const piped = cli(["init", join(dir, "piped")]);
    expect(piped.code).toBe(0);
    expect(piped.stderr).toContain("The input is not a terminal, so no question was asked");
    expect(cli(["build", join(dir, "profile.yaml"), "--out", join(dir, "out"), "--formats", "md", "-q"]).code).toBe(0);
  });
});

describe("an empty path or value (an unset variable in a script)", () => {
  it("is a usage error saying what to pass, never the current folder or the default", () => {
    // the current folder holds a clause file and a clause set: `--dir ""` used to load them as a clause folder
    const cwd = tempDir();
    mkdirSync(join(cwd, "sets"));
    writeFileSync(join(cwd, "sets", "mine.yaml"), "id: mine\ntitle: { zh-CN: 我的, en: Mine }\nsections: []\n");
    const cases: [string[], string][] = [
      [["clauses", "sets", "--dir", ""], "--dir is empty; give a folder of your own clauses, e.g. --dir legal/clauses (the current folder: --dir .)"],
      [["clauses", "--dir", "own", "--dir", ""], "--dir is empty; give a folder of your own clauses"],
      [["clauses", "matrix", "--html", ""], "--html is empty; give the file to write the matrix page to, e.g. --html matrix.html"],
      [["build", "--out", "", "--formats", "md"], "--out is empty; give the output folder, e.g. --out public/legal, or drop --out for the default folder, output"],
      [["build", "--browser", ""], "--browser is empty; give the path of a Chrome or Chromium binary, or drop --browser to use the one found"],
      [["build", "--browser-ws", ""], "--browser-ws is empty; give the address of a running browser"],
      [["build", "--base", ""], "--base is empty; give the path the output folder is published under, e.g. --base /legal/, or drop --base for /"],
      [["build", ""], 'an argument is empty (""); give the path of a profile.yaml, or no profile for the bundled example'],
      [["check", "--html", ""], "--html is empty; give the file to write the page to, e.g. --html compliance.html"],
      [["schema", "--out", ""], "--out is empty; give the file to write, e.g. --out profile.schema.json, or drop --out to print the schema"],
      [["init", "", "--yes"], 'an argument is empty (""); give the folder to write profile.yaml in, or leave it out for the current folder'],
      [["diff", "--from", ""], "--from is empty; give it a value (see policypress diff --help), or drop it"],
    ];
    for (const [args, message] of cases) {
      const r = cli(args, { cwd });
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toContain(message);
    }
    // nothing was written where an empty path would have pointed
    expect(existsSync(join(cwd, "profile.yaml"))).toBe(false);
    expect(existsSync(join(cwd, "output"))).toBe(false);
  });
});

describe("policypress clauses, asked what it cannot do", () => {
  it("refuses an option or argument that would be ignored, and suggests the clause or topic meant", () => {
    const cases: [string[], string][] = [
      [["clauses", "show", "collection.list", "retention.period"], "clauses show takes one clause id (got 2: collection.list retention.period)"],
      [["clauses", "list", "--html", "x.html"], "clauses list does not take --html"],
      [["clauses", "show", "retention.perod"], 'no clause "retention.perod"; did you mean retention.period?'],
      [["clauses", "show", "retention.period:nosuch"], 'no clause "retention.period:nosuch"; its variants: '],
      [["clauses", "list", "--topic", "rigths"], 'unknown topic "rigths"; did you mean rights?'],
      [["check", "--json", "--markdown"], "give --json or --markdown, not both"],
    ];
    for (const [args, message] of cases) {
      const r = cli(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toContain(message);
    }
  });

  it("refuses a --jobs or --shard that is not plain digits or past an exact number, and a --browser-ws that is no ws:// address, as usage errors", () => {
    // "0x2" and "1e1" were taken as thread counts; a shard count past 2^53 was build()'s BAD_OPTION, exit 1
    const cases: [string[], string][] = [
      [["--jobs", "0x2"], '--jobs takes a number of threads from 1 to 64, not "0x2"'],
      [["--jobs", "1e1"], '--jobs takes a number of threads from 1 to 64, not "1e1"'],
      [["--shard", "1/99999999999999999999"], '--shard takes I/N with 1 <= I <= N, e.g. 2/4, not "1/99999999999999999999"'],
      // refused once every profile was rendered, exit 1 (BROWSER_FAILED: Invalid URL)
      [["--browser-ws", "127.0.0.1:9222"], '--browser-ws takes the address of a running browser, ws://HOST:PORT/devtools/browser/..., not "127.0.0.1:9222"'],
      [["--browser-ws", "http://127.0.0.1:9222/"], '--browser-ws takes the address of a running browser, ws://HOST:PORT/devtools/browser/..., not "http://127.0.0.1:9222/"'],
    ];
    for (const [args, message] of cases) {
      const r = cli(["build", ...args, "--formats", "md", "--out", tempDir(), "--json"]);
      expect([r.code, JSON.parse(r.stdout).problems[0].message], args.join(" ")).toEqual([2, message]);
    }
  });

  it("exits 2 for an option value the library refuses (BAD_OPTION) that the command did not catch first", () => {
    expect(exitCodeFor(new PolicyError({ code: "BAD_OPTION", field: "shard.count", message: "build option shard.count is too big" }))).toBe(2);
    expect(exitCodeFor(new PolicyError([{ code: "BAD_OPTION", message: "x" }, { code: "INVALID_PROFILE", message: "y" }]))).toBe(1);
  });

  it("with --json, gives an internal error as JSON on stdout too (stdout was empty)", () => {
    // a command that fails as no user's mistake does, run by the real runCommand in its own process
    const script = `import { runCommand, defineCommand } from ${JSON.stringify(join(root, "dist", "cli", "command.js"))};
      const broken = defineCommand({ name: "broken", summary: "", usage: "broken", help: "", options: {}, run: async () => { throw new Error("boom"); } });
      process.exitCode = await runCommand(broken, process.argv.slice(1));`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script, "--", "--json"], { encoding: "utf8" });
    expect(r.status).toBe(70);
    expect(JSON.parse(r.stdout)).toEqual({ ok: false, problems: [{ code: "INTERNAL", message: "internal error: boom", hint: "Run again with --debug for the stack trace, and report it with the command you ran." }] });
    expect(r.stderr).toContain("policypress broken: internal error: boom");
  });

  it("with --json, gives a usage mistake as JSON on stdout too", () => {
    // an unknown command too: its stdout was empty
    for (const args of [["build", "--shard", "abc", "--json"], ["build", "--no-such-option", "--json"], ["biuld", "--json"]]) {
      const r = cli(args);
      expect(r.code).toBe(2);
      expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, problems: [{ code: "USAGE" }] });
    }
  });

  it("shows a clause's fields by their full path, and says when a topic has no clause yet", () => {
    expect(cli(["clauses", "show", "collection.scenarios:bulleted"]).stdout).toMatch(/^fields: +collection, collection\.scenario, collection\.purpose/m);
    const empty = cli(["clauses", "list", "--topic", "collection.invoices-contracts"]);
    expect(empty.code).toBe(0);
    expect(empty.stderr).toContain("no clause of the library has the topic collection.invoices-contracts yet");
  });

  it("searches within a topic with --topic", () => {
    const all = JSON.parse(cli(["clauses", "search", "个人信息", "--json"]).stdout) as { topic: string }[];
    const cookies = JSON.parse(cli(["clauses", "search", "个人信息", "--topic", "children", "--json"]).stdout) as { topic: string }[];
    expect(all.some((c) => !c.topic.startsWith("children"))).toBe(true);
    expect(cookies.length).toBeGreaterThan(0);
    expect(cookies.every((c) => c.topic.startsWith("children"))).toBe(true);
  });
});

describe("policypress clauses", () => {
  it("lists by topic, shows one clause, searches both languages", () => {
    const list = cli(["clauses"]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain("collection.list:default");
    const show = cli(["clauses", "show", "collection.list"]);
    expect(show.stdout).toContain("[zh-CN]");
    expect(show.stdout).toContain("[en]");
    expect(show.stdout).toMatch(/law:\s+PIPL-17/);
    expect(cli(["clauses", "search", "第三方软件开发工具包"]).stdout).toContain("sdks.list:default");
    expect(cli(["clauses", "search", "software development kits"]).stdout).toContain("sdks.list:default");
  });

  it("lines up the matrix's columns under a source whose name is longer than the five", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "citations.yaml"), "sources:\n  - { id: our-2023-privacy-policy, name: ours, names: [一] }\n");
    writeFileSync(join(dir, "a.md"), '---\nid: own.mx\ntopic: intro\ntitle: { zh-CN: 甲, en: A }\nsources: [{ policy: our-2023-privacy-policy, section: "一" }]\n---\n:::zh-CN\n甲。\n:::\n\n:::en\nA.\n:::\n');
    const [head, intro] = cli(["clauses", "matrix", "--dir", dir]).stdout.split("\n");
    expect(head).toMatch(/^topic +creality +faceunity +our-2023-privacy-policy ppio +ruiyun +zego$/);
    // each count starts where its source's name does
    for (const source of ["our-2023-privacy-policy", "ppio", "zego"]) expect(intro![head!.indexOf(source)]).toMatch(/[0-9·]/);
    expect(intro!.slice(head!.indexOf("ppio") - 1, head!.indexOf("ppio") + 1)).toBe(" 3");
  });

  it("writes the topic-by-source matrix as an HTML page", () => {
    const file = join(tempDir(), "matrix.html");
    const r = cli(["clauses", "matrix", "--html", file]);
    expect(r.code).toBe(0);
    expect(readFileSync(file, "utf8")).toContain("<table>");
  });
});

describe("terminal escape sequences in what a command prints", () => {
  // a clause folder shared by others, or an argument pasted from a web page, must not drive the terminal
  const dir = tempDir();
  writeFileSync(join(dir, "esc.md"), '---\nid: own.esc\ntopic: intro\ntitle: { zh-CN: "\\e]0;pwned\\a标题", en: "\\e[2J\\rTitle" }\n---\n:::zh-CN\n甲。\n:::\n\n:::en\nA.\n:::\n');

  it("shows a control character of a clause title or an argument as \\u001B, on stdout and in messages", () => {
    const list = cli(["clauses", "list", "--dir", dir, "--topic", "intro"]);
    expect(list.stdout).toContain("own.esc:default                                      \\u001B]0;pwned\\u0007标题 / \\u001B[2J\\u000DTitle\n");
    const show = cli(["clauses", "show", "own.\u001b[31mx\u009b", "--dir", dir]);
    expect(show.code).toBe(2);
    expect(show.stderr.split("\n")[0]).toBe('policypress clauses: no clause "own.\\u001B[31mx\\u009B" (try `policypress clauses search`)');
    expect(cli(["\u001b[2J"]).stderr.split("\n")[0]).toBe('policypress: unknown command "\\u001B[2J"');
  });

  it("keeps --json the same value: the escape is JSON's own", () => {
    const r = cli(["clauses", "show", "own.esc", "--dir", dir, "--json"]);
    expect(r.stdout).not.toMatch(/[\u001b\u0007\r]/);
    expect(JSON.parse(r.stdout).title).toEqual({ "zh-CN": "\u001b]0;pwned\u0007标题", en: "\u001b[2J\rTitle" });
  });
});

describe("policypress diff on the example", () => {
  it("prints the notice between its two releases, a lawyer's letter in both languages", () => {
    const r = cli(["diff", "--to", "2.0.0"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("1.0.0 → 2.0.0");
    expect(r.stdout).toContain("我们于2026年11月20日更新了《隐私政策》，主要变更如下：");
    expect(r.stdout).toContain("2. New third-party SDK: Getui Push SDK (Daily Interactive Co., Ltd.), to send notifications to the app");
    expect(r.stdout).toContain("**重大变更 / Material change**");
  });

  it("prints JSON with --json, as every command's --json does (it printed the Markdown notice)", () => {
    const r = cli(["diff", "--to", "2.0.0", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(cli(["diff", "--to", "2.0.0", "--format", "json"]).stdout));
    const both = cli(["diff", "--json", "--format", "md"]);
    expect([both.code, JSON.parse(both.stdout).problems[0].message]).toEqual([2, "--json prints the notice as JSON; it cannot go with --format md"]);
  });

  it("--format html stands alone: its stylesheet inside it, no link to a stylesheet or page that is not beside it", () => {
    const r = cli(["diff", "--to", "2.0.0", "--format", "html"]);
    expect(r.code).toBe(0);
    // saved anywhere (`> notice.html`), it linked assets/policy.css and policy.en.html, found nowhere
    expect(r.stdout).not.toMatch(/\s(href|src)="/);
    expect(r.stdout).toMatch(/<style>\n[^<]*\.materiality\.material \{[^<]*<\/style>/);
    expect(r.stdout).toContain("<del>删除 / deleted</del>");
    expect(r.stdout).not.toContain("Clean copy");
  });
});

describe("policypress clauses with an own clause holding control characters", () => {
  it("shows them escaped in list, show and search, never sends them to the terminal", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "odd.md"), '---\nid: own.odd\ntopic: rights\ntitle: { zh-CN: "\\e[2J甲", en: "A\\u202Eb" }\n---\n:::zh-CN\n甲\u001b[31m乙\n:::\n\n:::en\nA odd\u001b[31m text\n:::\n');
    for (const args of [["list", "--topic", "rights"], ["show", "own.odd"], ["search", "odd"]]) {
      const r = cli(["clauses", ...args, "--dir", dir]);
      expect(r.code, args[0]).toBe(0);
      expect(r.stdout, args[0]).not.toMatch(/[\u001b\u202e]/);
    }
    expect(cli(["clauses", "show", "own.odd", "--dir", dir]).stdout).toContain("title:      \\u001B[2J甲 / A\\u202Eb");
  });
});
