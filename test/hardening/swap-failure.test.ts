import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { build } from "../../src/build.js";
import { fixtures, tempDir } from "../helpers.js";
import { leftovers, outputProblems, treeHashes } from "./support.js";

/**
 * The swap's renames failing one by one (an I/O error from the disk, injected into node:fs's renameSync):
 * the build fails, and undoes what it had swapped, so the previous output is whole and nothing is left.
 */
const fault = vi.hoisted(() => ({ at: 0, count: 0 }));
vi.mock("node:fs", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs")>();
  const renameSync: typeof real.renameSync = (from, to) => {
    if (fault.at && ++fault.count === fault.at) throw Object.assign(new Error(`EIO: i/o error, rename '${String(from)}'`), { code: "EIO", syscall: "rename" });
    return real.renameSync(from, to);
  };
  return { ...real, renameSync, default: { ...real, renameSync } };
});

const published = (out: string) => Object.fromEntries(Object.entries(treeHashes(out)).filter(([p]) => !p.startsWith(".")));

describe("a swap that fails half-way is undone", () => {
  // rename 1 moves the old folder aside, 2 moves the new one in, 3 puts manifest.json in place
  for (const step of [1, 2, 3])
    it(`when rename ${step} fails`, async () => {
      const dir = tempDir();
      cpSync(join(fixtures, "golden"), dir, { recursive: true, filter: (p) => !p.includes("expected") });
      const profile = join(dir, "profile.yaml");
      const out = join(dir, "out");
      await build({ profiles: [profile], out, formats: ["md"], cache: false });
      const before = published(out);
      writeFileSync(profile, readFileSync(profile, "utf8").replace("金样科技, en: Golden Sample", "新金样, en: New Golden"));
      Object.assign(fault, { at: step, count: 0 });
      try {
        await expect(build({ profiles: [profile], out, formats: ["md"], cache: false })).rejects.toThrow("EIO: i/o error, rename");
      } finally {
        fault.at = 0;
      }
      expect(published(out)).toEqual(before);
      expect(outputProblems(out)).toEqual([]);
      expect(leftovers(out)).toEqual([]);
    });
});
