import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { recoverOutput, Staging } from "../src/write.js";
import { tempDir } from "./helpers.js";

/**
 * Builds render into their own staging folder before they take the output lock, so the recovery a
 * build runs once it holds the lock must tell a killed build's leftovers from a live build's work.
 */
describe("recovering an output folder", () => {
  it("removes the staging folder of a dead process, keeps that of a live one or of another machine", async () => {
    const out = tempDir();
    const dead = `.staging-999999-mwsf0000`;
    const live = `.staging-${process.pid}-mwsf0001`;
    const foreign = `.staging-1-mwsf0002-deadbeef`;
    for (const name of [dead, live, foreign]) mkdirSync(join(out, name, "acme"), { recursive: true });
    writeFileSync(join(out, live, "acme", "policy.en.md"), "being written");
    const notes = await recoverOutput(out);
    expect(notes).toEqual([`removed the staging folder of an interrupted build (${dead})`]);
    expect(existsSync(join(out, dead))).toBe(false);
    expect(existsSync(join(out, live, "acme", "policy.en.md"))).toBe(true);
    expect(existsSync(join(out, foreign))).toBe(true);
  });

  it("removes half-written shared assets of a dead process", async () => {
    const out = tempDir();
    mkdirSync(join(out, "assets", "fonts"), { recursive: true });
    writeFileSync(join(out, "assets", "fonts", "a.woff2.999999"), "half");
    writeFileSync(join(out, "assets", "fonts", `b.woff2.${process.pid}`), "being written");
    writeFileSync(join(out, "assets", "fonts", "c.woff2"), "whole");
    await recoverOutput(out);
    expect(existsSync(join(out, "assets", "fonts", "a.woff2.999999"))).toBe(false);
    expect(existsSync(join(out, "assets", "fonts", `b.woff2.${process.pid}`))).toBe(true);
    expect(existsSync(join(out, "assets", "fonts", "c.woff2"))).toBe(true);
  });

  it("makes the staging folder even when the output folder was removed after the build looked for it", async () => {
    // another build that had created the output folder failed, and removed it (empty) in between
    const out = join(tempDir(), "gone", "out");
    const staging = await new Staging(out).create();
    expect(existsSync(staging.dir)).toBe(true);
    await staging.discard();
  });
});
