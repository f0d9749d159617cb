import { randomUUID } from "node:crypto";
import { readFileSync, unlinkSync } from "node:fs";
import { link, mkdir, readdir, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { PolicyError } from "./errors.js";
import { displayPath } from "./load/files.js";
import { outputProblem } from "./output-guard.js";
import { processAlive, recoverOutput } from "./write.js";

/**
 * One build at a time per output folder: two builds swapping folders and merging manifest.json at once
 * would lose each other's entries. The lock is a file in the output folder naming its holder; a lock
 * whose process is gone (a killed build) is taken over.
 */
export const LOCK_FILE = ".policypress.lock";

export interface LockHolder {
  pid: number;
  host: string;
  /** ISO time the holder took the lock. */
  started: string;
  command: string;
  /** Tells apart two locks of one process (two builds through the library, one after the other). */
  token?: string;
}

export interface LockOptions {
  /** How long to wait for another build to finish; default POLICYPRESS_LOCK_WAIT seconds, else 30 s. */
  waitMs?: number;
  onWait?: (message: string) => void;
  /** What holds such a lock, for the messages: "build" (the default) or "release". */
  holder?: string;
}

export interface OutputLock {
  path: string;
  /** Locks of killed builds that were taken over, said aloud. */
  recovered: string[];
  release(): Promise<void>;
}

const POLL_MS = 150;
// a lock file without a readable holder is being written right now, or was left half-written long ago
const UNREADABLE_GRACE_MS = 10_000;

export function defaultLockWaitMs(): number {
  const value = process.env.POLICYPRESS_LOCK_WAIT;
  // empty is unset (a CI template passing on a variable nobody set): it was 0 s, a lock refused at once
  if (value === undefined || value.trim() === "") return 30_000;
  const seconds = Number(value);
  // "2m" or "-1" waited 30 s without a word
  if (!(seconds >= 0))
    throw new PolicyError({ code: "BAD_OPTION", field: "POLICYPRESS_LOCK_WAIT", message: `POLICYPRESS_LOCK_WAIT is "${value}", not a number of seconds`, hint: "Set it to the seconds a build waits for another one writing the same folder, e.g. POLICYPRESS_LOCK_WAIT=120, or unset it for 30." });
  return seconds * 1000;
}

export async function lockOutput(out: string, options: LockOptions = {}): Promise<OutputLock> {
  const path = join(out, LOCK_FILE);
  const waitMs = options.waitMs ?? defaultLockWaitMs();
  const me: LockHolder = { pid: process.pid, host: hostname(), started: new Date().toISOString(), command: process.argv.slice(1).join(" ").slice(0, 500), token: randomUUID() };
  const recovered: string[] = [];
  try {
    await mkdir(out, { recursive: true });
  } catch (e) {
    throw outputProblem(e, out) ?? e;
  }
  const deadline = Date.now() + waitMs;
  let told = false;
  for (;;) {
    if (await tryCreate(path, me, out)) break;
    const holder = await readHolder(path);
    if (holder === "gone") continue;
    if (await isStale(path, holder)) {
      if (await takeOver(path, holder, me)) recovered.push(`removed the lock of an interrupted build (${describe(holder)})`);
      continue;
    }
    if (Date.now() >= deadline) throw lockedError(path, holder, waitMs);
    if (!told) options.onWait?.(`waiting for the ${options.holder ?? "build"} (${describe(holder)}) that is writing ${displayPath(out)} (lock: ${displayPath(path)})`);
    told = true;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  // a process that exits (Ctrl-C while printing, an uncaught error) drops its lock on the way out
  const onExit = () => {
    try {
      // only our own lock: another build in this same process may hold the next one
      const holder = JSON.parse(readFileSync(path, "utf8")) as LockHolder;
      if (holder.token === me.token) unlinkSync(path);
    } catch {
      // already gone
    }
  };
  process.on("exit", onExit);
  let released = false;
  return {
    path,
    recovered,
    async release() {
      if (released) return;
      released = true;
      process.off("exit", onExit);
      onExit();
    },
  };
}

/**
 * Creates the lock with its content in one step: written to a private file, then hard-linked to the
 * lock's name (link fails if the name exists), so no other build ever reads a half-written lock.
 */
async function tryCreate(path: string, me: LockHolder, out: string): Promise<boolean> {
  // named by process and lock token: two builds of one process must not share it
  const tmp = `${path}.${process.pid}.${me.token!.slice(0, 8)}.tmp`;
  try {
    await writeFile(tmp, `${JSON.stringify(me)}\n`);
    await link(tmp, path);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    // file systems without hard links: an exclusive create is nearly as good
    if (code === "EPERM" || code === "ENOTSUP" || code === "ENOSYS") {
      try {
        await writeFile(path, `${JSON.stringify(me)}\n`, { flag: "wx" });
        return true;
      } catch (e2) {
        if ((e2 as NodeJS.ErrnoException).code === "EEXIST") return false;
        throw outputProblem(e2, out) ?? e2;
      }
    }
    throw outputProblem(e, out) ?? e;
  } finally {
    await unlink(tmp).catch(() => {});
  }
}

async function readHolder(path: string): Promise<LockHolder | "unreadable" | "gone"> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ENOENT" ? "gone" : "unreadable";
  }
  try {
    const h = JSON.parse(text) as LockHolder;
    return Number.isInteger(h.pid) && h.pid > 0 ? h : "unreadable";
  } catch {
    return "unreadable";
  }
}

async function isStale(path: string, holder: LockHolder | "unreadable"): Promise<boolean> {
  if (holder === "unreadable") {
    const info = await stat(path).catch(() => undefined);
    return !info || Date.now() - info.mtimeMs > UNREADABLE_GRACE_MS;
  }
  // another machine's process cannot be checked from here (a shared network folder): never stale
  if (holder.host !== hostname()) return false;
  return !isAlive(holder.pid);
}

/** Whether a process runs on this machine (re-exported from write.ts, which needs it first). */
export const isAlive = processAlive;

/**
 * Removes a stale lock. Two builds may find the same stale lock at once: each first renames it to a
 * name of its own, so only one gets it, and puts back a lock that turns out to be fresh (taken by a third
 * build in between).
 */
async function takeOver(path: string, stale: LockHolder | "unreadable", me: LockHolder): Promise<boolean> {
  const aside = `${path}.stale-${process.pid}-${me.token!.slice(0, 8)}`;
  try {
    await rename(path, aside);
  } catch {
    return false;
  }
  const got = await readHolder(aside);
  const same = got === "unreadable" ? stale === "unreadable" : got !== "gone" && stale !== "unreadable" && got.pid === stale.pid && got.started === stale.started && got.token === stale.token;
  if (!same) await link(aside, path).catch(() => {});
  await unlink(aside).catch(() => {});
  return same;
}

function describe(holder: LockHolder | "unreadable"): string {
  if (holder === "unreadable") return "holder unknown";
  const where = holder.host === hostname() ? "on this machine" : `on ${holder.host}`;
  return `pid ${holder.pid} ${where}, started ${holder.started}`;
}

function lockedError(path: string, holder: LockHolder | "unreadable", waitMs: number): PolicyError {
  return new PolicyError({
    code: "OUTPUT_LOCKED",
    file: displayPath(path),
    message: `another build is writing this output folder (${describe(holder)}${holder !== "unreadable" && holder.command ? `: ${holder.command}` : ""}); waited ${Number((waitMs / 1000).toFixed(1))} s`,
    hint: `Run the builds one after the other, or give each its own --out. If no build is running, delete ${displayPath(path)}; set POLICYPRESS_LOCK_WAIT=SECONDS to wait longer.`,
  });
}

/** `.policypress.lock.PID.*.tmp` / `.stale-PID-*` of builds killed while taking a lock (a live one's are its own). */
async function removeDeadLockFiles(out: string): Promise<void> {
  for (const name of await readdir(out).catch(() => [] as string[])) {
    const pid = Number(/^\.policypress\.lock\.(?:(\d+)\.[0-9a-f]+\.tmp|stale-(\d+)-[0-9a-f]+)$/.exec(name)?.slice(1).find(Boolean));
    if (pid && !isAlive(pid)) await unlink(join(out, name)).catch(() => {});
  }
}

/**
 * Everything before a build writes into `out`: take the lock, and put right what a killed build left
 * (only safe once the lock is held). Each profile's inputs are checked against `out` as it is loaded
 * (src/profile-task.ts), before anything of it is written.
 */
export async function openOutput(out: string, options: LockOptions = {}): Promise<{ lock: OutputLock; notes: string[] }> {
  const lock = await lockOutput(out, options);
  try {
    await removeDeadLockFiles(out);
    return { lock, notes: [...lock.recovered, ...(await recoverOutput(out))] };
  } catch (e) {
    await lock.release();
    throw e;
  }
}
