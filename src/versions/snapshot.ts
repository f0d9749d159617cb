import { createHash } from "node:crypto";
import type { z } from "zod";
import type { snapshotSchema } from "../schema/snapshot.js";

/**
 * A released version, frozen: the rendered documents of both locales (so later builds reproduce it
 * exactly, whatever the clause library says by then), the clauses it was made of, the profile facts,
 * and a hash chain (its own content hash and the previous snapshot's) that makes edits detectable.
 * Its fields are those of the schema every read checks it against (schema/snapshot.ts).
 */
export type Snapshot = z.infer<typeof snapshotSchema>;

export type SnapshotContent = Omit<Snapshot, "hash">;

/** JSON with sorted keys, so the hash does not depend on the order fields were set in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

export function hashContent(content: SnapshotContent): string {
  return createHash("sha256").update(canonicalJson(content)).digest("hex");
}

export function sealSnapshot(content: SnapshotContent): Snapshot {
  return { ...content, hash: hashContent(content) };
}

export function contentOf(snapshot: Snapshot): SnapshotContent {
  const { hash: _hash, ...content } = snapshot;
  return content;
}
