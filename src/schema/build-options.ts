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
export const callback = z.custom<(message: string) => void>((v) => typeof v === "function", "must be a function");

// the paper sizes the HTML's running header is measured against: another would leave it unmeasured
const paperSchema = z.enum(PAPERS).optional();

/** The formats a build is asked for (json and xml come with the site). */
export const BUILD_FORMATS = ["md", "html", "pdf"] as const;
export type BuildFormat = (typeof BUILD_FORMATS)[number];

/** A path the output is published under: /legal/, not an address and never above the site's root. */
export const basePathSchema = z
  .string()
  .refine((s) => !/^[a-z][a-z0-9+.-]*:/i.test(s) && !s.startsWith("//"), "must be a path such as /legal/, not a web address (give the origin with siteUrl / --site-url)")
  .refine((s) => !s.split(/[/\\]/).some((seg) => seg === ".." || seg === "."), "must not hold . or .. segments");

/**
 * What keeps a web address from being a site's origin, besides a path (which goes in `base`): the
 * canonical links, hreflang alternates, sitemap and feed add each page's path to the origin, so a query
 * or fragment would land in the middle of every one of them, and a user name or password would be
 * published in them. Undefined when there is none of these.
 */
export function originExtras(url: URL): string | undefined {
  if (url.username || url.password) return "a user name or password (it would be published in every canonical link, sitemap and feed)";
  const extras = [url.search && `a query (${url.search})`, url.hash && `a fragment (${url.hash})`].filter(Boolean);
  if (extras.length) return `${extras.join(" and ")}: the canonical links, sitemap and feed add each page's path to the origin, so it would end up in the middle of every one of them`;
  return undefined;
}

/** The origin of the published site: scheme and host only; its path goes in `base`. */
export const siteOriginSchema = z.string().superRefine((s, ctx) => {
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    ctx.addIssue({ code: "custom", message: "must be an origin such as https://example.com" });
    return;
  }
  const extras = originExtras(url);
  if (url.protocol !== "https:" && url.protocol !== "http:") ctx.addIssue({ code: "custom", message: "must be an origin such as https://example.com (http or https)" });
  else if (extras) ctx.addIssue({ code: "custom", message: `must be an origin such as ${url.origin}, without ${extras}` });
  else if (url.pathname !== "/") ctx.addIssue({ code: "custom", message: "must be an origin such as https://example.com (a path goes in base / --base)" });
});

/** A ws:// or wss:// address: what puppeteer's connect takes (an http:// one fails there). */
export function isWebSocketUrl(value: string): boolean {
  return URL.canParse(value) && ["ws:", "wss:"].includes(new URL(value).protocol);
}

/** Which browser prints the PDFs, and how. */
export const browserOptionsSchema = z.strictObject({
  /** Path of a Chrome or Chromium binary; else PUPPETEER_EXECUTABLE_PATH, else the usual system paths. */
  executablePath: z.string().min(1, "must not be empty").optional(),
  /** ws:// endpoint of a running browser (an existing pool of headless Chrome) to use instead of launching one. */
  // checked here: a mistyped address failed only once every profile was rendered, as BROWSER_FAILED
  browserWSEndpoint: z.string().min(1, "must not be empty").refine(isWebSocketUrl, "must be the address of a running browser, ws://HOST:PORT/devtools/browser/... (or wss://)").optional(),
  /** Pages printed at once; defaults to the number of CPU cores (at most 4). */
  concurrency: z.int("must be a whole number of pages").min(1, "must be at least 1").max(64, "must be at most 64").optional(),
  /** Milliseconds one document may take. */
  timeoutMs: z.number().positive("must be more than 0").max(MAX_TIMEOUT_MS, `must be at most ${MAX_TIMEOUT_MS} ms (about 24 days)`).optional(),
});
export type BrowserOptions = z.infer<typeof browserOptionsSchema>;

/**
 * What `build()` accepts, checked before anything is read or written: a program calling the library
 * gets the same refusals as the CLI's user (an empty list of formats wrote nothing and emptied the
 * manifest; an unknown locale failed deep in rendering). The type BuildOptions is inferred from it.
 */
export const buildOptionsSchema = z.strictObject({
  /** profile.yaml paths; left out, the bundled example is built (an empty list is refused: BAD_OPTION). */
  // [] is not "none given": a pipeline whose glob found nothing would publish the bundled example's policy
  profiles: z.array(z.string().min(1, "must not be empty")).min(1, "is an empty list; name one or more profile.yaml files, or leave profiles out to build the bundled example").optional(),
  /** The output folder (default output/). */
  out: z.string().min(1, "must not be empty").optional(),
  /** What to write (default all three). */
  formats: z.array(z.enum(BUILD_FORMATS)).min(1, "must name at least one of md, html, pdf").optional(),
  /** The languages (default both); the bilingual document needs both. */
  locales: z.array(localeSchema).min(1, "must name at least one of zh-CN, en").optional(),
  /** true when the user asked for the formats explicitly: then a missing browser fails the build. */
  formatsExplicit: z.boolean("must be true or false").optional(),
  /** Path the output is published under (default /), for the sitemap, feed and canonical links. */
  base: basePathSchema.optional(),
  /** Origin of the published site (default: from the profile). */
  siteUrl: siteOriginSchema.optional(),
  /** Render threads, this one included (default: one per core when there are 48 profiles or more). */
  jobs: z.int("must be a whole number of threads").min(1, "must be at least 1").max(64, "must be at most 64").optional(),
  /** Build only part i of n of the profiles (1-based), e.g. { index: 1, count: 4 }. */
  shard: z
    .strictObject({ index: z.int("must be a whole number").min(1, "must be at least 1"), count: z.int("must be a whole number").min(1, "must be at least 1") })
    .refine((s) => s.index <= s.count, "index must be from 1 to count")
    .optional(),
  /** false: ignore and do not update the incremental build cache. */
  cache: z.boolean("must be true or false").optional(),
  /** How long to wait for another build writing into `out` (default POLICYPRESS_LOCK_WAIT seconds, else 30 s). */
  lockWaitMs: z.number("must be a number of milliseconds").min(0, "must be 0 or more milliseconds").optional(),
  /** Called with each progress line (rendered, printed...) as the CLI prints them. */
  onProgress: callback.optional(),
  /** The browser that prints the PDFs, and the paper (default A4). */
  browser: browserOptionsSchema.extend({ paper: paperSchema }).optional(),
});
export type BuildOptions = z.input<typeof buildOptionsSchema>;

/**
 * What `buildProfile()` accepts: the options of build() that shape one profile's pages. Unchecked, a
 * siteUrl of "javascript:..." gave canonical links starting "null/", and a locale "fr" failed deep in
 * rendering as TEMPLATE_ERROR.
 */
export const profileOptionsSchema = z.strictObject({
  locales: buildOptionsSchema.shape.locales,
  /** The formats the build writes (the site links downloads only for these). */
  formats: buildOptionsSchema.shape.formats,
  /** Path the output folder is published under, e.g. /legal/ (default /). */
  base: buildOptionsSchema.shape.base,
  /** Origin of the published site; defaults to that of policy.url, else company.website. */
  siteUrl: buildOptionsSchema.shape.siteUrl,
  /** The paper the PDFs are printed on (default A4): the HTML they are printed from is cut to fit it. */
  paper: paperSchema,
});
export type ProfileOptions = z.input<typeof profileOptionsSchema>;

/** Every problem with buildProfile()'s options, as buildOptionProblems gives them. */
export function profileOptionProblems(options: unknown): Problem[] {
  return optionProblems(profileOptionsSchema, options);
}

/** Every problem with the options, as problems with the option's name as the field. */
export function buildOptionProblems(options: unknown): Problem[] {
  return optionProblems(buildOptionsSchema, options);
}

/** What names a function's options in its messages: "build option", and where a caller reads about them. */
export interface OptionsOf {
  noun: string;
  hint: string;
}
const BUILD: OptionsOf = { noun: "build option", hint: "See buildOptionsSchema in src/schema/build-options.ts (or `policypress build --help`)." };

/** Every problem with a library function's options, as BAD_OPTION problems with the option's name as the field. */
export function optionProblems(schema: z.ZodType, options: unknown, of: OptionsOf = BUILD): Problem[] {
  const parsed = schema.safeParse(options);
  if (parsed.success) return [];
  const said = new Set<string>();
  return parsed.error.issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") return issue.keys.map((key) => unknownOption(schema, issue.path, key, of.noun));
    const field = issue.path.map(String).join(".") || "options";
    // one problem an option: "tomorrow" is neither YYYY-MM-DD nor a calendar date, and only the first is news
    if (said.has(field)) return [];
    said.add(field);
    return { code: "BAD_OPTION", field, message: `${of.noun} ${field} ${issue.code === "invalid_value" || issue.code === "invalid_type" ? `is not valid (${issue.message})` : issue.message}`, hint: of.hint };
  });
}

/**
 * An option build() does not know was ignored before: `{ output: "public" }` built into ./output, and
 * `{ format: ["md"] }` printed PDFs, without a word. Named, with the option it most looks like.
 */
function unknownOption(schema: z.ZodType, path: PropertyKey[], key: string, noun: string): Problem {
  const field = [...path, key].map(String).join(".");
  const known = knownKeys(schema, path);
  const guess = closest(key, known);
  return {
    code: "BAD_OPTION",
    field,
    message: `unknown ${noun} "${field}"${guess ? `; did you mean "${[...path, guess].map(String).join(".")}"?` : ""}`,
    hint: `Options allowed here: ${known.join(", ")}.`,
  };
}
