import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildProfile } from "../../src/build.js";
import { root, tempDir } from "../helpers.js";

// The five reconstructions must carry at least 90% of their source policy's sentences, measured by the
// shared tool. Runs when ../shared (the seeds and the tool) is beside the repository, as in CI.
const shared = join(root, "..", "shared");
const tool = join(shared, "tools", "source-coverage.mjs");
const SOURCES = [
  { key: "ruiyun", seed: "000_08458c8af3f88b5e.txt" },
  { key: "ppio", seed: "001_988cbca79f9cdf5b.txt" },
  { key: "zego", seed: "002_4f56f2b5cb412945.txt" },
  { key: "creality", seed: "003_8b2f14a9503a1c2d.txt" },
  { key: "faceunity", seed: "004_59c4e4e575751a0d.txt" },
];

const figures: string[] = [];
afterAll(() => {
  if (figures.length) console.log(`source coverage of the five reconstructions:\n${figures.join("\n")}`);
});

describe.runIf(existsSync(tool))("source reconstructions carry their source", () => {
  const dir = tempDir();
  for (const { key, seed } of SOURCES) {
    it(`${key} carries at least 90% of ${seed}`, async () => {
      const b = await buildProfile(join(root, "examples", "sources", key, "profile.yaml"), { locales: ["zh-CN"] });
      const md = join(dir, `${key}.zh-CN.md`);
      writeFileSync(md, b.files.find((f) => f.path === "policy.zh-CN.md")!.content);
      const result = JSON.parse(execFileSync(process.execPath, [tool, "--seed", join(shared, "seeds", seed), "--doc", md, "--json"], { encoding: "utf8" }));
      figures.push(`  ${key.padEnd(10)} ${result.carried}/${result.sentences} = ${(result.share * 100).toFixed(1)}% (mean best ${(result.meanBest * 100).toFixed(1)}%)`);
      expect(result.share).toBeGreaterThanOrEqual(0.9);
    });
  }
});
