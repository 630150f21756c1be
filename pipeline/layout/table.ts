// Cells -> a table: column and row boundaries from the cells' edges, each cell's row,
// column and spans, the words whose centres fall in it (overflowing runs given back to
// the cell they start in), its text in reading order, and its fill colour.
import type { BBox } from '../../schemas/index.js';
import type { FilledRect } from '../load.js';
import type { GridCell } from './grid.js';
import { linesOf, runsOf, alongOf, type TextLine } from './lines.js';
import type { LayoutSettings } from './settings.js';
import { centre, contains, union, type Word } from './words.js';
import { segmentsOf } from './stream.js';

export interface TableCell {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  bbox: BBox;
  words: Word[];
  lines: TextLine[];
  text: string;
  /** #RRGGBB of a fill covering the cell, else null. */
  fill: string | null;
  /** The dominant baseline angle of the cell's words (90 for a rotated label). */
  angle: number;
}

export interface Table {
  page: number;
  bbox: BBox;
  rows: number;
  cols: number;
  /** Column boundaries left to right, row boundaries top to bottom (PDF y, descending). */
  xs: number[];
  ys: number[];
  cells: TableCell[];
}

/** Distinct values within tolerance, sorted. */
function boundaries(values: number[], tol: number, descending = false): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const out: number[] = [];
  for (const v of sorted) if (!out.length || v - out[out.length - 1]! > tol) out.push(v);
  return descending ? out.reverse() : out;
}

const nearestIndex = (arr: number[], v: number) => {
  let best = 0;
  for (let i = 1; i < arr.length; i++) if (Math.abs(arr[i]! - v) < Math.abs(arr[best]! - v)) best = i;
  return best;
};

export function tableOf(page: number, cells: GridCell[], s: LayoutSettings): Table {
  const xs = boundaries(cells.flatMap((c) => [c.bbox[0], c.bbox[2]]), s.snapTolerance);
  const ys = boundaries(cells.flatMap((c) => [c.bbox[1], c.bbox[3]]), s.snapTolerance, true);
  const out: TableCell[] = cells.map((c) => {
    const col = nearestIndex(xs, c.bbox[0]);
    const row = nearestIndex(ys, c.bbox[3]);
    return {
      row,
      col,
      colSpan: Math.max(1, nearestIndex(xs, c.bbox[2]) - col),
      rowSpan: Math.max(1, nearestIndex(ys, c.bbox[1]) - row),
      bbox: c.bbox,
      words: [],
      lines: [],
      text: '',
      fill: null,
      angle: 0,
    };
  });
  out.sort((a, b) => a.row - b.row || a.col - b.col);
  return { page, bbox: union(cells.map((c) => c.bbox)), rows: ys.length - 1, cols: xs.length - 1, xs, ys, cells: out };
}

/**
 * Puts the page's words into the table's cells. Words are first grouped into runs
 * (words on one baseline with ordinary spacing); a run belongs to the cell its first
 * word starts in, so text that ran on over a cell border is given back to its cell.
 * Returns the words left outside every cell.
 */
export function fillTable(table: Table, words: Word[], fills: FilledRect[], s: LayoutSettings): Word[] {
  const inTable = (w: Word) => contains(table.bbox, centre(w.bbox), 1);
  // Words level with the table beside it may be a run's end that ran on past its border (a heading wider than the table).
  const level = (w: Word) => centre(w.bbox)[1] >= table.bbox[1] && centre(w.bbox)[1] <= table.bbox[3];
  const outside = words.filter((w) => !inTable(w) && !level(w));
  const runs = linesOf(words.filter((w) => inTable(w) || level(w)), s).flatMap((l) => runsOf(l, s));
  const placed: { run: TextLine; cell: TableCell }[] = [];
  for (const run of runs) {
    // Words of the run before its first word in the table stay outside it: only a run's end runs on.
    const start = run.words.findIndex(inTable);
    const first = run.words[start];
    const cell = first && (table.cells.find((c) => contains(c.bbox, centre(first.bbox), 0.5)) ?? table.cells.find((c) => contains(c.bbox, centre(first.bbox), 3)));
    if (!cell) {
      outside.push(...run.words);
      continue;
    }
    const kept = run.words.slice(start);
    outside.push(...run.words.slice(0, start));
    placed.push({ run: { ...run, words: kept, bbox: union(kept.map((w) => w.bbox)) }, cell });
  }
  for (const { run, cell } of runsOn(placed, s)) cell.words.push(...run.words);
  splitSpanningCells(table, s);
  for (const cell of table.cells) {
    cell.lines = linesOf(cell.words, s);
    // Lines of one cell in reading order: linesOf orders by angle group first; keep the majority angle's order.
    const angles = new Map<number, number>();
    for (const w of cell.words) angles.set(w.angle, (angles.get(w.angle) ?? 0) + w.text.length);
    cell.angle = [...angles.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
    cell.text = cell.lines.map((l) => l.text).join('\n');
    const area = (cell.bbox[2] - cell.bbox[0]) * (cell.bbox[3] - cell.bbox[1]);
    for (const f of fills) {
      const ix = Math.max(0, Math.min(f.bbox[2], cell.bbox[2]) - Math.max(f.bbox[0], cell.bbox[0]));
      const iy = Math.max(0, Math.min(f.bbox[3], cell.bbox[3]) - Math.max(f.bbox[1], cell.bbox[1]));
      if (area > 0 && (ix * iy) / area >= s.fillCoverage) cell.fill = f.color;
    }
  }
  splitStackedRows(table, s);
  return outside;
}

/**
 * Runs given back to the cell their line began in, where a line ran on over a column border and the
 * border's gap split it (a scan's words are boxed to their ink: the ruling painted out between them
 * leaves a gap wider than a word space). A run is a line's continuation when it begins at its cell's
 * left border, runs on over the cell's right border (no cell's own text does), and a run in the cell
 * to its left ends at that border on the same baseline.
 */
function runsOn(placed: { run: TextLine; cell: TableCell }[], s: LayoutSettings): { run: TextLine; cell: TableCell }[] {
  const out = placed.map((p) => ({ ...p }));
  // Left to right, so a line split at two borders goes back whole.
  const order = [...out].sort((a, b) => a.run.bbox[0] - b.run.bbox[0]);
  for (const p of order) {
    const { run, cell } = p;
    const em = run.fontSize;
    if (run.angle !== 0 || run.bbox[0] - cell.bbox[0] > s.runOnGap * em || run.bbox[2] <= cell.bbox[2] + s.snapTolerance) continue;
    const before = out.find(
      (q) =>
        q !== p &&
        q.run.angle === 0 &&
        Math.abs(q.cell.bbox[2] - cell.bbox[0]) <= s.snapTolerance &&
        q.cell.bbox[2] - q.run.bbox[2] <= s.runOnGap * em &&
        run.bbox[0] - q.run.bbox[2] <= 2 * s.runOnGap * em &&
        Math.abs(q.run.bbox[1] + q.run.bbox[3] - run.bbox[1] - run.bbox[3]) / 2 <= s.lineTolerance * em,
    );
    if (before) p.cell = before.cell;
  }
  return out;
}

/**
 * A ruled row whose cells all hold the same number (stackedRowsMin or more) of lines on the same
 * baselines is several rows the producer did not rule apart (a body of figures under a
 * ruled header): it is split into one row per baseline. Wrapped text, where the cells'
 * line counts differ, is left alone.
 */
function splitStackedRows(table: Table, s: LayoutSettings): void {
  for (let r = table.rows - 1; r >= 0; r--) {
    const rowCells = table.cells.filter((c) => c.row === r && c.rowSpan === 1);
    const filled = rowCells.filter((c) => c.lines.length);
    if (filled.length < 2 || table.cells.some((c) => c.row < r && c.row + c.rowSpan > r && c.lines.length)) continue;
    const refCell = filled.reduce((a, b) => (b.lines.length > a.lines.length ? b : a));
    const k = refCell.lines.length;
    const tall = filled.filter((c) => c.lines.length >= k - 1);
    // Most columns stacked alike: a list of values in every column, not one long cell beside short ones.
    if (k < s.stackedRowsMin || tall.length < Math.max(2, Math.ceil(filled.length * 0.75))) continue;
    // Wrapped paragraphs fill their cell's width line after line; stacked values do not.
    const full = tall.flatMap((c) => c.lines.slice(0, -1).map((l) => (l.bbox[2] - l.bbox[0]) / (c.bbox[2] - c.bbox[0])));
    if (full.filter((w) => w > 0.75).length > full.length / 2) continue;
    const ref = refCell.lines.map((l) => l.bbox[1]);
    const tol = 0.4 * refCell.lines[0]!.fontSize;
    const slotOf = (y: number) => ref.findIndex((b) => Math.abs(b - y) <= tol);
    if (!filled.every((c) => c.lines.every((l) => slotOf(l.bbox[1]) >= 0))) continue;
    for (const c of table.cells) {
      if (c.row > r) c.row += k - 1;
      else if (c.row < r && c.row + c.rowSpan > r) c.rowSpan += k - 1;
    }
    const next: TableCell[] = [];
    for (const c of rowCells) {
      table.cells.splice(table.cells.indexOf(c), 1);
      for (let i = 0; i < k; i++) {
        const line = c.lines.find((l) => slotOf(l.bbox[1]) === i);
        const top = i === 0 ? c.bbox[3] : (refCell.lines[i - 1]!.bbox[1] + refCell.lines[i]!.bbox[3]) / 2;
        const bottom = i === k - 1 ? c.bbox[1] : (refCell.lines[i]!.bbox[1] + refCell.lines[i + 1]!.bbox[3]) / 2;
        next.push({ ...c, row: r + i, rowSpan: 1, bbox: [c.bbox[0], bottom, c.bbox[2], top], words: line ? line.words : [], lines: line ? [line] : [], text: line ? line.text : '' });
      }
    }
    table.cells.push(...next);
    table.rows += k - 1;
  }
  table.cells.sort((a, b) => a.row - b.row || a.col - b.col);
}

/**
 * A cell ruled across several columns whose text stands in separate runs under those
 * columns (a ruled header over an unruled body: each body row one wide cell) is split
 * into the cells its text shows.
 */
function splitSpanningCells(table: Table, s: LayoutSettings): void {
  const out: TableCell[] = [];
  for (const cell of table.cells) {
    if (cell.colSpan < 2 || !cell.words.length) {
      out.push(cell);
      continue;
    }
    const lines = linesOf(cell.words, s);
    const parts = new Map<number, Word[]>();
    let ok = lines.some((l) => segmentsOf(l, s).length >= 2);
    for (const l of lines)
      for (const seg of segmentsOf(l, s)) {
        const x0 = Math.min(...seg.words.map((w) => w.bbox[0]));
        const x1 = Math.max(...seg.words.map((w) => w.bbox[2]));
        const first = table.xs.findIndex((x, i) => i < table.xs.length - 1 && x0 >= x - 1 && x0 < table.xs[i + 1]!);
        const last = table.xs.findIndex((x, i) => i < table.xs.length - 1 && x1 > x && x1 <= table.xs[i + 1]! + 1);
        // A run that crosses a column boundary is a real spanning text: keep the cell whole.
        if (first < cell.col || last < 0 || first !== last || first >= cell.col + cell.colSpan) ok = false;
        else parts.set(first, [...(parts.get(first) ?? []), ...seg.words]);
      }
    if (!ok || parts.size < 2) {
      out.push(cell);
      continue;
    }
    for (const [col, words] of [...parts.entries()].sort((a, b) => a[0] - b[0])) {
      out.push({ ...cell, col, colSpan: 1, words, bbox: [table.xs[col]!, cell.bbox[1], table.xs[col + 1]!, cell.bbox[3]] });
    }
  }
  table.cells = out.sort((a, b) => a.row - b.row || a.col - b.col);
}

/** The words of a cell's lines as one string per line, in reading order along each line. */
export function cellLines(cell: TableCell): string[] {
  return cell.lines.map((l) => [...l.words].sort((a, b) => alongOf(a) - alongOf(b)).map((w) => w.text).join(' '));
}
