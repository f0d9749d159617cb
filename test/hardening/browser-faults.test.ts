import { chmodSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { build } from "../../src/build.js";
import { PolicyError } from "../../src/errors.js";
import { findBrowser, PROFILE_PREFIX } from "../../src/pdf/browser.js";
import { fixtures, tempDir } from "../helpers.js";
import { browsersMatching, childrenOf, leftovers, outputProblems } from "./support.js";

const hasBrowser = "path" in findBrowser({});
const golden = join(fixtures, "golden", "profile.yaml");

/**
 * The browsers this test process launches have profile folders named after its pid: they can be told
 * apart from other tests' and checked to be gone (process and folder) when a build ends.
 */
const mine = join(tmpdir(), `${PROFILE_PREFIX}${process.pid}-`);
const myFolders = () => readdirSync(tmpdir()).filter((n) => n.startsWith(`${PROFILE_PREFIX}${process.pid}-`));

describe("browser faults end with a clear error and no stray Chromium", () => {
  it("a browser that crashes at start: BROWSER_FAILED with what to try, nothing written", async () => {
    const dir = tempDir();
    const fake = join(dir, "chromium");
    writeFileSync(fake, "#!/bin/sh\necho 'Trace/breakpoint trap (core dumped)' >&2\nexit 133\n");
    chmodSync(fake, 0o755);
    const out = join(dir, "out");
    const error = await build({ profiles: [golden], out, formats: ["pdf"], browser: { executablePath: fake }, cache: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyError);
    const [problem, ...others] = (error as PolicyError).problems;
    expect(others).toEqual([]);
    expect(problem).toMatchObject({ code: "BROWSER_FAILED", hint: `Check that it runs: \`${fake} --headless --no-sandbox --dump-dom about:blank\`; or point --browser (or PUPPETEER_EXECUTABLE_PATH) at another Chrome or Chromium.` });
    expect(problem!.message).toMatch(new RegExp(`^the browser ${fake} could not be started: .+`));
    expect(readdirSync(out).filter((n) => n !== ".policypress-cache.json")).toEqual([]);
    expect(myFolders()).toEqual([]);
  });

  it.runIf(hasBrowser)("a build that printed its PDFs leaves no Chromium process behind when it returns", async () => {
    // what lingers for a second or so after (`<defunct>` in ps) are zombies of Chromium's helpers, left
    // for process 1 to reap: they no longer run, and have no command line this check could match
    const out = tempDir();
    await build({ profiles: [golden], out, formats: ["pdf"], locales: ["en"], cache: false });
    expect(browsersMatching(mine)).toEqual([]);
    expect(myFolders()).toEqual([]);
  });

  it.runIf(hasBrowser)("a document that hangs past the time limit: PDF_FAILED after one retry, browser closed", async () => {
    const out = tempDir();
    const started = Date.now();
    const error = await build({ profiles: [golden], out, formats: ["pdf"], locales: ["en"], browser: { timeoutMs: 1 }, cache: false }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect((error as PolicyError).problems).toEqual([
      expect.objectContaining({ code: "PDF_FAILED", message: expect.stringMatching(/^printing golden\/policy\.en\.pdf failed twice: .*[Tt]imeout/), hint: expect.stringContaining("raise the time limit with --pdf-timeout") }),
    ]);
    expect(browsersMatching(mine)).toEqual([]);
    expect(myFolders()).toEqual([]);
    expect(leftovers(out)).toEqual([]);
  });

  it.runIf(hasBrowser)("a browser killed while printing is replaced once: the build still succeeds, and leaves no browser", async () => {
    const out = tempDir();
    let killed: number[] = [];
    const result = await build({
      profiles: [golden],
      out,
      formats: ["pdf"],
      cache: false,
      browser: { concurrency: 2 },
      onProgress: (m) => {
        // after the first PDF, the browser (this process's child, with our profile folder) dies
        if (!m.startsWith("printed ") || killed.length) return;
        killed = childrenOf(process.pid).filter((pid) => browsersMatching(mine).includes(pid));
        for (const pid of killed) process.kill(pid, "SIGKILL");
      },
    });
    expect(killed.length, "no browser was found to kill").toBe(1);
    expect(result.files.filter((f) => f.format === "pdf").map((f) => f.path).sort()).toEqual(["golden/policy.bilingual.pdf", "golden/policy.en.pdf", "golden/policy.zh-CN.pdf"]);
    expect(outputProblems(out)).toEqual([]);
    expect(browsersMatching(mine)).toEqual([]);
    expect(myFolders()).toEqual([]);
  });
});
