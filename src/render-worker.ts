import { parentPort } from "node:worker_threads";
import { isPolicyError } from "./errors.js";
import { runProfileTask, type ProfileTask } from "./profile-task.js";

// One of the build's render threads (src/parallel.ts): it says when its modules are loaded, then runs
// the profiles it is sent one at a time, writing their files itself and answering with plain data.
parentPort!.on("message", async ({ task, id }: { task: ProfileTask; id: number }) => {
  try {
    parentPort!.postMessage({ id, ok: true, result: await runProfileTask(task) });
  } catch (e) {
    if (isPolicyError(e)) parentPort!.postMessage({ id, ok: false, problems: e.problems });
    else parentPort!.postMessage({ id, ok: false, crash: (e as Error).stack ?? String(e) });
  }
});
parentPort!.postMessage({ ready: true });
