import { z } from "zod";
import type { Problem } from "../errors.js";
import { callback, optionProblems } from "./build-options.js";
import { isoDateSchema } from "./primitives.js";
import { VERSION_PATTERN } from "./snapshot.js";

/**
 * What `releaseVersion()` accepts, checked before anything is read: a malformed option is the caller's
 * mistake (BAD_OPTION, as build() says it; the CLI says it as a usage error), while a well-formed version
 * that is not after the latest release is the input's (BAD_VERSION).
 */
export const releaseOptionsSchema = z
  .strictObject({
    /** The profile.yaml to release. */
    profile: z.string().min(1, "must not be empty"),
    /** An explicit X.Y.Z; else the proposed bump (or `bump`) of the latest release. */
    version: z.string().regex(VERSION_PATTERN, "must be a version number X.Y.Z such as 1.2.0 (no leading zeros)").optional(),
    bump: z.enum(["major", "minor", "patch"]).optional(),
    /** YYYY-MM-DD the version takes effect; defaults to the profile's policy.effectiveDate. */
    effective: isoDateSchema.optional(),
    summary: z.strictObject({ "zh-CN": z.string().min(1, "must not be empty"), en: z.string().min(1, "must not be empty") }).optional(),
    /** YYYY-MM-DD of the release; defaults to today (UTC). */
    date: isoDateSchema.optional(),
    /** Told when another release of the same profile is under way and this one waits for it. */
    onWait: callback.optional(),
  })
  .refine((o) => o.version === undefined || o.bump === undefined, { path: ["bump"], message: "cannot go with version: give one or the other" });

export type ReleaseOptions = z.input<typeof releaseOptionsSchema>;

const RELEASE = { noun: "release option", hint: "See releaseOptionsSchema in src/schema/release-options.ts (or `policypress release --help`)." };

/** Every problem with releaseVersion()'s options. */
export function releaseOptionProblems(options: unknown): Problem[] {
  return optionProblems(releaseOptionsSchema, options, RELEASE);
}
