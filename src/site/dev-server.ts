import { createServer } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { ViteDevServer } from "vite";
import { build } from "../build.js";
import { formatError, isPolicyError, PolicyError, type Problem } from "../errors.js";
import { loadProfile, ownClauseDirs } from "../load/profile.js";
import { builtinPaths } from "../paths.js";
import { escapeHtml as esc } from "../render/text.js";

export interface DevOptions {
  profile: string;
  port?: number;
  host?: string;
  /** Called with each rebuild's outcome (the terminal prints it). */
  onBuild?: (result: { ok: true; ms: number } | { ok: false; message: string }) => void;
}

export interface DevServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The live preview: the site built into a temporary folder and served by Vite. A change to the profile,
 * a clause, a template or a locale file rebuilds it and reloads the page; a mistake shows in the page
 * (and the terminal) with file and line until it is fixed.
 */
export async function startDevServer(options: DevOptions): Promise<DevServer> {
  // a port asked for must be free: found out before the whole site is built, not after
  if (options.port !== undefined) await portFree(options.port, options.host ?? "127.0.0.1").catch((e: unknown) => Promise.reject(listenProblem(e, options)));
  const profile = resolve(options.profile);
  const out = await mkdtemp(join(tmpdir(), "policypress-dev-"));
  let problems: Problem[] | undefined;
  let slug = "";

  // build() itself reads again the clauses, templates and locale files that changed (src/load/fresh.ts)
  const rebuild = async () => {
    const started = performance.now();
    try {
      const result = await build({ profiles: [profile], out, formats: ["md", "html"] });
      slug = result.files[0]?.slug ?? slug;
      problems = undefined;
      options.onBuild?.({ ok: true, ms: performance.now() - started });
    } catch (e) {
      // a bug met while editing shows in the page too: thrown, it ended the preview with a stack trace
      const error = isPolicyError(e) ? e : new PolicyError({ code: "INTERNAL", message: `internal error: ${(e as Error)?.message ?? String(e)}`, hint: "This is a bug in PolicyPress: please report it with the files that cause it. Saving again retries." });
      problems = error.problems;
      options.onBuild?.({ ok: false, message: formatError(error) });
    }
  };
  await rebuild();

  // loaded only by the live preview: Vite takes 200 ms to load, which every other command would pay
  const { createServer } = await import("vite");
  const server: ViteDevServer = await createServer({
    configFile: false,
    root: out,
    appType: "mpa",
    logLevel: "warn",
    clearScreen: false,
    server: { port: options.port ?? 5173, strictPort: options.port !== undefined, host: options.host ?? "127.0.0.1", watch: { ignored: [join(out, "**")] } },
    plugins: [
      {
        name: "policypress-errors",
        configureServer(vite) {
          // while the input is broken, every page shows the problems (with Vite's client, so it reloads)
          vite.middlewares.use(async (req, res, next) => {
            // the site's root has no page of its own (the policy is under its slug): go there, not to an empty 404
            if (slug && /^\/(\?.*)?$/.test(req.url ?? "/")) {
              res.statusCode = 302;
              res.setHeader("Location", `/${encodeURIComponent(slug)}/`);
              return res.end();
            }
            if (!problems || !(req.url ?? "/").match(/(\/|\.html)(\?.*)?$/)) return next();
            const html = await vite.transformIndexHtml(req.url ?? "/", errorPage(problems));
            res.statusCode = 500;
            res.setHeader("Content-Type", "text/html; charset=utf-8");
            res.end(html);
          });
        },
      },
    ],
  });

  server.watcher.add([profile, join(dirname(profile), "versions"), builtinPaths.clauses, builtinPaths.templates, builtinPaths.locales]);
  // the profile names its own clause folders: a folder added to clauses.dirs while the preview runs is
  // watched from the next rebuild on (read once at the start, its clauses' edits went unseen)
  // a profile with a mistake (its folders named twice: ownClauseDirs throws) has its problems in the page
  const watchOwnClauses = async () => server.watcher.add(await loadProfile(profile).then(ownClauseDirs).catch(() => []));
  await watchOwnClauses();
  let timer: NodeJS.Timeout | undefined;
  const onChange = (path: string) => {
    if (path.startsWith(out) || !/\.(ya?ml|md|json|hbs|css)$/.test(path)) return;
    clearTimeout(timer);
    timer = setTimeout(() => void rebuild().then(watchOwnClauses).then(() => server.ws.send({ type: "full-reload" })), 80);
  };
  const startedAt = Date.now();
  server.watcher.on("change", onChange);
  // adding the folders makes the watcher report every file already in them: only new files count
  server.watcher.on("add", (path, stats) => {
    if ((stats?.mtimeMs ?? Date.now()) >= startedAt) onChange(path);
  });
  server.watcher.on("unlink", onChange);

  try {
    await server.listen();
  } catch (e) {
    // Vite's watcher would keep the process alive after the error
    await server.close().catch(() => {});
    await rm(out, { recursive: true, force: true });
    throw listenProblem(e, options);
  }
  const address = server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${options.port ?? 5173}/`;
  return {
    url: `${address}${slug ? `${slug}/` : ""}`,
    close: async () => {
      clearTimeout(timer);
      await server.close();
      await rm(out, { recursive: true, force: true });
    },
  };
}


function errorPage(problems: Problem[]): string {
  const items = problems
    .map((p) => `<li><code>${esc([p.file, p.line].filter(Boolean).join(":"))}</code> <strong>${esc(p.code)}</strong>${p.field ? ` [${esc(p.field)}]` : ""}: ${esc(p.message)}${p.hint ? `<br><em>${esc(p.hint)}</em>` : ""}</li>`)
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PolicyPress: ${problems.length} problem(s)</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem;color:#1d1d1f}h1{color:#b3261e;font-size:1.4rem}li{margin:.8rem 0;line-height:1.5}code{background:#f3f3f6;padding:.1rem .3rem}</style>
</head><body><h1 role="alert">The policy cannot be built: ${problems.length} problem(s)</h1>
<p>Fix them and save: this page reloads by itself.</p>
<ol>
${items}
</ol></body></html>`;
}

/** Listens on the port and lets it go: rejects as Vite's listen would (EADDRINUSE, EACCES, EADDRNOTAVAIL). */
function portFree(port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/** A port taken or not allowed, or an address not of this machine: the person's to fix, said so. */
function listenProblem(e: unknown, options: DevOptions): unknown {
  const port = options.port ?? 5173;
  const host = options.host ?? "127.0.0.1";
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "EADDRINUSE" || /already in use/.test((e as Error).message ?? ""))
    return new PolicyError({ code: "PORT_IN_USE", message: `port ${port} is already in use`, hint: "Choose another with --port, or stop the program that listens on it." });
  if (code === "EACCES" || code === "EADDRNOTAVAIL" || code === "ENOTFOUND" || code === "EAI_AGAIN")
    return new PolicyError({ code: "CANNOT_LISTEN", message: `cannot listen on ${host}:${port} (${code})`, hint: "Give --host an address of this machine (127.0.0.1 by default) and --port a number above 1023 (lower ones need root)." });
  return e;
}
