import { parentPort } from "node:worker_threads";
import { isPolicyError } from "./errors.js";
import { adoptLibrary } from "./load/library.js";
import { IN_FLIGHT, type WorkerMessage } from "./parallel.js";
import { runProfileTask, type ProfileTask } from "./profile-task.js";

// One of the build's render threads (src/parallel.ts): it says when its modules are loaded, then runs
// the profiles it is sent, IN_FLIGHT at a time (one renders while the next one's file is read), writing
// their files itself and answering with plain data.
const queue: { task: ProfileTask; id: number }[] = [];
let running = 0;

parentPort!.on("message", (message: WorkerMessage) => {
  if (message.library) return adoptLibrary(message.library);
  queue.push(message);
  if (running < IN_FLIGHT) void lane();
});
parentPort!.postMessage({ ready: true });

async function lane(): Promise<void> {
  running++;
  for (let next = queue.shift(); next; next = queue.shift()) {
    const { task, id } = next;
    try {
      parentPort!.postMessage({ id, ok: true, result: await runProfileTask(task) });
    } catch (e) {
      if (isPolicyError(e)) parentPort!.postMessage({ id, ok: false, problems: e.problems });
      else parentPort!.postMessage({ id, ok: false, crash: (e as Error).stack ?? String(e) });
    }
  }
  running--;
}
