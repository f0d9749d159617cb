import v8 from "node:v8";

/**
 * V8 settings for the length of a build. V8 flags belong to the whole process: builds running at once in
 * one process share them and the last to end restores V8's defaults; a flag the process was started with
 * (node --heap-growing-percent=...) is left alone. Figures: docs/performance.md.
 *
 * - Heap growth. V8 lets a busy heap grow up to four times what is live after each full collection, so a
 *   long build's peak memory grew with the number of profiles though what it keeps hardly does (about
 *   40 MB a thread). During a build the heap may grow by a quarter of that at most: peak memory stays
 *   flat (220 MB for 50 profiles, 256 for 800, against 361 with V8's default).
 * - Tiering. V8 compiles a function with its optimising compiler (TurboFan) once it has run a while.
 *   A build runs hundreds of distinct functions a few hundred times each (a compiled template per
 *   clause body, the checks, the YAML reader): at V8's default the optimising compiler's threads took
 *   2.6 s of CPU in a 4.6 s build, time taken from the render threads on a 2-core machine. With twelve
 *   times the budget, only what stays hot is optimised. Measured on Node 20 (V8 11), where the default
 *   is known; elsewhere it is left as it is.
 */
const FLAGS: { name: string; during: string; after: string }[] = [
  { name: "heap-growing-percent", during: "25", after: "0" },
  ...(process.versions.v8.startsWith("11.") ? [{ name: "interrupt-budget", during: "800000", after: "67584" }] : []),
];

let buildsRunning = 0;

/** Applies the build settings; returns the function that puts V8's defaults back (call it once). */
export function tuneV8ForBuild(): () => void {
  const own = (name: string) => [...process.execArgv, process.env.NODE_OPTIONS ?? ""].some((a) => a.includes(name));
  const flags = FLAGS.filter((f) => !own(f.name));
  if (buildsRunning++ === 0) for (const f of flags) v8.setFlagsFromString(`--${f.name}=${f.during}`);
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    if (--buildsRunning === 0) for (const f of flags) v8.setFlagsFromString(`--${f.name}=${f.after}`);
  };
}
