import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { PolicyError, type Problem } from "./errors.js";
import { profileOutput, type ProfileOutput, type ProfileTask } from "./profile-output.js";

// The worker is the compiled file next to this one; under a TypeScript runner (the tests) it does not
// exist and rendering stays in this thread.
const workerFile = fileURLToPath(new URL("./render-worker.js", import.meta.url));
const canThread = workerFile.endsWith(".js") && existsSync(workerFile) && !import.meta.url.endsWith(".ts");

/** Threads worth starting: one per core, none for a handful of profiles (a thread costs ~100 ms to start). */
export function defaultJobs(profiles: number): number {
  return profiles >= 4 ? Math.min(availableParallelism(), profiles) : 1;
}

/**
 * Renders every task, in worker threads when `jobs` > 1, keeping the tasks' order. Every profile's
 * problems are collected and thrown together; an unexpected crash in a worker is rethrown as it is.
 */
export async function renderAll(tasks: ProfileTask[], jobs: number): Promise<ProfileOutput[]> {
  const results: (ProfileOutput | Problem[])[] = new Array(tasks.length);
  if (jobs <= 1 || !canThread || tasks.length < 2) {
    for (const [i, task] of tasks.entries()) results[i] = await profileOutput(task).catch(problemsOf);
  } else await inWorkers(tasks, Math.min(jobs, tasks.length), results);
  const problems = results.filter(Array.isArray).flat() as Problem[];
  if (problems.length) throw new PolicyError(problems);
  return results as ProfileOutput[];
}

function problemsOf(e: unknown): Problem[] {
  if (e instanceof PolicyError) return e.problems;
  throw e;
}

async function inWorkers(tasks: ProfileTask[], jobs: number, results: (ProfileOutput | Problem[])[]): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: jobs }, () => new Worker(workerFile));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (next >= tasks.length) return resolve();
              const id = next++;
              worker.postMessage({ ...tasks[id]!, id });
            };
            worker.on("message", (m: { id: number; ok: boolean; output?: ProfileOutput; problems?: Problem[]; crash?: string }) => {
              if (m.crash) return reject(new Error(`rendering ${tasks[m.id]!.path} failed: ${m.crash}`));
              results[m.id] = m.ok ? m.output! : m.problems!;
              send();
            });
            worker.on("error", reject);
            worker.on("exit", (code) => code !== 0 && reject(new Error(`a render thread stopped (exit code ${code})`)));
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
