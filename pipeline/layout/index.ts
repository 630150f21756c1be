// Stage: layout. A page's items and shapes -> words -> lines -> rulings -> cells ->
// tables, every intermediate kept so that the debug view can draw it. Ruled tables come
// from the rulings (lattice); where rulings are missing or do not separate the columns,
// tables come from the alignment of the text (stream), with any horizontal rules as
// row separators. Pages with /Rotate are laid out as displayed.
import type { BBox } from '../../schemas/index.js';
import type { LoadedPage } from '../load.js';
import { cellsOf, edgesOf, groupCells, intersectionsOf, type Edge, type GridCell, type Point } from './grid.js';
import { linesOf, type TextLine } from './lines.js';
import { displayPage, userBox, type PageFrame } from './rotation.js';
import { DEFAULT_LAYOUT_SETTINGS, type LayoutSettings } from './settings.js';
import { segmentsOf, streamTables } from './stream.js';
import { fillTable, tableOf, type Table } from './table.js';
import { wordsOf, type Word } from './words.js';

export interface PageLayout {
  page: number;
  /** Display size (width and height swapped on a quarter-turned page). */
  width: number;
  height: number;
  /** How display coordinates map back to the unrotated page's user space. */
  frame: PageFrame;
  words: Word[];
  edges: Edge[];
  intersections: Point[];
  cells: GridCell[];
  tables: Table[];
  /** Lines of the text outside every table (titles, prose, footnotes, page numbers). */
  lines: TextLine[];
}

/**
 * A ruled table whose rulings do not separate its columns: one column only, or many
 * cells holding text in two or more segments that line up (columns drawn without lines).
 */
function underRuled(t: Table, s: LayoutSettings, edges: Edge[], words: Word[]): boolean {
  if (t.cols < 2) return true;
  const filled = t.cells.filter((c) => c.lines.length);
  const split = filled.filter((c) => c.lines.some((l) => segmentsOf(l, s).length >= 2));
  if (filled.length >= 4 && split.length / filled.length > 0.3) return true;
  // The grid of a chart: mostly empty cells.
  if (t.cells.length >= 12 && filled.length / t.cells.length < 0.3) return true;
  // Part of a larger table: its horizontal rules run on past the grid, over words that belong to it.
  const [x0, y0, x1, y1] = t.bbox;
  const runsOn = edges.filter((e) => e.orientation === 'h' && e.at >= y0 - 1 && e.at <= y1 + 1 && e.from < x1 - 1 && e.to > x0 + 1 && (e.from < x0 - 20 || e.to > x1 + 20));
  if (runsOn.length >= 2) {
    const from = Math.min(...runsOn.map((e) => e.from));
    const to = Math.max(...runsOn.map((e) => e.to));
    const outside = words.filter((w) => {
      const cx = (w.bbox[0] + w.bbox[2]) / 2;
      const cy = (w.bbox[1] + w.bbox[3]) / 2;
      return cy > y0 && cy < y1 && cx >= from && cx <= to && (cx < x0 || cx > x1);
    });
    if (outside.length >= 2) return true;
  }
  return false;
}

export function layoutPage(loaded: LoadedPage, settings: LayoutSettings = DEFAULT_LAYOUT_SETTINGS): PageLayout {
  const frame: PageFrame = { rotate: loaded.rotate, view: loaded.view };
  const page = displayPage(loaded, frame);
  const words = wordsOf(page.items);
  const edges = edgesOf(page.rulings, settings);
  const intersections = intersectionsOf(edges, settings.intersectionTolerance);
  const cells = cellsOf(intersections, edges, settings);
  const lattice = groupCells(cells)
    .filter((g) => g.length >= 2)
    .map((g) => tableOf(page.number, g, settings))
    .sort((a, b) => b.bbox[3] - a.bbox[3] || a.bbox[0] - b.bbox[0]);
  let rest = words;
  const tables: Table[] = [];
  for (const t of lattice) {
    const before = rest;
    rest = fillTable(t, rest, page.fills, settings);
    if (underRuled(t, settings, edges, words)) rest = before;
    else tables.push(t);
  }
  const stream = streamTables(page.number, rest, edges, settings);
  tables.push(...stream.tables);
  tables.sort((a, b) => b.bbox[3] - a.bbox[3] || a.bbox[0] - b.bbox[0]);
  return { page: page.number, width: page.width, height: page.height, frame, words, edges, intersections, cells, tables, lines: linesOf(stream.rest, settings) };
}

/** A box of this page's layout in the user space of the unrotated page. */
export const toUserBox = (layout: PageLayout, b: BBox): BBox => userBox(layout.frame, b);

export { DEFAULT_LAYOUT_SETTINGS, resolveLayoutSettings, type LayoutSettings } from './settings.js';
export type { Table, TableCell } from './table.js';
export type { Word } from './words.js';
export type { TextLine } from './lines.js';
