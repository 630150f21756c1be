// Text items -> words. Producers emit a text item per line, per word or per glyph
// run; a word here is a maximal run of non-space characters of one item, with its box
// in page space worked out along the item's (possibly rotated) baseline.
import type { BBox } from '../../schemas/index.js';
import type { TextItem } from '../load.js';

export interface Word {
  text: string;
  bbox: BBox;
  /** Baseline direction in degrees (0 or 90 for the layouts we read; others kept as found). */
  angle: number;
  fontSize: number;
  fontName: string;
  /** Position along the baseline's own axis: x for horizontal text, y for text reading upwards. */
  baseline: number;
  /** Index of the item the word came from, to keep the producer's order when it matters. */
  item: number;
  /** Spaces before the word inside its item (0 for the item's first word). */
  spacesBefore: number;
  /** OCR only: tesseract's confidence in the word, 0-100. */
  confidence?: number;
}

/** Corners of a stretch [a, b] along a baseline starting at (x, y) with direction angle, height h. */
function stretchBox(x: number, y: number, angle: number, a: number, b: number, h: number): BBox {
  const rad = (angle * Math.PI) / 180;
  const ux = Math.cos(rad);
  const uy = Math.sin(rad);
  // Glyphs rise 0.8 of the size above the baseline and descend 0.2 below it.
  const nx = -uy;
  const ny = ux;
  const pts = [
    [x + ux * a + nx * -0.2 * h, y + uy * a + ny * -0.2 * h],
    [x + ux * b + nx * -0.2 * h, y + uy * b + ny * -0.2 * h],
    [x + ux * a + nx * 0.8 * h, y + uy * a + ny * 0.8 * h],
    [x + ux * b + nx * 0.8 * h, y + uy * b + ny * 0.8 * h],
  ];
  const xs = pts.map((p) => p[0]!);
  const ys = pts.map((p) => p[1]!);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

export function wordsOf(items: TextItem[]): Word[] {
  const words: Word[] = [];
  items.forEach((it, index) => {
    const chars = [...it.str];
    if (!chars.length) return;
    // Without per-glyph widths, characters share the item's advance evenly: close enough for grouping.
    const per = it.width / chars.length;
    const rad = (it.angle * Math.PI) / 180;
    let start = -1;
    let spaces = 0;
    const flush = (end: number) => {
      if (start < 0) return;
      const text = chars.slice(start, end).join('');
      const bbox = stretchBox(it.x, it.y, it.angle, start * per, end * per, it.fontSize);
      const baseline = Math.abs(Math.sin(rad)) > 0.5 ? bbox[0] + (bbox[2] - bbox[0]) / 2 : it.y;
      const first = !words.length || words[words.length - 1]!.item !== index;
      words.push({ text, bbox, angle: it.angle, fontSize: it.fontSize, fontName: it.fontName, baseline, item: index, spacesBefore: first ? 0 : spaces, ...(it.confidence === undefined ? {} : { confidence: it.confidence }) });
      start = -1;
      spaces = 0;
    };
    chars.forEach((ch, i) => {
      if (/\s/.test(ch)) {
        flush(i);
        spaces++;
      } else if (start < 0) start = i;
    });
    flush(chars.length);
  });
  return words;
}

export const centre = (b: BBox): [number, number] => [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
export const contains = (b: BBox, p: [number, number], tol = 0): boolean =>
  p[0] >= b[0] - tol && p[0] <= b[2] + tol && p[1] >= b[1] - tol && p[1] <= b[3] + tol;
export const union = (boxes: BBox[]): BBox => [
  Math.min(...boxes.map((b) => b[0])),
  Math.min(...boxes.map((b) => b[1])),
  Math.max(...boxes.map((b) => b[2])),
  Math.max(...boxes.map((b) => b[3])),
];
