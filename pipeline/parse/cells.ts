// Reading values out of table cells: text with its wrapped lines joined and
// normalised, paragraphs split on vertical gaps, ratings from fills or words.
import type { BBox, RatingValue } from '../../schemas/index.js';
import type { TableCell, TextLine } from '../layout/index.js';
import { joinLines, normaliseText } from '../normalise.js';
import { editDistance, FUZZY_RATING_PHRASES, RATING_WORDS } from './settings.js';

/** The cell's text: its lines joined (line-break hyphens healed) and normalised. */
export function cellText(cell: TableCell | null | undefined): string {
  if (!cell) return '';
  return normaliseText(joinLines(cell.lines.map((l) => l.text)));
}

/** Raw text as extracted, lines joined with spaces. */
export function cellRaw(cell: TableCell | null | undefined): string {
  return cell ? cell.lines.map((l) => l.text).join(' ') : '';
}

/**
 * Splits a cell's lines into paragraphs: where the gap between two lines is wider than
 * `gapRatio` font sizes (lines of one paragraph sit about 0.2 apart at single spacing),
 * or where a line starts a list item, if the caller says what that looks like.
 */
export function paragraphsOf(lines: TextLine[], opts: { gapRatio?: number; startsItem?: (text: string) => boolean } = {}): TextLine[][] {
  const gapRatio = opts.gapRatio ?? 0.45;
  const sorted = [...lines].sort((a, b) => b.bbox[3] - a.bbox[3]);
  const paras: TextLine[][] = [];
  let prev: TextLine | null = null;
  for (const l of sorted) {
    const gap = prev ? prev.bbox[1] - l.bbox[3] : 0;
    if (!prev || gap > gapRatio * l.fontSize || opts.startsItem?.(l.text)) paras.push([l]);
    else paras[paras.length - 1]!.push(l);
    prev = l;
  }
  return paras;
}

export const paragraphText = (lines: TextLine[]): string => normaliseText(joinLines(lines.map((l) => l.text)));
export const boxOfLines = (lines: TextLine[]): BBox => [
  Math.min(...lines.map((l) => l.bbox[0])),
  Math.min(...lines.map((l) => l.bbox[1])),
  Math.max(...lines.map((l) => l.bbox[2])),
  Math.max(...lines.map((l) => l.bbox[3])),
];

/** The rating a fill colour means, by its hue: the colour families RAG/BRAG/RAG(P) legends use. */
export function ratingOfFill(hex: string | null): RatingValue | null {
  if (!hex) return null;
  const v = parseInt(hex.replace('#', ''), 16);
  const r = ((v >> 16) & 255) / 255;
  const g = ((v >> 8) & 255) / 255;
  const b = (v & 255) / 255;
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const l = (max + min) / 2;
  const d = max - min;
  if (l > 0.93) return null; // white or near white: no rating
  const s = d === 0 ? 0 : d / (1 - Math.abs(2 * l - 1));
  if (s < 0.15) return l > 0.35 ? 'not-due' : null; // a grey swatch is "not due yet"
  let h = 0;
  if (max === r) h = 60 * (((g - b) / d) % 6);
  else if (max === g) h = 60 * ((b - r) / d + 2);
  else h = 60 * ((r - g) / d + 4);
  if (h < 0) h += 360;
  if (h < 15 || h >= 340) return 'red';
  if (h < 70) return 'amber';
  if (h < 170) return 'green';
  if (h < 255) return 'blue';
  return 'purple';
}

/** Pale tints are header or banding fills, not ratings. */
export function isPaleFill(hex: string | null): boolean {
  if (!hex) return true;
  const v = parseInt(hex.replace('#', ''), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255].every((c) => c >= 175);
}

/** The rating printed words mean ("On track", "Complete"), or null. */
export function ratingOfWords(text: string): RatingValue | null {
  const t = text.trim();
  for (const { pattern, value } of RATING_WORDS) if (pattern.test(t)) return value;
  // A cell of a word or two may be a status phrase a scan misread: the one phrase nearest, if near enough.
  const letters = t.toLowerCase().replace(/[^a-z]/g, '');
  if (t.split(/\s+/).length > 2 || letters.length < 5) return null;
  const near = new Set(
    Object.entries(FUZZY_RATING_PHRASES).flatMap(([value, phrases]) => (phrases.some((p) => editDistance(letters, p) <= Math.max(1, Math.floor(p.length / 4))) ? [value as RatingValue] : [])),
  );
  return near.size === 1 ? [...near][0]! : null;
}
