import { z } from "zod";
import { profileSchema } from "./profile.js";

/** The JSON Schema editors use for profile.yaml; `input` so fields with defaults are optional. */
export function profileJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(profileSchema, { io: "input", target: "draft-2020-12", unrepresentable: "any" }),
    $id: "https://policypress.dev/schema/profile.schema.json",
    title: "PolicyPress company profile",
  };
}
