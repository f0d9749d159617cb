import { spawn } from "node:child_process";
import { cpSync, existsSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bin, cli, fixtures, root, tempDir } from "../helpers.js";
import { releaseVersion, type PolicyError, type ReleaseOptions } from "../../src/index.js";

/**
 * The release cycle a user goes through, in a temp copy of the golden fixture: release v1, change the
 * profile (a data item and an SDK) and one clause's wording, release v2, and check what a lawyer checks.
 */
describe("release, change, release again", () => {
  const dir = tempDir();
  cpSync(join(fixtures, "golden"), dir, { recursive: true, filter: (p) => !p.includes("expected") });
  const profile = join(dir, "profile.yaml");
  const out = join(dir, "out");
  const readOut = (rel: string) => readFileSync(join(out, "golden", rel));

  const v1 = cli(["release", profile, "--date", "2026-11-15", "--effective", "2026-12-01", "-q"]);
  const firstBuild = cli(["build", profile, "--out", out, "--formats", "md,html", "-q"]);
  const v1Files = ["versions/1.0.0/policy.zh-CN.md", "versions/1.0.0/policy.en.html", "versions/1.0.0/policy.bilingual.md"].map((f) => [f, readOut(f)] as const);

  // the changes: one more data item, one more SDK, and one clause reworded
  writeFileSync(profile, readFileSync(profile, "utf8")
    .replace("      - { zh-CN: 密码, en: password }", "      - { zh-CN: 密码, en: password }\n      - { zh-CN: 微信账号, en: WeChat account }")
    .replace("sdks:\n", "sdks:\n  - name: Example Map SDK\n    provider: { zh-CN: 示例地图有限公司, en: Example Maps Ltd. }\n    purpose: { zh-CN: 地图展示, en: showing maps }\n    data: [{ zh-CN: 位置信息, en: location }]\n    policyUrl: https://maps.example/privacy\n"));
  const rights = join(dir, "own", "rights.md");
  writeFileSync(rights, readFileSync(rights, "utf8").replace("我们将在", "我们将尽快并在").replace("We will answer your request within", "We will answer your request promptly and within"));

  const diff = cli(["diff", profile, "--format", "json"]);
  const v2 = cli(["release", profile, "--date", "2026-12-10", "--effective", "2026-12-12", "--json"]);
  const secondBuild = cli(["build", profile, "--out", out, "--formats", "md,html", "-q"]);

  it("releases v1 into versions/1.0.0 beside the profile", () => {
    expect(v1.stderr).toBe("");
    expect(v1.code).toBe(0);
    expect(readdirSync(join(dir, "versions", "1.0.0")).sort()).toEqual(["policy.en.md", "policy.zh-CN.md", "snapshot.json"]);
    expect(firstBuild.code).toBe(0);
  });

  it("proposes a major version for a material change and warns that the notice period is too short", () => {
    expect(v2.code).toBe(0);
    const result = JSON.parse(v2.stdout);
    expect(result).toMatchObject({ version: "2.0.0", proposed: "major", material: true });
    expect(v2.stderr).toContain("warning: this is a material change, but it takes effect on 2026-12-12, less than 7 days (policy.noticeDays) after the release on 2026-12-10");
    // --json carries it too: a pipeline reading only stdout missed the PIPL notice warning
    expect(result.warnings.map((w: { code: string; field: string }) => `${w.code} ${w.field}`)).toEqual(["SHORT_NOTICE --effective"]);
  });

  it("keeps v1's outputs byte-identical after v2 is released", () => {
    expect(secondBuild.code).toBe(0);
    for (const [file, before] of v1Files) expect(readOut(file).equals(before), file).toBe(true);
  });

  it("lists exactly the changes, in both languages, and flags them as material", () => {
    const notice = JSON.parse(diff.stdout);
    expect(notice.changes.facts.map((f: { text: { "zh-CN": string; en: string }; material: boolean }) => [f.text["zh-CN"], f.text.en, f.material])).toEqual([
      ["“注册”场景新增收集：微信账号", "“Sign-up” now also collects: WeChat account", true],
      ["新增第三方 SDK：Example Map SDK（示例地图有限公司），用于地图展示", "New third-party SDK: Example Map SDK (Example Maps Ltd.), showing maps", true],
    ]);
    expect(notice.changes.clauses.map((c: { kind: string; id: string }) => `${c.kind} ${c.id}`)).toEqual(["changed collection.list", "changed sdks.list", "changed golden.rights"]);
    expect(notice.changes.material).toBe(true);
    // between the releases the dates differ too, but a clause that differs only in its dates has not changed
    const released = JSON.parse(readOut("versions/2.0.0/changes.json").toString());
    expect(released.changes.clauses.map((c: { kind: string; id: string }) => `${c.kind} ${c.id}`)).toEqual(["changed collection.list", "changed sdks.list", "changed golden.rights"]);
    const md = readOut("versions/2.0.0/changes.md").toString();
    expect(md).toContain("我们于2026年12月10日更新了《隐私政策》，主要变更如下：");
    expect(md).toContain("We updated our Privacy Policy on December 10, 2026. What changed:");
    expect(md).toContain("**重大变更 / Material change**");
  });

  it("marks only the changed words of the reworded clause", () => {
    const notice = JSON.parse(diff.stdout);
    const rightsChange = notice.changes.clauses.find((c: { id: string }) => c.id === "golden.rights");
    const changed = (locale: string) => rightsChange.redline[locale].filter((p: { op: string }) => p.op !== "same").map((p: { op: string; text: string }) => `${p.op}:${p.text}`);
    expect(changed("zh-CN")).toEqual(["ins:尽快并"]);
    expect(changed("en")).toEqual(["ins:promptly and "]);
  });

  it("writes the notice and a clean copy of v2 into the output", () => {
    const html = readOut("versions/2.0.0/changes.html").toString();
    expect(html).toContain("<ins>尽快并</ins>");
    expect(html).toContain('href="policy.zh-CN.html"');
    expect(readOut("versions/2.0.0/policy.en.md").toString()).toContain("We will answer your request promptly and within 15 working days.");
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect(manifest.files.filter((f: { version: string }) => f.version === "2.0.0").map((f: { path: string }) => f.path)).toContain("golden/versions/2.0.0/changes.json");
  });

  it("refuses to release a policy that has not changed", () => {
    const again = cli(["release", profile, "--date", "2026-12-11"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("error NOTHING_TO_RELEASE: nothing changed since version 2.0.0");
  });

  it("catches a snapshot edited by hand, and a missing one", () => {
    const snapshot = join(dir, "versions", "1.0.0", "snapshot.json");
    const original = readFileSync(snapshot, "utf8");
    writeFileSync(snapshot, original.replace("十五个工作日", "三十个工作日"));
    const edited = cli(["check", profile]);
    expect(edited.code).toBe(1);
    expect(edited.stderr).toMatch(/versions\/1\.0\.0\/snapshot\.json {2}error VERSION_TAMPERED: version 1\.0\.0 was edited after it was released/);
    expect(cli(["build", profile, "--out", tempDir(), "--formats", "md"]).code).toBe(1);
    writeFileSync(snapshot, original);

    const copy = join(dir, "versions", "1.0.0", "policy.en.md");
    const text = readFileSync(copy, "utf8");
    writeFileSync(copy, text.replace("15 working days", "30 working days"));
    expect(cli(["check", profile]).stderr).toContain("error VERSION_TAMPERED: policy.en.md of version 1.0.0 is edited");
    writeFileSync(copy, text);

    // an unreadable snapshot is said once: the version after it is not blamed for following it
    const snapshotText = readFileSync(snapshot, "utf8");
    writeFileSync(snapshot, "{ not json");
    const unreadable = cli(["check", profile]);
    expect(unreadable.stderr).toContain("error VERSION_MISSING: version 1.0.0 has no readable snapshot.json");
    expect(unreadable.stderr).not.toContain("VERSION_CHAIN_BROKEN");
    writeFileSync(snapshot, snapshotText);

    renameSync(join(dir, "versions", "1.0.0"), join(dir, "moved-away"));
    const missing = cli(["check", profile]);
    expect(missing.stderr).toContain("error VERSION_CHAIN_BROKEN [previous]: version 2.0.0 names a previous version (1.0.0) that is not in versions/");
    renameSync(join(dir, "moved-away"), join(dir, "versions", "1.0.0"));
    // the golden fixture is a five-clause policy: `check` fails it on the legal checklist (docs/compliance.md), never on its versions
    const restored = JSON.parse(cli(["check", profile, "--json"]).stdout) as { problems: { code: string }[]; results: unknown[] };
    expect(restored.results).toHaveLength(1);
    expect(restored.problems.filter((p) => p.code.startsWith("VERSION_"))).toEqual([]);
  });

  it("refuses a snapshot.json that is JSON but not a snapshot, without an internal error", () => {
    const snapshot = join(dir, "versions", "1.0.0", "snapshot.json");
    const original = readFileSync(snapshot, "utf8");
    const said = (text: string) => {
      writeFileSync(snapshot, text);
      const r = cli(["check", profile]);
      return `${r.code} ${r.stderr.split("\n").find((l) => l.includes("1.0.0/snapshot.json"))?.split("error ")[1]}`;
    };
    expect(said("null")).toBe("1 VERSION_TAMPERED: the snapshot.json of version 1.0.0 is not one `policypress release` writes: it holds null, not a mapping of fields");
    expect(said("[]")).toBe("1 VERSION_TAMPERED: the snapshot.json of version 1.0.0 is not one `policypress release` writes: it holds a list, not a mapping of fields");
    const parsed = JSON.parse(original) as Record<string, unknown>;
    expect(said(JSON.stringify({ ...parsed, files: "policy.en.md" }))).toBe('1 VERSION_TAMPERED [files]: the snapshot.json of version 1.0.0 is not one `policypress release` writes, and it was edited after it was released: files must be a mapping (key: value lines), not the text "policy.en.md"');
    writeFileSync(snapshot, original);
    expect(cli(["check", profile]).stderr).not.toContain("VERSION_");
  });

  it("refuses a version number that is not after the latest", () => {
    writeFileSync(rights, readFileSync(rights, "utf8").replace("尽快并在", "尽快，并在"));
    const r = cli(["release", profile, "--version", "1.5.0"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error BAD_VERSION [--version]: version 1.5.0 is not after the latest release, 2.0.0");
    rmSync(join(dir, "versions", "2.0.1"), { recursive: true, force: true });
  });

  it("refuses a release or effective date before the latest version's", () => {
    const r = cli(["release", profile, "--date", "2026-12-01", "--effective", "2026-12-05"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error BAD_DATE [--date]: the release date 2026-12-01 is before that of version 2.0.0 (2026-12-10)");
    expect(r.stderr).toContain("error BAD_DATE [--effective]: the effective date 2026-12-05 is before that of version 2.0.0 (2026-12-12)");
  });

  it("refuses a version folder that is a link", () => {
    const moved = join(tempDir(), "2.0.0");
    renameSync(join(dir, "versions", "2.0.0"), moved);
    symlinkSync(moved, join(dir, "versions", "2.0.0"));
    try {
      expect(cli(["check", profile]).stderr).toContain('error VERSION_FOLDER: "2.0.0" is a link, not a version folder');
    } finally {
      rmSync(join(dir, "versions", "2.0.0"));
      renameSync(moved, join(dir, "versions", "2.0.0"));
    }
  });

  it("releases one at a time: two at once give two versions in a chain, or one and NOTHING_TO_RELEASE", async () => {
    const run = (args: string[]) => new Promise<number>((done) => spawn(process.execPath, [bin, "release", profile, "-q", ...args]).on("close", (code) => done(code ?? -1)));
    const codes = await Promise.all([run(["--date", "2026-12-20", "--effective", "2026-12-20"]), run(["--bump", "minor", "--date", "2026-12-20", "--effective", "2026-12-20"])]);
    expect(codes.sort()).toEqual([0, 1]);
    expect(cli(["check", profile, "--json"]).stdout).not.toContain("VERSION_CHAIN_BROKEN");
    expect(readdirSync(join(dir, "versions")).filter((n) => !n.startsWith("."))).toHaveLength(3);
  });

  it("says when a notice has nothing to list: the first release, or no change", () => {
    expect(cli(["diff", profile, "--to", "1.0.0"]).stdout).toContain("1. 首次发布");
    expect(cli(["diff", profile]).stdout).toMatch(/1\. No change since version \d+\.\d+\.\d+/);
    // a notice for no change announces no update and no date it takes effect
    const unchanged = cli(["diff", profile]).stdout;
    expect(unchanged).toMatch(/The draft of our Privacy Policy is the same as the released version \d+\.\d+\.\d+:\n1\. No change since version/);
    expect(unchanged).not.toMatch(/We updated our|takes effect on|更新了《/);
  });
});

describe("release option values that are not a version or a date", () => {
  // exit 2 as for --bump: the README's usage error, "unknown command, option or value" (they exited 1)
  it("are usage errors (exit 2), said before anything is read or written", () => {
    const dir = tempDir();
    cpSync(join(fixtures, "golden"), dir, { recursive: true, filter: (p) => !p.includes("expected") });
    const profile = join(dir, "profile.yaml");
    const said = (...args: string[]) => {
      const r = cli(["release", profile, ...args]);
      return `${r.code} ${r.stderr.split("\n")[0]}`;
    };
    expect(said("--version", "1.x")).toBe('2 policypress release: --version takes a version number X.Y.Z such as 1.2.0 (no leading zeros), not "1.x"');
    expect(said("--version", "01.2.3")).toBe('2 policypress release: --version takes a version number X.Y.Z such as 1.2.0 (no leading zeros), not "01.2.3"');
    expect(said("--version", "１.２.３")).toBe('2 policypress release: --version takes a version number X.Y.Z such as 1.2.0 (no leading zeros), not "１.２.３"');
    expect(said("--version", "")).toBe("2 policypress release: --version is empty; give it a value (see policypress release --help), or drop it");
    expect(said("--date", "2026-02-30")).toBe('2 policypress release: --date takes a date written YYYY-MM-DD, such as 2027-01-01, not "2026-02-30"');
    expect(said("--effective", "tomorrow")).toBe('2 policypress release: --effective takes a date written YYYY-MM-DD, such as 2027-01-01, not "tomorrow"');
    const json = cli(["release", profile, "--version", "1.x", "--json"]);
    expect(JSON.parse(json.stdout).problems[0].code).toBe("USAGE");
    expect(existsSync(join(dir, "versions"))).toBe(false);
  });

  it("refuses a bump past 999999, which would write a folder no later read takes as a version", () => {
    const dir = tempDir();
    cpSync(join(fixtures, "golden"), dir, { recursive: true, filter: (p) => !p.includes("expected") });
    const profile = join(dir, "profile.yaml");
    expect(cli(["release", profile, "--version", "999999.0.0", "-q"]).code).toBe(0);
    writeFileSync(profile, readFileSync(profile, "utf8").replace("email: privacy@golden.example", "email: dpo@golden.example"));
    const r = cli(["release", profile, "--bump", "major"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error BAD_VERSION [--bump]: the next major version after 999999.0.0 would be 1000000.0.0, and a part of a version number is at most 999999");
    expect(readdirSync(join(dir, "versions")).filter((n) => !n.startsWith("."))).toEqual(["999999.0.0"]);
  });
});

describe("releaseVersion() checks its options as build() does", () => {
  // a malformed --version was BAD_VERSION from the library, where build() says BAD_OPTION for the same mistake
  it("says BAD_OPTION for a malformed or unknown option, before anything is read or written", async () => {
    const dir = tempDir();
    cpSync(join(fixtures, "golden"), dir, { recursive: true, filter: (p) => !p.includes("expected") });
    const profile = join(dir, "profile.yaml");
    const said = async (options: Record<string, unknown>) => {
      const error = (await releaseVersion({ profile, ...options } as ReleaseOptions).catch((e: unknown) => e)) as PolicyError;
      return error.problems.map((p) => `${p.code} ${p.field}: ${p.message}`);
    };
    expect(await said({ version: "1.x" })).toEqual(["BAD_OPTION version: release option version must be a version number X.Y.Z such as 1.2.0 (no leading zeros)"]);
    expect(await said({ date: "2026-02-30", effective: "tomorrow" })).toEqual([
      "BAD_OPTION effective: release option effective must be a date written YYYY-MM-DD, e.g. 2026-12-01",
      "BAD_OPTION date: release option date is not a real calendar date",
    ]);
    expect(await said({ bump: "huge" })).toEqual(['BAD_OPTION bump: release option bump is not valid (Invalid option: expected one of "major"|"minor"|"patch")']);
    expect(await said({ versoin: "1.0.0" })).toEqual(['BAD_OPTION versoin: unknown release option "versoin"; did you mean "version"?']);
    expect(await said({ version: "1.0.0", bump: "major" })).toEqual(["BAD_OPTION bump: release option bump cannot go with version: give one or the other"]);
    expect(existsSync(join(dir, "versions"))).toBe(false);
    // well formed, the options release as the CLI's do
    const released = await releaseVersion({ profile, version: "1.0.0", date: "2026-11-15", effective: "2026-12-01" });
    expect(released.snapshot.version).toBe("1.0.0");
  });
});

describe("a versions/ folder that is no folder", () => {
  const dir = tempDir();
  cpSync(join(fixtures, "golden"), dir, { recursive: true, filter: (p) => !p.includes("expected") });
  const profile = join(dir, "profile.yaml");
  const versions = join(dir, "versions");
  /** The first line each command prints about versions/, with its exit code (each gave exit 70 or 73). */
  const said = (args: string[]) => {
    const r = cli([args[0]!, profile, ...args.slice(1)]);
    return `${r.code} ${r.stderr.split("\n").find((l) => l.includes("versions"))?.split("error ")[1]}`;
  };
  const commands = [["check"], ["diff"], ["release", "-q"], ["build", "--out", join(dir, "out"), "--formats", "md", "-q"]];

  it("a file: said by every command, exit 1 (ENOTDIR, or OUTPUT_NOT_A_FOLDER from release)", () => {
    writeFileSync(versions, "not a folder");
    try {
      for (const args of commands) expect(said(args), args[0]).toBe("1 VERSION_FOLDER: versions/ beside the profile is a file, not a folder");
    } finally {
      rmSync(versions);
    }
  });

  it("a link to itself: said by every command, exit 1 (ELOOP)", () => {
    symlinkSync("versions", versions);
    try {
      for (const args of commands) expect(said(args), args[0]).toBe("1 VERSION_FOLDER: versions/ cannot be read (ELOOP: a link that leads back to itself)");
    } finally {
      rmSync(versions);
    }
  });

  it("links inside it that lead nowhere or back to it: refused, not a crash of the build's cache key", () => {
    expect(cli(["release", profile, "-q"]).code).toBe(0);
    symlinkSync(".", join(versions, "loop"));
    symlinkSync(join(dir, "nowhere"), join(versions, "dangling"));
    const build = cli(["build", profile, "--out", join(dir, "out"), "--formats", "md", "-q"]);
    expect(build.code).toBe(1);
    expect(build.stderr).toContain('error VERSION_FOLDER: "dangling" is a link, not a version folder');
    expect(build.stderr).toContain('error VERSION_FOLDER: "loop" is a link, not a version folder');
  });
});

describe("builds that would overwrite what they read", () => {
  it("refuse an output folder that would replace versions/ (slug versions, --out the profile's folder)", () => {
    const dir = tempDir();
    cpSync(join(fixtures, "golden"), dir, { recursive: true, filter: (p) => !p.includes("expected") });
    writeFileSync(join(dir, "profile.yaml"), `slug: versions\n${readFileSync(join(dir, "profile.yaml"), "utf8").replace(/^slug:.*\n/m, "")}`);
    expect(cli(["release", join(dir, "profile.yaml"), "-q"]).code).toBe(0);
    const r = cli(["build", join(dir, "profile.yaml"), "--out", dir, "--formats", "md"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error OUTPUT_OVERLAPS_INPUT: building into .*versions would replace .*versions, which holds this build's input/);
    expect(readdirSync(join(dir, "versions"))).toContain("1.0.0");
  });

  it("refuse an output folder inside the built-in clause library", () => {
    const r = cli(["build", "--out", join(root, "clauses", "pp-test-out"), "--formats", "md"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error OUTPUT_OVERLAPS_INPUT: the output folder clauses/pp-test-out is inside the clause folder clauses: the next build would read the policies as clauses");
    expect(existsSync(join(root, "clauses", "pp-test-out"))).toBe(false);
  });
});
