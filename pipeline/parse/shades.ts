// Ratings from fills when the colour is gone: a greyscale scan keeps only each fill's
// shade, and red, purple and blue (or amber and grey) come out within a few levels of one
// another. The document's own legend says which shade means what: its swatches are
// matched to rating values by what their labels say (a colour word, a letter code,
// status words), helped by how dark each standard colour prints; every rating cell then
// takes the value of the nearest swatch shade.
import type { RatingLegendEntry, RatingValue } from '../../schemas/index.js';
import { cellText, ratingOfFill, ratingOfWords } from './cells.js';
import type { LogicalTable } from './reading.js';

export type FillRater = (hex: string | null) => RatingValue | null;

export interface ShadeSettings {
  /** A fill whose channels differ by no more than this (0-255) is grey. */
  greyChroma: number;
  /** Shades at or above this (0-255, paper = 255) are paper or pale banding, never a rating. */
  paleShade: number;
  /** A cell's shade within this (0-255) of a swatch's takes its value. */
  matchTolerance: number;
  /** Cost (in shade units / 255) of giving a swatch a value its label names otherwise. */
  labelMismatchCost: number;
  /** Cost of giving a swatch a value when its label names none. */
  labelSilentCost: number;
}

export const DEFAULT_SHADE_SETTINGS: ShadeSettings = { greyChroma: 12, paleShade: 236, matchTolerance: 14, labelMismatchCost: 0.5, labelSilentCost: 0.15 };

/** The grey level of a fill colour, or null when it has colour. */
export function shadeOf(hex: string | null, s: ShadeSettings = DEFAULT_SHADE_SETTINGS): number | null {
  if (!hex || !/^#[0-9a-f]{6}$/i.test(hex)) return null;
  const v = parseInt(hex.slice(1), 16);
  const [r, g, b] = [(v >> 16) & 255, (v >> 8) & 255, v & 255];
  if (Math.max(r, g, b) - Math.min(r, g, b) > s.greyChroma) return null;
  return (r + g + b) / 3;
}

/** How dark the usual Office rating colours print in grey (Rec. 601 luma). */
const PRINTED_SHADE: Record<RatingValue, number> = { red: 76, amber: 189, green: 112, blue: 88, purple: 80, 'not-due': 191 };
/** Values a legend with no words for them is least likely to mean, a little dearer. */
const RARE: Partial<Record<RatingValue, number>> = { purple: 0.05, 'not-due': 0.05 };

const COLOUR_WORDS: { pattern: RegExp; value: RatingValue }[] = [
  { pattern: /\bred\b/i, value: 'red' },
  { pattern: /\b(amber|yellow|orange)\b/i, value: 'amber' },
  { pattern: /\bgreen\b/i, value: 'green' },
  { pattern: /\bblue\b/i, value: 'blue' },
  { pattern: /\b(purple|violet)\b/i, value: 'purple' },
  { pattern: /\b(grey|gray)\b/i, value: 'not-due' },
];
const LETTER_CODES: Record<string, RatingValue> = { R: 'red', A: 'amber', G: 'green', B: 'blue', P: 'purple' };

/** What a legend label says its swatch means, strongest cue first: a colour word, "not due" words, a letter code, status words. */
export function valueNamedBy(label: string): RatingValue | null {
  for (const c of COLOUR_WORDS) if (c.pattern.test(label)) return c.value;
  const words = ratingOfWords(label);
  if (words === 'not-due') return words;
  const code = /\(([RAGBP])\)\s*$/.exec(label.trim()) ?? /^([RAGBP])\s*[-–=:]\s/.exec(label.trim());
  if (code) return LETTER_CODES[code[1]!]!;
  return words;
}

/**
 * Gives each swatch a distinct value at the least cost: how far its shade is from the
 * value's printed shade (scaled to the paper) plus what its label says against it.
 */
export function calibrate(swatches: { shade: number; label: string }[], s: ShadeSettings = DEFAULT_SHADE_SETTINGS): RatingValue[] {
  const values = Object.keys(PRINTED_SHADE) as RatingValue[];
  const named = swatches.map((w) => valueNamedBy(w.label));
  const cost = (i: number, v: RatingValue) => {
    const label = named[i] === v ? 0 : named[i] ? s.labelMismatchCost : s.labelSilentCost + (RARE[v] ?? 0);
    return Math.abs(swatches[i]!.shade - PRINTED_SHADE[v]) / 255 + label;
  };
  let best: { total: number; pick: RatingValue[] } = { total: Infinity, pick: [] };
  const pick: RatingValue[] = [];
  const used = new Set<RatingValue>();
  const walk = (i: number, total: number) => {
    if (total >= best.total) return;
    if (i === swatches.length) {
      best = { total, pick: [...pick] };
      return;
    }
    for (const v of values) {
      if (used.has(v)) continue;
      used.add(v);
      pick.push(v);
      walk(i + 1, total + cost(i, v));
      pick.pop();
      used.delete(v);
    }
  };
  if (swatches.length <= values.length) walk(0, 0);
  return best.pick;
}

/** Cells that are swatches: a fill with a short label in it, or an empty fill with the label in the next cell of its row. */
function swatchesOf(t: LogicalTable, isSwatch: (hex: string) => boolean): { fill: string; label: string }[] {
  const out: { fill: string; label: string }[] = [];
  for (const row of t.rows) {
    row.cells.forEach((c, i) => {
      if (!c?.fill || !isSwatch(c.fill)) return;
      const own = cellText(c);
      const next = row.cells[i + 1];
      const label = own || (next && !next.fill ? cellText(next) : '');
      if (label.length > 0 && label.length < 60) out.push({ fill: c.fill, label });
    });
  }
  return out;
}

/**
 * The document's rating legend and how its fills are read. Colour documents: a table of
 * swatches whose hues are ratings, and fills read by hue. Greyscale documents (every fill
 * grey, as in a scan): a table of grey swatches, calibrated; without one, fills carry no
 * rating that can be trusted and the caller is told.
 */
export function fillReadingOf(tables: LogicalTable[], s: ShadeSettings = DEFAULT_SHADE_SETTINGS): { legend: RatingLegendEntry[]; rate: FillRater; greyscale: boolean } {
  const fills = tables.flatMap((t) => t.rows.flatMap((r) => r.cells.flatMap((c) => (c?.fill ? [c.fill] : []))));
  const greyscale = fills.length > 0 && fills.every((f) => shadeOf(f, s) !== null) && new Set(fills.map((f) => Math.round(shadeOf(f, s)! / 8))).size >= 3;
  if (!greyscale) {
    for (const t of tables) {
      const cells = t.first.cells;
      const swatches = cells.filter((c) => c.fill && ratingOfFill(c.fill) && cellText(c).length > 0 && cellText(c).length < 60);
      if (swatches.length >= 3 && swatches.length >= cells.length * 0.6) {
        return { legend: swatches.map((c) => ({ value: ratingOfFill(c.fill)!, label: cellText(c), fill: c.fill!.toUpperCase() })), rate: ratingOfFill, greyscale };
      }
    }
    return { legend: [], rate: ratingOfFill, greyscale };
  }
  for (const t of tables) {
    const swatches = swatchesOf(t, (hex) => (shadeOf(hex, s) ?? 255) < s.paleShade);
    const cells = t.first.cells.filter((c) => cellText(c).length > 0 || c.fill);
    if (swatches.length < 3 || swatches.length < cells.length * 0.4) continue;
    // Swatches must be told apart by shade, or the legend says nothing a fill can be matched to.
    const shades = swatches.map((w) => shadeOf(w.fill, s)!);
    const values = calibrate(swatches.map((w, i) => ({ shade: shades[i]!, label: w.label })), s);
    if (values.length !== swatches.length) continue;
    const legend = swatches.map((w, i) => ({ value: values[i]!, label: w.label, fill: w.fill.toUpperCase() }));
    const rate: FillRater = (hex) => {
      const shade = shadeOf(hex, s);
      if (shade === null) return ratingOfFill(hex);
      if (shade >= s.paleShade) return null;
      let nearest = -1;
      for (let i = 0; i < shades.length; i++) if (nearest < 0 || Math.abs(shades[i]! - shade) < Math.abs(shades[nearest]! - shade)) nearest = i;
      return Math.abs(shades[nearest]! - shade) <= s.matchTolerance ? values[nearest]! : null;
    };
    return { legend, rate, greyscale };
  }
  return { legend: [], rate: () => null, greyscale };
}
