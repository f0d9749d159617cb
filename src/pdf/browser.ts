import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer, { type Browser } from "puppeteer-core";

export interface BrowserOptions {
  /** Path of a Chrome or Chromium binary; else PUPPETEER_EXECUTABLE_PATH, else the usual system paths. */
  executablePath?: string;
  /** ws:// endpoint of a running browser (an existing pool of headless Chrome) to use instead of launching one. */
  browserWSEndpoint?: string;
  /** Pages printed at once; defaults to the number of CPU cores (at most 4). */
  concurrency?: number;
  /** Milliseconds one document may take. */
  timeoutMs?: number;
}

const SYSTEM_PATHS = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
  "/snap/bin/chromium",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
  "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
  "C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe",
];

/** Flags that keep Chromium from stalling on a closed network or a root account, and from phoning home. */
export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-default-apps",
  "--disable-extensions",
  "--mute-audio",
  "--font-render-hinting=none",
];

export interface MissingBrowser {
  message: string;
  hint: string;
}

/** The browser binary to launch, or why there is none. */
export function findBrowser(options: BrowserOptions): { path: string } | { missing: MissingBrowser } {
  const configured = options.executablePath ?? process.env.PUPPETEER_EXECUTABLE_PATH;
  if (configured) {
    if (existsSync(configured)) return { path: configured };
    return { missing: { message: `No browser at ${configured} (from ${options.executablePath ? "--browser" : "PUPPETEER_EXECUTABLE_PATH"}).`, hint: "Point it at a Chrome or Chromium binary." } };
  }
  const found = SYSTEM_PATHS.find((p) => existsSync(p));
  if (found) return { path: found };
  return {
    missing: {
      message: "No Chrome or Chromium was found, so no PDF can be printed.",
      hint: "Install one (Debian/Ubuntu: `apt-get install chromium`; macOS: install Google Chrome), or set PUPPETEER_EXECUTABLE_PATH, or pass --browser PATH or --browser-ws ws://HOST:PORT/...",
    },
  };
}

export interface BrowserHandle {
  browser: Browser;
  /** Closes a launched browser (and removes its profile folder), or disconnects from a remote one. */
  close(): Promise<void>;
}

export async function openBrowser(options: BrowserOptions, path: string | undefined): Promise<BrowserHandle> {
  if (options.browserWSEndpoint) {
    const browser = await puppeteer.connect({ browserWSEndpoint: options.browserWSEndpoint });
    return { browser, close: () => browser.disconnect() };
  }
  const profile = await mkdtemp(join(tmpdir(), "policypress-chromium-"));
  const browser = await puppeteer.launch({
    executablePath: path,
    headless: true,
    userDataDir: profile,
    args: CHROMIUM_FLAGS,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    timeout: 60_000,
  });
  let closed = false;
  return {
    browser,
    close: async () => {
      if (closed) return;
      closed = true;
      await browser.close().catch(() => browser.process()?.kill("SIGKILL"));
      await rm(profile, { recursive: true, force: true }).catch(() => {});
    },
  };
}
