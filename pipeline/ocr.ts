// OCR for scanned pages: a pool of tesseract.js workers created once and kept alive
// (a worker costs ~0.5 s to start), and ocrPage, which renders a page, reads its words
// and returns them as text items in PDF user space, so the layout stage can treat them
// like a text layer. Nothing is fetched: the language data comes from
// @tesseract.js-data/eng in node_modules and nothing is cached to disk.
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { createWorker, type Worker } from 'tesseract.js';
import type { FilledRect, Ruling, TextItem } from './load.js';
import { DEFAULT_LIMITS, type Limits } from './limits.js';
import type { PdfDocument } from './pdfjs.js';
import { renderPage } from './render.js';

const require = createRequire(import.meta.url);

/** The folder of the bundled English model (int-quantised "best": accurate and small). */
export function engLangPath(): string {
  return path.join(path.dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');
}

/** One word read from an image; the box is in points, origin top-left of the rendered (displayed) page. */
export interface OcrWord {
  text: string;
  /** [left, top, right, bottom] in points from the top-left of the image. */
  box: [number, number, number, number];
  /** The line's baseline under the word's centre, points from the top, when tesseract found one. */
  baseline?: number;
  /** 0-100. */
  confidence: number;
}

interface Bbox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
interface OcrLine {
  baseline?: Bbox & { has_baseline?: boolean };
  words: { text: string; bbox: Bbox; confidence: number }[];
}

export interface OcrPoolOptions {
  /** Workers; defaults to the number of cores. */
  size?: number;
  langPath?: string;
}

/** N tesseract.js workers, started on first use and kept for every page and document until close(). */
export class OcrPool {
  readonly size: number;
  private readonly langPath: string;
  private workers: Promise<Worker>[] | null = null;
  private idle: number[] = [];
  private waiting: ((slot: number) => void)[] = [];
  private closed = false;

  constructor(opts: OcrPoolOptions = {}) {
    this.size = Math.max(1, opts.size ?? (os.availableParallelism?.() ?? os.cpus().length));
    this.langPath = opts.langPath ?? engLangPath();
  }

  private start(): Promise<Worker>[] {
    if (!this.workers) {
      this.workers = Array.from({ length: this.size }, () =>
        createWorker('eng', 1, {
          langPath: this.langPath,
          cacheMethod: 'none',
          gzip: true,
          // tesseract.js's default handler throws in the worker's callback, which would take the process down.
          errorHandler: () => {},
        }),
      );
      this.idle = this.workers.map((_, i) => i);
    }
    return this.workers;
  }

  private acquire(): Promise<number> {
    const slot = this.idle.shift();
    if (slot !== undefined) return Promise.resolve(slot);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(slot: number): void {
    const next = this.waiting.shift();
    if (next) next(slot);
    else this.idle.push(slot);
  }

  /**
   * Reads the words of an image (PNG or JPEG bytes) on the next free worker, in the
   * order asked. `scale` is the image's pixels per point: boxes come back in points.
   */
  async recognize(image: Buffer, scale: number): Promise<OcrWord[]> {
    return (await this.read(image, scale)).words;
  }

  /** recognize, plus the slope (radians, clockwise on the image) of every line tesseract found a baseline for, with the line's length in points. */
  async read(image: Buffer, scale: number): Promise<{ words: OcrWord[]; slopes: { angle: number; length: number }[] }> {
    if (this.closed) throw new Error('OCR pool is closed');
    const workers = this.start();
    const slot = await this.acquire();
    try {
      const worker = await workers[slot]!;
      const { data } = await worker.recognize(image, {}, { blocks: true, text: false, hocr: false, tsv: false });
      const words: OcrWord[] = [];
      const slopes: { angle: number; length: number }[] = [];
      for (const block of data.blocks ?? []) {
        for (const para of block.paragraphs) {
          for (const line of para.lines as unknown as OcrLine[]) {
            const bl = line.baseline;
            if (bl && bl.has_baseline !== false && bl.x1 > bl.x0 && line.words.length >= 3) slopes.push({ angle: Math.atan2(bl.y1 - bl.y0, bl.x1 - bl.x0), length: (bl.x1 - bl.x0) / scale });
            for (const w of line.words) {
              const text = w.text.trim();
              if (!text) continue;
              const { x0, y0, x1, y1 } = w.bbox;
              const word: OcrWord = { text, box: [x0 / scale, y0 / scale, x1 / scale, y1 / scale], confidence: w.confidence };
              if (bl && bl.has_baseline !== false && bl.x1 !== bl.x0) {
                const cx = (x0 + x1) / 2;
                const y = bl.y0 + ((bl.y1 - bl.y0) * (cx - bl.x0)) / (bl.x1 - bl.x0);
                // Trust the baseline only inside the word's box (descenders hang below it).
                if (y >= y0 && y <= y1 + 1) word.baseline = y / scale;
              }
              words.push(word);
            }
          }
        }
      }
      return { words, slopes };
    } finally {
      this.release(slot);
    }
  }

  /** Ends every worker; the pool cannot be used after. */
  async close(): Promise<void> {
    this.closed = true;
    const workers = this.workers ?? [];
    this.workers = null;
    await Promise.all(workers.map(async (w) => (await w.catch(() => null))?.terminate().catch(() => {})));
  }
}

export interface OcrPageResult {
  /** One item per word, in PDF user space of the unrotated page, like a text layer's items. */
  items: TextItem[];
  /** The words' confidences (0-100), in the order of `items`. */
  confidences: number[];
  /** Ruling lines found in the image, in PDF user space like a text page's. */
  rulings: Ruling[];
  /** Filled cells found in the image, with their shade. */
  fills: FilledRect[];
  /** The resolution the page was rendered at (lower than asked when the pixel limit caps it). */
  dpi: number;
  /** The skew found and taken out of the word positions (degrees, clockwise on the page); 0 when none. */
  skewDeg: number;
  renderMs: number;
  ocrMs: number;
}

/** The resolution a page of `widthPt` x `heightPt` can be rendered at within `maxPixels`. */
export function cappedDpi(widthPt: number, heightPt: number, dpi: number, maxPixels: number): number {
  const px = (widthPt * dpi * heightPt * dpi) / (72 * 72);
  return px <= maxPixels ? dpi : Math.floor(72 * Math.sqrt(maxPixels / (widthPt * heightPt)));
}

/** Renders page `pageNumber` (1-based) and reads its words with the pool. */
export async function ocrPage(
  doc: PdfDocument,
  pageNumber: number,
  pool: OcrPool,
  dpi = 300,
  limits: Pick<Limits, 'maxRenderPixels'> = DEFAULT_LIMITS,
  deskew = true,
): Promise<OcrPageResult> {
  const page = await doc.getPage(pageNumber);
  const base = page.getViewport({ scale: 1 });
  const useDpi = Math.max(1, cappedDpi(base.width, base.height, dpi, limits.maxRenderPixels));
  const t0 = performance.now();
  const rendered = await renderPage(doc, pageNumber, useDpi);
  const png = await rendered.canvas.encode('png');
  const t1 = performance.now();
  const { words: read, slopes } = await pool.read(png, rendered.scale);
  const t2 = performance.now();
  // A scan is often a little skewed: turn the words back about the page centre by the lines' median slope so lines are level again.
  const skew = deskew ? skewOf(slopes) : 0;
  const words = skew ? read.map((w) => unskew(w, skew, base.width / 2, base.height / 2)) : read;
  // The image is the displayed page (its /Rotate applied): map display points back to user space.
  const viewport = page.getViewport({ scale: 1 });
  const toPdf = (x: number, y: number) => viewport.convertToPdfPoint(x, y) as [number, number];
  const items: TextItem[] = [];
  const confidences: number[] = [];
  for (const w of words) {
    const [l, t, r, b] = w.box;
    const baseY = w.baseline ?? b;
    const [sx, sy] = toPdf(l, baseY);
    const [ex, ey] = toPdf(r, baseY);
    const width = Math.hypot(ex - sx, ey - sy);
    const height = b - t;
    if (!(width > 0 && height > 0)) continue;
    const angle = Math.round((Math.atan2(ey - sy, ex - sx) * 180) / Math.PI);
    const rad = (angle * Math.PI) / 180;
    const [c, s] = [Math.cos(rad), Math.sin(rad)].map((v) => (Math.abs(v) < 1e-9 ? 0 : v)) as [number, number];
    const fontSize = height;
    items.push({
      str: w.text,
      x: sx,
      y: sy,
      width,
      height,
      fontName: 'ocr',
      fontSize,
      angle,
      transform: [fontSize * c, fontSize * s, s === 0 ? 0 : -fontSize * s, fontSize * c, sx, sy],
      hasEOL: false,
    });
    confidences.push(w.confidence);
  }
  page.cleanup();
  return { items, confidences, rulings: [], fills: [], dpi: useDpi, skewDeg: (skew * 180) / Math.PI, renderMs: t1 - t0, ocrMs: t2 - t1 };
}

/** Skews smaller than this (radians) are left alone; larger than the cap are not scanner skew but rotated text. */
const MIN_SKEW = 0.0005;
/** Only lines at least this long (pt) give a slope: short cell lines in tables tilt every way. */
const MIN_LINE = 150;
const MAX_SKEW = (5 * Math.PI) / 180;
/** Lines within this of the median slope (radians, 0.25 degree) agree with it. */
const AGREE = (0.25 * Math.PI) / 180;

/** The length-weighted median slope of the lines, when at least three long lines agree on one. */
export function skewOf(slopes: { angle: number; length: number }[]): number {
  const lines = slopes.filter((s) => s.length >= MIN_LINE && Math.abs(s.angle) <= MAX_SKEW).sort((a, b) => a.angle - b.angle);
  if (lines.length < 3) return 0;
  const total = lines.reduce((n, s) => n + s.length, 0);
  let acc = 0;
  let median = 0;
  for (const s of lines) {
    acc += s.length;
    if (acc >= total / 2) {
      median = s.angle;
      break;
    }
  }
  // Lines must agree: on a table page tesseract's "lines" cut across cells and their slopes scatter.
  const agreeing = lines.filter((s) => Math.abs(s.angle - median) <= AGREE).reduce((n, s) => n + s.length, 0);
  if (agreeing < total * 0.6) return 0;
  return Math.abs(median) >= MIN_SKEW ? median : 0;
}

/** Moves a word as turning the page by -angle about (cx, cy) would (top-left origin, points); the box keeps its size. */
function unskew(w: OcrWord, angle: number, cx: number, cy: number): OcrWord {
  const [l, t, r, b] = w.box;
  const [c, s] = [Math.cos(angle), Math.sin(angle)];
  const turn = (x: number, y: number): [number, number] => [cx + (x - cx) * c + (y - cy) * s, cy - (x - cx) * s + (y - cy) * c];
  const [mx, my] = turn((l + r) / 2, (t + b) / 2);
  const [hw, hh] = [(r - l) / 2, (b - t) / 2];
  const out: OcrWord = { ...w, box: [mx - hw, my - hh, mx + hw, my + hh] };
  if (w.baseline !== undefined) out.baseline = w.baseline - (t + b) / 2 + my;
  return out;
}
