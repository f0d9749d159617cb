import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PolicyError, type Problem } from "../errors.js";
import { displayPath, readSmallFile } from "../load/files.js";
import { toMarkdown } from "../render/markdown.js";
import { compareVersions, parseVersion } from "./semver.js";
import { contentOf, hashContent, sealSnapshot, type Snapshot, type SnapshotContent } from "./snapshot.js";
import { snapshotSchema } from "../schema/snapshot.js";
import { describeIssue, fieldName } from "../schema/zod-problems.js";
import type { z } from "zod";

/** versions/ beside the profile: one folder per release, plain files the user commits. */
export const versionsDir = (profileDir: string) => join(profileDir, "versions");

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const hint = "Released versions are never edited: restore the folder from version control (e.g. `git checkout -- versions/`), then release a new version instead.";

/**
 * Reads every released version, oldest first, and proves the chain intact: each snapshot's content
 * matches its hash, its readable copies match theirs, and each names the one before it.
 */
export async function readVersions(profileDir: string): Promise<Snapshot[]> {
  const dir = versionsDir(profileDir);
  if (!(await checkVersionsFolder(dir))) return [];
  const problems: Problem[] = [];
  // `X.Y.Z.tmp-PID` folders are releases interrupted before their rename: never part of the history
  const entries = await readdir(dir, { withFileTypes: true });
  // a version that is a link may change without its folder changing: refused like any other tampering
  for (const e of entries.filter((e) => e.isSymbolicLink()))
    problems.push({ code: "VERSION_FOLDER", file: displayPath(join(dir, e.name)), message: `"${e.name}" is a link, not a version folder`, hint: "versions/ holds only folders written by `policypress release`; restore the folder itself from version control." });
  const names = entries.filter((e) => e.isDirectory() && !e.name.includes(".tmp-")).map((e) => e.name);
  for (const name of names.filter((n) => !parseVersion(n)))
    problems.push({ code: "VERSION_FOLDER", file: displayPath(join(dir, name)), message: `"${name}" is not a version number (X.Y.Z)`, hint: "versions/ holds only folders written by `policypress release`." });
  const snapshots: Snapshot[] = [];
  // versions whose snapshot could not be read (said once): the next one is not blamed for following them
  const unreadable = new Set<string>();
  for (const name of names.filter((n) => parseVersion(n)).sort(compareVersions)) {
    const file = join(dir, name, "snapshot.json");
    const shown = displayPath(file);
    let raw: unknown;
    try {
      raw = JSON.parse((await readSmallFile(file)) ?? "");
    } catch {
      problems.push({ code: "VERSION_MISSING", file: shown, message: `version ${name} has no readable snapshot.json`, hint });
      unreadable.add(name);
      continue;
    }
    const edited = isRecord(raw) && hashContent(contentOf(raw as Snapshot)) !== raw.hash;
    // JSON, but not what `release` writes (`null`, a list, a field of the wrong kind): its pages and
    // notices would read fields of nothing, so the whole file is checked once, here, and refused whole
    const checked = snapshotSchema.safeParse(raw, { reportInput: true });
    if (!checked.success) {
      problems.push(notASnapshot(name, shown, raw, checked.error, edited));
      unreadable.add(name);
      continue;
    }
    const snapshot = checked.data;
    if (snapshot.version !== name) problems.push({ code: "VERSION_TAMPERED", file: shown, field: "version", message: `the folder is ${name} but the snapshot says ${snapshot.version}`, hint });
    if (edited) problems.push({ code: "VERSION_TAMPERED", file: shown, message: `version ${name} was edited after it was released (its content no longer matches its hash)`, hint });
    // the copies as the file lists them: a parsed record leaves out a "__proto__" entry, which must fail too
    for (const [copy, expected] of Object.entries((raw as Pick<Snapshot, "files">).files)) {
      // a copy is a file of the version's own folder: a name that leads elsewhere is not read
      const text = isPlainName(copy) ? await readSmallFile(join(dir, name, copy)) : undefined;
      if (text === undefined || sha256(text) !== expected)
        problems.push({ code: "VERSION_TAMPERED", file: displayPath(join(dir, name, copy)), message: `${copy} of version ${name} is ${text === undefined ? "missing" : "edited"}`, hint });
    }
    const before = snapshots[snapshots.length - 1];
    const expectedPrevious = before ? { version: before.version, hash: before.hash } : null;
    const followsUnreadable = snapshot.previous !== null && unreadable.has(snapshot.previous.version);
    if (!followsUnreadable && JSON.stringify(snapshot.previous) !== JSON.stringify(expectedPrevious))
      problems.push({
        code: "VERSION_CHAIN_BROKEN", file: shown, field: "previous",
        message: before ? `version ${name} does not follow ${before.version}: a version is missing, reordered or replaced` : `version ${name} names a previous version (${snapshot.previous?.version}) that is not in versions/`,
        hint,
      });
    snapshots.push(snapshot);
  }
  if (problems.length) throw new PolicyError(problems);
  return snapshots;
}

/**
 * Whether versions/ is there (false: nothing is released yet), refusing one that is no folder: a file or
 * a link that leads nowhere readable (a loop) crashed every read and release with ENOTDIR or ELOOP.
 */
export async function checkVersionsFolder(dir: string): Promise<boolean> {
  let info;
  try {
    info = await stat(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // a link to nothing is taken as no versions/ yet, as a missing folder (release then creates its target)
    if (code === "ENOENT") return false;
    throw new PolicyError({ code: "VERSION_FOLDER", file: displayPath(dir), message: `versions/ cannot be read (${code ?? String(e)}${code === "ELOOP" ? ": a link that leads back to itself" : ""})`, hint: folderHint });
  }
  if (!info.isDirectory()) throw new PolicyError({ code: "VERSION_FOLDER", file: displayPath(dir), message: "versions/ beside the profile is a file, not a folder", hint: folderHint });
  return true;
}
const folderHint = "versions/ beside the profile holds the released versions, one folder each, as `policypress release` writes them: restore it from version control, or move the file away if nothing is released yet.";

/** Writes a new version's folder (staged, then renamed into place); never overwrites one. */
export async function writeVersion(profileDir: string, content: Omit<SnapshotContent, "files">): Promise<{ snapshot: Snapshot; folder: string }> {
  const folder = join(versionsDir(profileDir), content.version);
  if (existsSync(folder))
    throw new PolicyError({ code: "VERSION_EXISTS", file: displayPath(folder), message: `version ${content.version} is already released`, hint: "Choose a higher version (--version) or let `release` propose one." });
  const copies = Object.fromEntries((["zh-CN", "en"] as const).map((l) => [`policy.${l}.md`, toMarkdown(content.documents[l])]));
  const snapshot = sealSnapshot({ ...content, files: Object.fromEntries(Object.entries(copies).map(([n, t]) => [n, sha256(t)])) });
  // every read checks a snapshot against its schema: one that would fail it is never written, since a
  // released version cannot be corrected afterwards (a failure here is PolicyPress's own bug)
  const written = snapshotSchema.safeParse(JSON.parse(JSON.stringify(snapshot)));
  if (!written.success) throw new Error(`the snapshot of version ${content.version} would not be read back: ${fieldName(written.error.issues[0]!.path)} ${written.error.issues[0]!.message}`);
  const staging = `${folder}.tmp-${process.pid}`;
  await mkdir(staging, { recursive: true });
  for (const [name, text] of Object.entries(copies)) await writeFile(join(staging, name), text);
  await writeFile(join(staging, "snapshot.json"), `${JSON.stringify(snapshot, null, 2)}\n`);
  await rename(staging, folder);
  return { snapshot, folder };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The problem of a snapshot.json that is JSON but not a snapshot: its first wrong field, in words. */
function notASnapshot(name: string, file: string, raw: unknown, error: z.ZodError, edited: boolean): Problem {
  const what = `the snapshot.json of version ${name} is not one \`policypress release\` writes`;
  if (!isRecord(raw))
    return { code: "VERSION_TAMPERED", file, message: `${what}: it holds ${raw === null ? "null" : Array.isArray(raw) ? "a list" : `a ${typeof raw}`}, not a mapping of fields`, hint };
  const issue = error.issues[0]!;
  const field = fieldName(issue.path);
  const others = new Set(error.issues.map((i) => fieldName(i.path)).filter((f) => f !== field)).size;
  const more = others ? ` (and ${others} more field${others > 1 ? "s" : ""})` : "";
  // edited by hand (the hash says so), or written with a recomputed hash: either way not a release
  const how = edited ? ", and it was edited after it was released" : "";
  const wrong =
    issue.code === "unrecognized_keys" ? `has an unknown field ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}`
    : issue.code === "invalid_type" && issue.input === undefined ? "is missing"
    : describeIssue(issue);
  // its hash holds: recomputed by whoever edited it, or written by a PolicyPress whose snapshots differ
  const otherRelease = edited ? "" : " If nobody edited it, another version of PolicyPress wrote it: build with the one that released it.";
  return { code: "VERSION_TAMPERED", file, field: field || undefined, message: `${what}${how}: ${field || "the file"} ${wrong}${more}`, hint: hint + otherRelease };
}

/** A file name with no way out of its folder (no separator, not `.` or `..`). */
const isPlainName = (name: string) => /^[^/\\]+$/.test(name) && name !== "." && name !== "..";
