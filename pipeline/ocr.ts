// OCR for scanned pages: a pool of tesseract.js workers created once and kept alive
// (a worker costs ~0.5 s to start), and ocrPage, which renders a page, reads its words
// and returns them as text items in PDF user space, so the layout stage can treat them
// like a text layer. Nothing is fetched: the language data comes from
// @tesseract.js-data/eng in node_modules and nothing is cached to disk.
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { createWorker, type Worker } from 'tesseract.js';
import type { BBox } from '../schemas/index.js';
import { bulletDots, cleanForOcr, cropAlone, wordsCutShort, fillEdges, median, missedWordRegions, splitFillsAtRulings, cropOf, DEFAULT_IMAGE_SETTINGS, deskew, findFills, findRulings, greyOf, paperOf, pgmOf, quarterTurn, shrink, skewOfImage, verticalTextRegions, type GreyImage, type ImageRuling, type ImageSettings, type PixelBox } from './image.js';
import type { FilledRect, Ruling, TextItem } from './load.js';
import { englishWords, repairLine, restoreRefDots, wordRanks } from './ocr-words.js';
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
  /** The font size of the word's line (points), from tesseract's row height (x-height plus ascenders, about one em). */
  size?: number;
  /** Tesseract put this word in a line of words stacked one under another: short upright lines (a column of references) read as one vertical line, which it reads badly. */
  stacked?: boolean;
  /** Which of the reading's lines the word is on (numbered in reading order). */
  line?: number;
}

interface Bbox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
interface OcrLine {
  baseline?: Bbox & { has_baseline?: boolean };
  rowAttributes?: { rowHeight?: number };
  words: { text: string; bbox: Bbox; confidence: number }[];
}

/** What tesseract makes of a list bullet (a round dot): seen at the head of a line, these are bullets. */
const OCR_BULLETS = new Set(['+', '*', '«', '°', '©', '®', '¢', 'e', '•', '·', '»', '-', '–', 'o']);
/** One or two bullet shapes ("«+" is one dot read as two). */
export const isBulletGlyph = (t: string) => [...t].length <= 2 && [...t].every((c) => OCR_BULLETS.has(c)) && t !== 'oo' && t !== 'ee';

/** About how many ems these letters take in a common text face: enough to tell two letters from one glyph's width. */
export function textWidth(text: string): number {
  let ems = 0;
  for (const c of text) ems += /[iljtfrI1|.,:;'!()\-]/.test(c) ? 0.28 : /[mwMW]/.test(c) ? 0.8 : /[A-Z0-9]/.test(c) ? 0.62 : 0.5;
  return ems;
}

/** A reading without the marks before and after its letters ("(EHCPs)," -> EHCPs). */
const lettersOf = (t: string) => t.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');

/**
 * A reading of turned ink is text only when it holds words: a stack of short upright lines
 * (a column of references) turned sideways reads as confident nonsense ("NONONN", "wu").
 */
export function readsAsWords(texts: string[], dict: Set<string> = englishWords()): boolean {
  const words = texts.map(lettersOf).filter((t) => /^\p{L}{2,}$/u.test(t));
  const known = words.filter((t) => dict.has(t.toLowerCase()) || /^[A-Z]{2,5}$/.test(t));
  return known.length > 0 && known.length >= 0.5 * words.length;
}

/** A line whose first word is a bullet read glued to the word after it ("«The"): the bullet, then the word, the box shared. */
export function unglueBullet<W extends { text: string; box: [number, number, number, number] }>(line: W[]): W[] {
  const head = line[0];
  const glued = head && /^[«+*»©·•](?=[A-Z])/u.exec(head.text);
  if (!head || !glued) return line;
  const h = head.box[3] - head.box[1];
  const bullet = { ...head, text: '\u2022', box: [head.box[0], head.box[1], head.box[0] + 0.4 * h, head.box[3]] as [number, number, number, number] };
  const rest = { ...head, text: head.text.slice(glued[0].length), box: [head.box[0] + 0.6 * h, head.box[1], head.box[2], head.box[3]] as [number, number, number, number] };
  return [bullet, rest, ...line.slice(1)];
}

/** A word of nothing but these marks is a speck of noise or a shadow read as text ("~~", "»"), not content. */
const SPECK = /^[~`^_\\¬°«»'"\u2018\u2019\u201c\u201d,.:;*]+$/;
export const isSpeck = (t: string) => SPECK.test(t);

/** How tesseract cuts an image into text: a whole page, a block of lines (a cell), one line, or scattered words. */
export type PageSegMode = 'auto' | 'block' | 'line' | 'sparse';
const PSM: Record<PageSegMode, string> = { auto: '3', block: '6', line: '7', sparse: '11' };

export interface OcrPoolOptions {
  /** Workers; defaults to the number of cores. */
  size?: number;
  langPath?: string;
  /** Join split words and undo letter confusions against an English word list (pipeline/ocr-words.ts). */
  repair?: boolean;
}

/** N tesseract.js workers, started on first use and kept for every page and document until close(). */
export class OcrPool {
  readonly size: number;
  readonly repair: boolean;
  private readonly langPath: string;
  private workers: Promise<Worker>[] | null = null;
  private idle: number[] = [];
  private waiting: ((slot: number) => void)[] = [];
  private closed = false;

  constructor(opts: OcrPoolOptions = {}) {
    this.size = Math.max(1, opts.size ?? (os.availableParallelism?.() ?? os.cpus().length));
    this.langPath = opts.langPath ?? engLangPath();
    this.repair = opts.repair ?? true;
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
   * Reads the words of an image (PGM, PNG or JPEG bytes) on the next free worker, in the
   * order asked. `scale` is the image's pixels per point: boxes come back in points.
   */
  async recognize(image: Buffer, scale: number, psm: PageSegMode = 'auto'): Promise<OcrWord[]> {
    if (this.closed) throw new Error('OCR pool is closed');
    const workers = this.start();
    const slot = await this.acquire();
    try {
      const worker = await workers[slot]!;
      // tesseract.js passes other options to tesseract as parameters and restores them after the call.
      // tesseract is left to estimate the resolution from the glyphs: telling it the render's dpi
      // (user_defined_dpi) read the Bracknell Forest scan worse (action F1 0.50 -> 0.14).
      const params = { tessedit_pageseg_mode: PSM[psm] } as Record<string, string>;
      const { data } = await worker.recognize(image, params, { blocks: true, text: false, hocr: false, tsv: false });
      const words: OcrWord[] = [];
      let lineNumber = 0;
      for (const block of data.blocks ?? []) {
        for (const para of block.paragraphs) {
          for (const line of para.lines as unknown as OcrLine[]) {
            lineNumber++;
            const bl = line.baseline;
            const rowHeight = line.rowAttributes?.rowHeight;
            const lineWords: OcrWord[] = [];
            for (const [k, w] of line.words.entries()) {
              let text = w.text.trim();
              if (!text) continue;
              // A bullet is read as one of these shapes; at the head of a line, before a word, it is a bullet.
              if (k === 0 && line.words.length > 1 && isBulletGlyph(text)) text = '\u2022';
              // Noise read as marks would join the cells either side of a column gap into one.
              if (isSpeck(text)) continue;
              const { x0, y0, x1, y1 } = w.bbox;
              const word: OcrWord = { text, box: [x0 / scale, y0 / scale, x1 / scale, y1 / scale], confidence: w.confidence, line: lineNumber };
              if (rowHeight && rowHeight > 0) word.size = rowHeight / scale;
              if (bl && bl.has_baseline !== false && bl.x1 !== bl.x0) {
                const cx = (x0 + x1) / 2;
                const y = bl.y0 + ((bl.y1 - bl.y0) * (cx - bl.x0)) / (bl.x1 - bl.x0);
                // Trust the line's baseline near the word's foot (descenders hang below it, and tesseract's
                // line can sit a pixel or two under a word without them): one baseline for the whole line.
                const h = y1 - y0;
                if (y >= y0 + 0.3 * h && y <= y1 + 0.25 * h) word.baseline = y / scale;
              }
              lineWords.push(word);
            }
            lineWords.splice(0, lineWords.length, ...unglueBullet(lineWords));
            // A "line" whose words go down the page, not across it, is a column of short lines read as one.
            if (lineWords.length >= 2) {
              const xs = lineWords.map((w) => (w.box[0] + w.box[2]) / 2);
              const ys = lineWords.map((w) => (w.box[1] + w.box[3]) / 2);
              const spread = (v: number[]) => Math.max(...v) - Math.min(...v);
              const height = lineWords.reduce((a, w) => a + w.box[3] - w.box[1], 0) / lineWords.length;
              if (spread(ys) > 2 * spread(xs) + height) for (const w of lineWords) w.stacked = true;
            }
            // A word's box sometimes runs over the words after it on its line: end it where the next begins,
            // or the layout would read the line out of order.
            for (let k = 0; k + 1 < lineWords.length; k++) {
              const [w, next] = [lineWords[k]!, lineWords[k + 1]!];
              if (w.box[2] > next.box[0] && next.box[0] > w.box[0]) w.box[2] = Math.max(w.box[0] + 0.5, next.box[0] - 0.5);
            }
            words.push(...(this.repair ? repairLine(lineWords) : lineWords));
          }
        }
      }
      return words;
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
  /** Filled cells found in the image, with their shade as a grey colour. */
  fills: FilledRect[];
  /** The resolution the page was rendered at (lower than asked when the pixel limit caps it). */
  dpi: number;
  /** The skew found and taken out of the image (degrees, clockwise on the page); 0 when none. */
  skewDeg: number;
  /** Regions of sideways text read by turning them upright. */
  sideways: number;
  /** Patches of ink tesseract passed over on the page, read again on their own. */
  missed: number;
  /** Bullets tesseract passed over, found as dots before a line's first word. */
  bullets: number;
  renderMs: number;
  ocrMs: number;
}

export interface OcrPageOptions {
  dpi: number;
  limits: Pick<Limits, 'maxRenderPixels'>;
  image: ImageSettings;
  /** How tesseract segments the cleaned page. */
  psm: PageSegMode;
  /** Sideways text below this mean confidence (0-100) in both turns is kept as tesseract first read it. */
  sidewaysMinConfidence: number;
  /** Words this close (pt) above or below a column of sideways text, and no wider than it, belong to it. */
  sidewaysGap: number;
  /** Passed-over patches read again, at most (each costs a small OCR call). */
  maxMissedPatches: number;
  /** Words read from a passed-over patch below this confidence (0-100) are specks, not words. */
  missedMinConfidence: number;
  /** Words of one or two glyphs read below this confidence (0-100) are read again, as unsure words are. */
  shortWordMinConfidence: number;
  /** An English word read below this confidence (0-100) is a guess of tesseract's dictionary ("retired" for a
   * smudged "returned"): it is read again with its neighbours from the page before cleaning (secondOpinion). */
  guessedWordMaxConfidence: number;
  /** A reading that is no word, below this confidence (0-100), is read again the same way ("sttuchire" for structure). */
  unsureNonWordMaxConfidence: number;
  /** A second reading replaces a guess only when surer by at least this (0-100)... */
  secondOpinionMargin: number;
  /** ...or, both English words, when this many times commoner (Norvig's ranks) and no less sure by more than the margin. */
  secondOpinionCommoner: number;
  /** A short word is misread when its box is narrower than this share of the width its letters need. */
  crampedWidth: number;
  /** A word read again with the ink beside it is kept when it gains at most this many letters or digits. */
  cutShortMaxGlyphs: number;
  /** A patch of ink is read with this much (pt) of the page around it; beyond, the crop is left blank. */
  patchPad: number;
  /** A patch at least this many of the page's lines tall that reads as no line is read again as a block of lines. */
  twoLinePatch: number;
}

export const DEFAULT_OCR_PAGE_OPTIONS: OcrPageOptions = { dpi: 300, limits: DEFAULT_LIMITS, image: DEFAULT_IMAGE_SETTINGS, psm: 'auto', sidewaysMinConfidence: 50, sidewaysGap: 12, maxMissedPatches: 80, missedMinConfidence: 45, shortWordMinConfidence: 70, guessedWordMaxConfidence: 70, unsureNonWordMaxConfidence: 80, secondOpinionMargin: 20, secondOpinionCommoner: 3, crampedWidth: 0.6, cutShortMaxGlyphs: 2, patchPad: 1, twoLinePatch: 1.6 };

/** The resolution a page of `widthPt` x `heightPt` can be rendered at within `maxPixels`. */
export function cappedDpi(widthPt: number, heightPt: number, dpi: number, maxPixels: number): number {
  const px = (widthPt * dpi * heightPt * dpi) / (72 * 72);
  return px <= maxPixels ? dpi : Math.floor(72 * Math.sqrt(maxPixels / (widthPt * heightPt)));
}

/** A word read in points of the displayed page: where its baseline starts and ends, and how tall it is. */
interface PlacedWord {
  text: string;
  start: [number, number];
  end: [number, number];
  height: number;
  confidence: number;
  /** Read from a crop turned upright. */
  turned?: boolean;
}

/** The box around the words' boxes. */
const boundsOf = (ws: OcrWord[]): [number, number, number, number] => [Math.min(...ws.map((w) => w.box[0])), Math.min(...ws.map((w) => w.box[1])), Math.max(...ws.map((w) => w.box[2])), Math.max(...ws.map((w) => w.box[3]))];
/** A word read from a crop, moved to where the crop lies on the page (its box's top-left corner). */
const placedAt = (w: OcrWord, crop: [number, number, number, number]): OcrWord => ({
  ...w,
  box: [w.box[0] + crop[0], w.box[1] + crop[1], w.box[2] + crop[0], w.box[3] + crop[1]],
  baseline: w.baseline === undefined ? undefined : w.baseline + crop[1],
});
/** Whether the middle of box b lies in r. */
const centreIn = (b: [number, number, number, number], r: [number, number, number, number]) => (b[0] + b[2]) / 2 >= r[0] && (b[0] + b[2]) / 2 <= r[2] && (b[1] + b[3]) / 2 >= r[1] && (b[1] + b[3]) / 2 <= r[3];
/** The middle of a placed word's box. */
const centreOf = (p: PlacedWord): [number, number] => [(p.start[0] + p.end[0]) / 2, p.start[1] - p.height / 2];

/** A word of an upright image at `origin` (points) on the page. */
function placeUpright(w: OcrWord, origin: [number, number]): PlacedWord {
  const [l, t, r, b] = w.box;
  const base = w.baseline ?? b;
  return { text: w.text, start: [origin[0] + l, origin[1] + base], end: [origin[0] + r, origin[1] + base], height: w.size ?? b - t, confidence: w.confidence };
}

/**
 * A word read from a crop turned a quarter, put back where it lies on the page: the crop
 * (at `origin`, `size` points wide and tall before turning) was turned clockwise for text
 * reading upwards, anticlockwise for text reading downwards.
 */
export function placeTurned(w: OcrWord, dir: 'cw' | 'ccw', origin: [number, number], size: [number, number]): PlacedWord {
  const [u0, v0, u1, v1] = w.box;
  const vb = w.baseline ?? v1;
  const [W, H] = size;
  // Turned point (u, v) back to the crop: cw (u, v) -> (v, H - u); ccw (u, v) -> (W - v, u).
  const back = (u: number, v: number): [number, number] => (dir === 'cw' ? [origin[0] + v, origin[1] + H - u] : [origin[0] + W - v, origin[1] + u]);
  return { text: w.text, start: back(u0, vb), end: back(u1, vb), height: w.size ?? v1 - v0, confidence: w.confidence };
}

/** Boxes that overlap or lie within `gap` of one another, merged (repeatedly) into one. */
export function mergeBoxes(boxes: PixelBox[], gap: number): PixelBox[] {
  const out = boxes.map((b) => [...b] as PixelBox);
  let merged = true;
  while (merged) {
    merged = false;
    for (let i = 0; i < out.length && !merged; i++)
      for (let j = i + 1; j < out.length; j++) {
        const [a, b] = [out[i]!, out[j]!];
        if (a[0] - gap <= b[2] && b[0] - gap <= a[2] && a[1] - gap <= b[3] && b[1] - gap <= a[3]) {
          out[i] = [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
          out.splice(j, 1);
          merged = true;
          break;
        }
      }
  }
  return out;
}

/**
 * Columns of sideways text grown along their length over the words tesseract read from
 * their glyphs as if upright ("of", "a"): words no wider than the column, overlapping
 * it across, within `gap` of its ends.
 */
export function growColumns(columns: PixelBox[], words: [number, number, number, number][], gap: number): PixelBox[] {
  return columns.map((c) => {
    const col = [...c] as PixelBox;
    let grown = true;
    while (grown) {
      grown = false;
      for (const w of words) {
        const overlap = Math.min(col[2], w[2]) - Math.max(col[0], w[0]);
        if (overlap < 0.6 * (w[2] - w[0]) || w[2] - w[0] > 1.5 * (col[2] - col[0])) continue;
        if (w[1] >= col[1] && w[3] <= col[3]) continue;
        if (w[3] < col[1] - gap || w[1] > col[3] + gap) continue;
        col[1] = Math.min(col[1], w[1]);
        col[3] = Math.max(col[3], w[3]);
        grown = true;
      }
    }
    return col;
  });
}

/**
 * Where tesseract tangled lines of text: words of two of its lines lying on one another
 * (a line cut in two, each half read with the line below). Each tangle is the box round the
 * words of the lines involved, in points; the words there are worth reading again.
 */
export function tangledLines(words: OcrWord[], minOverlap = 0.4, mergedHeight = 1.7, mergedBelowConfidence = 60): [number, number, number, number][] {
  const overlap = (a: OcrWord, b: OcrWord) => {
    const w = Math.min(a.box[2], b.box[2]) - Math.max(a.box[0], b.box[0]);
    const h = Math.min(a.box[3], b.box[3]) - Math.max(a.box[1], b.box[1]);
    return w > minOverlap * Math.min(a.box[2] - a.box[0], b.box[2] - b.box[0]) && h > minOverlap * Math.min(a.box[3] - a.box[1], b.box[3] - b.box[1]);
  };
  const pairs: [number, number][] = [];
  for (let i = 0; i < words.length; i++)
    for (let j = i + 1; j < words.length; j++) {
      const [a, b] = [words[i]!, words[j]!];
      if (a.line !== undefined && b.line !== undefined && a.line !== b.line && overlap(a, b)) pairs.push([a.line, b.line]);
    }
  // Lines tangled with one another, directly or through a third, make one tangle.
  const group = new Map<number, number>();
  const find = (l: number): number => (group.get(l) === undefined || group.get(l) === l ? l : find(group.get(l)!));
  for (const [a, b] of pairs) group.set(find(a), find(b));
  const boxes = new Map<number, [number, number, number, number]>();
  const tangled = new Set(pairs.flat());
  for (const w of words) {
    if (w.line === undefined || !tangled.has(w.line)) continue;
    const g = find(w.line);
    const b = boxes.get(g);
    boxes.set(g, b ? [Math.min(b[0], w.box[0]), Math.min(b[1], w.box[1]), Math.max(b[2], w.box[2]), Math.max(b[3], w.box[3])] : [...w.box]);
  }
  // Words as tall as two lines, read unsurely, are two lines read as one ("to access support" over
  // "delays their" read "pe so or ing"). Tesseract's line runs on across the row's other cells: only the
  // unsure tall words make the tangle.
  const typical = median(words.map((w) => w.box[3] - w.box[1]));
  const merged = new Map<number, OcrWord[]>();
  for (const w of words) if (w.line !== undefined && w.box[3] - w.box[1] >= mergedHeight * typical && w.confidence < mergedBelowConfidence) merged.set(w.line, [...(merged.get(w.line) ?? []), w]);
  for (const ws of merged.values()) if (ws.length >= 2) boxes.set(-1 - boxes.size, boundsOf(ws));
  return [...boxes.values()];
}

/**
 * The page's words with each tangle of lines read again, one cell at a time: the tangle is
 * cut at the vertical rulings crossing it (tesseract tangles lines across a column gap),
 * each piece read as a block, and its reading kept where it is surer than the words it replaces.
 * `read` reads a box of the page (points) and gives words in points from the box's corner.
 */
export async function untangle(
  words: OcrWord[],
  rulings: ImageRuling[],
  pointsPerPixel: number,
  read: (box: [number, number, number, number]) => Promise<OcrWord[]>,
): Promise<OcrWord[]> {
  let out = words;
  let nextLine = Math.max(0, ...words.map((w) => w.line ?? 0)) + 1;
  for (const tangle of tangledLines(words)) {
    // Tangles overlap (a merged line inside lines lying on one another): each ink is read again once.
    if (!out.some((w) => words.includes(w) && centreIn(w.box, tangle))) continue;
    const cuts = rulings
      .filter((r) => r.orientation === 'v')
      .map((r) => ({ at: r.at * pointsPerPixel, from: r.from * pointsPerPixel, to: r.to * pointsPerPixel }))
      .filter((r) => r.at > tangle[0] && r.at < tangle[2] && r.from < tangle[3] && r.to > tangle[1])
      .map((r) => r.at)
      .sort((a, b) => a - b);
    const edges = [tangle[0] - 2, ...cuts, tangle[2] + 2];
    for (let i = 0; i + 1 < edges.length; i++) {
      const [x0, x1] = [edges[i]!, edges[i + 1]!];
      // The piece holds whole the words it cuts into (a line of the cell half under a merged one).
      const cutInto = (w: OcrWord) => (w.box[0] + w.box[2]) / 2 > x0 && (w.box[0] + w.box[2]) / 2 < x1 && Math.min(w.box[3], tangle[3]) - Math.max(w.box[1], tangle[1]) > 0.3 * (w.box[3] - w.box[1]);
      const here = out.filter(cutInto);
      if (!here.length) continue;
      const box: [number, number, number, number] = [x0 + 1, Math.min(...here.map((w) => w.box[1])) - 2, x1 - 1, Math.max(...here.map((w) => w.box[3])) + 2];
      const inPiece = out.filter((w) => centreIn(w.box, box));
      const again = (await read(box)).map((w) => ({ ...placedAt(w, box), line: w.line === undefined ? undefined : w.line + nextLine }));
      nextLine += Math.max(0, ...again.map((w) => (w.line ?? nextLine) - nextLine + 1));
      const mean = (ws: OcrWord[]) => ws.reduce((a, w) => a + w.confidence, 0) / Math.max(1, ws.length);
      if (process.env.WSOA_DEBUG_OCR) console.error('untangle', box.map(Math.round).join(','), inPiece.map((w) => `${w.text}:${Math.round(w.confidence)}`).join(' '), '=>', again.map((w) => `${w.text}:${Math.round(w.confidence)}`).join(' '));
      if (!again.length || mean(again) <= mean(inPiece)) continue;
      out = [...out.filter((w) => !inPiece.includes(w)), ...again];
    }
  }
  return out;
}

/** Prefixes written with a hyphen that no word list holds alone ("co-ordinate"). */
const HYPHEN_PREFIXES = new Set(['co', 'multi', 'non', 'pre', 'post', 're', 'anti', 'inter', 'cross', 'self', 'sub', 'semi', 'mid', 'ex']);
/**
 * A reading a second opinion may give: English words, an acronym or its plural ("EHCPs"), an
 * initialism in mixed case ("DfE", "SENDCo"), or a compound of words joined by hyphens ("non-maintained").
 */
const wordOrAcronyms = (t: string, dict: Set<string> = englishWords()) => {
  const core = lettersOf(t);
  if (readsAsWords([t], dict) || /^[A-Z]{2,6}s$/.test(core)) return true;
  // As many capitals as small letters at least: "DfE", "LiHo", not "JIocess" (process misread).
  const capitals = core.replace(/[^A-Z]/g, '').length;
  if (/^[A-Z][A-Za-z]{1,5}$/.test(core) && /[A-Z]/.test(core.slice(1)) && /[a-z]/.test(core) && capitals * 2 >= core.length) return true;
  const parts = core.split('-');
  return parts.length > 1 && parts.every((p, i) => /^\p{L}{2,}$/u.test(p) && (dict.has(p.toLowerCase()) || (i === 0 && HYPHEN_PREFIXES.has(p.toLowerCase()))));
};

/**
 * Words tesseract's dictionary guessed (an English word at very low confidence: "retired" for a smudged
 * "returned") read again with the words beside them on their line, from `read` (the page before it was
 * cleaned: another image is another look). The second reading's word over the guess replaces it when it is
 * an English word too and surer by `margin`; or, both readings English words neither sure of, when it is
 * `commoner` times commoner and no less sure by more than the margin ("returned" at 0 over "retired" at 16:
 * two guesses alike, the commoner wins). No word is added or dropped; boxes stay as first read.
 */
export async function secondOpinion(
  words: OcrWord[],
  doubtful: (w: OcrWord) => boolean,
  margin: number,
  read: (box: [number, number, number, number]) => Promise<OcrWord[]>,
  commoner = Infinity,
): Promise<OcrWord[]> {
  const rank = wordRanks();
  const dict = englishWords();
  const plain = (t: string) => lettersOf(t).toLowerCase();
  // Two English words, the second `commoner` times commoner than the first.
  const farCommoner = (a: string, b: string) => {
    const [x, y] = [plain(a), plain(b)];
    return x !== y && dict.has(x) && dict.has(y) && (rank.get(y) ?? Infinity) * commoner <= (rank.get(x) ?? Infinity);
  };
  const out = [...words];
  const done = new Set<OcrWord>();
  for (const guess of words) {
    if (done.has(guess) || guess.stacked || !doubtful(guess)) continue;
    // The guess and the words it runs on with (gaps under two heights: the same cell), in reading order.
    const mates = words.filter((w) => w.line === guess.line && !w.stacked).sort((a, b) => a.box[0] - b.box[0]);
    let [lo, hi] = [mates.indexOf(guess), mates.indexOf(guess)];
    const near = (a: OcrWord, b: OcrWord) => b.box[0] - a.box[2] < 2 * Math.max(a.box[3] - a.box[1], b.box[3] - b.box[1]);
    while (lo > 0 && near(mates[lo - 1]!, mates[lo]!)) lo--;
    while (hi + 1 < mates.length && near(mates[hi]!, mates[hi + 1]!)) hi++;
    const run = mates.slice(lo, hi + 1);
    const [x0, y0, x1, y1] = boundsOf(run);
    const box: [number, number, number, number] = [x0 - 2, y0 - 2, x1 + 2, y1 + 2];
    const again = (await read(box)).map((w) => placedAt(w, box));
    for (const old of run) {
      if (!doubtful(old) || done.has(old)) continue;
      done.add(old);
      const across = (w: OcrWord) => Math.min(w.box[2], old.box[2]) - Math.max(w.box[0], old.box[0]);
      const over = again.filter((w) => across(w) > 0.6 * Math.max(w.box[2] - w.box[0], old.box[2] - old.box[0]));
      if (process.env.WSOA_DEBUG_OCR) console.error('second opinion', old.text, Math.round(old.confidence), '=>', over.map((w) => `${w.text}:${Math.round(w.confidence)}`).join(' '));
      const other = over.length === 1 ? over[0]! : null;
      if (!other || other.text === old.text) continue;
      const surer = other.confidence >= old.confidence + margin && wordOrAcronyms(other.text);
      if (!surer && !(other.confidence >= old.confidence - margin && farCommoner(old.text, other.text))) continue;
      out[out.indexOf(old)] = { ...old, text: other.text, confidence: other.confidence };
    }
  }
  return out;
}

/**
 * Renders page `pageNumber` (1-based), straightens it, finds its ruling lines and fills,
 * reads the words of a cleaned copy, then the sideways text tesseract could not read
 * upright, and returns it all in PDF user space, as the load stage returns a text page.
 */
export async function ocrPage(doc: PdfDocument, pageNumber: number, pool: OcrPool, options: Partial<OcrPageOptions> = {}): Promise<OcrPageResult> {
  const o = { ...DEFAULT_OCR_PAGE_OPTIONS, ...options };
  const page = await doc.getPage(pageNumber);
  const viewport = page.getViewport({ scale: 1 });
  const useDpi = Math.max(1, cappedDpi(viewport.width, viewport.height, o.dpi, o.limits.maxRenderPixels));
  const t0 = performance.now();
  // Only the grey pixels are kept: the canvas (4 bytes a pixel, native memory) is let go at once.
  const grey = greyOf((await renderPage(doc, pageNumber, useDpi)).canvas, useDpi / 72);
  const scale = grey.scale;
  // A scan is often a little skewed: level the image before anything reads it, so lines are rows and columns again.
  const skew = skewOfImage(shrink(grey, Math.max(1, Math.round(useDpi / 100))), o.image);
  const full = deskew(grey, skew);
  const ratio = Math.max(1, Math.round(useDpi / o.image.analysisDpi));
  const coarse = shrink(full, ratio);
  const paper = paperOf(coarse);
  const lines = findRulings(coarse, o.image, paper);
  const shades = splitFillsAtRulings(coarse, findFills(coarse, o.image, paper, lines), lines, o.image, paper);
  const clean = cleanForOcr(full, lines, shades, ratio, paper, o.image);
  // Fill edges are cell borders too (for the layout, not for cleaning: nothing is drawn there).
  lines.push(...fillEdges(shades, lines, o.image, coarse.scale));
  const image = pgmOf(clean);
  const t1 = performance.now();
  // A box (points) of a page image read on its own.
  const readBox = (img: GreyImage, psm: PageSegMode) => async (box: [number, number, number, number]) => {
    const crop = cropOf(img, box.map((v) => Math.round(v * scale)) as PixelBox);
    return crop.width && crop.height ? pool.recognize(pgmOf(crop), scale, psm) : [];
  };
  const untangled = await untangle(await pool.recognize(image, scale, o.psm), lines, ratio / scale, readBox(clean, 'block'));
  const doubtful = (w: OcrWord) => w.confidence < (readsAsWords([w.text]) ? o.guessedWordMaxConfidence : o.unsureNonWordMaxConfidence);
  const upright = await secondOpinion(untangled, doubtful, o.secondOpinionMargin, readBox(full, 'line'), o.secondOpinionCommoner);
  // tesseract reads some sideways lines itself but returns them as tall upright boxes; those, and
  // ink that no confident word explains, are read again from crops turned upright.
  const tall = (w: OcrWord) => w.stacked === true || (w.box[3] - w.box[1] > 1.6 * (w.box[2] - w.box[0]) && w.box[3] - w.box[1] > 14);
  const flat = upright.filter((w) => !tall(w));
  const placed: PlacedWord[] = flat.map((w) => placeUpright(w, [0, 0]));
  const placedOf = new Map(flat.map((w, i) => [w, placed[i]!]));
  // Words tesseract was hardly sure of do not explain their ink: it is read again below, and they give way to what that finds.
  // Two glyphs read unsurely are as often one misread ("wu" for a lone 5), and so are letters too
  // many for their box ("wl" in the width of one digit, however sure): read again too.
  const cramped = (w: OcrWord) => {
    // The em: the line's size, or at least what a capital of the box's height needs (a lone word's line is no taller than it).
    const em = Math.max(w.size ?? 0, (w.box[3] - w.box[1]) / 0.72);
    return w.text.length <= 3 && w.box[2] - w.box[0] < o.crampedWidth * em * textWidth(w.text);
  };
  const weak = new Set(flat.filter((w) => (w.confidence < o.missedMinConfidence || (w.text.length <= 2 && w.confidence < o.shortWordMinConfidence) || cramped(w)) && !wordOrAcronyms(w.text)));
  const weakPlaced = new Set(placed.filter((_, i) => weak.has(flat[i]!)));
  const toCoarse = (b: [number, number, number, number]) => b.map((v) => Math.round((v * scale) / ratio)) as PixelBox;
  // Short words do not explain their ink: tesseract reads a sideways word's glyphs as "E", "3", "g".
  const explained = upright.filter((w) => w.confidence >= 60 && !tall(w) && w.text.replace(/[^\p{L}\p{N}]/gu, '').length >= 3).map((w) => toCoarse(w.box));
  const cleanCoarse = shrink(clean, ratio);
  const seeds = [...verticalTextRegions(cleanCoarse, explained, o.image, paper), ...upright.filter(tall).map((w) => toCoarse(w.box))];
  const columns = mergeBoxes(seeds.map((b) => b.map((v) => (v * ratio) / scale) as PixelBox), 4);
  // A column is sideways text only when long and narrow: stacked short words (a column of digits) are not.
  const regions = mergeBoxes(growColumns(columns, upright.map((w) => w.box), o.sidewaysGap), 0).filter(
    (r) => r[3] - r[1] >= o.image.verticalMinLength && r[3] - r[1] >= o.image.verticalMinAspect * (r[2] - r[0]),
  );
  // Tall words outside every sideways column are often short words stacked in a column (digits in a
  // measures column) read as one: their ink is read again below, and they stay only where that finds nothing.
  const stacked = upright.filter((w) => tall(w) && !regions.some((r) => centreIn(w.box, r)));
  const accepted: PixelBox[] = [];
  let sideways = 0;
  if (process.env.WSOA_DEBUG_OCR) console.error('upright', upright.length, 'tall', upright.filter(tall).map((w) => w.text + '@' + w.box.map(Math.round).join(',')).join(' '), 'regions', JSON.stringify(regions.map((r) => r.map(Math.round))));
  for (const region of regions) {
    const margin = Math.round(3 * scale);
    const box: PixelBox = [Math.round(region[0] * scale) - margin, Math.round(region[1] * scale) - margin, Math.round(region[2] * scale) + margin, Math.round(region[3] * scale) + margin];
    const crop = cropOf(clean, box);
    if (!crop.width || !crop.height) continue;
    const origin: [number, number] = [Math.max(0, box[0]) / scale, Math.max(0, box[1]) / scale];
    const size: [number, number] = [crop.width / scale, crop.height / scale];
    let best: { dir: 'cw' | 'ccw'; words: OcrWord[]; mean: number } | null = null;
    for (const dir of ['cw', 'ccw'] as const) {
      const words = await pool.recognize(pgmOf(quarterTurn(crop, dir)), scale, 'block');
      const mean = words.length ? words.reduce((a, w) => a + w.confidence, 0) / words.length : 0;
      if (!best || mean > best.mean) best = { dir, words, mean };
      if (mean >= 85) break;
    }
    const inside = (w: OcrWord) => {
      const cx = (w.box[0] + w.box[2]) / 2;
      const cy = (w.box[1] + w.box[3]) / 2;
      return cx >= origin[0] && cx <= origin[0] + size[0] && cy >= origin[1] && cy <= origin[1] + size[1];
    };
    // Not readable turned either way: not sideways text after all; its ink is read again upright below.
    if (!best || best.mean < o.sidewaysMinConfidence || !readsAsWords(best.words.map((w) => w.text))) {
      stacked.push(...upright.filter((w) => tall(w) && inside(w)));
      continue;
    }
    sideways++;
    accepted.push(region);
    // What tesseract made of the sideways ink upright (short words read from single glyphs) is noise beside the turned reading: drop it.
    for (let i = placed.length - 1; i >= 0; i--) {
      const p = placed[i]!;
      const [cx, cy] = centreOf(p);
      // Only words that could be glyphs of the column: no wider than it (a line of text across it stays).
      const narrow = Math.abs(p.end[0] - p.start[0]) <= 1.5 * size[0];
      if (!p.turned && narrow && cx >= origin[0] && cx <= origin[0] + size[0] && cy >= origin[1] && cy <= origin[1] + size[1]) placed.splice(i, 1);
    }
    for (const w of best.words) placed.push({ ...placeTurned(w, best.dir, origin, size), turned: true });
  }
  // Upright words tesseract passed over (a lone digit in a cell): read each patch of unexplained ink as one line.
  const read = [...upright.filter((w) => !stacked.includes(w) && !weak.has(w)).map((w) => toCoarse(w.box)), ...accepted.map((r) => toCoarse(r as [number, number, number, number]))];
  // A word read from a small patch has the patch's row height (a "/" alone reads tall): it takes the size of
  // the words tesseract read on its line, so one glyph does not make a line a heading.
  const sizes = flat.filter((w) => w.size !== undefined);
  const placePatchWord = (w: OcrWord, origin: [number, number]): PlacedWord => {
    const p = placeUpright(w, origin);
    const [t, b] = [origin[1] + w.box[1], origin[1] + w.box[3]];
    const beside = sizes.filter((o) => Math.min(o.box[3], b) - Math.max(o.box[1], t) >= 0.5 * Math.min(o.box[3] - o.box[1], b - t)).map((o) => o.size!);
    return beside.length ? { ...p, height: median(beside) } : p;
  };
  // The page's usual line (points): tesseract's row height for the words it read.
  const lineSize = sizes.length ? median(sizes.map((w) => w.size!)) : undefined;
  // A patch of the coarse image read as one line from the clean page, with a margin: its sure words, and where the crop lies (points).
  const readPatch = async (patch: PixelBox) => {
    const margin = Math.round(2 * scale);
    const pad = Math.round(o.patchPad * scale);
    const box: PixelBox = [patch[0] * ratio - margin, patch[1] * ratio - margin, patch[2] * ratio + margin, patch[3] * ratio + margin];
    // The patch's ink alone: what lies in the margin is other words' and lines'.
    const crop = cropAlone(clean, [patch[0] * ratio - pad, patch[1] * ratio - pad, patch[2] * ratio + pad, patch[3] * ratio + pad], margin - pad);
    if (!crop.width || !crop.height) return null;
    const origin: [number, number] = [Math.max(0, box[0]) / scale, Math.max(0, box[1]) / scale];
    // Specks read as text are short marks and scraps; a word of four letters or more is ink read, however unsure
    // tesseract says it is ("Procedures." at 5, printed close under another line).
    const word = (w: OcrWord) => w.text.replace(/[^\p{L}]/gu, '').length >= 4 && readsAsWords([w.text]);
    const sure = (ws: OcrWord[]) => ws.filter((w) => w.confidence >= o.missedMinConfidence || word(w));
    let all = sure(await pool.recognize(pgmOf(crop), scale, 'line'));
    // Two lines set close are one patch ("Apr" over "2019" in a narrow cell, the p's tail touching the 2): read as
    // one line they come out as nothing sure, as a block line by line.
    if (!all.length && lineSize !== undefined && (patch[3] - patch[1]) * (ratio / scale) >= o.twoLinePatch * lineSize) all = sure(await pool.recognize(pgmOf(crop), scale, 'block'));
    if (process.env.WSOA_DEBUG_OCR) console.error('patch', patch.join(','), all.map((w) => `${w.text}:${Math.round(w.confidence)}`).join(' '));
    const area: PixelBox = [origin[0], origin[1], origin[0] + crop.width / scale, origin[1] + crop.height / scale];
    return { words: all, origin, area };
  };
  const rereadAt: PixelBox[] = [];
  const before = placed.length;
  let missed = 0;
  for (const patch of missedWordRegions(cleanCoarse, read, o.image, paper).slice(0, o.maxMissedPatches)) {
    const got = await readPatch(patch);
    if (!got?.words.length) continue;
    missed++;
    rereadAt.push(got.area);
    for (const w of got.words) placed.push(placePatchWord(w, got.origin));
  }
  for (let i = before - 1; i >= 0; i--) {
    const p = placed[i]!;
    const [cx, cy] = centreOf(p);
    if (weakPlaced.has(p) && rereadAt.some((b) => centreIn([cx, cy, cx, cy], b))) placed.splice(i, 1);
  }
  // Words read short (a reference's first piece left beside it): read each again with the ink beside it, and
  // keep the longer reading where it holds the first.
  const key = (t: string) => t.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
  // Ink any word lies on is that word's (a weak word is read again above): only ink beside every word counts.
  // (Stacked words are tall, never among the flat ones.)
  const everyWord = [...flat, ...stacked];
  for (const cut of wordsCutShort(cleanCoarse, everyWord.map((w) => toCoarse(w.box)), o.image, paper).slice(0, o.maxMissedPatches)) {
    const word = everyWord[cut.word];
    const own = word && placedOf.get(word);
    if (!own || !placed.includes(own)) continue;
    const got = await readPatch(cut.box);
    if (!got || got.words.length !== 1) continue;
    // One word, the old reading with a glyph or two more before or after it ("5." before "1.3").
    const [whole, was] = [key(got.words[0]!.text), key(word.text)];
    if (whole.length <= was.length || whole.length > was.length + o.cutShortMaxGlyphs || !(whole.startsWith(was) || whole.endsWith(was))) continue;
    placed.splice(placed.indexOf(own), 1, placePatchWord(got.words[0]!, got.origin));
    missed++;
  }
  const reread = placed.slice(before);
  // A stacked word gives way to any word read again where it lies.
  const overlaps = (p: PlacedWord, b: PixelBox) => Math.min(p.end[0], b[2]) > Math.max(p.start[0], b[0]) && Math.min(p.start[1], b[3]) > Math.max(p.start[1] - p.height, b[1]);
  for (const w of stacked) if (!reread.some((p) => overlaps(p, w.box))) placed.push(placeUpright(w, [0, 0]));
  // Bullets tesseract dropped: a dot before the first word of a line becomes a bullet on that line.
  const kept = flat.filter((w) => !stacked.includes(w));
  let bullets = 0;
  for (const dot of bulletDots(cleanCoarse, kept.map((w) => toCoarse(w.box)), o.image, paper)) {
    const lead = placeUpright(kept[dot.word]!, [0, 0]);
    const [x0, , x1] = dot.box.map((v) => (v * ratio) / scale) as PixelBox;
    placed.push({ text: '\u2022', start: [x0, lead.start[1]], end: [x1, lead.start[1]], height: lead.height, confidence: lead.confidence });
    bullets++;
  }
  // References in a column that lost their dots get them back from their neighbours.
  const fixed = restoreRefDots(placed.map((p) => ({ ...p, box: [p.start[0], p.start[1] - p.height, p.end[0], p.start[1]] as [number, number, number, number] })).filter((p) => !p.turned));
  const turned = placed.filter((p) => p.turned);
  placed.length = 0;
  // A reference joined from pieces ends where its last piece did.
  placed.push(...fixed.map((w) => ({ ...w, end: [w.box[2], w.end[1]] as [number, number] })), ...turned);
  const t2 = performance.now();
  // The image is the displayed page (its /Rotate applied): map display points back to user space.
  const toPdf = (p: [number, number]) => viewport.convertToPdfPoint(p[0], p[1]) as [number, number];
  const items: TextItem[] = [];
  const confidences: number[] = [];
  for (const w of placed) {
    const [sx, sy] = toPdf(w.start);
    const [ex, ey] = toPdf(w.end);
    const width = Math.hypot(ex - sx, ey - sy);
    if (!(width > 0 && w.height > 0)) continue;
    const angle = Math.round((Math.atan2(ey - sy, ex - sx) * 180) / Math.PI);
    const rad = (angle * Math.PI) / 180;
    const [c, s] = [Math.cos(rad), Math.sin(rad)].map((v) => (Math.abs(v) < 1e-9 ? 0 : v)) as [number, number];
    const fontSize = w.height;
    items.push({
      str: w.text,
      x: sx,
      y: sy,
      width,
      height: w.height,
      fontName: 'ocr',
      fontSize,
      angle,
      transform: [fontSize * c, fontSize * s, s === 0 ? 0 : -fontSize * s, fontSize * c, sx, sy],
      hasEOL: false,
      confidence: w.confidence,
    });
    confidences.push(w.confidence);
  }
  const px = (v: number) => (v * ratio) / scale;
  const boxToPdf = (b: PixelBox): BBox => {
    const [ax, ay] = toPdf([px(b[0]), px(b[1])]);
    const [bx, by] = toPdf([px(b[2]), px(b[3])]);
    return [Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by)];
  };
  const rulings: Ruling[] = lines.map((l) => {
    const [x0, y0, x1, y1] = boxToPdf(l.orientation === 'h' ? [l.from, l.at, l.to, l.at] : [l.at, l.from, l.at, l.to]);
    const h = x1 - x0 >= y1 - y0;
    const width = (l.thickness * ratio) / scale;
    return h ? { orientation: 'h', x0, x1, y0: (y0 + y1) / 2, y1: (y0 + y1) / 2, width } : { orientation: 'v', x0: (x0 + x1) / 2, x1: (x0 + x1) / 2, y0, y1, width };
  });
  const hex = (v: number) => Math.round(v).toString(16).padStart(2, '0').toUpperCase();
  const fills: FilledRect[] = shades.map((f) => ({ bbox: boxToPdf(f.box), color: `#${hex(f.shade)}${hex(f.shade)}${hex(f.shade)}` }));
  page.cleanup();
  return { items, confidences, rulings, fills, dpi: useDpi, skewDeg: (skew * 180) / Math.PI, sideways, missed, bullets, renderMs: t1 - t0, ocrMs: t2 - t1 };
}
