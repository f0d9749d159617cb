import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildProfile } from "../../src/build.js";
import { anchorsOf } from "../../src/render/document.js";
import type { ResolvedPolicy } from "../../src/resolve.js";
import { root } from "../helpers.js";

const examples = ["acme", ...readdirSync(join(root, "examples", "sources")).map((s) => `sources/${s}`)];

describe("anchors", () => {
  it("are unique in every page of every example (a section and a clause may share an id)", async () => {
    for (const example of examples) {
      const built = await buildProfile(join(root, "examples", example, "profile.yaml"), { formats: ["html"] });
      for (const page of built.files.filter((f) => f.format === "html")) {
        const ids = [...page.content.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);
        const repeated = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
        expect(repeated, `${example}/${page.path}`).toEqual([]);
      }
    }
  });

  it("keep a section's own, and give a clause that collides -2, -3...", () => {
    const clause = (id: string, variant = "default") => ({ id, key: `${id}:${variant}` });
    const resolved = {
      sections: [
        { id: "collection-methods", clauses: [clause("collection.methods"), clause("collection.scope")] },
        { id: "rights", clauses: [clause("collection-methods")] },
      ],
    } as unknown as ResolvedPolicy;
    const anchors = anchorsOf(resolved);
    expect(anchors.sections).toEqual(["collection-methods", "rights"]);
    expect([...anchors.clauses]).toEqual([
      ["collection.methods:default", "collection-methods-2"],
      ["collection.scope:default", "collection-scope"],
      ["collection-methods:default", "collection-methods-3"],
    ]);
  });
});
