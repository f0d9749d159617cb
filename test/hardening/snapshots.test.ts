import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { build } from "../../src/build.js";
import { PolicyError } from "../../src/errors.js";
import { releaseVersion } from "../../src/versions/release.js";
import { fixtures, tempDir } from "../helpers.js";
import { startCli, treeHashes, treeTimes } from "./support.js";

/**
 * Released versions (versions/ beside the profile) are never modified by any command: diff, a
 * build, a refused build, a killed build and a new release leave the existing snapshots byte for byte
 * and timestamp for timestamp as they were.
 */
describe("released snapshots are never modified", async () => {
  const dir = tempDir();
  cpSync(join(fixtures, "golden"), join(dir, "golden"), { recursive: true, filter: (p) => !p.includes("expected") });
  const profile = join(dir, "golden", "profile.yaml");
  const versions = join(dir, "golden", "versions");
  const edit = (from: string, to: string) => writeFileSync(profile, readFileSync(profile, "utf8").replace(from, to));
  // two releases to protect
  await releaseVersion({ profile, date: "2026-11-15", effective: "2026-12-01" });
  edit("email: privacy@golden.example", "email: dpo@golden.example");
  await releaseVersion({ profile, date: "2026-11-20", effective: "2026-12-01" });
  const hashes = treeHashes(versions);
  const times = treeTimes(versions);
  const out = join(dir, "out");

  // diff as a user runs it; build and release through the library (what the CLI calls)
  const diff = await startCli(["diff", profile, "--to", "1.0.1"]).done;
  const built = await build({ profiles: [profile], out, formats: ["md", "html"] }).then(() => "ok", (e: unknown) => e);
  // refused: it would replace the profile's own folder
  const refused = await build({ profiles: [profile], out: dir, formats: ["md"] }).catch((e: unknown) => e);
  // killed while it reads the profile and its versions
  const killed = startCli(["build", profile, "--out", join(dir, "out2"), "--formats", "md,html", "-q"]);
  await new Promise((r) => setTimeout(r, 700));
  killed.child.kill("SIGKILL");
  await killed.done;
  // a new release adds a folder beside the others, and touches none of them
  edit("email: dpo@golden.example", "email: privacy-office@golden.example");
  const release = await releaseVersion({ profile, date: "2026-11-25", effective: "2026-12-01" }).then((r) => r.snapshot.version, (e: unknown) => e);

  it("the commands ran (the refused build refused)", () => {
    expect(diff.code, diff.stderr).toBe(0);
    expect(built).toBe("ok");
    expect((refused as PolicyError).problems.map((p) => p.code)).toEqual(["OUTPUT_OVERLAPS_INPUT"]);
    expect(release).toBe("1.0.2");
  });

  it("every file of 1.0.0 and 1.0.1 is unchanged, bytes and modification time", () => {
    const now = treeHashes(versions);
    const nowTimes = treeTimes(versions);
    for (const [file, hash] of Object.entries(hashes)) {
      expect(now[file], file).toBe(hash);
      expect(nowTimes[file], file).toBe(times[file]);
    }
    expect(Object.keys(hashes).length).toBe(6);
    expect(readdirSync(versions).sort()).toEqual(["1.0.0", "1.0.1", "1.0.2"]);
  });
});
