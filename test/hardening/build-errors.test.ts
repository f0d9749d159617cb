import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { build, buildProfile } from "../../src/build.js";
import { formatError, PolicyError } from "../../src/errors.js";
import { fixtures, root, tempDir } from "../helpers.js";

/**
 * Mistakes only the later stages see (the clause library, the clause set, the templates): each
 * fixtures/builds/bad-* folder holds a profile (and its own clauses) and expected.txt, the exact
 * message a user sees. UPDATE_GOLDEN=1 rewrites them; a missing one fails.
 */
const dir = join(fixtures, "builds");
const prefix = relative(process.cwd(), root) ? `${relative(process.cwd(), root)}/` : "";

describe("build-stage mistakes give the exact messages", () => {
  for (const name of readdirSync(dir).filter((f) => f.startsWith("bad-"))) {
    it(name, async () => {
      const error = await buildProfile(join(dir, name, "profile.yaml")).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(PolicyError);
      const message = `${formatError(error as PolicyError).replaceAll(prefix, "")}\n`;
      const expectedFile = join(dir, name, "expected.txt");
      if (process.env.UPDATE_GOLDEN) writeFileSync(expectedFile, message);
      expect(existsSync(expectedFile), `${expectedFile} is missing (UPDATE_GOLDEN=1 writes it)`).toBe(true);
      expect(message).toBe(readFileSync(expectedFile, "utf8"));
    });
  }

  it("warns, at the section's line, that a numbered section with no title and no default heading prints without one", async () => {
    const result = await build({ profiles: [join(dir, "good-bom-crlf-clause", "profile.yaml")], out: tempDir(), formats: ["md"], cache: false });
    const warning = result.warningProblems.find((p) => p.code === "SECTION_NO_TITLE");
    expect(warning && `${relative(root, warning.file!)}:${warning.line} [${warning.field}] ${warning.message}`).toBe(
      'test/fixtures/builds/good-bom-crlf-clause/own/sets/mine.yaml:4 [sections[0].title] section "main" is printed without a heading: it has no title, and locales/zh-CN.json and locales/en.json give no default heading for "main"',
    );
  });

  it("reads a clause file with a byte order mark and Windows line ends like any other", async () => {
    const b = await buildProfile(join(dir, "good-bom-crlf-clause", "profile.yaml"));
    const en = b.files.find((f) => f.path === "policy.en.md")!.content;
    expect(en).toContain("示例有限公司 says hello.");
    expect(en).not.toMatch(/\r|\uFEFF/);
  });
});
