import { z } from "zod";

/** A calendar date written `YYYY-MM-DD` that exists (no 2026-02-30). */
export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date written YYYY-MM-DD, e.g. 2026-12-01")
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, "is not a real calendar date");

export const emailSchema = z.email("must be an email address, e.g. privacy@example.com");

/**
 * A host name as the URL parser gives it (a Chinese name already in punycode): labels of letters, digits
 * and hyphens, and a top-level domain of letters or an internationalised one (`.中国` is `.xn--fiqs8s`),
 * which zod's own domain pattern, letters only, refused.
 */
const hostnamePattern = /^(?=.{1,253}$)([a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+(?:[a-zA-Z]{2,63}|xn--[a-zA-Z0-9-]{1,59})$/;

/** Only http(s) links are ever written into a policy: `javascript:` and friends are refused here. */
export const webUrlSchema = z.url({
  protocol: /^https?$/,
  hostname: hostnamePattern,
  error: "must be a web address starting with https:// or http://",
});

export const phoneSchema = z
  .string()
  .regex(/^[+0-9][0-9 ()\-–]{4,30}$/, "must be a phone number: digits, spaces, dashes, brackets, optionally a leading +");

export const daysSchema = z.int("must be a whole number of days").min(1, "must be at least 1 day").max(3650, "must be at most 3650 days (ten years)");
