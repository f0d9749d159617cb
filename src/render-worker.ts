import { parentPort } from "node:worker_threads";
import { isPolicyError } from "./errors.js";
import { runProfileTask, type ProfileTask } from "./profile-task.js";

// One of the build's render threads (src/parallel.ts): it says when its modules are loaded, then runs
// the profiles it is sent one after the other (it may be sent the next before it has finished one),
// writing their files itself and answering with plain data.
const queue: { task: ProfileTask; id: number }[] = [];
let running = false;

parentPort!.on("message", (message: { task: ProfileTask; id: number }) => {
  queue.push(message);
  if (!running) void drain();
});
parentPort!.postMessage({ ready: true });

async function drain(): Promise<void> {
  running = true;
  for (let next = queue.shift(); next; next = queue.shift()) {
    const { task, id } = next;
    try {
      parentPort!.postMessage({ id, ok: true, result: await runProfileTask(task) });
    } catch (e) {
      if (isPolicyError(e)) parentPort!.postMessage({ id, ok: false, problems: e.problems });
      else parentPort!.postMessage({ id, ok: false, crash: (e as Error).stack ?? String(e) });
    }
  }
  running = false;
}
