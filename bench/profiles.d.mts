// Types for bench/profiles.mjs (used by test/bench/profiles.test.ts).
export declare const EXAMPLES: string[];
export declare const CLAUSE_SETS: string[];
export declare function prng(seed: number): {
  next(): number;
  int(lo: number, hi: number): number;
  pick<T>(xs: T[]): T;
  chance(p: number): boolean;
  sample<T>(xs: T[], k: number): T[];
};
export declare function loadBases(root?: string): Promise<Record<string, unknown>[]>;
export declare function makeProfile(bases: Record<string, unknown>[], i: number, rnd: ReturnType<typeof prng>): Record<string, unknown> & { slug: string };
/** Writes `count` profiles into `dir` (DIR/<slug>/profile.yaml) and returns their paths, in order. */
export declare function generateProfiles(options: { count?: number; dir: string; seed?: number; root?: string }): Promise<string[]>;
