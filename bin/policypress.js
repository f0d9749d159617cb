#!/usr/bin/env node
// The CLI runs the compiled code in dist/ (made by `npm ci` / `npm run compile`).
import { existsSync } from "node:fs";
const main = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(main)) {
  console.error("policypress: the compiled code is missing (dist/). Run `npm run compile` (or `npm ci`) in the policypress folder first.");
  process.exit(70);
}
await import(main.href);
