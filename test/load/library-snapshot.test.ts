import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fieldsRead, knownFieldsRead } from "../../src/check/fields-read.js";
import { checkedClause, passedChecks } from "../../src/check/library.js";
import { adoptLibrary, libraryToShare, loadLibrary } from "../../src/load/library.js";
import { readSnapshot, writeSnapshot } from "../../src/load/library-snapshot.js";
import { root, tempDir } from "../helpers.js";

describe("the library snapshot (src/load/library-snapshot.ts)", async () => {
  // under vitest there is no snapshot beside src/: this is the library read from its files
  const fromFiles = await loadLibrary();
  const file = join(tempDir(), "library-snapshot.json");
  writeSnapshot(fromFiles, file);

  it("gives back the library read from the files, field for field and in the same order", () => {
    const revived = readSnapshot(file)!;
    expect(revived).toBeDefined();
    // JSON.stringify keeps key order: the build cache hashes each clause that way
    expect([...revived.clauses.values()].map((c) => JSON.stringify(c))).toEqual([...fromFiles.clauses.values()].map((c) => JSON.stringify(c)));
    expect([...revived.variants].map(([id, list]) => [id, list.map((c) => c.key)])).toEqual([...fromFiles.variants].map(([id, list]) => [id, list.map((c) => c.key)]));
    expect(JSON.stringify([...revived.sets.values()])).toBe(JSON.stringify([...fromFiles.sets.values()]));
    expect(revived.topics).toEqual(fromFiles.topics);
    // the variants are the clauses themselves, not copies (memos key on the clause object)
    const [id, list] = [...revived.variants].find(([, l]) => l.length > 1)!;
    expect(list[0]).toBe(revived.clauses.get(list[0]!.key));
    expect(id).toBe(list[0]!.id);
  });

  it("knows the fields each clause reads, as parsing its bodies finds them", () => {
    const revived = readSnapshot(file)!;
    for (const clause of revived.clauses.values()) {
      const fresh = fieldsRead(fromFiles.clauses.get(clause.key)!);
      expect([...knownFieldsRead(clause)!], clause.key).toEqual([...fresh]);
    }
    expect([...knownFieldsRead(revived.clauses.get("cross-border.list:default")!)!]).toEqual(expect.arrayContaining(["storage.crossBorder.recipient"]));
  });

  it("is not used when its key is not current, or when it cannot be read", () => {
    const stale = JSON.parse(readFileSync(file, "utf8"));
    stale.key = "0".repeat(64);
    writeFileSync(`${file}.stale`, JSON.stringify(stale));
    expect(readSnapshot(`${file}.stale`)).toBeUndefined();
    writeFileSync(`${file}.broken`, readFileSync(file, "utf8").slice(0, 1000));
    expect(readSnapshot(`${file}.broken`)).toBeUndefined();
    expect(readSnapshot(`${file}.missing`)).toBeUndefined();
  });
});

describe("the library a render thread is sent (libraryToShare)", () => {
  it("brings the fields its clauses read, and the thread that adopts it knows them without parsing", async () => {
    const shared = (await libraryToShare())!;
    for (const clause of shared.library.clauses.values()) fieldsRead(clause);
    const withReads = (await libraryToShare())!;
    expect(withReads.reads.length).toBe(withReads.library.clauses.size);
    // what a worker gets: a structured clone, other objects than this thread's
    const copy = structuredClone(withReads);
    const clause = copy.library.clauses.get("contact.officer:designated")!;
    expect(knownFieldsRead(clause)).toBeUndefined();
    adoptLibrary(copy);
    expect([...knownFieldsRead(clause)!]).toEqual([...fieldsRead(withReads.library.clauses.get("contact.officer:designated")!)]);
  });

  it("says which clauses passed their checks, and the thread that adopts it does not check them again", async () => {
    const shared = (await libraryToShare())!;
    const [passing, unchecked] = [...shared.library.clauses.values()];
    checkedClause(passing!);
    const copy = structuredClone((await libraryToShare())!);
    expect(copy.checked).toContain(passing!.key);
    expect(copy.checked).not.toContain(unchecked!.key);
    adoptLibrary(copy);
    expect(passedChecks(copy.library.clauses.get(passing!.key)!)).toBe(true);
    expect(passedChecks(copy.library.clauses.get(unchecked!.key)!)).toBe(false);
  });
});

describe("a compiled copy of PolicyPress with its snapshot", () => {
  // a copy, so that its clause files can be edited: what `npm run compile` left in dist/ is used as it is
  const pkg = tempDir("pp-snapshot-");
  for (const dir of ["dist", "bin", "clauses", "templates", "locales", "examples"]) cpSync(join(root, dir), join(pkg, dir), { recursive: true });
  cpSync(join(root, "package.json"), join(pkg, "package.json"));
  symlinkSync(join(root, "node_modules"), join(pkg, "node_modules"));
  const build = () => {
    const out = tempDir();
    const r = spawnSync(process.execPath, [join(pkg, "bin", "policypress.js"), "build", "--out", out, "--formats", "md", "--quiet"], { cwd: pkg, encoding: "utf8" });
    expect(r.stderr).toBe("");
    return readFileSync(join(out, "acme", "policy.en.md"), "utf8");
  };
  const snapshotFile = join(pkg, "dist", "library-snapshot.json");
  // a clause the bundled example prints
  const clauseFile = join(pkg, "clauses", "contact", "contact.officer.designated.md");

  it("exists after npm run compile", () => {
    expect(existsSync(snapshotFile)).toBe(true);
  });

  it("is what a build reads while the clause files are as they were", () => {
    // a mark put into the snapshot only: it shows in the policy if, and only if, the snapshot was used
    const snapshot = JSON.parse(readFileSync(snapshotFile, "utf8"));
    const clause = snapshot.clauses.find((c: { key: string }) => c.key === "contact.officer:designated");
    clause.bodies.en = `${clause.bodies.en}\n\nSNAPSHOT-MARK`;
    writeFileSync(snapshotFile, JSON.stringify(snapshot));
    expect(build()).toContain("SNAPSHOT-MARK");
  });

  it("gives way to the clause files as soon as one is edited", () => {
    const text = readFileSync(clauseFile, "utf8");
    writeFileSync(clauseFile, text.replace(/(:::\s*en\s*\n)/, "$1FILE-MARK "));
    const policy = build();
    expect(policy).toContain("FILE-MARK");
    expect(policy).not.toContain("SNAPSHOT-MARK");
  });

  it("is not made for a library a clause's own checks fail (a snapshot's clauses are not checked again)", () => {
    const text = readFileSync(clauseFile, "utf8");
    writeFileSync(clauseFile, text.replace(/(:::\s*en\s*\n)/, "$1{{company.nickname}} "));
    const made = spawnSync(process.execPath, [join(pkg, "dist", "load", "library-snapshot.js")], { cwd: pkg, encoding: "utf8" });
    expect(made.stderr).toContain("The clause library has problems; no snapshot was written");
    expect(existsSync(snapshotFile)).toBe(false);
    const out = tempDir();
    const r = spawnSync(process.execPath, [join(pkg, "bin", "policypress.js"), "build", "--out", out, "--formats", "md"], { cwd: pkg, encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("contact.officer.designated.md");
    expect(r.stderr).toContain("company.nickname");
  });
});
