import { z } from "zod";
import type { Problem } from "../errors.js";
import { localeSchema } from "./localized.js";
import { PAPERS } from "../render/paper.js";
import { closest } from "./zod-problems.js";
import { knownKeys } from "./walk.js";

/**
 * The longest time limit a timer can hold: Node's setTimeout fires at once (after 1 ms) when given more
 * than 2^31 - 1 ms, so a larger PDF time limit (--pdf-timeout 1e9) made every print fail at once.
 */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** A function option (onProgress): zod 4 has no function schema. */
const callback = z.custom<(message: string) => void>((v) => typeof v === "function", "must be a function");

// the paper sizes the HTML's running header is measured against: another would leave it unmeasured
const paperSchema = z.enum(PAPERS).optional();

/** The formats a build is asked for (json and xml come with the site). */
export const BUILD_FORMATS = ["md", "html", "pdf"] as const;

/** A path the output is published under: /legal/, not an address and never above the site's root. */
export const basePathSchema = z
  .string()
  .refine((s) => !/^[a-z][a-z0-9+.-]*:/i.test(s) && !s.startsWith("//"), "must be a path such as /legal/, not a web address (give the origin with siteUrl / --site-url)")
  .refine((s) => !s.split(/[/\\]/).some((seg) => seg === ".." || seg === "."), "must not hold . or .. segments");

/** The origin of the published site: scheme and host only; its path goes in `base`. */
export const siteOriginSchema = z.string().refine((s) => {
  try {
    const url = new URL(s);
    return (url.protocol === "https:" || url.protocol === "http:") && url.pathname === "/" && !url.search && !url.hash && !url.username && !url.password;
  } catch {
    return false;
  }
}, "must be an origin such as https://example.com (a path goes in base / --base)");

/**
 * What `build()` accepts, checked before anything is read or written: a program calling the library
 * gets the same refusals as the CLI's user (an empty list of formats wrote nothing and emptied the
 * manifest; an unknown locale failed deep in rendering). Functions and browser settings pass through.
 */
export const buildOptionsSchema = z.strictObject({
  // [] is not "none given": a pipeline whose glob found nothing would publish the bundled example's policy
  profiles: z.array(z.string().min(1, "must not be empty")).min(1, "is an empty list; name one or more profile.yaml files, or leave profiles out to build the bundled example").optional(),
  out: z.string().min(1, "must not be empty").optional(),
  formats: z.array(z.enum(BUILD_FORMATS)).min(1, "must name at least one of md, html, pdf").optional(),
  locales: z.array(localeSchema).min(1, "must name at least one of zh-CN, en").optional(),
  formatsExplicit: z.boolean().optional(),
  base: basePathSchema.optional(),
  siteUrl: siteOriginSchema.optional(),
  jobs: z.int("must be a whole number of threads").min(1, "must be at least 1").max(64, "must be at most 64").optional(),
  shard: z
    .strictObject({ index: z.int().min(1), count: z.int().min(1) })
    .refine((s) => s.index <= s.count, "index must be from 1 to count")
    .optional(),
  cache: z.boolean().optional(),
  lockWaitMs: z.number().min(0).optional(),
  onProgress: callback.optional(),
  browser: z
    .strictObject({
      executablePath: z.string().min(1, "must not be empty").optional(),
      browserWSEndpoint: z.string().min(1, "must not be empty").optional(),
      concurrency: z.int("must be a whole number of pages").min(1, "must be at least 1").max(64, "must be at most 64").optional(),
      timeoutMs: z.number().positive("must be more than 0").max(MAX_TIMEOUT_MS, `must be at most ${MAX_TIMEOUT_MS} ms (about 24 days)`).optional(),
      paper: paperSchema,
    })
    .optional(),
});

/**
 * What `buildProfile()` accepts: the options of build() that shape one profile's pages. Unchecked, a
 * siteUrl of "javascript:..." gave canonical links starting "null/", and a locale "fr" failed deep in
 * rendering as TEMPLATE_ERROR.
 */
export const profileOptionsSchema = z.strictObject({
  locales: buildOptionsSchema.shape.locales,
  formats: buildOptionsSchema.shape.formats,
  base: buildOptionsSchema.shape.base,
  siteUrl: buildOptionsSchema.shape.siteUrl,
  paper: paperSchema,
});

/** Every problem with buildProfile()'s options, as buildOptionProblems gives them. */
export function profileOptionProblems(options: unknown): Problem[] {
  return optionProblems(profileOptionsSchema, options);
}

/** Every problem with the options, as problems with the option's name as the field. */
export function buildOptionProblems(options: unknown): Problem[] {
  return optionProblems(buildOptionsSchema, options);
}

function optionProblems(schema: z.ZodType, options: unknown): Problem[] {
  const parsed = schema.safeParse(options);
  if (parsed.success) return [];
  return parsed.error.issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") return issue.keys.map((key) => unknownOption(schema, issue.path, key));
    const field = issue.path.map(String).join(".") || "options";
    return { code: "BAD_OPTION", field, message: `build option ${field} ${issue.code === "invalid_value" || issue.code === "invalid_type" ? `is not valid (${issue.message})` : issue.message}`, hint: "See BuildOptions in src/build.ts (or `policypress build --help`)." };
  });
}

/**
 * An option build() does not know was ignored before: `{ output: "public" }` built into ./output, and
 * `{ format: ["md"] }` printed PDFs, without a word. Named, with the option it most looks like.
 */
function unknownOption(schema: z.ZodType, path: PropertyKey[], key: string): Problem {
  const field = [...path, key].map(String).join(".");
  const known = knownKeys(schema, path);
  const guess = closest(key, known);
  return {
    code: "BAD_OPTION",
    field,
    message: `unknown build option "${field}"${guess ? `; did you mean "${[...path, guess].map(String).join(".")}"?` : ""}`,
    hint: `Options allowed here: ${known.join(", ")}.`,
  };
}
