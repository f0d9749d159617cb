import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/**
 * A package loaded the first time it is needed instead of with the module that uses it. A render
 * thread loads its modules before it can start (src/parallel.ts); `yaml` (positions for error messages,
 * files the fast reader declines) and `diff` (change notices between releases) are not needed by most
 * builds, and loading them took 40-60 ms of every thread's start.
 */
export function onFirstUse<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}
