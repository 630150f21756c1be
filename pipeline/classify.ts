// Page classification: is the text layer usable ('text'), is the page a scan with no
// text to read, so OCR is the way in ('ocr'), or is there text whose characters do
// not map to anything readable ('garbage': replacement characters, private-use glyphs,
// far fewer characters than the glyph runs' advance needs)?
import { pdfjs, type PdfDocument } from './pdfjs.js';
import { multiply, type LoadedPage, type Matrix } from './load.js';

export type PageKind = 'text' | 'ocr' | 'garbage';

export interface ClassifySettings {
  /** Fewer visible characters than this and the page counts as having no text. */
  minChars: number;
  /** A page at least this much covered by images (0-1) is a scan when it has no text. */
  minImageCoverage: number;
  /** Share of visible characters that are unmappable above which the text is garbage. */
  maxBadShare: number;
  /** Visible characters per expected character (from the runs' advance) below which the text is garbage. */
  minCharsPerExpected: number;
}

export const DEFAULT_CLASSIFY_SETTINGS: ClassifySettings = {
  minChars: 20,
  minImageCoverage: 0.5,
  maxBadShare: 0.3,
  minCharsPerExpected: 0.25,
};

/** U+FFFD, private use (BMP and planes 15-16), and control characters other than whitespace. */
const BAD = /[\uFFFD\uE000-\uF8FF\u{F0000}-\u{10FFFF}\u0000-\u0008\u000E-\u001F\u007F-\u009F]/u;

export function classifyPage(page: LoadedPage, imageCoverage: number, settings: ClassifySettings = DEFAULT_CLASSIFY_SETTINGS): PageKind {
  let chars = 0;
  let bad = 0;
  let expected = 0;
  for (const it of page.items) {
    let visible = 0;
    for (const ch of it.str) {
      if (/\s/u.test(ch)) continue;
      visible++;
      if (BAD.test(ch)) bad++;
    }
    chars += visible;
    // A Latin glyph advances about half its size: the run's advance says how many characters it should hold.
    // Runs of spaces only are gaps pdf.js fills in between cells, not glyphs: they say nothing.
    if (visible && it.fontSize > 0 && Number.isFinite(it.width)) expected += Math.abs(it.width) / (0.5 * it.fontSize);
  }
  if (chars < settings.minChars) {
    // No usable text: a scan when images cover the page; otherwise a blank (or drawings-only) page, nothing to OCR.
    if (imageCoverage >= settings.minImageCoverage) return 'ocr';
    return bad > 0 ? 'garbage' : 'text';
  }
  if (bad / chars > settings.maxBadShare) return 'garbage';
  if (expected >= 4 * settings.minChars && chars / expected < settings.minCharsPerExpected) return 'garbage';
  return 'text';
}


/** Cells per side of the grid that the union of image boxes is measured on. */
const GRID = 100;

/**
 * Share of the page box (0-1) covered by painted images, from an operator list: each
 * image is the unit square under the current transform; overlapping images count once.
 */
export function imageCoverageOf(fnArray: number[], argsArray: unknown[][], view: [number, number, number, number]): number {
  const OPS = pdfjs.OPS;
  const [vx0, vy0, vx1, vy1] = view;
  const w = vx1 - vx0;
  const h = vy1 - vy0;
  if (!(w > 0 && h > 0)) return 0;
  const covered = new Uint8Array(GRID * GRID);
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  const stack: Matrix[] = [];
  for (let i = 0; i < fnArray.length; i++) {
    const fn = fnArray[i];
    const args = argsArray[i] ?? [];
    if (fn === OPS.save) stack.push(ctm);
    else if (fn === OPS.restore) ctm = stack.pop() ?? ctm;
    else if (fn === OPS.transform) ctm = multiply(ctm, args as Matrix);
    else if (fn === OPS.paintFormXObjectBegin) {
      stack.push(ctm);
      const m = args[0] as Matrix | null | undefined;
      if (Array.isArray(m) && m.length === 6) ctm = multiply(ctm, m as Matrix);
    } else if (fn === OPS.paintFormXObjectEnd) ctm = stack.pop() ?? ctm;
    else if (fn === OPS.paintImageXObject || fn === OPS.paintInlineImageXObject || fn === OPS.paintImageXObjectRepeat || fn === OPS.paintImageMaskXObject) {
      const corners = [
        [ctm[4], ctm[5]],
        [ctm[0] + ctm[4], ctm[1] + ctm[5]],
        [ctm[2] + ctm[4], ctm[3] + ctm[5]],
        [ctm[0] + ctm[2] + ctm[4], ctm[1] + ctm[3] + ctm[5]],
      ];
      if (!corners.every(([x, y]) => Number.isFinite(x) && Number.isFinite(y))) continue;
      const xs = corners.map((c) => c[0]!);
      const ys = corners.map((c) => c[1]!);
      const gx0 = Math.max(0, Math.floor(((Math.min(...xs) - vx0) / w) * GRID));
      const gx1 = Math.min(GRID, Math.ceil(((Math.max(...xs) - vx0) / w) * GRID));
      const gy0 = Math.max(0, Math.floor(((Math.min(...ys) - vy0) / h) * GRID));
      const gy1 = Math.min(GRID, Math.ceil(((Math.max(...ys) - vy0) / h) * GRID));
      for (let gy = gy0; gy < gy1; gy++) for (let gx = gx0; gx < gx1; gx++) covered[gy * GRID + gx] = 1;
    }
  }
  let n = 0;
  for (const c of covered) n += c;
  return n / (GRID * GRID);
}

/** Reads the page's operator list (again) and measures its image coverage. */
export async function measureImageCoverage(doc: PdfDocument, pageNumber: number): Promise<number> {
  const page = await doc.getPage(pageNumber);
  const ops = await page.getOperatorList();
  const coverage = imageCoverageOf(ops.fnArray, ops.argsArray as unknown[][], page.view as [number, number, number, number]);
  page.cleanup();
  return coverage;
}
