import { createHash } from "node:crypto";
import type { Profile } from "../schema/profile.js";
import type { PolicyDocument } from "../render/document.js";

/**
 * A released version, frozen: the rendered documents of both locales (so later builds reproduce it
 * exactly, whatever the clause library says by then), the clauses it was made of, the profile facts,
 * and a hash chain (its own content hash and the previous snapshot's) that makes edits detectable.
 */
export interface Snapshot {
  format: 1;
  slug: string;
  version: string;
  /** YYYY-MM-DD the version was released. */
  released: string;
  /** YYYY-MM-DD it takes effect. */
  effective: string;
  summary?: { "zh-CN": string; en: string };
  clauseSet: string;
  previous: { version: string; hash: string } | null;
  profile: Profile;
  documents: { "zh-CN": PolicyDocument; en: PolicyDocument };
  /** Readable copies written beside snapshot.json (policy.zh-CN.md ...), name -> sha256. */
  files: Record<string, string>;
  /** sha256 of everything above, canonically serialised. */
  hash: string;
}

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
