import { spawn } from "node:child_process";
import { cpSync, existsSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { build } from "../../src/build.js";
import { PolicyError } from "../../src/errors.js";
import { LOCK_FILE } from "../../src/lock.js";
import { fixtures, tempDir } from "../helpers.js";
import { leftovers, outputProblems, startCli, waitUntil } from "./support.js";

const golden = join(fixtures, "golden", "profile.yaml");

/** A copy of the golden profile under another slug, so several builds write different folders. */
function profileWithSlug(slug: string): string {
  const dir = tempDir();
  cpSync(join(fixtures, "golden"), dir, { recursive: true, filter: (p) => !p.includes("expected") });
  writeFileSync(join(dir, "profile.yaml"), readFileSync(join(dir, "profile.yaml"), "utf8").replace("slug: golden", `slug: ${slug}`));
  return join(dir, "profile.yaml");
}

const holdLock = (out: string, holder: object) => writeFileSync(join(out, LOCK_FILE), JSON.stringify(holder));

describe("the output lock", () => {
  it("refuses to build while a live build holds the lock, naming the lock and the process", async () => {
    const out = tempDir();
    const other = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    try {
      holdLock(out, { pid: other.pid, host: hostname(), started: "2026-11-01T10:00:00.000Z", command: "bin/policypress.js build" });
      const error = await build({ profiles: [golden], out, formats: ["md"], lockWaitMs: 300 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PolicyError);
      expect((error as PolicyError).problems).toEqual([
        {
          code: "OUTPUT_LOCKED",
          file: join(out, LOCK_FILE),
          message: `another build is writing this output folder (pid ${other.pid} on this machine, started 2026-11-01T10:00:00.000Z: bin/policypress.js build); waited 0.3 s`,
          hint: `Run the builds one after the other, or give each its own --out. If no build is running, delete ${join(out, LOCK_FILE)}; set POLICYPRESS_LOCK_WAIT=SECONDS to wait longer.`,
        },
      ]);
      expect(leftovers(out)).toEqual([LOCK_FILE]);
    } finally {
      other.kill("SIGKILL");
    }
    // its holder gone, the lock is stale: the next build takes it over and says so
    await new Promise((r) => other.once("exit", r));
    // and a half-made lock it left behind (killed between writing and linking it) goes too
    writeFileSync(join(out, `${LOCK_FILE}.${other.pid}.0f1e2d3c.tmp`), "{}");
    const result = await build({ profiles: [golden], out, formats: ["md"], lockWaitMs: 0 });
    expect(result.warnings).toContainEqual(`removed the lock of an interrupted build (pid ${other.pid} on this machine, started 2026-11-01T10:00:00.000Z)`);
    expect(leftovers(out)).toEqual([]);
    expect(outputProblems(out)).toEqual([]);
  });

  it("reads an empty POLICYPRESS_LOCK_WAIT as unset (it waited 0 s), and refuses one that is no number of seconds", async () => {
    const out = tempDir();
    const other = spawn(process.execPath, ["-e", "setTimeout(() => {}, 5000)"], { stdio: "ignore" });
    holdLock(out, { pid: other.pid, host: hostname(), started: "2026-11-01T10:00:00.000Z", command: "bin/policypress.js build" });
    // the holder ends after 5 s and its lock is stale: a build that waits for it takes it over
    const waited = await startCli(["build", golden, "--out", out, "--formats", "md", "-q"], { POLICYPRESS_LOCK_WAIT: "" }).done;
    expect(waited.code, waited.stderr).toBe(0);
    const refused = await startCli(["build", golden, "--out", tempDir(), "--formats", "md", "-q"], { POLICYPRESS_LOCK_WAIT: "2m" }).done;
    expect([refused.code, refused.stderr.split("\n")[0]]).toEqual([2, 'error BAD_OPTION [POLICYPRESS_LOCK_WAIT]: POLICYPRESS_LOCK_WAIT is "2m", not a number of seconds']);
  });

  it("never takes over a lock from another machine (its process cannot be checked from here)", async () => {
    const out = tempDir();
    holdLock(out, { pid: 1, host: "build-server-7", started: "2026-11-01T10:00:00.000Z", command: "" });
    await expect(build({ profiles: [golden], out, formats: ["md"], lockWaitMs: 0 })).rejects.toThrow("another build is writing this output folder (pid 1 on build-server-7, started 2026-11-01T10:00:00.000Z)");
  });

  it("takes over an unreadable lock only once it is old (a lock being written is young)", async () => {
    const out = tempDir();
    writeFileSync(join(out, LOCK_FILE), "");
    await expect(build({ profiles: [golden], out, formats: ["md"], lockWaitMs: 0 })).rejects.toThrow("(holder unknown)");
    utimesSync(join(out, LOCK_FILE), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    const result = await build({ profiles: [golden], out, formats: ["md"], lockWaitMs: 0 });
    expect(result.warnings).toContain("removed the lock of an interrupted build (holder unknown)");
  });

  it("serialises two builds through the library in one process as well", async () => {
    const out = tempDir();
    const said: string[] = [];
    const results = await Promise.all(["one", "two"].map((slug) => build({ profiles: [profileWithSlug(slug)], out, formats: ["md"], cache: false, onProgress: (m) => said.push(m) })));
    expect(results.map((r) => r.warnings.filter((w) => w.includes("lock")))).toEqual([[], []]);
    expect(said.filter((m) => m.startsWith("waiting for the build")).length).toBeLessThanOrEqual(1);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect([...new Set(manifest.files.map((f: { slug: string }) => f.slug))].sort()).toEqual(["one", "two"]);
    expect(leftovers(out)).toEqual([]);
  });

  it("lets two builds started at once into one folder run one after the other: both profiles' files are in the manifest", async () => {
    const out = tempDir();
    const profiles = ["alpha", "beta"].map(profileWithSlug);
    const runs = profiles.map((profile) => startCli(["build", profile, "--out", out, "--formats", "md,html"]));
    const results = await Promise.all(runs.map((r) => r.done));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect([...new Set(manifest.files.map((f: { slug: string }) => f.slug))].sort()).toEqual(["alpha", "beta"]);
    expect(outputProblems(out)).toEqual([]);
    expect(leftovers(out)).toEqual([]);
    // each build remembered its own profile in the cache without losing the other's
    const again = await startCli(["build", ...profiles, "--out", out, "--formats", "md,html", "--json"]).done;
    expect(JSON.parse(again.stdout)).toMatchObject({ rendered: [], unchanged: ["alpha", "beta"] });
  });

  it("makes a second build wait for the first, held still in the middle of its build with SIGSTOP", async () => {
    const out = tempDir();
    const first = startCli(["build", golden, "--out", out, "--formats", "md,html", "-q"]);
    // stopped the moment it holds the lock (before it has written its files)
    await waitUntil(() => existsSync(join(out, LOCK_FILE)), 90_000, "the first build to take the lock", 1);
    first.child.kill("SIGSTOP");
    try {
      const second = startCli(["build", profileWithSlug("other"), "--out", out, "--formats", "md"], { POLICYPRESS_LOCK_WAIT: "120" });
      let said = "";
      second.child.stderr!.on("data", (d) => (said += d));
      await waitUntil(() => said.includes("waiting for the build") || second.child.exitCode !== null, 90_000, "the second build to wait", 20);
      expect(said).toContain(`waiting for the build (pid ${first.child.pid} on this machine`);
      expect(existsSync(join(out, "manifest.json"))).toBe(false); // the first has not swapped anything in yet
      first.child.kill("SIGCONT");
      const [a, b] = await Promise.all([first.done, second.done]);
      expect(a.code, a.stderr).toBe(0);
      expect(b.code, b.stderr).toBe(0);
    } finally {
      first.child.kill("SIGCONT");
    }
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect([...new Set(manifest.files.map((f: { slug: string }) => f.slug))].sort()).toEqual(["golden", "other"]);
    expect(outputProblems(out)).toEqual([]);
    expect(leftovers(out)).toEqual([]);
  });
});
