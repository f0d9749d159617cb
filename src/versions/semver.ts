/** X.Y.Z release numbers: what `release` proposes and what orders a profile's versions/ folder. */
import { VERSION_PATTERN } from "../schema/snapshot.js";

export type Bump = "major" | "minor" | "patch";

export function parseVersion(v: string): [number, number, number] | undefined {
  const m = VERSION_PATTERN.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

export function compareVersions(a: string, b: string): number {
  const pa = parseVersion(a)!;
  const pb = parseVersion(b)!;
  return pa[0] - pb[0] || pa[1] - pb[1] || pa[2] - pb[2];
}

export function bumpVersion(v: string | undefined, bump: Bump): string {
  if (!v) return "1.0.0";
  const [major, minor, patch] = parseVersion(v)!;
  if (bump === "major") return `${major + 1}.0.0`;
  if (bump === "minor") return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}
