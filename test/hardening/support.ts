import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { bin, root, type CliResult } from "../helpers.js";

/** The CLI in a child process we can signal (SIGKILL, SIGSTOP) while it runs. */
export function startCli(args: string[], env: Record<string, string | undefined> = {}): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const done = new Promise<CliResult>((resolve) => child.on("close", (code, signal) => resolve({ code: code ?? (signal ? -1 : -2), stdout, stderr })));
  return { child, done };
}

export async function waitUntil(check: () => boolean, timeoutMs: number, what: string, stepMs = 5): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

export const sha256 = (bytes: Buffer | string) => createHash("sha256").update(bytes).digest("hex");

/** Every file under `dir` (dot-folders included) -> its sha256; what "unchanged" is checked against. */
export function treeHashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = sha256(readFileSync(p));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/** Modification times too: a file rewritten with the same bytes is still a file touched. */
export function treeTimes(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = statSync(p).mtimeMs;
    }
  };
  walk(dir);
  return out;
}

/**
 * The output as a publisher checks it: manifest.json lists files whose bytes and hashes match, and
 * nothing of a build is left over (no staging folder, no lock). Returns what is wrong, empty when whole.
 */
export function outputProblems(out: string): string[] {
  const problems: string[] = [];
  let manifest: { files: { path: string; sha256: string; bytes: number }[] };
  try {
    manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
  } catch (e) {
    return [`manifest.json: ${(e as Error).message}`];
  }
  if (!manifest.files.length) problems.push("manifest.json lists no file");
  for (const f of manifest.files) {
    const file = join(out, f.path);
    if (!existsSync(file)) problems.push(`${f.path}: missing`);
    else {
      const bytes = readFileSync(file);
      if (sha256(bytes) !== f.sha256 || bytes.byteLength !== f.bytes) problems.push(`${f.path}: does not match the manifest`);
    }
  }
  return problems;
}

/** What a build leaves in the output folder only when it is cut off: staging folders, a lock, temp files. */
export const leftovers = (out: string) => (existsSync(out) ? readdirSync(out).filter((n) => /^\.(staging-|old-|policypress\.lock)|\.\d+$/.test(n)) : []);

/** Live processes whose command line names a browser profile folder under `tmp` (our builds' Chromium). */
export const browsersUnder = (tmp: string): number[] => browsersMatching(`${tmp}/policypress-chromium-`);

/** Live (not zombie) processes whose command line contains `needle`. */
export function browsersMatching(needle: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, "utf8");
      const state = /^\d+ \(.*\) (\S)/.exec(readFileSync(`/proc/${name}/stat`, "utf8"))?.[1];
      if (cmd.includes(needle) && state !== "Z") pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Direct children of `pid` (from /proc), e.g. the browser a build launched. */
export function childrenOf(pid: number): number[] {
  const kids: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) kids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return kids;
}

export const isRoot = process.getuid?.() === 0;
export const NOBODY = 65534;
