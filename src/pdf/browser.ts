import { accessSync, constants, existsSync, realpathSync, statSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "puppeteer-core";
import { PolicyError } from "../errors.js";
import { isAlive } from "../lock.js";
import type { BrowserOptions } from "../schema/build-options.js";
export type { BrowserOptions } from "../schema/build-options.js";

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
    const from = options.executablePath ? "--browser" : "PUPPETEER_EXECUTABLE_PATH";
    if (!existsSync(configured)) return { missing: { message: `No browser at ${configured} (from ${from}).`, hint: "Point it at a Chrome or Chromium binary." } };
    // a folder or a file that cannot run made the launch emit an error nothing listened for: a crash, exit 1, with a stack trace
    const unfit = notAProgram(configured);
    if (unfit) return { missing: { message: `${configured} (from ${from}) ${unfit}, so it cannot print PDFs.`, hint: "Point it at the Chrome or Chromium program itself (on macOS the one in the app: .../Google Chrome.app/Contents/MacOS/Google Chrome)." } };
    return { path: configured };
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

/** Why an existing path is no program this process can start, or undefined when it is one. */
function notAProgram(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return "is a folder, not a program";
    accessSync(path, constants.X_OK);
    return undefined;
  } catch {
    return "is not executable (no permission to run it)";
  }
}

/**
 * Which browser would print, for the cache key of PDFs: another Chromium prints other bytes. The
 * binary's real path, size and modification time (a package upgrade changes them), or the endpoint.
 */
export function browserIdentity(options: BrowserOptions): string {
  if (options.browserWSEndpoint) return `ws:${options.browserWSEndpoint}`;
  const found = findBrowser(options);
  if (!("path" in found)) return "none";
  try {
    const real = realpathSync(found.path);
    const s = statSync(real);
    return `${real}:${s.size}:${s.mtimeMs}`;
  } catch {
    return found.path;
  }
}

export interface BrowserHandle {
  browser: Browser;
  /** Closes a launched browser (and removes its profile folder), or disconnects from a remote one. */
  close(): Promise<void>;
}

/** Launched browsers' profile folders: `policypress-chromium-<pid>-XXXXXX` in the temp folder. */
export const PROFILE_PREFIX = "policypress-chromium-";
// how long a browser gets to close politely before it is killed
const CLOSE_GRACE_MS = 5_000;

/**
 * Launches a browser (or connects to `browserWSEndpoint`). `pipe` talks to it over a pipe instead of a
 * WebSocket: then the browser exits by itself when this process dies, even by SIGKILL, where a browser
 * on a WebSocket would keep running. A browser that cannot start is a PolicyError saying what to do.
 */
export async function openBrowser(options: BrowserOptions, path: string | undefined, { pipe = false }: { pipe?: boolean } = {}): Promise<BrowserHandle> {
  // every call that waits on the browser gives up in time, so a hung browser cannot hang the build
  const protocolTimeout = Math.max(options.timeoutMs ?? 60_000, 10_000) + 5_000;
  // loaded here, not with the module: 200 ms that a build without PDFs, or `policypress --version`, does not need
  const { default: puppeteer } = await import("puppeteer-core");
  if (options.browserWSEndpoint) {
    let browser: Browser;
    try {
      browser = await puppeteer.connect({ browserWSEndpoint: options.browserWSEndpoint, protocolTimeout });
    } catch (e) {
      throw new PolicyError({ code: "BROWSER_FAILED", message: `cannot connect to the browser at ${options.browserWSEndpoint}: ${firstLine(e)}`, hint: "Check that the browser is running and the ws:// address is current (it changes each time the browser starts)." });
    }
    return { browser, close: async () => void (await browser.disconnect().catch(() => {})) };
  }
  await removeStaleProfiles();
  const profile = await mkdtemp(join(tmpdir(), `${PROFILE_PREFIX}${process.pid}-`));
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath: path,
      headless: true,
      pipe,
      userDataDir: profile,
      args: CHROMIUM_FLAGS,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      timeout: Math.max(options.timeoutMs ?? 60_000, 30_000),
      protocolTimeout,
    });
  } catch (e) {
    await rm(profile, { recursive: true, force: true }).catch(() => {});
    throw new PolicyError({
      code: "BROWSER_FAILED",
      message: `the browser ${path ?? ""} could not be started: ${firstLine(e)}`,
      hint: `Check that it runs: \`${path ?? "chromium"} --headless --no-sandbox --dump-dom about:blank\`; or point --browser (or PUPPETEER_EXECUTABLE_PATH) at another Chrome or Chromium.`,
    });
  }
  let closed = false;
  return {
    browser,
    close: async () => {
      if (closed) return;
      closed = true;
      const child = browser.process();
      const polite = browser.close().then(() => true, () => false);
      const timer = new Promise<boolean>((r) => setTimeout(() => r(false), CLOSE_GRACE_MS).unref());
      if (!(await Promise.race([polite, timer])) && child?.pid && child.exitCode === null && child.signalCode === null) {
        // hung or half-dead: kill its whole process group (renderers and helpers too); it was spawned detached
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          child.kill("SIGKILL");
        }
      }
      await rm(profile, { recursive: true, force: true, maxRetries: 3 }).catch(() => {});
    },
  };
}

/** Profile folders of builds that were killed (their process is gone) are removed by the next one. */
async function removeStaleProfiles(): Promise<void> {
  const names = await readdir(tmpdir()).catch(() => [] as string[]);
  for (const name of names) {
    const pid = Number(new RegExp(`^${PROFILE_PREFIX}(\\d+)-`).exec(name)?.[1]);
    if (!pid || pid === process.pid || isAlive(pid)) continue;
    await rm(join(tmpdir(), name), { recursive: true, force: true }).catch(() => {});
  }
}

const firstLine = (e: unknown) => String((e as Error)?.message ?? e).split("\n")[0]!.trim();
