import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildProfile } from "../../src/build.js";
import { checkCompliance } from "../../src/check/compliance.js";
import { reportMarkdown } from "../../src/check/report.js";
import { root } from "../helpers.js";

describe("docs/compliance.md", () => {
  it("shows the current table of the five source reconstructions (regenerate with the command it gives)", async () => {
    const sources = join(root, "examples", "sources");
    const reports = [];
    for (const name of readdirSync(sources).sort()) reports.push(await checkCompliance(await buildProfile(join(sources, name, "profile.yaml"))));
    const doc = readFileSync(join(root, "docs", "compliance.md"), "utf8");
    const table = /<!-- sources table:[^\n]*-->\n([\s\S]*?)\n<!-- end of sources table -->/.exec(doc)?.[1];
    expect(table, "the generated block is missing from docs/compliance.md").toBeDefined();
    expect(table).toBe(reportMarkdown(reports));
  });
});
