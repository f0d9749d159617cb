// Builds a profile and SIGKILLs itself just before the build's Nth rename (the steps of the swap),
// so a test can look at the output folder exactly as a build killed at that point leaves it.
// Usage: node crash-at-rename.mjs N PROFILE OUT
import { createRequire, syncBuiltinESMExports } from "node:module";

const [n, profile, out] = process.argv.slice(2);
const require = createRequire(import.meta.url);
// the swap renames in the build's own thread (finishCommit in src/write.ts)
const fs = require("fs");
const renameSync = fs.renameSync;
let calls = 0;
fs.renameSync = (...args) => {
  if (++calls === Number(n)) process.kill(process.pid, "SIGKILL");
  return renameSync(...args);
};
syncBuiltinESMExports();
const { build } = await import(new URL("../../dist/build.js", import.meta.url).href);
await build({ profiles: [profile], out, formats: ["md"], lockWaitMs: 0 });
console.log(`finished after ${calls} renames`);
