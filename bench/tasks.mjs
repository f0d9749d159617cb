// One measurement per process: bench/run.mjs starts `node bench/tasks.mjs <task> <spec-file.json>` for each
// figure so that memory figures do not mix, every build starts cold (no module or clause already
// loaded), and a crash in one measurement does not take the others with it. The result is the last
// line of stdout, as JSON.
//
// Every timer starts after the modules are imported and stops when the work is done: process start-up
// and imports are reported apart (`processMs`, measured by the parent).
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [task, specFile] = process.argv.slice(2);
const spec = specFile ? JSON.parse(await readFile(specFile, "utf8")) : {};

/** The flags bench/run.mjs launches every benchmark browser with (the list). */
export const BENCH_CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/**
 * Resident set size of this process (worker threads included: they share it), sampled every few
 * milliseconds, and the kernel's high-water mark (getrusage ru_maxrss) which catches peaks between samples.
 */
function rssSampler(everyMs = 20) {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    const now = process.memoryUsage.rss();
    if (now > peak) peak = now;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const now = process.memoryUsage.rss();
      if (now > peak) peak = now;
      return { sampledPeakMB: peak / 2 ** 20, maxRssMB: process.resourceUsage().maxRSS / 1024 };
    },
  };
}

/** CPU time of this process (every thread) since `start`, in ms: user (JavaScript, V8) and system (the kernel: file writes, page faults). */
function cpuSince(start) {
  const { user, system } = process.cpuUsage(start);
  return { userMs: Math.round(user / 1000), systemMs: Math.round(system / 1000) };
}

const countOf = (x) => (Array.isArray(x) ? x.length : typeof x === "number" ? x : undefined);

const tasks = {
  /** PolicyPress build() through the library API of the compiled package at spec.root. */
  async policypress() {
    const { build } = await import(pathToFileURL(join(spec.root, "dist", "index.js")).href);
    const options = { profiles: spec.profiles, out: spec.out, formats: spec.formats, locales: spec.locales, ...spec.options };
    const progress = [];
    const t0 = performance.now();
    if (spec.progress) options.onProgress = (m) => progress.push([Math.round(performance.now() - t0), m]);
    const baseMB = process.memoryUsage.rss() / 2 ** 20;
    const mem = rssSampler();
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    const result = await build(options);
    const ms = performance.now() - started;
    const cpu = cpuSince(cpu0);
    const memory = mem.stop();
    const count = (fmt, re) => result.files.filter((f) => f.format === fmt && (!re || re.test(f.path))).length;
    return {
      ms,
      files: result.files.length,
      policyMd: count("md", /(^|\/)policy\.(zh-CN|en|bilingual)\.md$/),
      policyHtml: count("html", /(^|\/)policy\.(zh-CN|en|bilingual)\.html$/),
      pdf: count("pdf"),
      // build() reports the profiles rendered and those kept from the cache (slugs; counts in older builds)
      rendered: countOf(result.rendered),
      unchanged: countOf(result.unchanged),
      renderedSlugs: Array.isArray(result.rendered) ? result.rendered : undefined,
      warnings: result.warnings.length,
      cpu,
      memory: { ...memory, baseMB },
      progress: spec.progress ? progress : undefined,
    };
  },

  /** Eleventy's programmatic API on an input folder of Markdown pages (the config file is in spec.project). */
  async eleventy() {
    const { default: Eleventy } = await import("@11ty/eleventy");
    process.chdir(spec.project);
    const baseMB = process.memoryUsage.rss() / 2 ** 20;
    const mem = rssSampler();
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    const elev = new Eleventy(spec.input, spec.output, { quietMode: true, configPath: spec.config });
    await elev.write();
    const ms = performance.now() - started;
    return { ms, cpu: cpuSince(cpu0), memory: { ...mem.stop(), baseMB } };
  },

  /**
   * Chromium's own page.pdf(): one browser, one page, each HTML file opened with goto (file://) and
   * only page.pdf() timed. No request interception, no JavaScript switched off, no retries.
   */
  async pagepdf() {
    const { default: puppeteer } = await import("puppeteer-core");
    const profile = await mkdtemp(join(tmpdir(), "policypress-bench-chromium-"));
    const launchStarted = performance.now();
    const browser = await puppeteer.launch({ executablePath: spec.executablePath, headless: true, userDataDir: profile, args: BENCH_CHROMIUM_FLAGS });
    const launchMs = performance.now() - launchStarted;
    const docs = [];
    const started = performance.now();
    try {
      const page = await browser.newPage();
      for (const file of spec.files) {
        const gotoStarted = performance.now();
        await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
        const pdfStarted = performance.now();
        const pdf = await page.pdf({ format: "A4", printBackground: true, outline: true, tagged: true });
        const pdfMs = performance.now() - pdfStarted;
        docs.push({ file, gotoMs: pdfStarted - gotoStarted, pdfMs, bytes: pdf.length });
      }
    } finally {
      await browser.close();
      await rm(profile, { recursive: true, force: true });
    }
    return { launchMs, loopMs: performance.now() - started, docs };
  },

  /** One Chromium process per PDF: launch (fresh profile folder), open, print, close, for each document. */
  async perprocess() {
    const { default: puppeteer } = await import("puppeteer-core");
    const docs = [];
    for (const file of spec.files) {
      const started = performance.now();
      const profile = await mkdtemp(join(tmpdir(), "policypress-bench-chromium-"));
      const browser = await puppeteer.launch({ executablePath: spec.executablePath, headless: true, userDataDir: profile, args: BENCH_CHROMIUM_FLAGS });
      const launched = performance.now();
      let pdfMs = 0;
      let bytes = 0;
      try {
        const page = await browser.newPage();
        await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
        const pdfStarted = performance.now();
        bytes = (await page.pdf({ format: "A4", printBackground: true, outline: true, tagged: true })).length;
        pdfMs = performance.now() - pdfStarted;
      } finally {
        await browser.close();
        await rm(profile, { recursive: true, force: true });
      }
      docs.push({ file, ms: performance.now() - started, launchMs: launched - started, pdfMs, bytes });
    }
    return { docs };
  },

  /** Which profiles resolve to a given clause (to pick the clause the incremental step edits). */
  async clauseUsage() {
    const api = await import(pathToFileURL(join(spec.root, "dist", "index.js")).href);
    const usage = {};
    for (const path of spec.profiles) {
      const loaded = await api.loadProfile(path);
      const library = await api.loadLibrary({ own: [] });
      const resolved = api.resolvePolicy(loaded, library);
      const seen = new Set();
      for (const section of resolved.sections)
        for (const clause of section.clauses) {
          if (seen.has(clause.key)) continue;
          seen.add(clause.key);
          (usage[clause.key] ??= { file: resolve(clause.file), origin: clause.origin, slugs: [] }).slugs.push(loaded.slug);
        }
    }
    return { usage };
  },
};

if (!tasks[task]) {
  console.error(`unknown task ${task}; one of ${Object.keys(tasks).join(", ")}`);
  process.exit(2);
}
const out = await tasks[task]();
process.stdout.write(`\n${JSON.stringify(out)}\n`);
// a worker thread or a browser left behind must not keep the measurement process alive
process.exit(0);
