import { isIP } from "node:net";
import { z } from "zod";

/** A calendar date written `YYYY-MM-DD` that exists (no 2026-02-30). */
export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date written YYYY-MM-DD, e.g. 2026-12-01")
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, "is not a real calendar date");

/**
 * A host name as the URL parser gives it (a Chinese name already in punycode): labels of letters, digits
 * and hyphens, and a top-level domain of letters or an internationalised one (`.中国` is `.xn--fiqs8s`),
 * which zod's own domain pattern, letters only, refused.
 */
const hostnamePattern = /^(?=.{1,253}$)([a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+(?:[a-zA-Z]{2,63}|xn--[a-zA-Z0-9-]{1,59})$/;

/**
 * An email address: zod's local part, and a domain that is a host name once the URL parser has written it
 * in punycode, so that privacy@例子.中国 and privacy@xn--fsqu00a.xn--fiqs8s are taken (zod's own pattern
 * refused both: its domain is ASCII with a letters-only top-level domain).
 */
// JSON Schema: "idn-email" (RFC 6531), so an editor does not flag the Chinese domain the profile check takes
export const emailSchema = z.string().refine(isEmailAddress, "must be an email address, e.g. privacy@example.com").meta({ format: "idn-email" });

function isEmailAddress(value: string): boolean {
  const at = value.lastIndexOf("@");
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (at < 1 || !/^(?:[A-Za-z0-9_'+\-]+\.)*[A-Za-z0-9_'+\-]*[A-Za-z0-9_+-]$/.test(local) || !/^[^\s/?#@:\\[\]%]+$/.test(domain)) return false;
  try {
    return hostnamePattern.test(new URL(`http://${domain}`).hostname);
  } catch {
    return false;
  }
}

/**
 * Only http(s) links are ever written into a policy: `javascript:` and friends are refused here. So is a
 * host that is no domain name: a policy tells people whose site they are on, and an IP address
 * (http://192.168.1.10/, https://[::1]/) or `localhost` names no company, and a private one opens for
 * no reader (a preview on such an address takes it from --site-url, not from the profile).
 */
export const webUrlSchema = z.url({
  protocol: /^https?$/,
  hostname: hostnamePattern,
  error: (issue) => webUrlMessage(issue.input),
});

// "must start with https://" was said of http://192.168.1.10/ too, which does: the host is what is wrong
function webUrlMessage(input: unknown): string {
  const url = typeof input === "string" && URL.canParse(input) ? new URL(input) : undefined;
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:") || hostnamePattern.test(url.hostname)) return "must be a web address starting with https:// or http://";
  const host = url.hostname;
  if (isIP(host.replace(/^\[|\]$/g, ""))) return `must be a web address with a domain name, e.g. https://www.example.com, not an IP address (${host}): a policy names the site people know the company by`;
  return `must be a web address with a full domain name, e.g. https://www.example.com; "${host}" is not one`;
}

export const phoneSchema = z
  .string()
  .regex(/^[+0-9][0-9 ()\-–]{4,30}$/, "must be a phone number: digits, spaces, dashes, brackets, optionally a leading +");

export const daysSchema = z.int("must be a whole number of days").min(1, "must be at least 1 day").max(3650, "must be at most 3650 days (ten years)");
