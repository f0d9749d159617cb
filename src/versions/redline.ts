import { onFirstUse } from "../load/on-first-use.js";
import type { Locale } from "../schema/localized.js";

const diff = onFirstUse<typeof import("diff")>("diff");

export interface RedlinePart {
  op: "same" | "ins" | "del";
  text: string;
}

let segmenter: Intl.Segmenter | undefined;

/**
 * Word-level changes between two texts: English by words, Chinese by the words Intl.Segmenter finds
 * (ICU's dictionary), so a one-word change never shows as a whole paragraph replaced.
 */
export function redline(before: string, after: string, locale: Locale): RedlinePart[] {
  const { diffArrays, diffWords } = diff();
  const parts =
    locale === "zh-CN"
      ? diffArrays(tokens(before), tokens(after)).map((c) => ({ added: c.added, removed: c.removed, value: c.value.join("") }))
      : diffWords(before, after);
  return parts
    .map((c): RedlinePart => ({ op: c.added ? "ins" : c.removed ? "del" : "same", text: c.value }))
    .filter((p) => p.text.length > 0);
}

function tokens(text: string): string[] {
  segmenter ??= new Intl.Segmenter("zh-CN", { granularity: "word" });
  return [...segmenter.segment(text)].map((s) => s.segment);
}

/** The ICU version the word segmentation came from: recorded with a notice, since segmenters differ. */
export const segmenterVersion = () => process.versions.icu ?? "unknown";

/**
 * Only the lines that changed, each as its parts (a long clause with a one-word change shows one line,
 * not the whole clause). Unchanged lines between them are left out.
 */
export function changedLines(parts: RedlinePart[]): RedlinePart[][] {
  const lines: RedlinePart[][] = [[]];
  for (const part of parts) {
    const pieces = part.text.split("\n");
    pieces.forEach((text, i) => {
      if (i > 0) lines.push([]);
      if (text) lines[lines.length - 1]!.push({ op: part.op, text });
    });
  }
  return lines.filter((line) => line.some((p) => p.op !== "same"));
}
