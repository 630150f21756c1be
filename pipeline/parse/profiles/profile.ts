// One profile per plan layout, behind one interface (as Camelot's parsers are):
// detect says whether a logical table is laid out this way and why; read turns its
// rows into records.
import type { RatingColumn, RatingValue } from '../../../schemas/index.js';
import type { TableCell } from '../../layout/index.js';
import type { FillRater } from '../shades.js';
import type { ParseContext } from '../context.js';
import type { LogicalTable, Row } from '../reading.js';
import { ratingColumnOf, type ColumnRole } from '../settings.js';

export interface Profile {
  name: string;
  /** Evidence that the table has this layout, or null. */
  detect(t: LogicalTable): string | null;
  read(t: LogicalTable, ctx: ParseContext): void;
}

export function columnsWith(t: LogicalTable, role: ColumnRole): number[] {
  return t.roles.flatMap((r, i) => (r === role ? [i] : []));
}
export const has = (t: LogicalTable, ...roles: ColumnRole[]) => roles.every((r) => t.roles.includes(r));

/** The cell of a column in a row, only where it starts in that row. */
export const startCell = (row: Row, col: number | undefined): TableCell | null => (col === undefined ? null : row.starts[col] ? row.cells[col] ?? null : null);
export const anyCell = (row: Row, col: number | undefined): TableCell | null => (col === undefined ? null : row.cells[col] ?? null);

export interface ReadRating {
  value: RatingValue | null;
  source: string;
}

/** Ratings from the fills of the rating columns in a row, keyed by what each header names. */
export function fillRatings(t: LogicalTable, row: Row, rate: FillRater): Partial<Record<RatingColumn, ReadRating | null>> {
  const out: Partial<Record<RatingColumn, ReadRating | null>> = {};
  for (const col of columnsWith(t, 'rating')) {
    const cell = row.cells[col];
    const key = ratingColumnOf(t.header[col] ?? '');
    const value = rate(cell?.fill ?? null);
    out[key] = value ? { value, source: `fill ${cell!.fill}` } : null;
  }
  return out;
}

export const hasAnyRating = (r: Partial<Record<RatingColumn, ReadRating | null>>) => Object.values(r).some((v) => v && v.value);
