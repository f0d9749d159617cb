/** The paper sizes a PDF can be printed on (`build --paper`). */
export type Paper = "A4" | "Letter";
export const PAPERS: readonly Paper[] = ["A4", "Letter"];

/**
 * Each paper's width in millimetres. The page's HTML is what Chromium prints, so whatever must fit on
 * the printed line (the running header, which Chromium neither clips nor wraps inside the page) is
 * measured against the paper the PDF is printed on: Letter is 5.9 mm wider than A4.
 */
export const PAPER_WIDTH_MM: Record<Paper, number> = { A4: 210, Letter: 215.9 };
