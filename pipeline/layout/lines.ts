// Words -> lines, for any baseline angle: words are projected on their baseline axis
// (u) and its normal (v); words of one angle whose v agree within a tolerance form a
// line, read in u order, lines read from the top of the glyphs' "up" side down. For
// text turned 90 degrees (reading bottom to top) that gives the label's first
// vertical line leftmost, as a person reads it after turning the page.
import type { BBox } from '../../schemas/index.js';
import type { LayoutSettings } from './settings.js';
import { centre, union, type Word } from './words.js';

export interface TextLine {
  words: Word[];
  text: string;
  bbox: BBox;
  angle: number;
  fontSize: number;
}

const axes = (angle: number) => {
  const rad = (angle * Math.PI) / 180;
  return { ux: Math.cos(rad), uy: Math.sin(rad) };
};
export const alongOf = (w: Word): number => {
  const { ux, uy } = axes(w.angle);
  const [cx, cy] = centre(w.bbox);
  return cx * ux + cy * uy;
};
export const acrossOf = (w: Word): number => {
  const { ux, uy } = axes(w.angle);
  const [cx, cy] = centre(w.bbox);
  return -cx * uy + cy * ux;
};
/** Extent of a word along its baseline axis. */
export const spanAlong = (w: Word): [number, number] => {
  const { ux, uy } = axes(w.angle);
  const pts = [
    w.bbox[0] * ux + w.bbox[1] * uy,
    w.bbox[2] * ux + w.bbox[3] * uy,
    w.bbox[0] * ux + w.bbox[3] * uy,
    w.bbox[2] * ux + w.bbox[1] * uy,
  ];
  return [Math.min(...pts), Math.max(...pts)];
};

/** Angles are grouped to the nearest degree; 0 and 360 are one angle. */
const angleKey = (a: number) => ((Math.round(a) % 360) + 360) % 360;

export function linesOf(words: Word[], settings: Pick<LayoutSettings, 'lineTolerance'>): TextLine[] {
  const byAngle = new Map<number, Word[]>();
  for (const w of words) {
    const k = angleKey(w.angle);
    if (!byAngle.has(k)) byAngle.set(k, []);
    byAngle.get(k)!.push(w);
  }
  const lines: TextLine[] = [];
  for (const group of byAngle.values()) {
    const sorted = [...group].sort((a, b) => acrossOf(b) - acrossOf(a));
    let current: Word[] = [];
    let currentV = 0;
    const flush = () => {
      if (!current.length) return;
      current.sort((a, b) => alongOf(a) - alongOf(b));
      lines.push({
        words: current,
        text: current.map((w) => w.text).join(' '),
        bbox: union(current.map((w) => w.bbox)),
        angle: current[0]!.angle,
        fontSize: Math.max(...current.map((w) => w.fontSize)),
      });
      current = [];
    };
    // A word joins the line when it sits near the line's mean height so far: the first word
    // alone may sit high (a raised dash), and a small word beside it would start a line of its own.
    let sum = 0;
    for (const w of sorted) {
      const v = acrossOf(w);
      if (current.length && Math.abs(currentV - v) > settings.lineTolerance * Math.max(w.fontSize, 1)) flush();
      if (!current.length) sum = 0;
      current.push(w);
      sum += v;
      currentV = sum / current.length;
    }
    flush();
  }
  return lines;
}

/**
 * Splits a line into runs of text set as one: words one space apart inside a text item
 * stay together (a producer writes a cell's line as one run, even when it runs on over
 * the cell's border); between items, a gap wider than a word space starts a new run,
 * and so do several spaces inside an item.
 */
export function runsOf(line: TextLine, settings: Pick<LayoutSettings, 'runGapRatio'>): TextLine[] {
  const runs: Word[][] = [];
  let prev: Word | null = null;
  let prevEnd = -Infinity;
  for (const w of line.words) {
    const [a, b] = spanAlong(w);
    const sameItem = prev !== null && prev.item === w.item && w.spacesBefore === 1 && a >= prevEnd - 1;
    if (!runs.length || (!sameItem && a - prevEnd > settings.runGapRatio * w.fontSize)) runs.push([w]);
    else runs[runs.length - 1]!.push(w);
    prev = w;
    prevEnd = b;
  }
  return runs.map((ws) => ({ words: ws, text: ws.map((w) => w.text).join(' '), bbox: union(ws.map((w) => w.bbox)), angle: line.angle, fontSize: line.fontSize }));
}
