// The document in reading order: page by page, top to bottom, the text lines outside
// tables and the tables themselves; tables continued over page breaks joined into one
// logical table whose repeated header rows are dropped.
import type { PageLayout, Table, TableCell, TextLine } from '../layout/index.js';
import { DEFAULT_LAYOUT_SETTINGS } from '../layout/index.js';
import { isAreaHeading, withinOneEdit, HEADER_ROLES, DATED_STATUS_HEADER, type ColumnRole } from './settings.js';

export type Block = { kind: 'line'; page: number; top: number; line: TextLine } | { kind: 'table'; page: number; top: number; table: Table };

export function readingOrder(pages: PageLayout[]): Block[] {
  const blocks: Block[] = [];
  for (const p of pages) {
    const here: Block[] = [
      ...p.lines.map((line) => ({ kind: 'line' as const, page: p.page, top: line.bbox[3], line })),
      ...p.tables.map((table) => ({ kind: 'table' as const, page: p.page, top: table.bbox[3], table })),
    ];
    here.sort((a, b) => b.top - a.top);
    blocks.push(...here);
  }
  return blocks;
}

export interface Row {
  page: number;
  /** The cell covering each column in this row (a merged cell covers several rows). */
  cells: (TableCell | null)[];
  /** Whether that cell starts in this row (false where a merged cell from above covers it). */
  starts: boolean[];
  /** The row continues a row that a page break split (its first cells are continuations). */
  continued: boolean;
}

export interface LogicalTable {
  pages: number[];
  header: string[];
  roles: (ColumnRole | null)[];
  rows: Row[];
  /** Blocks of text between the previous table (or document start) and this one. */
  before: TextLine[];
  first: Table;
}

/** The text of a header cell on one line. */
const headerText = (c: TableCell | null) => (c ? c.lines.map((l) => l.text).join(' ').replace(/\s+/g, ' ').trim() : '');

export function roleOf(header: string): ColumnRole | null {
  if (!header) return null;
  if (DATED_STATUS_HEADER.test(header)) return 'rating';
  for (const { role, pattern } of HEADER_ROLES) if (pattern.test(header)) return role;
  return null;
}

function cellAt(t: Table, row: number, col: number): TableCell | null {
  return t.cells.find((c) => c.row <= row && row < c.row + c.rowSpan && c.col <= col && col < c.col + c.colSpan) ?? null;
}

function headerOf(t: Table): string[] {
  return Array.from({ length: t.cols }, (_, col) => headerText(cellAt(t, 0, col)));
}

/** A first row is a header when at least two of its cells name a column role. */
export function hasHeader(t: Table): boolean {
  return headerOf(t).filter((h) => roleOf(h) !== null).length >= 2;
}

function sameColumns(a: Table, b: Table): boolean {
  const tol = DEFAULT_LAYOUT_SETTINGS.continuationTolerance;
  return a.xs.length === b.xs.length && a.xs.every((x, i) => Math.abs(x - b.xs[i]!) <= tol);
}

function rowsOf(t: Table, from: number): Row[] {
  const rows: Row[] = [];
  for (let r = from; r < t.rows; r++) {
    const cells = Array.from({ length: t.cols }, (_, col) => cellAt(t, r, col));
    rows.push({ page: t.page, cells, starts: cells.map((c) => !!c && c.row === r), continued: false });
  }
  return rows;
}

/** A header cell's words, in lower case, of two characters or more (a footnote mark is not a word). */
const wordsOf = (t: string) => new Set((t.toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) ?? []) as string[]);

/**
 * The same header repeated, as far as its words go: per column, the words of one are among
 * the words of the other. A scan's reading may lose a word ("date" for "Target date"),
 * misread a letter ("Pariners") or read a footnote mark as a quote; a different header has
 * different words.
 */
export function sameHeader(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  const words = wordsOf;
  // A word matches itself, or a word of five letters or more one letter off ("Pariners").
  const matches = (w: string, y: Set<string>) => y.has(w) || (w.length >= 5 && [...y].some((v) => v.length >= 5 && withinOneEdit(w, v)));
  const within = (x: Set<string>, y: Set<string>) => [...x].every((w) => matches(w, y));
  return a.every((h, i) => {
    const [x, y] = [words(h), words(b[i]!)];
    return within(x, y) || within(y, x);
  }) && a.some((h) => words(h).size > 0);
}

/**
 * Joins tables continued across pages: a table at the top of a page with the columns
 * of the last table on the previous page, repeating its header (or having none), is
 * its continuation. Tables with no header row are kept only when a continuation.
 */
export function logicalTables(blocks: Block[]): LogicalTable[] {
  const out: LogicalTable[] = [];
  let before: TextLine[] = [];
  let last: { lt: LogicalTable; table: Table } | null = null;
  for (const b of blocks) {
    if (b.kind === 'line') {
      before.push(b.line);
      continue;
    }
    const t = b.table;
    const header = hasHeader(t);
    const continues =
      last !== null &&
      t.page === last.table.page + 1 &&
      sameColumns(t, last.table) &&
      (!header || sameHeader(headerOf(t), last.lt.header)) &&
      // Only page furniture (page numbers, footnotes, running heads) may stand between the two parts;
      // an area's heading starts a new table even where the header repeats word for word.
      before.every((l) => (l.text.length < 60 || /^\d+$|^page \d+/i.test(l.text)) && !isAreaHeading(l.text));
    if (continues && last) {
      // The header repeated in full where the first copy lost a word ("Target" for "Target date") names the column.
      if (header)
        headerOf(t).forEach((h, i) => {
          if (wordsOf(h).size > wordsOf(last!.lt.header[i] ?? '').size) {
            last!.lt.header[i] = h;
            if (last!.lt.roles.length > i) last!.lt.roles[i] = roleOf(h);
          }
        });
      const rows = rowsOf(t, header ? 1 : 0);
      if (rows[0]) rows[0].continued = true;
      last.lt.rows.push(...rows);
      last.lt.pages.push(t.page);
      last.table = t;
      before = [];
      continue;
    }
    const h = headerOf(t);
    const lt: LogicalTable = { pages: [t.page], header: h, roles: h.map(roleOf), rows: rowsOf(t, header ? 1 : 0), before, first: t };
    if (!header) lt.roles = h.map(() => null);
    out.push(lt);
    last = { lt, table: t };
    before = [];
  }
  return out;
}
