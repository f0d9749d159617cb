import jsyaml from "js-yaml";

/**
 * A fast first reading of YAML, for the common case of a well-formed file.
 *
 * The `yaml` package (src/load/yaml.ts) keeps every node's position, which `file:line` messages need, but
 * takes about 4 ms for a 5 KB profile; js-yaml reads the same file in about 0.4 ms. A build reads every
 * profile and every clause file, so the fast reader goes first and the positional one runs only when a
 * line is asked for (a problem to report) or when the fast reader cannot be trusted to agree with it:
 *
 * - the scalar types are YAML 1.2's core schema exactly as `yaml` resolves them (js-yaml's own core
 *   schema also reads 0b101, +0x1 and -0x1 as numbers, and -.5 as a string);
 * - anchors, aliases, tags and directives go to `yaml`, which refuses tags and
 *   alias bombs with their own messages;
 * - a quoted value or a flow collection (`[...]`, `{...}`) running over more than one line, and a
 *   comment glued to a token (`"a"#`), go to `yaml`: js-yaml accepts them badly indented or glued,
 *   `yaml` refuses them;
 * - keys `yaml` would spell differently (a null key is "" there, "null" here; a sequence as a key) go
 *   to `yaml`, and so does any file js-yaml refuses (duplicate keys, syntax errors), an empty one, and
 *   one that is not a mapping.
 *
 * test/load/yaml.test.ts compares both readers on every YAML file in the repository and on mutations of them.
 */
export function quickYaml(text: string): Record<string, unknown> | undefined {
  if (NODE_PROPERTY_OR_DIRECTIVE.test(text) || COMMENT_AFTER_TOKEN.test(text) || spansLines(text)) return undefined;
  let data: unknown;
  try {
    data = jsyaml.load(text, { schema: CORE_1_2 });
  } catch {
    return undefined;
  }
  if (!isMapping(data) || !keysAgree(data)) return undefined;
  return data;
}

// `&anchor`, `*alias` and `!tag` stand where a node starts (after a space or a flow indicator); `AT&T` or
// `Hello!` inside a value are plain text to both readers
const NODE_PROPERTY_OR_DIRECTIVE = /(^|[\s[{,])[&*!]|^%/m;

// `"a"#note`: js-yaml reads a comment, `yaml` refuses it (a comment needs a space before it)
const COMMENT_AFTER_TOKEN = /["'\]}]#/;

/**
 * True when a quoted scalar or a flow collection is still open at the end of a line. Quotes count only
 * where a value starts (line start, after `: `, `- `, `[`, `{`, `,`), so an apostrophe inside plain
 * text (`a parent's consent`) does not; block scalars (`|`, `>`) are not lexed, their lines can only
 * make this say true, and then `yaml` reads the file.
 */
function spansLines(text: string): boolean {
  let depth = 0;
  for (const line of text.split("\n")) {
    let quote = "";
    // at a place where a value may begin
    let start = true;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (quote) {
        if (c === "\\" && quote === '"') i++;
        else if (c === quote && quote === "'" && line[i + 1] === "'") i++;
        else if (c === quote) quote = "";
        continue;
      }
      if (c === " " || c === "\t") continue;
      if (c === "#" && (i === 0 || line[i - 1] === " " || line[i - 1] === "\t")) break;
      const spaceAfter = i + 1 === line.length || line[i + 1] === " " || line[i + 1] === "\t";
      if (start && (c === '"' || c === "'")) quote = c;
      else if (c === "[" || c === "{") depth++;
      else if (c === "]" || c === "}") depth = Math.max(0, depth - 1);
      start = c === "[" || c === "{" || (c === "," && depth > 0) || ((c === ":" || c === "-" || c === "?") && spaceAfter);
    }
    if (quote || depth > 0) return true;
  }
  return false;
}

const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** True when no key in `value` is one `yaml` would have spelled otherwise. */
function keysAgree(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(keysAgree);
  if (!isMapping(value)) return true;
  for (const [key, v] of Object.entries(value)) {
    if (SUSPECT_KEY.test(key) || !keysAgree(v)) return false;
  }
  return true;
}
// null keys, and what js-yaml makes of a sequence or mapping used as a key
const SUSPECT_KEY = /^(~|null|Null|NULL|)$|,|^\[object /;

// the regular expressions of `yaml`'s core schema (yaml/dist/schema/core), so both readers agree
const scalar = (tag: string, test: RegExp, construct: (s: string) => unknown) =>
  new jsyaml.Type(`tag:yaml.org,2002:${tag}`, { kind: "scalar", resolve: (s: string | null) => test.test(s ?? ""), construct: (s: string | null) => construct(s ?? "") });

const CORE_1_2 = jsyaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    scalar("null", /^(?:~|[Nn]ull|NULL)?$/, () => null),
    scalar("bool", /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (s) => s[0] === "t" || s[0] === "T"),
    scalar("int", /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/, (s) => (s.startsWith("0o") ? parseInt(s.slice(2), 8) : s.startsWith("0x") ? parseInt(s.slice(2), 16) : parseInt(s, 10))),
    scalar("float", /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*))$/, (s) =>
      /nan$/i.test(s) ? NaN : /inf$/i.test(s) ? (s[0] === "-" ? -Infinity : Infinity) : parseFloat(s),
    ),
  ],
});
