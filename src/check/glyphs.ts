import type { Problem } from "../errors.js";
import type { LoadedProfile } from "../load/profile.js";
import { charactersWithoutGlyph, MISSING_GLYPH } from "../render/fonts.js";
import { stringsOf } from "./profile-strings.js";

/**
 * Profile values with characters the bundled fonts do not have (an emoji in a company name): a PDF
 * prints □ in their place (src/pdf/print.ts), and a page shows them only if the reader's machine has a
 * font for them.
 * A build warns, with the field; nothing stops it.
 */
export function glyphProblems(loaded: LoadedProfile): Problem[] {
  return stringsOf(loaded.profile, (_, value) => charactersWithoutGlyph(value).length > 0).map(({ path, value }) => {
    const missing = charactersWithoutGlyph(value);
    return {
      code: "NO_GLYPH", file: loaded.file, line: loaded.lineOf(path), field: path.join("."),
      message: `${missing.map((c) => `"${c}" (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")})`).join(", ")} ${missing.length > 1 ? "are" : "is"} in none of the bundled fonts: PDFs print ${MISSING_GLYPH} in ${missing.length > 1 ? "their" : "its"} place`,
      hint: "Write the value without it, or with a character the fonts have.",
    };
  });
}
