// `wsoa tables`: the layout stage's tables as a table extractor anyone can use, in the
// JSON shape of ../shared/tables/README.md (the very tables the parser reads).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BBox } from '../schemas/index.js';
import { EXIT, WsoaError } from './exit-codes.js';
import { layoutPage, toUserBox, type PageLayout, type Table } from './layout/index.js';
import { loadDocument } from './load.js';
import { parsePages } from './pages.js';
export { parsePages } from './pages.js';
import { readIsolated } from './isolate/watch.js';
import type { Limits } from './limits.js';

export interface TableCellJson {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  text: string;
  bbox: BBox;
}
export interface TableJson {
  page: number;
  bbox: BBox;
  cells: TableCellJson[];
}
export interface TablesJson {
  file: string;
  tables: TableJson[];
  /** Pages that could not be read whole (limits, damage), when any. */
  warnings?: string[];
}

const round = (b: BBox): BBox => b.map((v) => Math.round(v * 100) / 100) as BBox;

export function tableJson(t: Table, layout: PageLayout): TableJson {
  const user = (b: BBox) => round(toUserBox(layout, b));
  return {
    page: t.page,
    bbox: user(t.bbox),
    cells: t.cells.map((c) => ({ row: c.row, col: c.col, rowSpan: c.rowSpan, colSpan: c.colSpan, text: c.lines.map((l) => l.text).join('\n'), bbox: user(c.bbox) })),
  };
}

export async function extractTables(file: string, opts: { pages?: string; onPage?: (l: PageLayout) => void; limits?: Limits; ocr?: boolean } = {}): Promise<TablesJson> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new WsoaError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, EXIT.BAD_INPUT);
  }
  if (opts.limits) {
    // Isolated: read in a child process under the limits, pages that breach them reported on stderr by the caller.
    const read = await readIsolated(file, opts.limits, { ...(opts.pages ? { pages: opts.pages } : {}), requireText: false, ...(opts.ocr ? { ocr: true } : {}) });
    const tables: TableJson[] = [];
    for (const layout of read.layouts) {
      opts.onPage?.(layout);
      tables.push(...layout.tables.map((t) => tableJson(t, layout)));
    }
    return { file: path.basename(file), tables, warnings: read.warnings.filter((w) => w.code !== 'no-text-layer').map((w) => w.message) };
  }
  const doc = await loadDocument(bytes);
  try {
    const pages = opts.pages ? parsePages(opts.pages, doc.pageCount) : Array.from({ length: doc.pageCount }, (_, i) => i + 1);
    const tables: TableJson[] = [];
    for (const n of pages) {
      const layout = layoutPage(await doc.page(n));
      opts.onPage?.(layout);
      tables.push(...layout.tables.map((t) => tableJson(t, layout)));
    }
    return { file: path.basename(file), tables };
  } finally {
    await doc.close();
  }
}
