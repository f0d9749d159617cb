import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bin, cli, tempDir } from "../helpers.js";
import { answerProblem, mailDomainOf, slugFromName } from "../../src/cli/init.js";
import { emailSchema, webUrlSchema } from "../../src/schema/primitives.js";

describe("init's defaults are answers its own questions accept", () => {
  it("offers a privacy address at a Chinese domain name that the email question takes", () => {
    for (const website of ["https://www.例子.中国/p", "https://示例.中国", "https://www.example.com:8443/legal"]) {
      expect(webUrlSchema.safeParse(website).success, website).toBe(true);
      const email = `privacy@${mailDomainOf(website)}`;
      expect(emailSchema.safeParse(email).success, email).toBe(true);
    }
    expect(mailDomainOf("https://www.例子.中国/p")).toBe("xn--fsqu00a.xn--fiqs8s");
    expect(mailDomainOf("https://www.example.com:8443/legal")).toBe("example.com");
  });

  it("makes the slug from the English short name: accents dropped, at most 63 characters", () => {
    expect(slugFromName("Ünïcode Ltd")).toBe("unicode-ltd");
    expect(slugFromName("Société Générale")).toBe("societe-generale");
    expect(slugFromName("示例")).toBe("my-company");
    const long = slugFromName("Verylongword".repeat(10));
    expect(long).toMatch(/^[a-z0-9][a-z0-9-]{0,62}$/);
  });
});

describe("init's answers", () => {
  it("refuses an answer a terminal not set to UTF-8 sent (its bytes decode to U+FFFD), as text the schema would take", () => {
    const gbk = new TextDecoder().decode(Buffer.from([0xca, 0xbe, 0xc0, 0xfd, ...Buffer.from("公司")])); // 示例 in GBK
    expect(answerProblem("nameZh", gbk)).toBe("not UTF-8 text (\uFFFD marks what could not be read): set the terminal to UTF-8 and answer again");
    expect(answerProblem("email", "privacy@\uFFFD.com")).toBe("not UTF-8 text (\uFFFD marks what could not be read): set the terminal to UTF-8 and answer again");
    expect(answerProblem("nameZh", "示例公司")).toBeUndefined();
    expect(answerProblem("kind", "5")).toBe("answer 1, 2, 3 or 4");
  });
});

describe("init's target", () => {
  it("a folder named profile.yaml is said so, with or without --force; a link to nowhere is a file that exists", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "taken", "profile.yaml"), { recursive: true });
    const folderMessage = `${join(dir, "taken", "profile.yaml")}  error FILE_IS_DIRECTORY: there is a folder named profile.yaml here, where init writes the profile\n    hint: Give init another folder, or move this one away.\n`;
    for (const args of [["--yes"], ["--yes", "--force"]]) {
      const r = cli(["init", join(dir, "taken"), ...args]);
      expect([r.code, r.stderr]).toEqual([1, folderMessage]);
    }
    // the link was not seen, and the profile was written where it led
    mkdirSync(join(dir, "linked"));
    symlinkSync(join(dir, "elsewhere", "p.yaml"), join(dir, "linked", "profile.yaml"));
    const linked = cli(["init", join(dir, "linked"), "--yes"]);
    expect(linked.code).toBe(2);
    expect(linked.stderr).toContain(`policypress init: ${join(dir, "linked", "profile.yaml")} already exists; pass --force to overwrite it\n`);
  });
});

// a terminal, through util-linux's script(1): init asks only when its input is one
const hasScript = spawnSync("script", ["--version"]).status === 0;

describe.runIf(hasScript)("init on a terminal", () => {
  it("stopped with Ctrl-D at a question, says so on a line of its own and writes nothing", async () => {
    // the message was glued to the open question: "Company legal name (English) [...]: init: stopped; ..."
    const dir = tempDir();
    const child = spawn("script", ["-qec", `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} init ${JSON.stringify(dir)}`, "/dev/null"]);
    const closed = new Promise((r) => child.on("close", r));
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    const waitFor = async (text: string) => {
      for (let i = 0; i < 200 && !out.includes(text); i++) await new Promise((r) => setTimeout(r, 50));
    };
    await waitFor("公司全称");
    child.stdin.write("Acme\r");
    await waitFor("Company legal name");
    child.stdin.write("\u0004");
    await waitFor("init: stopped");
    child.stdin.end();
    await closed;
    expect(out).toMatch(/Company legal name \(English\) \[[^\]]*\]: [^\n]*\r?\n+init: stopped; nothing was written\./);
    expect(existsSync(join(dir, "profile.yaml"))).toBe(false);
  });

  it("stopped with Ctrl-C, exits as an interrupted command does (130), not as a usage mistake (2)", async () => {
    const dir = tempDir();
    // script -e exits with the command's own code
    const child = spawn("script", ["-qec", `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} init ${JSON.stringify(dir)}`, "/dev/null"]);
    const code = new Promise<number | null>((r) => child.on("close", r));
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    for (let i = 0; i < 200 && !out.includes("公司全称"); i++) await new Promise((r) => setTimeout(r, 50));
    child.stdin.write("\u0003");
    expect(await code).toBe(130);
    expect(out).toContain("init: stopped; nothing was written.");
    expect(existsSync(join(dir, "profile.yaml"))).toBe(false);
  });
});

describe("init --json", () => {
  it("prints what a script needs as JSON on stdout, and nothing else there", () => {
    const dir = join(tempDir(), "co");
    const r = cli(["init", dir, "--yes", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ ok: true, profile: join(dir, "profile.yaml"), slug: "example-technology" });
    expect(existsSync(join(dir, "profile.yaml"))).toBe(true);
  });
});
