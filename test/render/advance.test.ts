import { describe, expect, it } from "vitest";
import { truncateToWidth, widthEm } from "../../src/render/advance.js";

describe("text widths from the bundled font", () => {
  it("reads each character's advance from Noto Sans SC: CJK one em, Latin by its own width", () => {
    expect(widthEm("长")).toBe(1);
    expect(widthEm("W")).toBeCloseTo(0.878, 3);
    expect(widthEm("i")).toBeLessThan(widthEm("W"));
    // a character no bundled face has is counted wide, so a cut errs short
    expect(widthEm("😀")).toBe(1.5);
  });

  it("counts a combining mark as no width, whether Noto Sans SC has it or not", () => {
    expect(widthEm("Mu\u0308ller")).toBe(widthEm("Muller"));
    expect(widthEm("Nguye\u0302\u0303n")).toBe(widthEm("Nguyen"));
    // 80 stacked marks on two letters fit a running header: the name was cut to "…" alone
    const stacked = `A${"\u0301".repeat(40)}${"\u0323".repeat(40)}B`;
    expect(truncateToWidth(stacked, 20)).toBe(stacked);
  });

  it("leaves a text that fits as it is and cuts a longer one, with an ellipsis, to the width", () => {
    expect(truncateToWidth("Golden Sample", 20)).toBe("Golden Sample");
    const cut = truncateToWidth("W".repeat(3000), 20);
    expect(cut).toMatch(/^W+…$/);
    expect(widthEm(cut)).toBeLessThanOrEqual(20);
    expect(widthEm(cut + "W")).toBeGreaterThan(20 - 1); // nothing more would have fitted
  });

  it("never splits a letter from its accent or an emoji sequence", () => {
    const accented = "e\u0301".repeat(100);
    expect(truncateToWidth(accented, 10)).toMatch(/^(e\u0301)+…$/);
    const family = "👨‍👩‍👧".repeat(20);
    expect(truncateToWidth(family, 10)).toMatch(/^(👨‍👩‍👧)+…$/u);
  });
});
