import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { profileJsonSchema } from "../../src/schema/json-schema.js";
import { root } from "../helpers.js";

describe("schema/profile.schema.json", () => {
  it("is up to date with the zod schema (regenerate with `npm run schema`)", () => {
    const shipped = JSON.parse(readFileSync(join(root, "schema", "profile.schema.json"), "utf8"));
    expect(shipped).toEqual(profileJsonSchema());
  });

  it("describes fields for editors and marks what is required", () => {
    const schema = profileJsonSchema() as { required: string[]; properties: Record<string, { properties?: Record<string, { description?: string }> }> };
    expect(schema.required).toEqual(["company", "product", "policy", "contact", "collection"]);
    expect(schema.properties.contact!.properties!.responseDays!.description).toBe("Working days within which requests are answered");
  });
});
