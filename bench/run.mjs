// The benchmark behind `npm run bench` (issue 9). Measures, in one run on this machine, PolicyPress and
// side-by-side baselines for the same work, prints a table and writes bench/results.json.
// Method and figures: docs/performance.md.
//
//   node bench/run.mjs [--profiles N] [--pdf M] [--per-process K] [--sizes 50,200,800] [--repeat R]
//                      [--skip-eleventy] [--skip-pdf] [--skip-memory] [--skip-incremental]
//                      [--quick] [--browser PATH] [--pdf-concurrency C] [--seed S] [--keep]
//                      [--results FILE] [--dist DIR]
//
// --dist DIR benchmarks the compiled package in DIR (a folder holding dist/) instead of this one's dist/;
// --pdf-concurrency sets PolicyPress's PDF pages (browser.concurrency) instead of its default.
//
// It uses the compiled package (dist/; `npm run bench` compiles first), so no TypeScript runner is needed.
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { availableParallelism, arch, cpus, loadavg, platform, release, tmpdir, totalmem } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { generateProfiles } from "./profiles.mjs";

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));
const TASKS = join(ROOT, "bench", "tasks.mjs");
const LOCALES = ["zh-CN", "en", "bilingual"];

// ---------------------------------------------------------------------------------------------- flags
const argv = process.argv.slice(2);
const has = (f) => argv.includes(f);
const val = (f, d) => {
  const i = argv.indexOf(f);
  if (i < 0) return d;
  const v = argv[i + 1];
  if (v === undefined || v.startsWith("--")) usage(`${f} needs a value`);
  return v;
};
const KNOWN = new Set(["--profiles", "--pdf", "--per-process", "--sizes", "--repeat", "--skip-eleventy", "--skip-pdf", "--skip-memory", "--skip-incremental", "--quick", "--browser", "--seed", "--keep", "--results", "--dist", "--pdf-concurrency", "--help"]);
for (const a of argv) if (a.startsWith("--") && !KNOWN.has(a)) usage(`unknown option ${a}`);
if (has("--help")) usage();
function usage(problem) {
  const text = `usage: node bench/run.mjs [--profiles N] [--pdf M] [--per-process K] [--sizes 50,200,800] [--repeat R]
                         [--skip-eleventy] [--skip-pdf] [--skip-memory] [--skip-incremental] [--quick]
                         [--browser PATH] [--pdf-concurrency C] [--seed S] [--keep] [--results FILE] [--dist DIR]`;
  if (problem) {
    console.error(`bench: ${problem}\n${text}`);
    process.exit(2);
  }
  console.log(text);
  process.exit(0);
}
const int = (f, d) => {
  const n = Number(val(f, d));
  if (!Number.isInteger(n) || n < 0) usage(`${f} must be a whole number`);
  return n;
};
const quick = has("--quick");
const opts = {
  quick,
  profiles: int("--profiles", quick ? 12 : 200),
  pdf: int("--pdf", quick ? 2 : 20),
  perProcess: int("--per-process", quick ? 2 : 6),
  sizes: val("--sizes", quick ? "6,12,24" : "50,200,800").split(",").map(Number),
  repeat: Math.max(1, int("--repeat", quick ? 1 : 2)),
  seed: int("--seed", 20261201),
  skipEleventy: has("--skip-eleventy"),
  skipPdf: has("--skip-pdf"),
  skipMemory: has("--skip-memory"),
  skipIncremental: has("--skip-incremental"),
  keep: has("--keep"),
  browser: val("--browser", process.env.PUPPETEER_EXECUTABLE_PATH ?? "/usr/bin/chromium"),
  results: resolve(val("--results", join(ROOT, "bench", "results.json"))),
  dist: resolve(val("--dist", ROOT), "dist"),
  pdfConcurrency: argv.includes("--pdf-concurrency") ? int("--pdf-concurrency", 0) : undefined,
};
if (opts.sizes.some((n) => !Number.isInteger(n) || n < 1)) usage("--sizes takes whole numbers, e.g. 50,200,800");
if (opts.profiles < 1) usage("--profiles must be at least 1");

const log = (m) => process.stderr.write(`bench: ${m}\n`);
const round = (x, d = 0) => (x === undefined || x === null || Number.isNaN(x) ? null : Math.round(x * 10 ** d) / 10 ** d);
const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const median = (xs) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// ------------------------------------------------------------------------------------ child processes
/** Runs one measurement in a fresh Node process (bench/tasks.mjs); resolves with its JSON result. */
/**
 * Before each measurement, what the measurements before it wrote is flushed to the disk (sync(1)), so
 * that no build is timed while the kernel writes back another's files (Eleventy used to run while
 * PolicyPress's 63 MB were written back). And no output is deleted until the end of the run (the work
 * folder goes as a whole): ext4 will not reuse an inode deleted in the last 60 to 300 seconds, and
 * creating a file scans past each of them (`recently_deleted` in ext4's inode allocator). With each run's
 * output deleted before the next, the same build's kernel time grew from 0.7 to 3.0 s over three runs,
 * and weighed most on the side creating more files. Both sides get the same treatment.
 */
function settleDisk() {
  try {
    execFileSync("sync", { stdio: "ignore", timeout: 120_000 });
  } catch {
    // no sync(1) (Windows): measured as before
  }
}

async function child(task, spec, { timeoutMs = 15 * 60_000, cwd } = {}) {
  const specFile = join(work, `spec-${task}-${++childCount}.json`);
  await writeFile(specFile, JSON.stringify(spec));
  settleDisk();
  const started = performance.now();
  const loadBefore = loadavg()[0];
  return new Promise((resolvePromise, reject) => {
    const p = spawn(process.execPath, [TASKS, task, specFile], { cwd: cwd ?? work, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (err += d));
    const timer = setTimeout(() => p.kill("SIGKILL"), timeoutMs);
    p.on("close", (code, signal) => {
      clearTimeout(timer);
      const processMs = performance.now() - started;
      const last = out.trim().split("\n").pop();
      // the 1-minute load average before and after: above the core count, other work competed for the CPUs
      const load = [round(loadBefore, 1), round(loadavg()[0], 1)];
      loads.push(...load);
      if (code === 0 && last?.startsWith("{")) return resolvePromise({ ...JSON.parse(last), processMs, load });
      reject(new Error(`${task} failed (${signal ?? `exit ${code}`}):\n${err.slice(-4000)}${out.slice(-2000)}`));
    });
  });
}
let childCount = 0;
const loads = [];

// ------------------------------------------------------------------------------------------ machine
function machine() {
  const version = (cmd, args) => {
    try {
      return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim().split("\n")[0];
    } catch {
      return null;
    }
  };
  const pkg = (name) => {
    try {
      return JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")).version;
    } catch {
      return null;
    }
  };
  return {
    cpuModel: cpus()[0]?.model ?? null,
    cpuCount: cpus().length,
    availableParallelism: availableParallelism(),
    memoryGB: round(totalmem() / 2 ** 30, 1),
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    policypress: JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version,
    commit: version("git", ["-C", ROOT, "rev-parse", "--short", "HEAD"]),
    // read-only: whether src/ had uncommitted changes when the run started
    srcModified: (() => {
      try {
        return execFileSync("git", ["-C", ROOT, "status", "--porcelain", "--", "src"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim().length > 0;
      } catch {
        return null;
      }
    })(),
    eleventy: pkg("@11ty/eleventy"),
    puppeteerCore: pkg("puppeteer-core"),
    chromium: existsSync(opts.browser) ? version(opts.browser, ["--version"]) : null,
    loadAverageAtStart: round(loadavg()[0], 2),
  };
}

// ---------------------------------------------------------------------------------------- the sandbox
/**
 * A throwaway copy of the package the builds run from: dist/, clauses/, templates/, locales/ and
 * package.json are copied (the incremental step edits a clause there, never in the repository);
 * node_modules is linked.
 */
async function makeSandbox(dir) {
  if (!existsSync(join(opts.dist, "index.js"))) throw new Error(`${opts.dist} is missing: run \`npm run compile\` first (npm run bench does).`);
  await mkdir(dir, { recursive: true });
  await cp(opts.dist, join(dir, "dist"), { recursive: true });
  // copies, not links: a template or clause edited in the repository while the benchmark runs would
  // otherwise change the inputs between two builds (and rightly defeat the incremental cache)
  for (const name of ["clauses", "templates", "locales", "package.json"]) await cp(join(ROOT, name), join(dir, name), { recursive: true });
  await symlink(join(ROOT, "node_modules"), join(dir, "node_modules"));
  // which build options the measured code knows (an older commit, in an A/B run, may lack some): its
  // BuildOptions was an interface in build.d.ts, and is now inferred from buildOptionsSchema
  const dts = readFileSync(join(dir, "dist", "build.d.ts"), "utf8");
  const schemaDts = join(dir, "dist", "schema", "build-options.d.ts");
  const optionsBlock =
    /interface BuildOptions \{([\s\S]*?)\n\}/.exec(dts)?.[1] ??
    (existsSync(schemaDts) ? /buildOptionsSchema: ([\s\S]*?)\n\}/.exec(readFileSync(schemaDts, "utf8"))?.[1] : undefined) ??
    "";
  const features = { jobs: /\bjobs\??:/.test(optionsBlock), cache: /\bcache\??:/.test(optionsBlock), shard: /\bshard\??:/.test(optionsBlock) };
  let defaultJobs;
  if (features.jobs && existsSync(join(dir, "dist", "parallel.js"))) {
    const parallel = await import(pathToFileURL(join(dir, "dist", "parallel.js")).href);
    if (typeof parallel.defaultJobs === "function") defaultJobs = parallel.defaultJobs;
  }
  // which code was measured: a hash of the compiled files (src/ may be uncommitted work)
  const hash = createHash("sha256");
  for (const e of readdirSync(join(dir, "dist"), { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath ?? e.path, e.name)).sort())
    hash.update(`${e.slice(dir.length)}\0`).update(readFileSync(e));
  return { dir, features, defaultJobs, distSha256: hash.digest("hex").slice(0, 16) };
}

// ------------------------------------------------------------------------------------------- Eleventy
/** An Eleventy project whose pages are the Markdown files PolicyPress wrote (policy.<locale>.md of each profile). */
async function eleventyProject(dir, builtOut, slugs) {
  const src = join(dir, "src");
  await mkdir(join(src, "_includes"), { recursive: true });
  let pages = 0;
  for (const slug of slugs)
    for (const locale of LOCALES) {
      await mkdir(join(src, slug), { recursive: true });
      await cp(join(builtOut, slug, `policy.${locale}.md`), join(src, slug, `policy.${locale}.md`));
      pages++;
    }
  // the same page a static site would use: a layout around the rendered Markdown, and the CSS linked
  await writeFile(
    join(src, "_includes", "policy.liquid"),
    `<!doctype html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ page.fileSlug }}</title>
<link rel="stylesheet" href="/assets/policy.css">
</head>
<body>
<main id="content">
{{ content }}
</main>
</body>
</html>
`,
  );
  const cjk = pathToFileURL(join(ROOT, "node_modules", "markdown-it-cjk-friendly", "dist", "index.js")).href;
  await writeFile(
    join(dir, "eleventy.config.mjs"),
    `// Generated by bench/run.mjs: Eleventy building PolicyPress's Markdown pages into HTML.
import cjkFriendly from ${JSON.stringify(cjk)};
export default function (eleventyConfig) {
  eleventyConfig.setUseGitIgnore(false);
  eleventyConfig.addGlobalData("layout", "policy.liquid");
  eleventyConfig.addGlobalData("eleventyComputed", { lang: (data) => (/\\.(zh-CN|en)$/.exec(data.page.fileSlug) ?? [, "zh-CN"])[1] });
  // the same CJK-aware emphasis rules PolicyPress's markdown-it uses
  eleventyConfig.amendLibrary("md", (md) => md.use(cjkFriendly));
  // the pages are plain Markdown: no Liquid pass over them first
  return { markdownTemplateEngine: false, templateFormats: ["md"] };
}
`,
  );
  return { pages, config: join(dir, "eleventy.config.mjs"), input: src };
}

/** "CPU 6.1 s user + 0.6 s kernel": the kernel's share (file writes, page faults) is what varies most from run to run here. */
const cpuText = (cpu) => (cpu ? `CPU ${(cpu.userMs / 1000).toFixed(1)} s user + ${(cpu.systemMs / 1000).toFixed(1)} s kernel` : "CPU not measured");

function countFiles(dir, re) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile() && re.test(e.name)) n++;
  return n;
}

// ----------------------------------------------------------------------------------------- the run
const work = await mkdtemp(join(tmpdir(), "policypress-bench-"));
// Ctrl-C: the children get the signal too (same process group); leave no work folder behind
process.once("SIGINT", () => {
  if (!opts.keep) rmSync(work, { recursive: true, force: true });
  process.exit(130);
});
const t0 = performance.now();
const results = {
  date: new Date().toISOString(),
  machine: machine(),
  options: { profiles: opts.profiles, pdf: opts.pdf, perProcess: opts.perProcess, sizes: opts.sizes, repeat: opts.repeat, seed: opts.seed, quick: opts.quick },
  command: `npm run bench${argv.length ? ` -- ${argv.join(" ")}` : ""}`,
  figures: {},
  targets: {},
  notMeasured: [],
};
const F = results.figures;

try {
  log(`work folder ${work}`);
  const sandbox = await makeSandbox(join(work, "pkg"));
  results.buildOptions = sandbox.features;
  results.machine.distSha256 = sandbox.distSha256;
  log(`build() options found in dist/build.d.ts: jobs ${sandbox.features.jobs ? "yes" : "no"}, cache ${sandbox.features.cache ? "yes" : "no"}, shard ${sandbox.features.shard ? "yes" : "no"}`);

  const maxN = Math.max(opts.profiles, opts.skipMemory ? 0 : Math.max(...opts.sizes), opts.skipPdf ? 0 : opts.pdf);
  const genStarted = performance.now();
  const allProfiles = await generateProfiles({ count: maxN, dir: join(work, "profiles"), seed: opts.seed });
  log(`generated ${maxN} profiles in ${Math.round(performance.now() - genStarted)} ms`);
  const slugOf = (p) => basename(dirname(p));
  const N = opts.profiles;
  const profiles = allProfiles.slice(0, N);
  const jobsUsed = sandbox.features.jobs ? (sandbox.defaultJobs ? sandbox.defaultJobs(N) : "default") : null;
  const ppBuild = (ps, out, formats, extra = {}) =>
    child("policypress", { root: sandbox.dir, profiles: ps, out, formats, ...extra });

  // (a) Markdown + HTML for N profiles x (zh-CN, en, bilingual), and (b) Eleventy on the same Markdown
  // pages; with --repeat R the two alternate (a, b, a, b...) so that other work on the machine weighs on
  // both alike, and the best run of each counts
  const eleventyOn = !opts.skipEleventy && Boolean(results.machine.eleventy);
  if (opts.skipEleventy) results.notMeasured.push("Eleventy baseline: skipped (--skip-eleventy)");
  else if (!eleventyOn) results.notMeasured.push("Eleventy: @11ty/eleventy is not installed (npm install)");
  const aRuns = [];
  const bRuns = [];
  let aOut;
  let project;
  for (let r = 0; r < opts.repeat; r++) {
    log(`(a) PolicyPress Markdown + HTML, ${N} profiles x 3 documents${opts.repeat > 1 ? ` (run ${r + 1} of ${opts.repeat})` : ""}`);
    aOut = join(work, `a-out-${r}`);
    const run = await ppBuild(profiles, aOut, ["md", "html"]);
    if (run.policyMd !== N * 3 || run.policyHtml !== N * 3) throw new Error(`(a) expected ${N * 3} Markdown and HTML documents, got ${run.policyMd} and ${run.policyHtml}`);
    aRuns.push(run);
    log(`    ${Math.round(run.ms)} ms (${cpuText(run.cpu)}; ${run.files} files, peak RSS ${Math.round(run.memory.maxRssMB)} MB, load ${run.load.join(" -> ")})`);
    if (!eleventyOn) continue;
    project ??= await eleventyProject(join(work, "eleventy"), aOut, profiles.map(slugOf));
    log(`(b) Eleventy ${results.machine.eleventy}, the same ${project.pages} Markdown pages${opts.repeat > 1 ? ` (run ${r + 1} of ${opts.repeat})` : ""}`);
    const output = join(work, "eleventy", `_site-${r}`);
    const b = await child("eleventy", { project: join(work, "eleventy"), input: project.input, output, config: project.config }, { cwd: join(work, "eleventy") });
    const html = countFiles(output, /\.html$/);
    if (html !== project.pages) throw new Error(`(b) Eleventy wrote ${html} HTML pages, expected ${project.pages}`);
    bRuns.push(b);
    log(`    ${Math.round(b.ms)} ms (${cpuText(b.cpu)}; load ${b.load.join(" -> ")})`);
  }
  const best = (runs) => runs.reduce((x, y) => (y.ms < x.ms ? y : x));
  const a = best(aRuns);
  F.markdownHtml = {
    profiles: N,
    pages: N * 3,
    filesWritten: a.files,
    ms: round(a.ms),
    runsMs: aRuns.map((r) => round(r.ms)),
    runsCpu: aRuns.map((r) => r.cpu),
    processMs: round(a.processMs),
    pagesPerSecond: round((N * 3) / (a.ms / 1000), 1),
    jobs: jobsUsed,
    jobsNote: sandbox.features.jobs ? "build() default (src/parallel.ts defaultJobs)" : "build() has no jobs option in this build: single thread",
    peakRssMB: round(a.memory.maxRssMB),
    load: a.load,
  };
  if (bRuns.length) {
    const b = best(bRuns);
    F.eleventy = {
      version: results.machine.eleventy,
      how: "programmatic API (new Eleventy(input, output, { configPath }).write()) in a child process; timed from the constructor to the end of write()",
      pages: project.pages,
      ms: round(b.ms),
      runsMs: bRuns.map((r) => round(r.ms)),
      runsCpu: bRuns.map((r) => r.cpu),
      processMs: round(b.processMs),
      pagesPerSecond: round(project.pages / (b.ms / 1000), 1),
      peakRssMB: round(b.memory.maxRssMB),
      load: b.load,
    };
    const ratio = a.ms / b.ms;
    F.markdownHtml.ratioToEleventy = round(ratio, 2);
    results.targets.markdownHtmlVsEleventy = { value: round(ratio, 2), target: "<= 0.6", pass: ratio <= 0.6 };
  }

  // (e) incremental: a rebuild with nothing changed, then one clause edited
  if (opts.skipIncremental) results.notMeasured.push("incremental: skipped (--skip-incremental)");
  else if (!sandbox.features.cache) results.notMeasured.push("incremental: build() has no cache option in this build");
  else {
    log(`(e) incremental: rebuild of (a)'s output with nothing changed`);
    const warm = await ppBuild(profiles, aOut, ["md", "html"]);
    log(`    ${Math.round(warm.ms)} ms, rendered ${warm.rendered}, unchanged ${warm.unchanged}`);
    const usage = (await child("clauseUsage", { root: sandbox.dir, profiles })).usage;
    // the library clause used by the number of profiles closest to a quarter of them (ties: by id)
    const candidates = Object.entries(usage)
      .filter(([, u]) => u.origin === "library" && u.slugs.length > 0 && u.slugs.length < N && u.file.startsWith(sandbox.dir))
      .sort(([ka, ua], [kb, ub]) => Math.abs(ua.slugs.length - N / 4) - Math.abs(ub.slugs.length - N / 4) || ka.localeCompare(kb));
    const incremental = {
      coldMs: round(a.ms),
      unchangedMs: round(warm.ms),
      unchangedRendered: warm.rendered ?? null,
      unchangedKept: warm.unchanged ?? null,
      unchangedShareOfCold: round(warm.ms / a.ms, 3),
      unchangedLoad: warm.load,
    };
    if (candidates.length) {
      const [key, u] = candidates[0];
      const original = await readFile(u.file, "utf8");
      // one sentence added to the English text of the clause
      const edited = original.replace(/(:::en\n[^\n]*\S)/, "$1 This sentence was added by the benchmark.");
      if (edited === original) throw new Error(`(e) could not edit ${u.file}`);
      await writeFile(u.file, edited);
      log(`(e) incremental: clause ${key} edited (used by ${u.slugs.length} of ${N} profiles)`);
      try {
        const touched = await ppBuild(profiles, aOut, ["md", "html"]);
        log(`    ${Math.round(touched.ms)} ms, rendered ${touched.rendered}, unchanged ${touched.unchanged}`);
        Object.assign(incremental, {
          editedClause: key,
          profilesUsingIt: u.slugs.length,
          documentsUsingIt: u.slugs.length * 3,
          editedMs: round(touched.ms),
          editedRendered: touched.rendered ?? null,
          editedDocumentsRerendered: touched.rendered === undefined ? null : touched.rendered * 3,
          editedKept: touched.unchanged ?? null,
          editedShareOfCold: round(touched.ms / a.ms, 3),
          editedLoad: touched.load,
        });
        // exactly the profiles that use the clause (by slug when build() says which, else by count)
        const exact = touched.renderedSlugs ? [...touched.renderedSlugs].sort().join() === [...u.slugs].sort().join() : touched.rendered === u.slugs.length;
        incremental.editedRenderedExactlyTheUsers = exact;
        results.targets.editedClauseRerendersOnlyItsProfiles = { value: `${touched.rendered} of ${N} profiles re-rendered, ${u.slugs.length} use the clause`, target: "= the profiles using the clause", pass: exact };
      } finally {
        await writeFile(u.file, original);
      }
    } else results.notMeasured.push("incremental: no library clause is used by some but not all profiles");
    F.incremental = incremental;
    results.targets.unchangedRebuild = { value: round(warm.ms / a.ms, 3), target: "<= 0.10 of the cold build", pass: warm.ms / a.ms <= 0.1 && warm.rendered === 0 };
  }

  // (d) peak memory for several N, each in a fresh process
  if (!opts.skipMemory) {
    const memory = [];
    for (const n of opts.sizes) {
      log(`(d) memory: Markdown + HTML for ${n} profiles`);
      const out = join(work, `mem-${n}`);
      const run = await ppBuild(allProfiles.slice(0, n), out, ["md", "html"]);
      memory.push({ profiles: n, pages: n * 3, peakRssMB: round(run.memory.maxRssMB), sampledPeakRssMB: round(run.memory.sampledPeakMB), startRssMB: round(run.memory.baseMB), ms: round(run.ms), pagesPerSecond: round((n * 3) / (run.ms / 1000), 1), load: run.load });
      log(`    peak RSS ${Math.round(run.memory.maxRssMB)} MB, ${Math.round(run.ms)} ms`);
    }
    F.memory = memory;
    const small = memory[0];
    const large = memory[memory.length - 1];
    const growth = large.peakRssMB / small.peakRssMB;
    const perHundred = large.profiles > small.profiles ? ((large.peakRssMB - small.peakRssMB) / (large.profiles - small.profiles)) * 100 : 0;
    F.memoryGrowth = { ratio: round(growth, 2), mbPer100Profiles: round(perHundred, 1) };
    results.targets.memoryFlat = { value: `${small.peakRssMB} MB at N=${small.profiles} -> ${large.peakRssMB} MB at N=${large.profiles} (x${round(growth, 2)}, ${round(perHundred, 1)} MB per 100 profiles)`, target: "peak at the largest N <= 1.25 x peak at the smallest", pass: growth <= 1.25 };
  } else results.notMeasured.push("memory: skipped (--skip-memory)");

  // (c) PDF for M profiles x 3 documents
  if (opts.skipPdf || opts.pdf === 0) results.notMeasured.push(`PDF: skipped (${opts.skipPdf ? "--skip-pdf" : "--pdf 0"})`);
  else if (!existsSync(opts.browser)) results.notMeasured.push(`PDF: no browser at ${opts.browser} (--browser PATH)`);
  else {
    const M = opts.pdf;
    const pdfProfiles = allProfiles.slice(0, M);
    const browser = { executablePath: opts.browser, ...(opts.pdfConcurrency ? { concurrency: opts.pdfConcurrency } : {}) };
    const docs = M * 3;
    const puppeteerRuns = [];
    const htmlRuns = [];
    const pdfRuns = [];
    let files;
    // with --repeat R: HTML-only build, PDF build, page.pdf() alone, R times in turn; the best of each counts
    for (let r = 0; r < opts.repeat; r++) {
      const run = opts.repeat > 1 ? ` (run ${r + 1} of ${opts.repeat})` : "";
      log(`(c) PDF: PolicyPress, ${M} profiles x 3 documents: HTML-only build (the non-PDF part)${run}`);
      const htmlOut = join(work, `pdf-html-${r}`);
      const htmlOnly = await ppBuild(pdfProfiles, htmlOut, ["html"], { options: { browser } });
      htmlRuns.push(htmlOnly);
      log(`    ${Math.round(htmlOnly.ms)} ms (load ${htmlOnly.load.join(" -> ")})`);
      log(`(c) PDF: PolicyPress PDF build${run}`);
      const pdfOut = join(work, `pdf-pdf-${r}`);
      const pdfRun = await ppBuild(pdfProfiles, pdfOut, ["pdf"], { options: { browser }, progress: true });
      if (pdfRun.pdf !== docs) throw new Error(`(c) expected ${docs} PDFs, got ${pdfRun.pdf}`);
      pdfRuns.push(pdfRun);
      log(`    ${Math.round(pdfRun.ms)} ms (load ${pdfRun.load.join(" -> ")})`);

      // (ii) Chromium's own page.pdf() on the same HTML files
      files = pdfProfiles.flatMap((p) => LOCALES.map((l) => join(htmlOut, slugOf(p), `policy.${l}.html`)));
      log(`(c) PDF: Chromium page.pdf() alone, one browser, one page, ${files.length} documents${run}`);
      const pagepdf = await child("pagepdf", { executablePath: opts.browser, files });
      pagepdf.meanPdfMs = mean(pagepdf.docs.map((d) => d.pdfMs));
      puppeteerRuns.push(pagepdf);
      log(`    page.pdf() mean ${Math.round(pagepdf.meanPdfMs)} ms (load ${pagepdf.load.join(" -> ")})`);
    }
    // The PDF stage, measured inside the PDF build itself: from the end of rendering (the build's last
    // "rendered" progress message) to the end of build(): writing the pages, launching the browser,
    // printing, writing the PDFs, closing. What comes before is the non-PDF part of that same build. The
    // PDF build minus the separate HTML-only build is kept as a cross-check (two runs, so noisier).
    const stageOf = (run) => {
      const renderedAt = Math.max(-1, ...run.progress.filter(([, m]) => m.startsWith("rendered ")).map(([t]) => t));
      return renderedAt >= 0 ? { stageMs: run.ms - renderedAt, renderedAt } : { stageMs: NaN, renderedAt: NaN };
    };
    pdfRuns.forEach((r) => Object.assign(r, stageOf(r)));
    const pdfRun = pdfRuns.every((r) => Number.isNaN(r.stageMs)) ? best(pdfRuns) : pdfRuns.reduce((x, y) => (y.stageMs < x.stageMs ? y : x));
    const htmlOnly = best(htmlRuns);
    const pagepdf = puppeteerRuns.reduce((x, y) => (y.meanPdfMs < x.meanPdfMs ? y : x));
    const pagePdfMean = pagepdf.meanPdfMs;
    const printed = pdfRun.progress
      .map(([t, m]) => [t, /^printed (\S+) in (\d+) ms \(page\.pdf (\d+) ms\)/.exec(m)])
      .filter(([, m]) => m)
      .map(([t, m]) => ({ at: t, doc: m[1], ms: Number(m[2]), pdfMs: Number(m[3]) }));
    const subtractedMs = pdfRun.ms - htmlOnly.ms;
    const stageMs = Number.isNaN(pdfRun.stageMs) ? subtractedMs : pdfRun.stageMs;
    const stageHow = Number.isNaN(pdfRun.stageMs) ? "PDF build minus HTML-only build (no progress messages)" : "inside the PDF build: from the last 'rendered' progress message to the end of build()";
    // each run's own ratio (its stage against the page.pdf() loop run right after it)
    const ratioRuns = pdfRuns.map((r, i) => round((Number.isNaN(r.stageMs) ? r.ms - htmlRuns[i].ms : r.stageMs) / docs / puppeteerRuns[i].meanPdfMs, 2));
    // src/pdf/print.ts: pages printed at once, by default min(cores, 4)
    const concurrency = Math.max(1, Math.min(opts.pdfConcurrency ?? Math.min(availableParallelism(), 4), docs));

    // (iii) one Chromium process per PDF, for a subset
    let perProcess;
    if (opts.perProcess > 0) {
      // spread over the documents (every profile's turn, every language), not the first few
      const step = files.length / Math.min(opts.perProcess, files.length);
      const subset = Array.from({ length: Math.min(opts.perProcess, files.length) }, (_, i) => files[Math.floor(i * step)]);
      log(`(c) PDF: one Chromium process per document, ${subset.length} documents`);
      perProcess = await child("perprocess", { executablePath: opts.browser, files: subset });
      log(`    mean ${Math.round(mean(perProcess.docs.map((d) => d.ms)))} ms per document (load ${perProcess.load.join(" -> ")})`);
    }

    const ppPerDoc = stageMs / docs;
    F.pdf = {
      profiles: M,
      documents: docs,
      policypress: {
        concurrency,
        buildMs: round(pdfRun.ms),
        buildRunsMs: pdfRuns.map((r) => round(r.ms)),
        stageHow,
        stageMs: round(stageMs),
        stageRunsMs: pdfRuns.map((r) => round(r.stageMs)),
        nonPdfPartInsideMs: round(pdfRun.renderedAt),
        htmlOnlyBuildMs: round(htmlOnly.ms),
        htmlOnlyBuildRunsMs: htmlRuns.map((r) => round(r.ms)),
        stageByPdfMinusHtmlOnlyMs: round(subtractedMs),
        perDocumentMs: round(ppPerDoc),
        perDocumentLatencyMeanMs: round(mean(printed.map((p) => p.ms))),
        pagePdfInsideMeanMs: round(mean(printed.map((p) => p.pdfMs))),
        load: { htmlOnly: htmlOnly.load, pdf: pdfRun.load },
        documentsMs: printed.map((p) => ({ doc: p.doc, ms: p.ms, pagePdfMs: p.pdfMs })),
      },
      chromiumPagePdf: {
        how: "one browser, one page; goto(file://) each HTML file PolicyPress wrote, then only page.pdf() timed",
        launchMs: round(pagepdf.launchMs),
        meanMs: round(pagePdfMean),
        runsMeanMs: puppeteerRuns.map((r) => round(r.meanPdfMs)),
        medianMs: round(median(pagepdf.docs.map((d) => d.pdfMs))),
        gotoMeanMs: round(mean(pagepdf.docs.map((d) => d.gotoMs))),
        loopMs: round(pagepdf.loopMs),
        load: pagepdf.load,
        documentsMs: pagepdf.docs.map((d) => ({ doc: `${basename(dirname(d.file))}/${basename(d.file)}`, pdfMs: round(d.pdfMs), gotoMs: round(d.gotoMs) })),
      },
    };
    const r1 = ppPerDoc / pagePdfMean;
    F.pdf.ratioToPagePdf = round(r1, 2);
    F.pdf.ratioToPagePdfRuns = ratioRuns;
    results.targets.pdfStageVsPagePdf = { value: round(r1, 2), target: "<= 1.2", pass: r1 <= 1.2 };
    if (perProcess) {
      const perDoc = mean(perProcess.docs.map((d) => d.ms));
      // the same documents' page.pdf() times in the one-browser baseline: how they compare with the average
      const rel = (f) => `${basename(dirname(f))}/${basename(f)}`;
      const sameDocs = pagepdf.docs.filter((d) => perProcess.docs.some((x) => rel(x.file) === rel(d.file)));
      F.pdf.onePerProcess = {
        documents: perProcess.docs.length,
        subsetPagePdfMeanInBaselineMs: round(mean(sameDocs.map((d) => d.pdfMs))),
        meanMs: round(perDoc),
        launchMeanMs: round(mean(perProcess.docs.map((d) => d.launchMs))),
        pagePdfMeanMs: round(mean(perProcess.docs.map((d) => d.pdfMs))),
        load: perProcess.load,
        documentsMs: perProcess.docs.map((d) => ({ doc: `${basename(dirname(d.file))}/${basename(d.file)}`, ms: round(d.ms), launchMs: round(d.launchMs), pdfMs: round(d.pdfMs) })),
      };
      const r2 = perDoc / ppPerDoc;
      F.pdf.onePerProcessOverPolicyPress = round(r2, 2);
      results.targets.onePerProcessVsPolicyPress = { value: round(r2, 2), target: ">= 3", pass: r2 >= 3 };
    } else results.notMeasured.push("one Chromium process per PDF: skipped (--per-process 0)");
  }
} finally {
  results.totalSeconds = round((performance.now() - t0) / 1000, 1);
  results.machine.loadAverageMax = loads.length ? Math.max(...loads) : null;
  if (!opts.keep) await rm(work, { recursive: true, force: true });
  else log(`kept ${work}`);
}

await mkdir(dirname(opts.results), { recursive: true });
await writeFile(opts.results, JSON.stringify(results, null, 2) + "\n");
console.log(table(results));
console.log(`\nresults: ${opts.results} (${results.totalSeconds} s in all)`);

// ------------------------------------------------------------------------------------------- table
function table(r) {
  const f = r.figures;
  const m = r.machine;
  const rows = [];
  const add = (what, value, baseline = "", ratio = "", target = "") => rows.push([what, String(value), String(baseline), String(ratio), String(target)]);
  const verdict = (t) => (t ? `${t.target} ${t.pass ? "PASS" : "MISS"}` : "");
  if (f.markdownHtml) {
    const x = f.markdownHtml;
    add(`Markdown+HTML, ${x.profiles} profiles x 3 = ${x.pages} pages (jobs ${x.jobs ?? "n/a"})`, `${(x.ms / 1000).toFixed(2)} s, ${x.pagesPerSecond} pages/s`, f.eleventy ? `Eleventy ${(f.eleventy.ms / 1000).toFixed(2)} s, ${f.eleventy.pagesPerSecond} pages/s` : "", x.ratioToEleventy ?? "", verdict(r.targets.markdownHtmlVsEleventy));
  }
  if (f.pdf) {
    const p = f.pdf;
    add(`PDF stage, ${p.profiles} profiles x 3 = ${p.documents} docs (${p.policypress.concurrency} pages)`, `${(p.policypress.stageMs / 1000).toFixed(2)} s, ${p.policypress.perDocumentMs} ms/doc`, `page.pdf() ${p.chromiumPagePdf.meanMs} ms/doc`, p.ratioToPagePdf, verdict(r.targets.pdfStageVsPagePdf));
    if (p.onePerProcess) add(`One Chromium process per PDF (${p.onePerProcess.documents} docs)`, `${p.onePerProcess.meanMs} ms/doc`, `PolicyPress ${p.policypress.perDocumentMs} ms/doc`, p.onePerProcessOverPolicyPress, verdict(r.targets.onePerProcessVsPolicyPress));
  }
  if (f.memory) for (const x of f.memory) add(`Peak RSS, Markdown+HTML, N=${x.profiles}`, `${x.peakRssMB} MB`, `${(x.ms / 1000).toFixed(1)} s`, "", x === f.memory[f.memory.length - 1] ? verdict(r.targets.memoryFlat) : "");
  if (f.incremental) {
    const i = f.incremental;
    add("Rebuild, nothing changed", `${(i.unchangedMs / 1000).toFixed(2)} s, ${i.unchangedRendered} re-rendered`, `cold ${(i.coldMs / 1000).toFixed(2)} s`, i.unchangedShareOfCold, verdict(r.targets.unchangedRebuild));
    if (i.editedClause) add(`Rebuild, clause ${i.editedClause} edited`, `${(i.editedMs / 1000).toFixed(2)} s, ${i.editedRendered} profiles (${i.editedDocumentsRerendered} docs) re-rendered`, `${i.profilesUsingIt} profiles use it`, i.editedShareOfCold, verdict(r.targets.editedClauseRerendersOnlyItsProfiles));
  }
  const head = ["measure", "PolicyPress", "baseline", "ratio", "target"];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  const out = [
    `${m.cpuModel} x ${m.cpuCount}, ${m.memoryGB} GB, ${m.os}, Node ${m.node}, ${m.chromium ?? "no Chromium"}, Eleventy ${m.eleventy ?? "-"}; ${r.date}`,
    `PolicyPress ${m.policypress} at ${m.commit ?? "?"}${m.srcModified ? " with uncommitted changes in src/" : ""}, dist ${m.distSha256}`,
    `1-minute load average: ${m.loadAverageAtStart} at the start, at most ${m.loadAverageMax} around a measurement${m.loadAverageAtStart > m.cpuCount / 2 ? ` (other work was running on these ${m.cpuCount} cores: the figures are noisier)` : ""}`,
    "",
    line(head),
    `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`,
    ...rows.map(line),
  ];
  if (r.notMeasured.length) out.push("", "not measured:", ...r.notMeasured.map((x) => `  - ${x}`));
  return out.join("\n");
}
