import { spawn } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { build } from "../../src/build.js";
import { findBrowser } from "../../src/pdf/browser.js";
import { recoverOutput } from "../../src/write.js";
import { fixtures, root, tempDir } from "../helpers.js";
import { browsersUnder, childrenOf, leftovers, outputProblems, startCli, treeHashes, waitUntil } from "./support.js";

const hasBrowser = "path" in findBrowser({});
/** The published files only: what a reader of the output folder sees. */
const published = (out: string) => Object.fromEntries(Object.entries(treeHashes(out)).filter(([p]) => !p.startsWith(".")));

/**
 * Builds killed with SIGKILL (no cleanup runs) at different moments: the output folder must still be
 * the previous build's, whole, and the next build must put the leftovers right.
 */
describe("a build killed with SIGKILL leaves the previous output whole", async () => {
  const dir = tempDir();
  cpSync(join(fixtures, "golden"), join(dir, "p"), { recursive: true, filter: (p) => !p.includes("expected") });
  const profile = join(dir, "p", "profile.yaml");
  const out = join(dir, "out");
  await build({ profiles: [profile], out, formats: ["md", "html"] });
  const before = published(out);
  // the next builds would change every page: a half-swapped output could not pass for the old one
  writeFileSync(profile, readFileSync(profile, "utf8").replace("shortName: { zh-CN: 金样科技, en: Golden Sample }", "shortName: { zh-CN: 新金样, en: New Golden }"));

  it("starts from a whole output", () => {
    expect(outputProblems(out)).toEqual([]);
  });

  const killWhen = async (what: string, args: string[], ready: (pid: number) => boolean, env: Record<string, string> = {}) => {
    const { child, done } = startCli(["build", profile, "--out", out, ...args, "-q"], env);
    await waitUntil(() => ready(child.pid!), 60_000, what, 2);
    child.kill("SIGKILL");
    const result = await done;
    expect(result.code, `${what}: the build finished before it could be killed`).toBe(-1);
    expect(published(out), what).toEqual(before);
    expect(outputProblems(out), what).toEqual([]);
  };

  it("killed while writing its staging folder", async () => {
    await killWhen("a staging folder with files", ["--formats", "md,html"], () =>
      readdirSync(out).some((n) => n.startsWith(".staging-") && existsSync(join(out, n, "golden", "policy.en.md"))),
    );
    expect(leftovers(out).some((n) => n.startsWith(".staging-"))).toBe(true);
  });

  it.runIf(hasBrowser)("killed while printing PDFs: its Chromium exits too", async () => {
    const tmp = tempDir("pp-kill-tmp-");
    await killWhen("a browser printing", ["--formats", "md,html,pdf"], (pid) => childrenOf(pid).length > 0 && browsersUnder(tmp).length > 0, { TMPDIR: tmp });
    // the browser talks to the build over a pipe: with the build gone, it closes by itself
    await waitUntil(() => browsersUnder(tmp).length === 0, 15_000, "the killed build's Chromium to exit", 100);
  });

  it("the next build cleans up what the killed ones left and swaps its output in", async () => {
    const next = await build({ profiles: [profile], out, formats: ["md", "html"], lockWaitMs: 0 });
    expect(next.warnings).toContainEqual(expect.stringMatching(/^removed the lock of an interrupted build \(pid \d+ on this machine/));
    expect(next.warnings).toContainEqual(expect.stringMatching(/^removed the staging folder of an interrupted build \(\.staging-\d+-[\w-]+\)/));
    expect(leftovers(out)).toEqual([]);
    expect(outputProblems(out)).toEqual([]);
    expect(readFileSync(join(out, "golden", "policy.en.md"), "utf8")).toContain("New Golden");
  });
});

/**
 * SIGTERM (a CI cancelling a job, a platform stopping a container) while PDFs print: the browser is
 * closed, then the CLI ends as SIGTERM ends a process (143; it exited 130, SIGINT's code), and a program
 * that calls build() and handles SIGTERM itself is not ended by the library under it: its build fails.
 */
describe.runIf(hasBrowser)("a build stopped with SIGTERM while printing", () => {
  const dir = tempDir();
  cpSync(join(fixtures, "golden"), join(dir, "p"), { recursive: true, filter: (p) => !p.includes("expected") });
  const profile = join(dir, "p", "profile.yaml");

  it("the CLI closes its browser and exits 143", async () => {
    const tmp = tempDir("pp-term-tmp-");
    const { child, done } = startCli(["build", profile, "--out", join(dir, "cli"), "--formats", "pdf", "--no-cache", "-q"], { TMPDIR: tmp });
    await waitUntil(() => browsersUnder(tmp).length > 0, 60_000, "the build's browser", 2);
    child.kill("SIGTERM");
    expect((await done).code).toBe(143);
    await waitUntil(() => browsersUnder(tmp).length === 0, 15_000, "the stopped build's Chromium to exit", 100);
  });

  it("a program that handles SIGTERM itself gets a failed build back, and is not ended by the library", async () => {
    const tmp = tempDir("pp-term-tmp-");
    const host = join(dir, "host.mjs");
    writeFileSync(
      host,
      `import { build } from ${JSON.stringify(join(root, "dist", "index.js"))};
let stopping = false;
process.on("SIGTERM", () => (stopping = true)); // a server's graceful shutdown: finish, then exit
const outcome = await build({ profiles: [${JSON.stringify(profile)}], out: ${JSON.stringify(join(dir, "host"))}, formats: ["pdf"], cache: false }).then(() => "built", (e) => e.code);
console.log(JSON.stringify({ stopping, outcome }));
process.exit(0);
`,
    );
    const child = spawn(process.execPath, [host], { env: { ...process.env, TMPDIR: tmp } });
    let stdout = "";
    child.stdout.on("data", (d) => (stdout += d));
    const code = new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
    await waitUntil(() => browsersUnder(tmp).length > 0, 60_000, "the build's browser", 2);
    child.kill("SIGTERM");
    expect(await code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ stopping: true, outcome: "INTERRUPTED" });
    await waitUntil(() => browsersUnder(tmp).length === 0, 15_000, "the stopped build's Chromium to exit", 100);
  });
});

/**
 * The swap itself is a few renames; the worst moment to die is between moving the old folder aside and
 * moving the new one in (the profile's folder is missing then). The staging folder has its plan: the
 * next build (recoverOutput, holding the lock) finishes that swap, so the output is whole.
 * (A swap that fails with an error, rather than being killed, is undone: swap-failure.test.ts.)
 */
describe("a build killed in the middle of the swap", async () => {
  const crash = join(root, "test", "hardening", "crash-at-rename.mjs");
  const dir = tempDir();
  cpSync(join(fixtures, "golden"), join(dir, "p"), { recursive: true, filter: (p) => !p.includes("expected") });
  const profile = join(dir, "p", "profile.yaml");
  const out = join(dir, "out");
  await build({ profiles: [profile], out, formats: ["md"] });
  writeFileSync(profile, readFileSync(profile, "utf8").replace("shortName: { zh-CN: 金样科技, en: Golden Sample }", "shortName: { zh-CN: 新金样, en: New Golden }"));
  // rename 1 moves the old folder aside, 2 would move the new one in
  const killed = await startNode([crash, "2", profile, out]);
  const goldenThere = existsSync(join(out, "golden"));

  it("is finished by the next build", async () => {
    expect(killed).toBe("SIGKILL");
    expect(goldenThere, "the old folder is aside, the new not yet in").toBe(false);
    const notes = await recoverOutput(out);
    expect(notes).toEqual([expect.stringMatching(/^finished swapping in the output of an interrupted build/)]);
    expect(outputProblems(out)).toEqual([]);
    expect(readFileSync(join(out, "golden", "policy.en.md"), "utf8")).toContain("New Golden");
    expect(leftovers(out)).toEqual([".policypress.lock"]); // the killed build's; the next build takes it over
  });
});

/** Runs node with `args`; resolves to the signal that ended it (undefined when it exited). */
function startNode(args: string[]): Promise<NodeJS.Signals | null> {
  return new Promise((resolve) => spawn(process.execPath, args, { stdio: "ignore" }).on("close", (_code, signal) => resolve(signal)));
}
