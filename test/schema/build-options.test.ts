import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { build } from "../../src/build.js";
import type { PolicyError } from "../../src/errors.js";
import { buildOptionProblems } from "../../src/schema/build-options.js";
import { cli, tempDir } from "../helpers.js";

describe("build() checks its options before reading or writing anything", () => {
  it("names each wrong option, as the CLI would", () => {
    const problems = buildOptionProblems({ formats: ["docx"], locales: [], siteUrl: "javascript:alert(1)", base: "https://cdn.example/x/", shard: { index: 3, count: 2 }, profiles: "a.yaml", jobs: 0 });
    expect(problems.map((p) => `${p.code} ${p.field}`)).toEqual([
      "BAD_OPTION profiles", "BAD_OPTION formats.0", "BAD_OPTION locales", "BAD_OPTION base", "BAD_OPTION siteUrl", "BAD_OPTION jobs", "BAD_OPTION shard",
    ]);
    expect(buildOptionProblems({ formats: ["md"], locales: ["en"], base: "/legal/", siteUrl: "https://example.com", onProgress: () => {}, browser: { paper: "A4" } })).toEqual([]);
  });

  it("says a wrong shard or lock wait in words, not in zod's default English (\"Too small: expected number to be >=1\")", () => {
    expect(buildOptionProblems({ shard: { index: 1, count: 0 }, lockWaitMs: -1 }).map((p) => p.message)).toEqual([
      "build option shard.count must be at least 1",
      "build option shard index must be from 1 to count",
      "build option lockWaitMs must be 0 or more milliseconds",
    ]);
    // a value of the wrong type, as a script passing on a string from its own options would
    expect(buildOptionProblems({ cache: "no", lockWaitMs: "5" }).map((p) => p.message)).toEqual([
      "build option cache is not valid (must be true or false)",
      "build option lockWaitMs is not valid (must be a number of milliseconds)",
    ]);
  });

  it("says what keeps a siteUrl from being an origin: a query, a fragment, a user name or password, a path", () => {
    const said = (siteUrl: string) => buildOptionProblems({ siteUrl }).map((p) => p.message);
    expect(said("https://example.com/p?x=1")).toEqual([
      "build option siteUrl must be an origin such as https://example.com, without a query (?x=1): the canonical links, sitemap and feed add each page's path to the origin, so it would end up in the middle of every one of them",
    ]);
    expect(said("https://me:secret@example.com")).toEqual(["build option siteUrl must be an origin such as https://example.com, without a user name or password (it would be published in every canonical link, sitemap and feed)"]);
    expect(said("https://example.com/legal")).toEqual(["build option siteUrl must be an origin such as https://example.com (a path goes in base / --base)"]);
    expect(said("https://example.com:8443")).toEqual([]);
  });

  it("refuses a paper size it cannot measure the running header against", () => {
    expect(buildOptionProblems({ browser: { paper: "Legal" } }).map((p) => `${p.code} ${p.field}`)).toEqual(["BAD_OPTION browser.paper"]);
    expect(buildOptionProblems({ browser: { paper: "Letter", executablePath: "/usr/bin/chromium" } })).toEqual([]);
  });

  it("names an option it does not know, with the one it looks like, instead of ignoring it", () => {
    // { output } was ignored: the build went to ./output; { format } too: all three formats were built
    const problems = buildOptionProblems({ output: "public/legal", format: ["md"], browser: { executablepath: "/usr/bin/chromium", paper: "A4" } });
    expect(problems.map((p) => `${p.code} ${p.field}: ${p.message}`).sort()).toEqual([
      'BAD_OPTION browser.executablepath: unknown build option "browser.executablepath"; did you mean "browser.executablePath"?',
      'BAD_OPTION format: unknown build option "format"; did you mean "formats"?',
      'BAD_OPTION output: unknown build option "output"',
    ]);
    expect(problems.find((p) => p.field === "output")!.hint).toContain("Options allowed here: profiles, out, formats");
  });

  it("refuses a PDF time limit a timer cannot hold, and settings of the wrong type", () => {
    // setTimeout fires at once past 2^31 - 1 ms: a long limit made every PDF fail at once
    const problems = buildOptionProblems({ onProgress: "yes", browser: { timeoutMs: 1e12, concurrency: 0, executablePath: 42 } });
    expect(problems.map((p) => `${p.code} ${p.field}`).sort()).toEqual(["BAD_OPTION browser.concurrency", "BAD_OPTION browser.executablePath", "BAD_OPTION browser.timeoutMs", "BAD_OPTION onProgress"]);
    expect(buildOptionProblems({ browser: { timeoutMs: 60_000, concurrency: 2, browserWSEndpoint: "ws://127.0.0.1:9222/devtools/browser/x" } })).toEqual([]);
    expect(buildOptionProblems({ browser: { browserWSEndpoint: "127.0.0.1:9222" } }).map((p) => p.message)).toEqual([
      "build option browser.browserWSEndpoint must be the address of a running browser, ws://HOST:PORT/devtools/browser/... (or wss://)",
    ]);
  });

  it("refuses an empty list of profiles instead of building the bundled example into the caller's folder", async () => {
    // a pipeline whose glob found no profile published the example company's policy (Acme) as its own
    const out = tempDir();
    const error = await build({ profiles: [], out, formats: ["md"] }).catch((e: unknown) => e as PolicyError);
    expect(error).toMatchObject({ name: "PolicyError", code: "BAD_OPTION", field: "profiles" });
    expect(readdirSync(out)).toEqual([]);
  });

  it("throws a PolicyError and writes nothing (an empty formats list used to empty the manifest)", async () => {
    const out = tempDir();
    const error = await build({ out, formats: [] }).catch((e: unknown) => e as PolicyError);
    expect(error).toMatchObject({ name: "PolicyError", code: "BAD_OPTION", field: "formats" });
  });
});

describe("the CLI's list and address options", () => {
  it("refuses an empty --formats or --locales, a web address as --base and a path in --site-url (exit 2)", () => {
    const out = tempDir();
    const cases: [string[], string][] = [
      [["--formats", ""], "--formats is empty; give one or more of md, html, pdf"],
      [["--locales", ","], "--locales is empty; give one or more of zh-CN, en"],
      [["--base", "https://cdn.example/x/"], "--base must be a path such as /legal/, not a web address"],
      [["--base", "../../"], "--base must not hold . or .. segments"],
      [["--site-url", "https://x.example/legal"], "--site-url takes the site's origin (https://x.example); give the path with --base /legal"],
      // a query was said to be a path, with "give the path with --base /p" (or "--base /" for none)
      [["--site-url", "https://x.example/p?x=1"], `--site-url takes the site's origin, not "https://x.example/p?x=1", which holds a query (?x=1): the canonical links, sitemap and feed add each page's path to the origin, so it would end up in the middle of every one of them; give --site-url https://x.example --base /p\n`],
      [["--site-url", "https://x.example/#top"], `--site-url takes the site's origin, not "https://x.example/#top", which holds a fragment (#top): the canonical links, sitemap and feed add each page's path to the origin, so it would end up in the middle of every one of them; give --site-url https://x.example\n`],
      // dropped without a word before
      [["--site-url", "https://me:secret@x.example"], `--site-url takes the site's origin, not "https://me:secret@x.example", which holds a user name or password (it would be published in every canonical link, sitemap and feed); give --site-url https://x.example\n`],
      // 1e9 s is past what a timer holds: it fired at once, and the build failed with BROWSER_FAILED (exit 1)
      [["--pdf-timeout", "1e9"], "--pdf-timeout takes a number of seconds, more than 0 and at most 2147483"],
      [["--pdf-timeout", "Infinity"], "--pdf-timeout takes a number of seconds"],
    ];
    for (const [args, message] of cases) {
      const r = cli(["build", "--out", out, ...args]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toContain(message);
    }
  });
});
