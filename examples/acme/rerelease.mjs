#!/usr/bin/env node
// Makes the example's release history again from today's clause library, after a wording change in a
// clause it uses: without it the example builds as an unreleased draft of 2.0.0 and its change notice
// lists the library's edits. Each version is released again with the profile its snapshot recorded
// (2.0.0 with profile.yaml itself), on its own dates and summary, through `policypress release`.
//
//   npm run compile && node examples/acme/rerelease.mjs
//
// The example's company is fictional, so rewriting its history is harmless; a real company's released
// versions are never made again (that is what they are for).
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, "..", "..", "bin", "policypress.js");
const RELEASES = [
  { version: "1.0.0", date: "2026-06-01", effective: "2026-06-15", profile: "snapshot" },
  { version: "2.0.0", date: "2026-11-20", effective: "2026-12-01", profile: "profile.yaml" },
];

const work = mkdtempSync(join(tmpdir(), "policypress-rerelease-"));
try {
  for (const r of RELEASES) {
    const snapshot = JSON.parse(readFileSync(join(here, "versions", r.version, "snapshot.json"), "utf8"));
    // YAML reads JSON: the recorded profile is written as it was
    const profile = r.profile === "snapshot" ? JSON.stringify(snapshot.profile, null, 1) : readFileSync(join(here, r.profile), "utf8");
    writeFileSync(join(work, "profile.yaml"), profile);
    const { "zh-CN": zh, en } = snapshot.summary;
    const args = ["release", join(work, "profile.yaml"), "--version", r.version, "--date", r.date, "--effective", r.effective, "--summary", zh, "--summary-en", en];
    process.stdout.write(execFileSync(process.execPath, [cli, ...args], { encoding: "utf8" }));
  }
  for (const r of RELEASES) cpSync(join(work, "versions", r.version), join(here, "versions", r.version), { recursive: true });
} finally {
  rmSync(work, { recursive: true, force: true });
}
