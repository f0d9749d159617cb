import { join } from "node:path";
import { loadProfile } from "../../src/load/profile.js";
import { localView, MdText } from "../../src/render/view.js";
import { LOCALES, type Locale } from "../../src/schema/localized.js";
import { profileSchema } from "../../src/schema/profile.js";
import { withEmptyObjects } from "../../src/schema/walk.js";
import { root } from "../helpers.js";

const EXAMPLES = ["acme", "sources/creality", "sources/faceunity", "sources/ppio", "sources/ruiyun", "sources/zego"];

/** Ways to change every text value: as typed, and with the characters Markdown and emphasis care about around it. */
export const MUTATIONS: ((s: string) => string)[] = [(s) => s, (s) => `*${s}*`, (s) => `${s}。`, (s) => `“${s}”`, (s) => `1. ${s}`, (s) => `中${s}a`];

/** What clause templates see: each example profile, in each locale, its text values changed by each mutation. */
export async function* exampleViews(): AsyncGenerator<{ example: string; locale: Locale; view: Record<string, unknown> }> {
  for (const example of EXAMPLES) {
    const { profile } = await loadProfile(join(root, "examples", example, "profile.yaml"));
    for (const locale of LOCALES)
      for (const mutate of MUTATIONS) yield { example, locale, view: mutateView(localView(withEmptyObjects(profileSchema, profile) as typeof profile, locale), mutate) };
  }
}

function mutateView(value: unknown, mutate: (s: string) => string): Record<string, unknown> {
  const walk = (v: unknown): unknown => {
    if (v instanceof MdText) return new MdText(mutate(v.raw));
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as Record<string, unknown>;
}
