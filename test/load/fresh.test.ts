import { cpSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { build } from "../../src/build.js";
import { folderStamp, forgetWhenChanged, oncePerRound, recheckFiles } from "../../src/load/fresh.js";
import { loadLibrary, loadLibraryOfRound } from "../../src/load/library.js";
import { fixtures, tempDir } from "../helpers.js";

const clause = (en: string) => `---\nid: own.fresh\ntopic: intro\ntitle: { zh-CN: 新, en: Fresh }\n---\n:::zh-CN\n中文。\n:::\n\n:::en\n${en}\n:::\n`;
const enText = async (own: string, load = loadLibrary) => (await load({ own: [own] })).clauses.get("own.fresh:default")!.bodies.en;

describe("what was read from files is read again when they change", () => {
  it("gives a library as its files are now, in a process that lives on", async () => {
    const own = tempDir();
    writeFileSync(join(own, "fresh.md"), clause("First text."));
    expect(await enText(own)).toContain("First text.");
    writeFileSync(join(own, "fresh.md"), clause("Second text."));
    expect(await enText(own)).toContain("Second text.");
  });

  it("looks at the files once per build: the same library within a round, the new one after recheckFiles", async () => {
    const own = tempDir();
    writeFileSync(join(own, "fresh.md"), clause("Before."));
    recheckFiles();
    const first = await loadLibraryOfRound({ own: [own] });
    writeFileSync(join(own, "fresh.md"), clause("After, and longer."));
    expect(await loadLibraryOfRound({ own: [own] })).toBe(first);
    recheckFiles();
    expect(await enText(own, loadLibraryOfRound)).toContain("After, and longer.");
  });

  it("keeps a library whose files did not change, and sees an edit that keeps the size", async () => {
    const own = tempDir();
    writeFileSync(join(own, "fresh.md"), clause("Text A."));
    const first = await loadLibrary({ own: [own] });
    expect(await loadLibrary({ own: [own] })).toBe(first);
    writeFileSync(join(own, "fresh.md"), clause("Text B."));
    // same size: only the modification time tells
    utimesSync(join(own, "fresh.md"), new Date(), new Date(Date.now() + 5_000));
    expect(await enText(own)).toContain("Text B.");
  });

  it("does not keep a library that failed, so the fix is seen", async () => {
    const own = tempDir();
    writeFileSync(join(own, "fresh.md"), "---\nid: own.fresh\n---\nno front matter end");
    await expect(loadLibrary({ own: [own] })).rejects.toThrow();
    writeFileSync(join(own, "fresh.md"), clause("Mended."));
    expect(await enText(own)).toContain("Mended.");
  });

  it("sees a file added to a folder, and tells a missing folder from an empty one", () => {
    const dir = tempDir();
    const before = folderStamp([dir]);
    writeFileSync(join(dir, "new.md"), "x");
    expect(folderStamp([dir])).not.toBe(before);
    expect(folderStamp([join(dir, "nowhere")])).not.toBe(folderStamp([dir]));
  });

  it("runs a module's forget when the files it watches change, at the next recheck only", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a.json"), "{}");
    let forgotten = 0;
    forgetWhenChanged([dir], () => forgotten++);
    recheckFiles();
    expect(forgotten).toBe(0);
    writeFileSync(join(dir, "a.json"), '{"changed": true}');
    expect(forgotten).toBe(0);
    recheckFiles();
    expect(forgotten).toBe(1);
  });

  it("builds again from an own clause edited between two builds of one process", async () => {
    const dir = tempDir();
    cpSync(join(fixtures, "golden"), dir, { recursive: true, filter: (p) => !p.includes("expected") });
    const rights = join(dir, "own", "rights.md");
    const out = join(dir, "out");
    await build({ profiles: [join(dir, "profile.yaml")], out, formats: ["md"] });
    writeFileSync(rights, readFileSync(rights, "utf8").replace("We will answer", "We shall answer"));
    const again = await build({ profiles: [join(dir, "profile.yaml")], out, formats: ["md"] });
    expect(again.rendered).toEqual(["golden"]);
    expect(readFileSync(join(out, "golden", "policy.en.md"), "utf8")).toContain("We shall answer");
  });
});

describe("oncePerRound", () => {
  it("computes once per build round, and again in the next", () => {
    let runs = 0;
    const value = oncePerRound(() => ++runs);
    recheckFiles();
    expect([value(), value()]).toEqual([1, 1]);
    recheckFiles();
    expect([value(), value(), runs]).toEqual([2, 2, 2]);
  });
});
