// Tables without (enough) rulings, found from the text itself, as a person reads them:
// lines split into segments at gaps wider than a word space; runs of lines whose gaps
// line up are a table; its columns are the x ranges no segment crosses (a header
// spanning several columns may); its rows are the lines, joined where a line only
// continues the cells above it, or the bands between horizontal rules where the table
// has them. Settings: columnGapRatio, columnGapMin, streamMinRows, streamMaxLineGap,
// gapCrossingShare, streamMaxHeaderLines, continuationGap.
import type { BBox } from '../../schemas/index.js';
import type { Edge } from './grid.js';
import { linesOf, spanAlong, type TextLine } from './lines.js';
import type { LayoutSettings } from './settings.js';
import type { Table, TableCell } from './table.js';
import { union, type Word } from './words.js';

/** A list item's marker: a bullet glyph, a dash, or a short number or letter with a dot or bracket. */
const LIST_MARKER = /^([\u2022\u25cf\u25aa\u2023\u2043\u25e6\u2013\u2014*-]|\(?[0-9a-z]{1,3}[.)])$/i;

export interface Segment {
  words: Word[];
  x0: number;
  x1: number;
}

export interface StreamLine {
  line: TextLine;
  segments: Segment[];
  top: number;
  bottom: number;
  size: number;
}

/** Splits a line at gaps wider than a column gap, or at several spaces inside one text item. */
export function segmentsOf(line: TextLine, s: Pick<LayoutSettings, 'columnGapRatio'>): Segment[] {
  const segs: Segment[] = [];
  let prevEnd = -Infinity;
  let prev: Word | null = null;
  for (const w of line.words) {
    const [a, b] = spanAlong(w);
    const multiSpace = prev !== null && prev.item === w.item && w.spacesBefore >= 2;
    const sameItemSingle = prev !== null && prev.item === w.item && w.spacesBefore === 1;
    if (!segs.length || multiSpace || (!sameItemSingle && a - prevEnd > s.columnGapRatio * w.fontSize) || (sameItemSingle && a - prevEnd > 2.5 * s.columnGapRatio * w.fontSize)) {
      segs.push({ words: [w], x0: a, x1: b });
    } else {
      const seg = segs[segs.length - 1]!;
      seg.words.push(w);
      seg.x1 = Math.max(seg.x1, b);
    }
    prev = w;
    prevEnd = b;
  }
  return segs;
}

function streamLines(words: Word[], s: LayoutSettings): StreamLine[] {
  return linesOf(words.filter((w) => w.angle === 0), s)
    .map((line) => ({ line, segments: segmentsOf(line, s), top: line.bbox[3], bottom: line.bbox[1], size: line.fontSize }))
    .sort((a, b) => b.top - a.top);
}

/** The gaps between a line's segments, as x intervals. */
const gapsOf = (l: StreamLine): [number, number][] => l.segments.slice(1).map((seg, i) => [l.segments[i]!.x1, seg.x0]);

/** Two lines are aligned when some gap of one overlaps some gap of the other. */
function aligned(a: StreamLine, b: StreamLine): boolean {
  for (const [a0, a1] of gapsOf(a)) for (const [b0, b1] of gapsOf(b)) if (Math.min(a1, b1) - Math.max(a0, b0) > 1) return true;
  return false;
}

/** Column gaps of a block: x intervals that at most a small share of its lines' segments cross. */
export function columnGaps(lines: StreamLine[], s: LayoutSettings): [number, number][] {
  const segs = lines.flatMap((l) => l.segments);
  if (!segs.length) return [];
  const x0 = Math.min(...segs.map((g) => g.x0));
  const x1 = Math.max(...segs.map((g) => g.x1));
  const allowed = Math.floor(lines.length * s.gapCrossingShare);
  // Sweep the distinct edges; count segments covering each elementary interval.
  const xs = [...new Set(segs.flatMap((g) => [g.x0, g.x1]))].sort((a, b) => a - b);
  const gaps: [number, number][] = [];
  let open: number | null = null;
  for (let i = 0; i < xs.length - 1; i++) {
    const a = xs[i]!;
    const b = xs[i + 1]!;
    const mid = (a + b) / 2;
    const cover = segs.filter((g) => g.x0 < mid && g.x1 > mid).length;
    const free = cover <= allowed && a >= x0 && b <= x1;
    if (free && open === null) open = a;
    if (!free && open !== null) {
      gaps.push([open, a]);
      open = null;
    }
  }
  if (open !== null) gaps.push([open, xs[xs.length - 1]!]);
  // Each line must have text on both sides of a gap somewhere, or it is a margin, not a column gap.
  return gaps.filter(([g0, g1]) => g1 - g0 >= s.columnGapMin && g0 > x0 && g1 < x1);
}

/** The columns of a block: the intervals between its gaps. */
function columnsOf(lines: StreamLine[], gaps: [number, number][]): [number, number][] {
  const segs = lines.flatMap((l) => l.segments);
  const x0 = Math.min(...segs.map((g) => g.x0));
  const x1 = Math.max(...segs.map((g) => g.x1));
  const cuts = gaps.map(([a, b]) => (a + b) / 2);
  const bounds = [x0, ...cuts, x1];
  return bounds.slice(1).map((b, i) => [bounds[i]!, b] as [number, number]);
}

const colOf = (cols: [number, number][], x: number) => {
  let i = cols.findIndex(([a, b]) => x >= a - 0.5 && x <= b + 0.5);
  if (i < 0) i = x < cols[0]![0] ? 0 : cols.length - 1;
  return i;
};

/** Which columns a segment covers. */
function spanOf(cols: [number, number][], seg: Segment): [number, number] {
  const first = colOf(cols, seg.x0 + 0.5);
  const last = colOf(cols, seg.x1 - 0.5);
  return [first, Math.max(first, last)];
}

/** A line fits the columns when none of its segments crosses more than the allowed gaps. */
function fits(l: StreamLine, cols: [number, number][], allowSpan: boolean): boolean {
  if (cols.length < 2) return false;
  const spans = l.segments.map((seg) => spanOf(cols, seg));
  const width = cols[cols.length - 1]![1] - cols[0]![0];
  if (l.segments.length === 1 && l.segments[0]!.x1 - l.segments[0]!.x0 > 0.8 * width) return false;
  return allowSpan || spans.every(([a, b]) => a === b);
}

interface Block {
  lines: StreamLine[];
}

/** Runs of lines that look tabular: two or more segments, gaps aligned with the previous such line. */
function blocksOf(lines: StreamLine[], s: LayoutSettings): Block[] {
  const blocks: Block[] = [];
  let cur: StreamLine[] = [];
  // The last few lines with two or more segments: a line joins the block when its gaps line up with any of them
  // (a wrapped line with fewer cells between two full rows does not break the table).
  let recent: StreamLine[] = [];
  let since = 0;
  const close = () => {
    // Trailing non-tabular lines are not part of the block (they may be notes).
    while (cur.length && cur[cur.length - 1]!.segments.length < 2) cur.pop();
    if (cur.filter((l) => l.segments.length >= 2).length >= s.streamMinRows) blocks.push({ lines: cur });
    cur = [];
    recent = [];
    since = 0;
  };
  let prev: StreamLine | null = null;
  for (const l of lines) {
    const gap = prev ? prev.bottom - l.top : 0;
    if (prev && gap > s.streamMaxLineGap * Math.max(l.size, prev.size)) close();
    if (l.segments.length >= 2) {
      if (recent.length && !recent.some((r) => aligned(r, l))) {
        close();
      }
      cur.push(l);
      recent = [...recent.slice(-2), l];
      since = 0;
    } else if (cur.length) {
      // A single-segment line inside a table: a group label or a wrapped cell. Two in a row end it.
      if (++since > 2) close();
      else cur.push(l);
    }
    prev = l;
  }
  close();
  return blocks;
}

function cellFrom(row: number, col: number, colSpan: number, words: Word[], bbox: BBox, s: LayoutSettings): TableCell {
  const lines = linesOf(words, s);
  return { row, col, rowSpan: 1, colSpan, bbox, words, lines, text: lines.map((l) => l.text).join('\n'), fill: null, angle: 0 };
}

export interface StreamResult {
  tables: Table[];
  rest: Word[];
}

export function streamTables(page: number, words: Word[], edges: Edge[], s: LayoutSettings): StreamResult {
  const lines = streamLines(words, s);
  const tables: Table[] = [];
  const used = new Set<Word>();
  // Lines a table has taken: another table's header or tail may not take them again.
  const taken = new Set<StreamLine>();
  for (const block of blocksOf(lines, s)) {
    const tabular = block.lines.filter((l) => l.segments.length >= 2);
    let gaps = columnGaps(tabular, s);
    if (!gaps.length) continue;
    let cols = columnsOf(tabular, gaps);
    // Header rows: lines just above that fit the columns (a spanning group header may cross gaps).
    const idx = lines.indexOf(block.lines[0]!);
    const header: StreamLine[] = [];
    // Rules drawn across the block: the highest above its first line is the table's top border when
    // the table draws rules between its rows, or when a header row already sits under it.
    const bx0 = cols[0]![0];
    const bx1 = cols[cols.length - 1]![1];
    const across = edges.filter((e) => e.orientation === 'h' && Math.min(e.to, bx1) - Math.max(e.from, bx0) > 0.5 * (bx1 - bx0));
    const bodyTop = block.lines[0]!.top;
    const inBlock = across.filter((e) => e.at >= block.lines[block.lines.length - 1]!.bottom - 2 && e.at <= bodyTop + 2).length;
    const topRule = across.filter((e) => e.at >= bodyTop - 1 && e.at <= bodyTop + (s.streamMaxHeaderLines + 1) * 2 * block.lines[0]!.size).reduce((m, e) => Math.max(m, e.at), -Infinity);
    for (let i = idx - 1; i >= 0 && header.length < s.streamMaxHeaderLines; i--) {
      const l = lines[i]!;
      if (taken.has(l)) break;
      if (Number.isFinite(topRule) && l.bottom > topRule && (header.length > 0 || inBlock + 1 >= 3)) break;
      const below = header[0] ?? block.lines[0]!;
      if (l.bottom - below.top > s.streamMaxLineGap * l.size) break;
      if (!fits(l, cols, true) || l.segments[0]!.x0 < cols[0]![0] - 2 * l.size) break;
      // A line spanning every column is a caption or a title, not a header row.
      if (l.segments.some((seg) => { const [a, b] = spanOf(cols, seg); return a === 0 && b === cols.length - 1; })) break;
      header.unshift(l);
    }
    // Lines just below that fit without spanning (a wrapped last row); a note crossing the gaps ends the table.
    const tail: StreamLine[] = [];
    const last = lines.indexOf(block.lines[block.lines.length - 1]!);
    for (let i = last + 1; i < lines.length && tail.length < 2; i++) {
      const l = lines[i]!;
      if (taken.has(l)) break;
      const above = tail[tail.length - 1] ?? block.lines[block.lines.length - 1]!;
      if (above.bottom - l.top > s.continuationGap * l.size) break;
      if (!fits(l, cols, false)) break;
      tail.push(l);
    }
    const all = [...header, ...block.lines, ...tail];
    // Columns from the body: header cells may span them.
    const body = [...block.lines, ...tail].filter((l) => l.segments.length >= 2);
    gaps = columnGaps(body, s);
    if (!gaps.length) continue;
    cols = columnsOf(body, gaps);
    const xMin = Math.min(cols[0]![0], ...all.map((l) => l.line.bbox[0]));
    const xMax = Math.max(cols[cols.length - 1]![1], ...all.map((l) => l.line.bbox[2]));
    const top = all[0]!.top;
    const bottom = all[all.length - 1]!.bottom;
    // Rows: bands between horizontal rules that cross the table, when it has them; else lines, joined where they continue.
    const rules = edges
      .filter((e) => e.orientation === 'h' && e.at < top + 2 && e.at > bottom - 2 && Math.min(e.to, xMax) - Math.max(e.from, xMin) > 0.5 * (xMax - xMin))
      .map((e) => e.at)
      .sort((a, b) => b - a);
    // Cells set too close together are told apart before rows are formed.
    for (const l of all) l.segments = splitAtGaps(l.segments, gaps);
    // Rows: lines, joined where a line only continues the cells above it, never across a rule.
    const rows: StreamLine[][] = [];
    const ruled = rules.length >= 2;
    for (const l of all) {
      const prevRow = rows[rows.length - 1];
      const prevLine = prevRow?.[prevRow.length - 1];
      const ruleBetween = prevLine ? rules.some((y) => y < prevLine.bottom + 1 && y > l.top - 1) : true;
      if (prevRow && prevLine && !ruleBetween && continues(prevRow, prevLine, l, cols, s, ruled)) prevRow.push(l);
      else rows.push([l]);
    }
    const cells: TableCell[] = [];
    const rowBounds: [number, number][] = rows.map((r) => [Math.min(...r.map((l) => l.bottom)), Math.max(...r.map((l) => l.top))]);
    rows.forEach((r, ri) => {
      const byCol = new Map<number, { words: Word[]; span: number }>();
      for (const l of r)
        for (const seg of l.segments) {
          const [a, b] = spanOf(cols, seg);
          const entry = byCol.get(a) ?? { words: [], span: 1 };
          entry.words.push(...seg.words);
          entry.span = Math.max(entry.span, b - a + 1);
          byCol.set(a, entry);
        }
      const [y0, y1] = rowBounds[ri]!;
      for (const [c, { words: ws, span }] of [...byCol.entries()].sort((a, b) => a[0] - b[0])) {
        const colSpan = Math.min(span, cols.length - c);
        cells.push(cellFrom(ri, c, colSpan, ws, [cols[c]![0], y0, cols[c + colSpan - 1]![1], y1], s));
        ws.forEach((w) => used.add(w));
      }
    });
    if (rows.length < 2 || cols.length < 2) continue;
    // A bulleted or numbered list sets its markers apart like a column: two columns, one of markers only, is a list.
    const markerOnly = (c: number) => {
      const texts = cells.filter((x) => x.col === c && x.text.trim()).map((x) => x.text.trim());
      return texts.length > 0 && texts.every((t) => LIST_MARKER.test(t));
    };
    if (cols.length === 2 && markerOnly(0)) continue;
    for (const l of all) taken.add(l);
    const ys = [rowBounds[0]![1], ...rowBounds.slice(1).map((b, i) => (rowBounds[i]![0] + b[1]) / 2), rowBounds[rowBounds.length - 1]![0]];
    const xs = [cols[0]![0], ...cols.slice(1).map((c) => c[0]), cols[cols.length - 1]![1]];
    tables.push({ page, bbox: union(cells.map((c) => c.bbox)), rows: rows.length, cols: cols.length, xs, ys, cells });
  }
  return { tables, rest: words.filter((w) => !used.has(w)) };
}

/**
 * A segment that runs over a column gap, one word ending inside the gap and the next,
 * after a wider-than-space break, starting where the column's text starts, is two cells set close together (words
 * written one by one leave no other clue): it is cut there. Text that runs through a
 * gap (a spanning header or title) stays whole.
 */
function splitAtGaps(segments: Segment[], gaps: [number, number][]): Segment[] {
  const out: Segment[] = [];
  for (const seg of segments) {
    let cur: Segment | null = null;
    let prevEnd = -Infinity;
    for (const w of seg.words) {
      const [a, b] = spanAlong(w);
      // Cut where one word ends at a column gap and the next starts where that column's text starts.
      const cut = cur !== null && a - prevEnd > 0.5 * w.fontSize && gaps.some(([g0, g1]) => prevEnd >= g0 - 1 && a >= g1 - 1 && a - g1 < 0.5 * w.fontSize);
      if (!cur || cut) {
        cur = { words: [w], x0: a, x1: b };
        out.push(cur);
      } else {
        cur.words.push(w);
        cur.x1 = Math.max(cur.x1, b);
      }
      prevEnd = b;
    }
  }
  return out;
}

/** A line continues the row above when it is close below it and only fills cells the row already has, or goes on with its first cell in lower case. */
function continues(row: StreamLine[], prev: StreamLine, l: StreamLine, cols: [number, number][], s: LayoutSettings, ruled: boolean): boolean {
  // Between rules a wrapped cell may sit at any distance; without rules only close lines continue.
  if (!ruled && prev.bottom - l.top > s.continuationGap * l.size) return false;
  const filled = (ls: StreamLine[]) => new Set(ls.flatMap((x) => x.segments.map((seg) => spanOf(cols, seg)[0])));
  const rowCols = filled(row);
  const lineCols = filled([l]);
  if (lineCols.has(0) && rowCols.has(0)) {
    // A first cell that goes on in lower case, with nothing else on the line, wraps.
    const first = l.segments[0]!.words[0]!.text;
    return lineCols.size === 1 && /^[a-z(]/.test(first);
  }
  return !lineCols.has(0) && rowCols.has(0) && [...lineCols].every((c) => rowCols.has(c));
}
