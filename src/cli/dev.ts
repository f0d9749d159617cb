import { builtinPaths } from "../paths.js";
import { startDevServer } from "../site/dev-server.js";
import { defineCommand, UsageError } from "./command.js";

export default defineCommand({
  name: "dev",
  summary: "Live preview: serve the site and rebuild it when the profile, a clause, a template or a locale changes.",
  usage: "policypress dev [PROFILE] [--port N] [--host HOST]",
  help: `Builds the site (Markdown and HTML) into a temporary folder and serves it with Vite. Saving the profile,
a clause, a template or a locale file rebuilds it and reloads the page. A mistake (bad YAML, an unknown
field, a missing placeholder) shows in the page and in the terminal with file and line; the preview
recovers as soon as it is fixed. Stop it with Ctrl-C.

Options:
  --port N      the port (default 5173)
  --host HOST   the address to listen on (default 127.0.0.1)`,
  options: { port: { type: "string" }, host: { type: "string" } },
  takes: { arguments: "give the path of a profile.yaml, or no profile for the bundled example" },
  async run({ values, positionals, io }) {
    if (positionals.length > 1) throw new UsageError("dev takes one profile");
    const port = values.port === undefined ? undefined : Number(values.port);
    if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) throw new UsageError("--port takes a port number");
    const server = await startDevServer({
      profile: positionals[0] ?? builtinPaths.example,
      port,
      host: values.host as string | undefined,
      onBuild: (r) => (r.ok ? io.err(`rebuilt in ${Math.round(r.ms)} ms`) : io.err(r.message)),
    });
    io.out(`PolicyPress preview: ${server.url}`);
    await new Promise<void>((resolve) => {
      const stop = () => void server.close().then(resolve);
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    return 0;
  },
});
