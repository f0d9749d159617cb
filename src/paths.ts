import { fileURLToPath } from "node:url";
import { join } from "node:path";

/** The package root (where clauses/, templates/, locales/ live), both from src/ under vitest and from dist/. */
export const packageRoot = fileURLToPath(new URL("..", import.meta.url));

/**
 * The stylesheet and fonts are shared by every profile of a build: one `assets/` folder at the top of
 * the output folder, beside the profiles' folders (every page of every profile is one level or more
 * below it), so no profile may have it as its slug. Fonts are split by unicode-range, so a browser, or
 * Chromium printing a PDF, loads only the subsets a page's characters fall in.
 */
export const ASSETS_FOLDER = "assets";

export const builtinPaths = {
  clauses: join(packageRoot, "clauses"),
  sets: join(packageRoot, "clauses", "sets"),
  topics: join(packageRoot, "clauses", "topics.yaml"),
  citations: join(packageRoot, "clauses", "citations.yaml"),
  requirements: join(packageRoot, "clauses", "requirements"),
  locales: join(packageRoot, "locales"),
  templates: join(packageRoot, "templates"),
  example: join(packageRoot, "examples", "acme", "profile.yaml"),
};
