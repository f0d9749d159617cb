import { readFile } from "node:fs/promises";
import { availableParallelism, constants } from "node:os";
import { pathToFileURL } from "node:url";
import type { Page } from "puppeteer-core";
import type { PolicyDocument } from "../render/document.js";
import type { DocLocale } from "../write.js";
import { findBrowser, openBrowser, type BrowserHandle, type BrowserOptions, type MissingBrowser } from "./browser.js";
import { finalisePdf } from "./metadata.js";
import { headingTitles } from "./outline.js";
import { PolicyError } from "../errors.js";
import type { Paper } from "../render/paper.js";
import { charactersWithoutGlyph, MISSING_GLYPH } from "../render/fonts.js";

export type { BrowserOptions } from "./browser.js";

export interface PdfJob {
  slug: string;
  locale: DocLocale;
  /** The HTML page to print, already written (with its assets) to disk. */
  htmlFile: string;
  /** The folders the page may load files from: the profile's output folder and the shared assets. */
  allowed: string[];
  pdfPath: string;
  /** "draft" or the released version the document shows. */
  version: string;
  /** The documents the page shows (two for the bilingual one), for the PDF's title, author and subject. */
  documents: PdfDocument[];
  /** YYYY-MM-DD used as the PDF's creation and modification date, so rebuilds are byte-identical. */
  date: string;
}

export type PdfDocument = Pick<PolicyDocument, "title" | "company" | "shortName" | "version" | "effective" | "effectiveIso" | "locale">;

export interface PrintOptions extends BrowserOptions {
  paper?: Paper;
  onProgress?: (message: string) => void;
  /** Called with each PDF as soon as it is printed; then `done` does not keep the bytes (flat memory). */
  save?: (job: PdfJob, pdf: Uint8Array) => Promise<void>;
}

export interface PrintResult {
  /** `pdf` is empty when `save` took it. */
  done: { job: PdfJob; pdf: Uint8Array; ms: number; pdfMs: number }[];
  missingBrowser?: MissingBrowser;
}

/**
 * Prints every job with one browser and a small pool of pages. The page may load only the document and
 * its own assets (no network), runs no JavaScript, and has a time limit; a crashed page or browser is
 * replaced and the document retried once. The browser is closed whatever happens, Ctrl-C included.
 */
export async function printPdfs(jobs: PdfJob[], options: PrintOptions = {}): Promise<PrintResult> {
  if (!jobs.length) return { done: [] };
  let path: string | undefined;
  if (!options.browserWSEndpoint) {
    const found = findBrowser(options);
    if ("missing" in found) return { done: [], missingBrowser: found.missing };
    path = found.path;
  }
  // the signal that stopped this build: from then on no browser is opened and no document retried.
  // Listened for before the browser is launched, so a signal during the launch is handled too.
  let interrupted: NodeJS.Signals | undefined;
  let handle: BrowserHandle | undefined;
  const closeOnSignal = (signal: NodeJS.Signals) => {
    interrupted = signal;
    void (handle?.close() ?? Promise.resolve()).finally(() => exitUnlessHandled(signal));
  };
  process.once("SIGINT", closeOnSignal);
  process.once("SIGTERM", closeOnSignal);
  // a browser that crashed is replaced once for all workers (not once per worker: that would leave
  // browsers nobody closes), and the dead one's process and profile folder are cleaned up
  let reopening: Promise<void> | undefined;
  const liveBrowser = async (): Promise<BrowserHandle> => {
    if (interrupted) throw stoppedError(interrupted);
    if (!handle!.browser.connected)
      await (reopening ??= (async () => {
        await handle!.close();
        handle = await openBrowser(options, path, { pipe: true });
      })().finally(() => (reopening = undefined)));
    return handle!;
  };
  try {
    handle = await openBrowser(options, path, { pipe: true });
    if (interrupted) throw stoppedError(interrupted);
    const concurrency = Math.max(1, Math.min(options.concurrency ?? Math.min(availableParallelism(), 4), jobs.length));
    const queue = [...jobs];
    const done: PrintResult["done"] = [];
    const worker = async () => {
      // each worker keeps one page for all its documents: a new page per document costs more than printing
      let page: IsolatedPage | undefined;
      for (let job = queue.shift(); job; job = queue.shift()) {
        const started = performance.now();
        const current: PdfJob = job;
        const { pdf, pdfMs, headings } = await withRetry(current, () => interrupted, async () => {
          try {
            // a hung browser can outlast every per-call limit: opening a page and printing have one each
            page ??= await within(attemptLimit(options), isolatedPage(await liveBrowser()));
            return await within(attemptLimit(options), printOne(page, current, options));
          } catch (e) {
            const failed = page;
            page = undefined;
            await closeQuietly(failed);
            throw e;
          }
        });
        const final = finalisePdf(pdf, current, headings);
        if (options.save) await options.save(current, final);
        done.push({ job: current, pdf: options.save ? new Uint8Array() : final, ms: performance.now() - started, pdfMs });
        options.onProgress?.(`printed ${current.slug}/${current.pdfPath} in ${Math.round(performance.now() - started)} ms (page.pdf ${Math.round(pdfMs)} ms)`);
      }
      await closeQuietly(page);
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    done.sort((a, b) => jobs.indexOf(a.job) - jobs.indexOf(b.job));
    return { done };
  } finally {
    process.off("SIGINT", closeOnSignal);
    process.off("SIGTERM", closeOnSignal);
    await handle?.close();
  }
}

/**
 * After the browser is closed on a signal: a process nobody else listens for the signal in (the CLI)
 * ends as the signal would have ended it, 128 + its number (130 for SIGINT, 143 for SIGTERM: SIGTERM
 * exited 130 before, read by a CI as a Ctrl-C). A program that calls build() and handles the signal
 * itself (a server shutting down gracefully) is not ended under it: its build fails instead.
 */
function exitUnlessHandled(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) === 0) process.exit(128 + (constants.signals[signal] ?? 0));
}

/** What a program that calls build() and handles the signal itself gets back from the stopped build. */
function stoppedError(signal: NodeJS.Signals): PolicyError {
  return new PolicyError({ code: "INTERRUPTED", message: `the build was stopped by ${signal} while printing PDFs`, hint: "Nothing of the previous output was changed; run the build again." });
}

/** Loading and printing each get the time limit; the attempt as a whole, both and some slack. */
const attemptLimit = (options: PrintOptions) => 2 * (options.timeoutMs ?? 60_000) + 10_000;

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no result within ${ms} ms`)), ms)));
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

/**
 * Closes a page without waiting on it for long: puppeteer's close waits, without a time limit, for the
 * browser to confirm, which a hung renderer never does (the browser itself is closed at the end anyway).
 */
async function closeQuietly(isolated: IsolatedPage | undefined): Promise<void> {
  if (!isolated) return;
  await within(2_000, isolated.page.close()).catch(() => {});
}

/** Runs `run` again once when it fails, unless the build was stopped by a signal meanwhile. */
async function withRetry<T>(job: PdfJob, stoppedBy: () => NodeJS.Signals | undefined, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch {
    const signal = stoppedBy();
    if (signal) throw stoppedError(signal);
    try {
      return await run();
    } catch (second) {
      throw new PolicyError({
        code: "PDF_FAILED",
        file: job.htmlFile,
        message: `printing ${job.slug}/${job.pdfPath} failed twice: ${(second as Error).message.split("\n")[0]}`,
        hint: "Check that the browser runs (try `chromium --headless --no-sandbox --dump-dom about:blank`), or raise the time limit with --pdf-timeout.",
      });
    }
  }
}

interface IsolatedPage {
  page: Page;
  /** The folders whose files the page may load: the current document's own and the shared assets. */
  allowed: string[];
  /** The current document with its characters that have no glyph replaced, served instead of its file. */
  replaced?: { url: string; html: string };
}

/** A page that runs no JavaScript and may load only files inside `allowed`: no network, no other local files. */
async function isolatedPage(handle: BrowserHandle): Promise<IsolatedPage> {
  const page = await handle.browser.newPage();
  const isolated: IsolatedPage = { page, allowed: [] };
  await page.setJavaScriptEnabled(false);
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    if (request.isInterceptResolutionHandled()) return;
    const url = request.url();
    if (isolated.replaced?.url === url) void request.respond({ status: 200, contentType: "text/html; charset=utf-8", body: isolated.replaced.html });
    else if (isolated.allowed.some((folder) => url.startsWith(folder)) && !url.includes("/../")) void request.continue();
    else void request.abort("blockedbyclient");
  });
  return isolated;
}

/** The PDF, the time page.pdf() took, and the page's headings (what the bookmarks are titled with). */
async function printOne(isolated: IsolatedPage, job: PdfJob, options: PrintOptions): Promise<{ pdf: Uint8Array; pdfMs: number; headings: string[] }> {
  const { page } = isolated;
  const timeout = options.timeoutMs ?? 60_000;
  page.setDefaultTimeout(timeout);
  isolated.allowed = job.allowed.map((folder) => pathToFileURL(folder).href + "/");
  const url = pathToFileURL(job.htmlFile).href;
  const html = await readFile(job.htmlFile, "utf8");
  isolated.replaced = withoutMissingGlyphs(url, html);
  await page.goto(url, { waitUntil: "load", timeout });
  const started = performance.now();
  const pdf = await page.pdf({
    format: options.paper ?? "A4",
    printBackground: true,
    preferCSSPageSize: false,
    outline: true,
    tagged: true,
    timeout,
  });
  return { pdf, pdfMs: performance.now() - started, headings: headingTitles(html) };
}

/**
 * Characters no bundled font has (an emoji in a company name) print as MISSING_GLYPH: the page is given
 * the HTML with them replaced. Chromium drew them with whatever system font had them: Type 3 fonts (a
 * colour emoji font, the system's CFF-outline CJK), text a PDF reader could not extract, and a PDF that
 * differed from machine to machine. (Replaced in the page once loaded, they had already brought their
 * fallback font into the PDF.) The build warns of each such value (NO_GLYPH). Almost every page has
 * none, and is loaded from disk as it is.
 */
function withoutMissingGlyphs(url: string, html: string): IsolatedPage["replaced"] {
  const missing = charactersWithoutGlyph(html);
  if (!missing.length) return undefined;
  return { url, html: missing.reduce((text, c) => text.split(c).join(MISSING_GLYPH), html) };
}
