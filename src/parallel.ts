import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { PolicyError, type Problem } from "./errors.js";
import { libraryToShare, type SharedLibrary } from "./load/library.js";
import { runProfileTask, type ProfileTask, type TaskResult } from "./profile-task.js";

// The worker is the compiled file next to this one; under a TypeScript runner (the tests) it does not
// exist and every profile is rendered in this thread.
const workerFile = fileURLToPath(new URL("./render-worker.js", import.meta.url));
const canThread = workerFile.endsWith(".js") && existsSync(workerFile) && !import.meta.url.endsWith(".ts");

/**
 * Profiles a thread has under way at once: while one renders, the next one's file is read and its cache
 * entry checked. They render one at a time (`oneAtATime` in profile-task.ts).
 */
export const IN_FLIGHT = 2;

/**
 * A worker starts cold: its first profiles take several times as long as this thread's, warm by then.
 * A worker that is ready when fewer profiles than this are left gets none, and this thread finishes
 * alone, sooner than the two would (unless `spare` is off: threads the user asked for are used).
 */
export const WORKER_MIN_TASKS = 24;

/**
 * Render threads worth having, this one included: one per core from 48 profiles up, else one. Below
 * that a worker's start (its modules, its own warming up) costs more than it saves: on 2 cores, 4 to 32
 * profiles built faster in one thread than in two, 64 slower.
 */
export const THREADED_FROM = 48;
export function defaultJobs(profiles: number): number {
  return profiles >= THREADED_FROM ? Math.min(availableParallelism(), profiles) : 1;
}

/**
 * Runs every task with `jobs` render threads: this one, and jobs - 1 worker threads. This thread starts
 * at once (its modules are loaded); a worker loads its own (about half a second) and then asks for
 * work, so a small build is done before a worker would have been ready and does not wait for it.
 * Results keep the tasks' order and reach `onResult` as they come; `threads` is how many threads
 * rendered at least one profile. Every profile's problems are
 * collected and thrown together; an unexpected crash in a worker is rethrown as it is.
 */
export async function runAll(tasks: ProfileTask[], jobs: number, onResult: (r: TaskResult) => void, { spare = true }: { spare?: boolean } = {}): Promise<{ results: TaskResult[]; threads: number }> {
  const results: (TaskResult | Problem[])[] = new Array(tasks.length);
  // the threads that rendered a profile (this one is 0): what --jobs bought
  const rendering = new Set<number>();
  const threads = canThread ? Math.min(jobs, tasks.length) - 1 : 0;
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let settled = 0;
      const take = () => (next < tasks.length ? next++ : undefined);
      const startWorkers = () => {
        while (workers.length < threads && next < tasks.length) {
          const worker = new Worker(workerFile);
          workers.push(worker);
          shareLibrary(worker);
          const thread = workers.length;
          inWorker(worker, tasks, take, () => (spare ? tasks.length - next : Infinity), (id, r) => settle(id, r, thread), reject);
        }
      };
      const settle = (id: number, r: TaskResult | Problem[], thread = 0) => {
        results[id] = r;
        if (!Array.isArray(r)) onResult(r);
        if (!Array.isArray(r) && r.kind === "rendered") {
          rendering.add(thread);
          // a rebuild starts no worker until a profile turns out to need rendering (a worker's start costs
          // more than checking every profile's cache key)
          startWorkers();
        }
        if (++settled === tasks.length) resolve();
      };
      if (!tasks.length) resolve();
      // a profile the cache has never seen will be rendered: the workers start at once
      if (tasks.some((t) => !t.previous)) startWorkers();
      for (let lane = 0; lane < IN_FLIGHT; lane++)
        void (async () => {
          for (let id = take(); id !== undefined; id = take()) {
            settle(id, await runProfileTask(tasks[id]!).catch(problemsOf));
            await eventLoopTurn();
          }
        })().catch(reject);
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  const problems = results.filter(Array.isArray).flat() as Problem[];
  if (problems.length) throw new PolicyError(problems);
  return { results: results as TaskResult[], threads: rendering.size };
}

/**
 * Sends the built-in library this thread reads to a new worker; it arrives while the worker loads its
 * modules, so the worker need not read and check the clause files again. (Were every profile to bring
 * its own clause folders, this thread would have read the built-in library for nothing: a rare build.)
 */
function shareLibrary(worker: Worker): void {
  void libraryToShare().then((shared) => {
    if (shared) worker.postMessage({ library: shared } satisfies WorkerMessage);
  });
}

/**
 * A profile rendered in this thread may never wait for the event loop (its files are written
 * synchronously): without a turn between profiles, a worker's "ready" and its results would be read only
 * once this thread had taken every profile, and the worker would get none.
 */
const eventLoopTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function problemsOf(e: unknown): Problem[] {
  if (e instanceof PolicyError) return e.problems;
  throw e;
}

/** What a render thread is sent: a profile to render, or the library to start with. */
export type WorkerMessage = { task: ProfileTask; id: number; library?: undefined } | { library: SharedLibrary };

type Reply = { ready?: true; id: number; ok: boolean; result?: TaskResult; problems?: Problem[]; crash?: string };

/**
 * Feeds a worker from its "ready" on, until no task is left. It always holds one task more than it works
 * on: this thread renders too, and while it does, it cannot answer a worker's result with a new task; the
 * worker goes on with the one it holds.
 */
function inWorker(worker: Worker, tasks: ProfileTask[], take: () => number | undefined, left: () => number, settle: (id: number, r: TaskResult | Problem[]) => void, fail: (e: Error) => void): void {
  const send = () => {
    const id = take();
    if (id !== undefined) worker.postMessage({ task: tasks[id]!, id } satisfies WorkerMessage);
  };
  worker.on("message", (m: Reply) => {
    if (m.ready) {
      if (left() >= WORKER_MIN_TASKS) for (let i = 0; i <= IN_FLIGHT; i++) send();
      return;
    }
    if (m.crash) return fail(new Error(`rendering ${tasks[m.id]!.path} failed: ${m.crash}`));
    settle(m.id, m.ok ? m.result! : m.problems!);
    send();
  });
  worker.on("error", fail);
  worker.on("exit", (code) => code !== 0 && fail(new Error(`a render thread stopped (exit code ${code})`)));
}
