import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sourceMatrix } from "../../src/library/matrix.js";
import { loadLibrary } from "../../src/load/library.js";
import { compareText } from "../../src/text-order.js";
import { tempDir } from "../helpers.js";

const clause = (id: string, variant: string) =>
  `---\nid: ${id}\nvariant: ${variant}\ntopic: intro\ntitle: { zh-CN: 甲, en: A }\nsources: [{ policy: zego, section: "1" }]\n---\n:::zh-CN\n甲。\n:::\n\n:::en\nA.\n:::\n`;

describe("the topic-by-source matrix", () => {
  it("orders its columns and the variants in a cell as every other listing does (compareText), not by UTF-16 code units", async () => {
    const dir = tempDir();
    // by code units "own.b:default" ('.' 46) comes before "own:z" (':' 58); compareText puts ':' before '.'
    writeFileSync(join(dir, "a.md"), clause("own.b", "default"));
    writeFileSync(join(dir, "b.md"), clause("own", "z"));
    const m = sourceMatrix(await loadLibrary({ own: [dir] }));
    const intro = m.rows.find((r) => r.topic.id === "intro")!.cells[m.sources.indexOf("zego")]!;
    const own = intro.filter((k) => k.startsWith("own"));
    expect(own).toEqual(["own:z", "own.b:default"]);
    expect(m.sources).toEqual([...m.sources].sort(compareText));
    for (const row of m.rows) for (const cell of row.cells) expect(cell).toEqual([...cell].sort(compareText));
  });
});
