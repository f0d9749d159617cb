import { appendFileSync, cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { build } from "../src/build.js";
import { formatError, PolicyError } from "../src/errors.js";
import { fixtures, root, tempDir } from "./helpers.js";

const minimal = readFileSync(join(fixtures, "profiles", "good-minimal.yaml"), "utf8");

/** Builds `profiles` and gives the message a user sees, paths relative to `dir`. */
async function refusal(dir: string, profiles: string[], out = join(dir, "out"), cache = false): Promise<string> {
  const error = await build({ profiles, out, formats: ["md"], cache }).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(PolicyError);
  return formatError(error as PolicyError).replaceAll(`${dir}/`, "");
}

describe("the same profile named twice", () => {
  it("through a symbolic link to its folder is said to be the same file, not a clash of slugs", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "a"));
    writeFileSync(join(dir, "a", "profile.yaml"), minimal);
    symlinkSync("a", join(dir, "link"));
    expect(await refusal(dir, [join(dir, "a", "profile.yaml"), join(dir, "link", "profile.yaml")])).toBe(
      "link/profile.yaml  error DUPLICATE_PROFILE: this profile is the same file as a/profile.yaml, named by another path (through a link)\n" +
        "    hint: Name each profile file once: drop link/profile.yaml or a/profile.yaml.",
    );
  });

  it("by the same path is said once", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "profile.yaml"), minimal);
    const path = join(dir, "profile.yaml");
    expect(await refusal(dir, [path, path, path])).toBe("profile.yaml  error DUPLICATE_PROFILE: this profile is named more than once in the build\n    hint: Name each profile file once.");
  });
});

describe("a slug taken from the folder name", () => {
  it("is refused when it names the shared assets folder or a Windows device", async () => {
    const dir = tempDir();
    for (const name of ["assets", "con", "lpt1"]) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, "profile.yaml"), minimal);
    }
    expect(await refusal(dir, ["assets", "con", "lpt1"].map((name) => join(dir, name, "profile.yaml")))).toBe(
      'assets/profile.yaml  error RESERVED_SLUG [slug]: the slug "assets" names the folder of the stylesheet and fonts every profile shares\n' +
        "    hint: Give the profile another slug: field.\n" +
        'con/profile.yaml  error RESERVED_SLUG [slug]: the slug "con" is a device name on Windows: a folder named "con" cannot be made or copied there\n' +
        "    hint: Give the profile another slug: field.\n" +
        'lpt1/profile.yaml  error RESERVED_SLUG [slug]: the slug "lpt1" is a device name on Windows: a folder named "lpt1" cannot be made or copied there\n' +
        "    hint: Give the profile another slug: field.\n" +
        "3 problems found.",
    );
  });
});

describe("symbolic links in an own clause folder", () => {
  const clause = (id: string, says: string) =>
    `---\nid: ${id}\ntopic: intro\ntitle: { zh-CN: 问候, en: Hello }\n---\n:::zh-CN\n{{company.name}}向您问好。\n:::\n\n:::en\n{{company.name}} ${says}.\n:::\n`;
  const setup = () => {
    const dir = tempDir();
    mkdirSync(join(dir, "own", "sets"), { recursive: true });
    mkdirSync(join(dir, "shared"));
    writeFileSync(join(dir, "own", "hello.md"), clause("own.hello", "says hello"));
    writeFileSync(join(dir, "shared", "linked.md"), clause("own.linked", "says hi"));
    writeFileSync(join(dir, "own", "sets", "mine.yaml"), "id: mine\ntitle: { zh-CN: 我的, en: Mine }\nsections:\n  - id: intro\n    clauses: [own.hello, own.linked]\n");
    writeFileSync(join(dir, "profile.yaml"), `slug: linked\n${minimal}clauseSet: mine\nclauses: { dirs: [own] }\n`);
    return dir;
  };

  it("reads a linked clause file, and builds again when the file it links to is edited", async () => {
    const dir = setup();
    // a clause shared between folders was skipped without a word: "unknown clause own.linked"
    symlinkSync(join("..", "shared", "linked.md"), join(dir, "own", "linked.md"));
    const options = { profiles: [join(dir, "profile.yaml")], out: join(dir, "out"), formats: ["md" as const] };
    await build(options);
    expect(readFileSync(join(dir, "out", "linked", "policy.en.md"), "utf8")).toContain("says hi.");
    writeFileSync(join(dir, "shared", "linked.md"), clause("own.linked", "says hi again"));
    const again = await build(options);
    expect(again.rendered).toEqual(["linked"]);
    expect(readFileSync(join(dir, "out", "linked", "policy.en.md"), "utf8")).toContain("says hi again.");
  });

  it("does not follow a link to a folder, so a loop of links is no internal error", async () => {
    const dir = setup();
    writeFileSync(join(dir, "own", "linked.md"), clause("own.linked", "says hi"));
    // the cache's hash of the folder followed it until ELOOP: exit 70
    symlinkSync(".", join(dir, "own", "self"));
    const options = { profiles: [join(dir, "profile.yaml")], out: join(dir, "out"), formats: ["md" as const] };
    await build(options);
    expect((await build(options)).unchanged).toEqual(["linked"]);
  });

  it("says where a broken link points", async () => {
    const dir = setup();
    writeFileSync(join(dir, "own", "linked.md"), clause("own.linked", "says hi"));
    symlinkSync(join(dir, "gone.md"), join(dir, "own", "broken.md"));
    expect(await refusal(dir, [join(dir, "profile.yaml")])).toBe(
      "own/broken.md  error FILE_NOT_FOUND: the clause file is a symbolic link to gone.md, which does not exist\n    hint: Point the link at the file, or remove it.",
    );
  });
});

describe("a clause folder that holds the profile (dirs: [.])", () => {
  it("does not read the Markdown copies of its released versions as clauses", async () => {
    const dir = tempDir();
    // the example has two releases in versions/, each with policy.<locale>.md beside its snapshot.json
    cpSync(join(root, "examples", "acme"), dir, { recursive: true });
    writeFileSync(join(dir, "hello.md"), "---\nid: own.hello\ntopic: intro\ntitle: { zh-CN: 问候, en: Hello }\n---\n:::zh-CN\n{{company.name}}向您问好。\n:::\n\n:::en\n{{company.name}} says hello.\n:::\n");
    appendFileSync(join(dir, "profile.yaml"), "clauses:\n  dirs: [.]\n  add: [{ clause: own.hello, section: intro }]\n");
    // each build after a release failed: versions/1.0.0/policy.en.md:1  error CLAUSE_NO_FRONT_MATTER
    await build({ profiles: [join(dir, "profile.yaml")], out: join(dir, "..", `${dir.split("/").pop()}-out`), formats: ["md"], cache: false });
    expect(readFileSync(join(dir, "..", `${dir.split("/").pop()}-out`, "acme", "policy.en.md"), "utf8")).toContain("says hello.");
  });
});

describe("two profile files with one slug in builds into one folder", () => {
  const setup = () => {
    const dir = tempDir();
    for (const name of ["a", "b"]) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, "profile.yaml"), `slug: acme\n${minimal}`);
    }
    return { dir, a: join(dir, "a", "profile.yaml"), b: join(dir, "b", "profile.yaml"), out: join(dir, "out") };
  };

  it("names the other profile when it is kept unchanged from the last build", async () => {
    const { dir, a, b, out } = setup();
    await build({ profiles: [a], out, formats: ["md"] });
    expect(await refusal(dir, [a, b], out, true)).toBe(
      'b/profile.yaml  error DUPLICATE_SLUG [slug]: the slug "acme" is also used by a/profile.yaml (unchanged since the last build)\n    hint: Give each profile its own slug: field.',
    );
  });

  it("warns when one replaces the pages an earlier build published from the other (another shard)", async () => {
    const { dir, a, b, out } = setup();
    await build({ profiles: [a], out, formats: ["md"] });
    // b took over a's folder without a word
    const result = await build({ profiles: [b], out, formats: ["md"] });
    const warning = result.warningProblems.find((w) => w.code === "SLUG_TAKEN_OVER");
    expect(warning && `${warning.message} / ${warning.hint}`.replaceAll(`${dir}/`, "")).toBe(
      'the slug "acme" was published from a/profile.yaml by an earlier build into this folder; this profile\'s pages replace that policy\'s / If a/profile.yaml is still to be published, give one of the two its own slug: field; if this profile replaces it, there is nothing to do.',
    );
  });

  it("warns with --no-cache too, from the profile files the manifest lists", async () => {
    const { dir, a, b, out } = setup();
    await build({ profiles: [a], out, formats: ["md"], cache: false });
    // the same profile again is no take-over
    expect((await build({ profiles: [a], out, formats: ["md"], cache: false })).warningProblems.map((w) => w.code)).not.toContain("SLUG_TAKEN_OVER");
    // without the cache, b replaced a's pages without a word
    const result = await build({ profiles: [b], out, formats: ["md"], cache: false });
    const warnings = result.warningProblems.filter((w) => w.code === "SLUG_TAKEN_OVER");
    expect(warnings.map((w) => `${w.file}: ${w.message}`.replaceAll(`${dir}/`, ""))).toEqual([
      'b/profile.yaml: the slug "acme" was published from a/profile.yaml by an earlier build into this folder; this profile\'s pages replace that policy\'s',
    ]);
  });
});
