/**
 * The line `lineOf` (src/load/yaml.ts) gives for a path, read from the indentation alone, for a text the
 * fast reader accepted (src/load/yaml-quick.ts: no quoted value or flow collection runs over more than
 * one line, no anchors, aliases or tags). A build's warnings name the profile's lines (a declared
 * feature no clause covers, a missing requirement), and asking the yaml package for them costs a full
 * positional parse, 5 ms a profile; this costs a few microseconds.
 *
 * It answers as the yaml package does: the line where the value at the path starts, else where its
 * nearest existing ancestor starts (a mapping: its first key). Where indentation is not enough (a block
 * scalar, an empty value, a sequence at its key's indentation, odd indentation) it says undefined and
 * the yaml package answers. test/load/yaml-lines.test.ts compares both on every path of every YAML
 * text in the repository and of mutations of them.
 */
export function lineByIndentation(text: string, path: readonly PropertyKey[]): number | undefined {
  return linesOf(text)?.(path);
}

/** `lineByIndentation` for one text, read once for all the paths asked of it; undefined when it is beyond it. */
export function linesOf(text: string): ((path: readonly PropertyKey[]) => number | undefined) | undefined {
  // document markers, explicit keys and tabs in indentation are beyond it
  if (/^(---|\.\.\.)([ \t]|$)|^[ \t]*\?([ \t]|$)|^ *\t/m.test(text)) return undefined;
  const lines = text.split("\n");
  return (path) => lineIn(lines.slice(), path);
}

/** Reads `lines` (a copy: an item's line is rewritten as its entries' block while reading). */
function lineIn(lines: string[], path: readonly PropertyKey[]): number | undefined {
  let from = 0;
  // the block being read is the lines after `from` indented deeper than `parent`
  let parent = -1;
  for (let depth = 0; ; depth++) {
    const first = firstContent(lines, from);
    if (first === undefined || indentOf(lines[first]!) <= parent) return undefined;
    const indent = indentOf(lines[first]!);
    const content = lines[first]!.slice(indent);
    const isSeq = content === "-" || content.startsWith("- ");
    const isMap = !isSeq && keyOf(content) !== undefined;
    // a key keyOf does not read (`<<:`, `"quoted":`) starts a mapping all the same: beyond this reader
    if (!isSeq && !isMap && /:(\s|$)/.test(content)) return undefined;
    // the block itself, or a path into a scalar or a one-line flow collection: it all starts here
    if (depth === path.length || (!isSeq && !isMap) || content.startsWith("{") || content.startsWith("[")) return first;
    const key = path[depth];
    // a mapping asked for an index, or a sequence for a key: the path ends at this block
    if ((typeof key === "number") !== isSeq || (typeof key !== "number" && typeof key !== "string")) return first;
    const at = typeof key === "number" ? nthItem(lines, first, indent, key) : keyLine(lines, first, indent, key);
    if (at === null) return undefined;
    if (at === undefined) return first;
    const line = lines[at]!.slice(indent);
    if (typeof key === "number") {
      const rest = line.slice(1).trimStart();
      if (rest === "" || rest.startsWith("#")) {
        from = at + 1;
        parent = indent;
        continue;
      }
      // `- name: x`: the item's own block starts on the dash's line, at the column after it
      lines[at] = " ".repeat(indent + (line.length - rest.length)) + rest;
      from = at;
      parent = indent;
      continue;
    }
    const rest = line.slice(key.length + 1).trim();
    if (rest.startsWith("|") || rest.startsWith(">")) return undefined;
    if (rest !== "" && !rest.startsWith("#")) return at;
    from = at + 1;
    parent = indent;
  }
}

const indentOf = (line: string) => line.length - line.trimStart().length;

function firstContent(lines: string[], from: number): number | undefined {
  for (let i = from; i < lines.length; i++) {
    const content = lines[i]!.trimStart();
    if (content !== "" && !content.startsWith("#")) return i;
  }
  return undefined;
}

/** `key: ...` with a plain key: the key. */
function keyOf(content: string): string | undefined {
  const m = /^([A-Za-z0-9_][^:#'"{}[\],]*?):(?=\s|$)/.exec(content);
  return m?.[1];
}

/**
 * The line of the entry of the block at `indent` (starting at `first`) that `matches` accepts: a key of
 * a mapping, or an item of a sequence. Undefined when there is none; null when a line breaks the
 * layout this reader knows (`matches` says null too, for a line that is not an entry of the kind asked).
 */
function entryLine(lines: string[], first: number, indent: number, matches: (content: string) => boolean | null): number | undefined | null {
  for (let i = first; i < lines.length; i++) {
    const content = lines[i]!.trimStart();
    if (content === "" || content.startsWith("#")) continue;
    const at = indentOf(lines[i]!);
    if (at > indent) continue;
    if (at < indent) return undefined;
    const match = matches(content);
    if (match === null) return null;
    if (match) return i;
  }
  return undefined;
}

const keyLine = (lines: string[], first: number, indent: number, key: string) =>
  entryLine(lines, first, indent, (content) => {
    const k = keyOf(content);
    return k === undefined ? null : k === key;
  });

/** Item `n` (0-based) of the block sequence at `indent`. */
function nthItem(lines: string[], first: number, indent: number, n: number): number | undefined | null {
  let seen = -1;
  return entryLine(lines, first, indent, (content) => (content !== "-" && !content.startsWith("- ") ? null : ++seen === n));
}
