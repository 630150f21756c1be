// `wsoa tables`: the layout stage's tables as a table extractor anyone can use, in the
// JSON shape of ../shared/tables/README.md (the very tables the parser reads).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BBox } from '../schemas/index.js';
import { EXIT, WsoaError } from './exit-codes.js';
import { layoutPage, toUserBox, type PageLayout, type Table } from './layout/index.js';
import { loadDocument } from './load.js';

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
}

/** "1,3-5" -> [1,3,4,5]; pages past the end are refused. */
export function parsePages(spec: string, pageCount: number): number[] {
  const out = new Set<number>();
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new WsoaError(`--pages: "${part}" is not a page or a range like 3-5`, EXIT.USAGE);
    const a = Number(m[1]);
    const b = m[2] ? Number(m[2]) : a;
    if (a < 1 || b < a) throw new WsoaError(`--pages: "${part}" is not a valid range`, EXIT.USAGE);
    if (b > pageCount) throw new WsoaError(`--pages: the document has ${pageCount} pages`, EXIT.USAGE);
    for (let p = a; p <= b; p++) out.add(p);
  }
  return [...out].sort((x, y) => x - y);
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

export async function extractTables(file: string, opts: { pages?: string; onPage?: (l: PageLayout) => void } = {}): Promise<TablesJson> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new WsoaError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, EXIT.BAD_INPUT);
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
