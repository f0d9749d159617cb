import { dirname, resolve } from "node:path";
import { build } from "../build.js";
import { PAPERS, type Paper } from "../render/paper.js";
import { LOCALES, type Locale } from "../schema/localized.js";
import { basePathSchema, BUILD_FORMATS, isWebSocketUrl, MAX_TIMEOUT_MS, originExtras, type BuildFormat } from "../schema/build-options.js";
import { defineCommand, EXIT, splitList, UsageError } from "./command.js";

const FORMATS: BuildFormat[] = [...BUILD_FORMATS];

function jobs(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  // digits only: Number() took "0x2", "1e1" and " 2" as numbers of threads
  const n = /^\d+$/.test(String(value)) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--jobs takes a number of threads from 1 to 64, not "${String(value)}"`);
  return n;
}

function shard(value: unknown): { index: number; count: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(String(value));
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  // a count past 2^53 is no exact number: build() refused it as BAD_OPTION, exit 1, not as this usage error
  if (!m || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) throw new UsageError(`--shard takes I/N with 1 <= I <= N, e.g. 2/4, not "${String(value)}"`);
  return { index, count };
}

function siteUrl(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(String(value));
  } catch {
    // the usage error below
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) throw new UsageError(`--site-url takes a web address such as https://example.com, not "${String(value)}"`);
  const extras = originExtras(url);
  const base = url.pathname === "/" ? "" : ` --base ${url.pathname}`;
  if (extras) throw new UsageError(`--site-url takes the site's origin, not "${String(value)}", which holds ${extras}; give --site-url ${url.origin}${base}`);
  // a path would be dropped: it belongs in --base
  if (base) throw new UsageError(`--site-url takes the site's origin (${url.origin}); give the path with${base}`);
  return url.origin;
}

function browserWs(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (!isWebSocketUrl(String(value))) throw new UsageError(`--browser-ws takes the address of a running browser, ws://HOST:PORT/devtools/browser/..., not "${String(value)}"`);
  return String(value);
}

/** Seconds, more than 0 and no more than a timer can hold (a larger one fired at once: every PDF failed). */
function pdfTimeout(value: unknown): number {
  if (value === undefined) return 60;
  const seconds = Number(value);
  const most = Math.floor(MAX_TIMEOUT_MS / 1000);
  if (!(seconds > 0 && seconds <= most)) throw new UsageError(`--pdf-timeout takes a number of seconds, more than 0 and at most ${most}, not "${String(value)}"`);
  return seconds;
}

function base(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const checked = basePathSchema.safeParse(value);
  if (!checked.success) throw new UsageError(`--base ${checked.error.issues[0]!.message} (got "${String(value)}")`);
  return checked.data;
}

/** A comma-separated list option; given but empty (an unset $FORMATS in a script) is a mistake, not "none". */
function listOption(value: unknown, flag: string, known: readonly string[]): string[] | undefined {
  const list = splitList(value);
  if (list && !list.length) throw new UsageError(`${flag} is empty; give one or more of ${known.join(", ")}`);
  return list;
}

export default defineCommand({
  name: "build",
  summary: "Build privacy policies (Markdown, HTML, PDF; zh-CN, en and bilingual) from profiles.",
  usage: "policypress build [PROFILE ...] [--out DIR] [--formats md,html,pdf] [--locales zh-CN,en]",
  help: `With no PROFILE, builds the bundled example (examples/acme/profile.yaml).

Options:
  --out DIR              output folder (default: output)
  --formats LIST         any of md,html,pdf (default: all three)
  --locales LIST         any of zh-CN,en (default: both, plus the bilingual document)
  --paper A4|Letter      PDF paper size (default: A4)
  --browser PATH         Chrome/Chromium binary for PDFs (default: PUPPETEER_EXECUTABLE_PATH, then system paths)
  --browser-ws URL       use a running browser (ws://...) instead of launching one
  --pdf-timeout SECONDS  time limit per PDF (default: 60)
  --jobs N               render threads, this one included (default: one per core for 48 profiles or more)
  --shard I/N            build only the I-th of N parts of the profiles (split a large build across machines)
  --no-cache             render every profile, ignoring <out>/.policypress-cache.json
  --base PATH            the path the output folder is published under, e.g. /legal/ (default: /)
  --site-url URL         the site's origin for the sitemap, feed and canonical links
                         (default: from policy.url, else company.website)
  --json                 print the manifest entries as JSON on stdout
  --quiet                no progress on stderr
  --debug                stack traces for internal errors

Writes <out>/<slug>/policy.<locale>.<md|html|pdf> and <out>/manifest.json.
Exit codes: 0 built, 1 a problem in the input (messages name file:line), 2 bad arguments, 70 internal error,
73 the output folder cannot be written, 75 another build held the output folder's lock too long.`,
  options: {
    out: { type: "string", short: "o" },
    formats: { type: "string" },
    locales: { type: "string" },
    paper: { type: "string" },
    browser: { type: "string" },
    "browser-ws": { type: "string" },
    "pdf-timeout": { type: "string" },
    base: { type: "string" },
    "site-url": { type: "string" },
    jobs: { type: "string" },
    shard: { type: "string" },
    "no-cache": { type: "boolean" },
  },
  takes: {
    out: "give the output folder, e.g. --out public/legal, or drop --out for the default folder, output",
    formats: `give one or more of ${FORMATS.join(", ")}`,
    locales: `give one or more of ${LOCALES.join(", ")}`,
    browser: "give the path of a Chrome or Chromium binary, or drop --browser to use the one found",
    "browser-ws": "give the address of a running browser, ws://HOST:PORT/..., or drop --browser-ws to launch one",
    base: "give the path the output folder is published under, e.g. --base /legal/, or drop --base for /",
    arguments: "give the path of a profile.yaml, or no profile for the bundled example",
  },
  async run({ values, positionals, io }) {
    const formats = listOption(values.formats, "--formats", FORMATS) ?? FORMATS;
    for (const f of formats) if (!FORMATS.includes(f as BuildFormat)) throw new UsageError(`unknown format "${f}"; use md, html or pdf`);
    const locales = listOption(values.locales, "--locales", LOCALES) ?? [...LOCALES];
    for (const l of locales) if (!(LOCALES as readonly string[]).includes(l)) throw new UsageError(`unknown locale "${l}"; use zh-CN or en`);
    const paper = (values.paper as string | undefined) ?? "A4";
    if (!(PAPERS as readonly string[]).includes(paper)) throw new UsageError(`unknown paper "${paper}"; use ${PAPERS.join(" or ")}`);
    refuseRootOutput(values.out as string | undefined);
    const timeout = pdfTimeout(values["pdf-timeout"]);

    const result = await build({
      // no PROFILE argument builds the bundled example (build() refuses an explicit empty list)
      profiles: positionals.length ? positionals : undefined,
      out: values.out as string | undefined,
      formats: formats as BuildFormat[],
      formatsExplicit: values.formats !== undefined,
      locales: locales as Locale[],
      browser: {
        executablePath: values.browser as string | undefined,
        browserWSEndpoint: browserWs(values["browser-ws"]),
        timeoutMs: timeout * 1000,
        paper: paper as Paper,
      },
      onProgress: io.progress,
      base: base(values.base),
      siteUrl: siteUrl(values["site-url"]),
      jobs: jobs(values.jobs),
      shard: shard(values.shard),
      cache: values["no-cache"] ? false : undefined,
    });
    if (!values.json) io.progress(`${result.rendered.length} profile(s) rendered, ${result.unchanged.length} unchanged`);
    for (const w of result.warnings) io.err(`warning: ${w}`);
    // assets: the stylesheet and fonts the pages need, as manifest.json lists them (what to upload is files + assets)
    if (values.json) io.out(JSON.stringify({ ok: true, out: result.out, rendered: result.rendered, unchanged: result.unchanged, threads: result.threads, files: result.files, assets: result.manifest.assets ?? [], warnings: result.warningProblems }, null, 2));
    else for (const f of result.files) io.out(`${result.out}/${f.path}`);
    return EXIT.ok;
  },
});

/**
 * `--out /` (often `--out $DIR/` with DIR unset) would make the whole file system the site folder: its
 * manifest, assets/ and a folder per profile at the top of the disk. Refused as the usage mistake it is;
 * before, it failed deep in the build with UNSAFE_PATH blaming the slug.
 */
function refuseRootOutput(out: string | undefined): void {
  if (out === undefined || out === "") return;
  const abs = resolve(out);
  if (dirname(abs) === abs) throw new UsageError(`--out ${out} is the root of the file system; give a folder for the site, e.g. --out output`);
}
