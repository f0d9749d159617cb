import { parentPort } from "node:worker_threads";
import { isPolicyError } from "./errors.js";
import { profileOutput, type ProfileTask } from "./profile-output.js";

// One of the build's render threads: it loads the clause library once and renders the profiles it is
// sent (load -> resolve -> render), answering with plain data the main thread writes.
parentPort!.on("message", async (task: ProfileTask & { id: number }) => {
  try {
    parentPort!.postMessage({ id: task.id, ok: true, output: await profileOutput(task) });
  } catch (e) {
    if (isPolicyError(e)) parentPort!.postMessage({ id: task.id, ok: false, problems: e.problems });
    else parentPort!.postMessage({ id: task.id, ok: false, crash: (e as Error).stack ?? String(e) });
  }
});
