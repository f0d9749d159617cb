import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import type { Page } from "puppeteer-core";
import type { PolicyDocument } from "../render/document.js";
import type { RenderedFile } from "../render/files.js";
import type { DocLocale } from "../write.js";
import { findBrowser, openBrowser, type BrowserHandle, type BrowserOptions, type MissingBrowser } from "./browser.js";
import { finalisePdf } from "./metadata.js";

export type { BrowserOptions } from "./browser.js";

export interface PdfJob {
  slug: string;
  /** The HTML file (and its version) this PDF is printed from. */
  file: RenderedFile;
  locale: DocLocale;
  /** The HTML page to print, already written (with its assets) to disk. */
  htmlFile: string;
  /** The folder the page may load files from (the profile's output folder, assets included). */
  root: string;
  pdfPath: string;
  documents: PolicyDocument[];
  /** YYYY-MM-DD used as the PDF's creation and modification date, so rebuilds are byte-identical. */
  date: string;
}

export interface PrintOptions extends BrowserOptions {
  paper?: "A4" | "Letter";
  onProgress?: (message: string) => void;
}

export interface PrintResult {
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
  let handle = await openBrowser(options, path);
  const closeOnSignal = () => void handle.close().finally(() => process.exit(130));
  process.once("SIGINT", closeOnSignal);
  process.once("SIGTERM", closeOnSignal);
  try {
    const concurrency = Math.max(1, Math.min(options.concurrency ?? Math.min(availableParallelism(), 4), jobs.length));
    const queue = [...jobs];
    const done: PrintResult["done"] = [];
    const worker = async () => {
      // each worker keeps one page for all its documents: a new page per document costs more than printing
      let page: IsolatedPage | undefined;
      for (let job = queue.shift(); job; job = queue.shift()) {
        const started = performance.now();
        const current: PdfJob = job;
        const { pdf, pdfMs } = await withRetry(current, async () => {
          try {
            if (!handle.browser.connected) handle = await openBrowser(options, path);
            page ??= await isolatedPage(handle);
            return await printOne(page, current, options);
          } catch (e) {
            await page?.page.close().catch(() => {});
            page = undefined;
            throw e;
          }
        });
        done.push({ job: current, pdf: finalisePdf(pdf, current), ms: performance.now() - started, pdfMs });
        options.onProgress?.(`printed ${current.slug}/${current.pdfPath} in ${Math.round(performance.now() - started)} ms (page.pdf ${Math.round(pdfMs)} ms)`);
      }
      await page?.page.close().catch(() => {});
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    done.sort((a, b) => jobs.indexOf(a.job) - jobs.indexOf(b.job));
    return { done };
  } finally {
    process.off("SIGINT", closeOnSignal);
    process.off("SIGTERM", closeOnSignal);
    await handle.close();
  }
}

async function withRetry<T>(job: PdfJob, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch {
    try {
      return await run();
    } catch (second) {
      const { PolicyError } = await import("../errors.js");
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
  /** The folder whose files the page may load: the current document's own. */
  allowed: string;
}

/** A page that runs no JavaScript and may load only files inside `allowed`: no network, no other local files. */
async function isolatedPage(handle: BrowserHandle): Promise<IsolatedPage> {
  const page = await handle.browser.newPage();
  const isolated: IsolatedPage = { page, allowed: "" };
  await page.setJavaScriptEnabled(false);
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    if (request.isInterceptResolutionHandled()) return;
    const url = request.url();
    if (isolated.allowed && url.startsWith(isolated.allowed) && !url.includes("/../")) void request.continue();
    else void request.abort("blockedbyclient");
  });
  return isolated;
}

async function printOne(isolated: IsolatedPage, job: PdfJob, options: PrintOptions): Promise<{ pdf: Uint8Array; pdfMs: number }> {
  const { page } = isolated;
  const timeout = options.timeoutMs ?? 60_000;
  page.setDefaultTimeout(timeout);
  isolated.allowed = pathToFileURL(job.root).href + "/";
  await page.goto(pathToFileURL(job.htmlFile).href, { waitUntil: "load", timeout });
  const started = performance.now();
  const pdf = await page.pdf({
    format: options.paper ?? "A4",
    printBackground: true,
    preferCSSPageSize: false,
    outline: true,
    tagged: true,
    timeout,
  });
  return { pdf, pdfMs: performance.now() - started };
}
