import { fileURLToPath } from "node:url";
import { join } from "node:path";

/** The package root (where clauses/, templates/, locales/ live), both from src/ under vitest and from dist/. */
export const packageRoot = fileURLToPath(new URL("..", import.meta.url));

export const builtinPaths = {
  clauses: join(packageRoot, "clauses"),
  sets: join(packageRoot, "clauses", "sets"),
  topics: join(packageRoot, "clauses", "topics.yaml"),
  requirements: join(packageRoot, "clauses", "requirements"),
  locales: join(packageRoot, "locales"),
  templates: join(packageRoot, "templates"),
  example: join(packageRoot, "examples", "acme", "profile.yaml"),
};
