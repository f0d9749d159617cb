import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkDir, problemText, runCase } from "./fixture.js";

/**
 * Each test/fixtures/check/cases/<case>.yaml (a patch over base.yaml) has <case>.expected.txt: the exact
 * problems `policypress check` reports for it, empty when the case passes. After an intended change to
 * the messages or the checklist, regenerate with UPDATE_GOLDEN=1 npx vitest run test/check/cases.test.ts
 * and read the diff.
 */
const cases = readdirSync(join(checkDir, "cases")).filter((f) => f.endsWith(".yaml")).map((f) => f.replace(/\.yaml$/, ""));

describe("check cases give the exact problems", () => {
  for (const name of cases)
    it(name, async () => {
      const { report, file } = await runCase(name);
      const text = problemText(report, file);
      const expectedFile = join(checkDir, "cases", `${name}.expected.txt`);
      if (process.env.UPDATE_GOLDEN) writeFileSync(expectedFile, text ? `${text}\n` : "");
      expect(existsSync(expectedFile), `${expectedFile} is missing (UPDATE_GOLDEN=1 writes it)`).toBe(true);
      expect(text ? `${text}\n` : "").toBe(readFileSync(expectedFile, "utf8"));
    });
});
