import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { entryKind, MAX_FOLDER_ENTRIES } from "./files.js";

/**
 * What was read from a folder's files (the clause library, the checklist), kept in memory while the files
 * stay as they were. A process that lives on (a program calling `build` again, the live preview) must
 * not render from files that have changed since: each entry remembers the names, sizes and modification
 * times of the files under its folders, and is read again when they differ.
 *
 * Looking at the files costs about 2 ms for the built-in library, too much for every profile of a
 * build: an entry is looked at once per round, and `build` starts a new round (`recheckFiles`).
 */
let round = 0;
const watched: { folders: string[]; stamp: string | undefined; forget: () => void }[] = [];

/**
 * The next use of every `FolderCache` entry looks at its files again, and what `forgetWhenChanged`
 * watches is forgotten now if its files changed.
 */
export function recheckFiles(): void {
  round++;
  for (const w of watched) {
    const stamp = folderStamp(w.folders);
    if (stamp === undefined || stamp !== w.stamp) {
      w.stamp = stamp;
      w.forget();
    }
  }
}

/** Something computed once per round (a build): `compute` runs again in the next round. */
export function oncePerRound<T>(compute: () => T): () => T {
  let value: { round: number; value: T } | undefined;
  return () => {
    if (value?.round !== round) value = { round, value: compute() };
    return value.value;
  };
}

/** For what a module keeps read from `folders` (page templates, locale files): `forget` runs when they change. */
export function forgetWhenChanged(folders: string[], forget: () => void): void {
  watched.push({ folders, stamp: folderStamp(folders), forget });
}

interface Entry<T> {
  value: T;
  /** What the folders held when the value was read; undefined: never reused. */
  stamp: string | undefined;
  /** The round in which `stamp` was last found unchanged. */
  checked: number;
}

export class FolderCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  /** The value for `key` read from `folders`: kept if they are as they were, else `read()` again. */
  get(key: string, folders: string[], read: () => T): T {
    const hit = this.entries.get(key);
    if (hit?.checked === round) return hit.value;
    // taken before reading: an edit made while the files are being read shows at the next look
    const stamp = folderStamp(folders);
    if (hit && stamp !== undefined && hit.stamp === stamp) {
      hit.checked = round;
      return hit.value;
    }
    const entry: Entry<T> = { value: read(), stamp, checked: round };
    this.entries.set(key, entry);
    // a failed read (problems in the files) is not kept: the next use reads and reports again
    if (entry.value instanceof Promise) entry.value.catch(() => this.entries.get(key) === entry && this.entries.delete(key));
    return entry.value;
  }

  /** What `key` holds, read or looked at in this round, to hand to a render thread (`adopt`). */
  current(key: string): { value: T; stamp: string } | undefined {
    const hit = this.entries.get(key);
    return hit?.checked === round && hit.stamp !== undefined ? { value: hit.value, stamp: hit.stamp } : undefined;
  }

  /** Takes what another thread read in its current round, unless this thread has its own already. */
  adopt(key: string, value: T, stamp: string): void {
    if (!this.entries.has(key)) this.entries.set(key, { value, stamp, checked: round });
  }
}

/**
 * Every file under `folders` (links to files followed, to folders not, as `listFiles` reads them) with its size and
 * modification time. Undefined when a folder cannot be walked or is too large: the reading reports why.
 */
export function folderStamp(folders: string[]): string | undefined {
  const parts: string[] = [];
  let seen = 0;
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (++seen > MAX_FOLDER_ENTRIES) throw new Error("too many files");
      const p = join(dir, e.name);
      const kind = entryKind(dir, e);
      if (kind === "folder") walk(p);
      else if (kind === "file") {
        const s = statSync(p);
        parts.push(`${p}\0${s.size}\0${s.mtimeMs}`);
      }
    }
  };
  try {
    for (const folder of folders) {
      parts.push(`folder\0${folder}`);
      if (existsSync(folder)) walk(folder);
    }
  } catch {
    return undefined;
  }
  return parts.join("\n");
}
