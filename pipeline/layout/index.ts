// Stage: layout. A page's items and shapes -> words -> lines -> rulings -> cells ->
// tables, every intermediate kept so that the debug view can draw it.
import type { LoadedPage } from '../load.js';
import { cellsOf, edgesOf, groupCells, intersectionsOf, type Edge, type GridCell, type Point } from './grid.js';
import { linesOf, type TextLine } from './lines.js';
import { DEFAULT_LAYOUT_SETTINGS, type LayoutSettings } from './settings.js';
import { fillTable, tableOf, type Table } from './table.js';
import { wordsOf, type Word } from './words.js';

export interface PageLayout {
  page: number;
  width: number;
  height: number;
  words: Word[];
  edges: Edge[];
  intersections: Point[];
  cells: GridCell[];
  tables: Table[];
  /** Lines of the text outside every table (titles, prose, footnotes, page numbers). */
  lines: TextLine[];
}

export function layoutPage(page: LoadedPage, settings: LayoutSettings = DEFAULT_LAYOUT_SETTINGS): PageLayout {
  const words = wordsOf(page.items);
  const edges = edgesOf(page.rulings, settings);
  const intersections = intersectionsOf(edges, settings.intersectionTolerance);
  const cells = cellsOf(intersections, edges, settings);
  const tables = groupCells(cells)
    .filter((g) => g.length >= 2)
    .map((g) => tableOf(page.number, g, settings))
    .sort((a, b) => b.bbox[3] - a.bbox[3] || a.bbox[0] - b.bbox[0]);
  let rest = words;
  for (const t of tables) rest = fillTable(t, rest, page.fills, settings);
  return { page: page.number, width: page.width, height: page.height, words, edges, intersections, cells, tables, lines: linesOf(rest, settings) };
}

export { DEFAULT_LAYOUT_SETTINGS, resolveLayoutSettings, type LayoutSettings } from './settings.js';
export type { Table, TableCell } from './table.js';
export type { Word } from './words.js';
export type { TextLine } from './lines.js';
