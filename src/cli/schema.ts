import { resolve } from "node:path";
import { profileJsonSchema } from "../schema/json-schema.js";
import { defineCommand, EXIT } from "./command.js";
import { writeNamedFile } from "../output-guard.js";

export default defineCommand({
  name: "schema",
  summary: "Print (or write) the JSON Schema of profile.yaml, generated from the zod schema.",
  usage: "policypress schema [--out FILE]",
  help: "Editors use it to autocomplete and check profile.yaml (the yaml-language-server $schema comment).",
  options: { out: { type: "string", short: "o" } },
  takes: { out: "give the file to write, e.g. --out profile.schema.json, or drop --out to print the schema" },
  async run({ values, io }) {
    const text = `${JSON.stringify(profileJsonSchema(), null, 2)}\n`;
    if (typeof values.out === "string") {
      const path = resolve(values.out);
      await writeNamedFile(path, text, "--out");
      io.progress(`wrote ${path}`);
    } else io.out(text);
    return EXIT.ok;
  },
});
