// The table engine on small PDFs made here, one per case `wsoa tables` must handle.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { extractTables, parsePages, type TableJson } from '../pipeline/tables.js';
import { expectedCells, tablePdf, type GridSpec } from './helpers/table-pdf.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'wsoa-tables-'));
let n = 0;
async function tablesOf(pages: Parameters<typeof tablePdf>[0]) {
  const file = path.join(tmp, `t${++n}.pdf`);
  writeFileSync(file, await tablePdf(pages));
  return (await extractTables(file)).tables;
}

/** The cells found, as {row, col, colSpan, text}, empty cells left out, in reading order. */
const found = (t: TableJson) =>
  t.cells
    .filter((c) => c.text.trim())
    .map((c) => ({ row: c.row, col: c.col, colSpan: c.colSpan, text: c.text.replace(/\n/g, ' ') }))
    .sort((a, b) => a.row - b.row || a.col - b.col);

const figures: (string | null)[][] = [
  ['Country', 'Cases', 'Deaths', 'Rate (%)'],
  ['Austria', '109', '2', '0.9'],
  ['Germany', '123', '', '0.8'],
  ['Netherlands', '269', '7', '1.1'],
  ['Spain', '36', '0', '0'],
  ['Total', '537', '9', '0.9'],
];
const grid = (over: Partial<GridSpec>): GridSpec => ({ rows: figures, x: 72, y: 300, colWidths: [140, 70, 70, 70], rowHeight: 18, rules: 'all', ...over });
const prose = [
  { text: 'Table 3: Cases by country. The figures below come from the reporting countries and are provisional until the final report is published in the spring. Notes follow the table.', x: 72, y: 200, width: 420 },
  { text: 'Source: national reports, 2007. Rates are per hundred samples taken at retail; a dash means no samples were reported for that year.', x: 72, y: 440, width: 420 },
];

describe('wsoa tables on small PDFs', () => {
  it('a fully ruled table, with an empty cell', async () => {
    const [t, ...rest] = await tablesOf([{ grids: [grid({})] }]);
    expect(rest).toHaveLength(0);
    expect(found(t!)).toEqual(expectedCells(grid({})));
  });

  it('an unruled table on a page of prose: columns from gaps, rows from baselines, title and notes left out', async () => {
    const g = grid({ rules: 'none' });
    const tables = await tablesOf([{ grids: [g], prose }]);
    expect(tables).toHaveLength(1);
    expect(found(tables[0]!)).toEqual(expectedCells(g));
  });

  it('a table with horizontal rules only', async () => {
    const g = grid({ rules: 'horizontal' });
    const tables = await tablesOf([{ grids: [g], prose }]);
    expect(tables).toHaveLength(1);
    expect(found(tables[0]!)).toEqual(expectedCells(g));
  });

  it('a table ruled only above and below its header', async () => {
    const g = grid({ rules: 'header' });
    const tables = await tablesOf([{ grids: [g], prose }]);
    expect(tables).toHaveLength(1);
    expect(found(tables[0]!)).toEqual(expectedCells(g));
  });

  it('a header cell spanning two columns', async () => {
    const rows: (string | null)[][] = [['', 'Samples 2007', null, 'Total'], ['', 'n', '% pos', 'n'], ...figures.slice(1)];
    const g = grid({ rows });
    const [t] = await tablesOf([{ grids: [g] }]);
    expect(found(t!)).toEqual(expectedCells(g));
  });

  it('two tables side by side and a third below them', async () => {
    const left = grid({ x: 40, colWidths: [90, 45, 45, 45] });
    const right = grid({ x: 320, colWidths: [90, 45, 45, 45] });
    const below = grid({ y: 520 });
    const tables = await tablesOf([{ grids: [left, right, below] }]);
    expect(tables).toHaveLength(3);
    const byX = [...tables].sort((a, b) => b.bbox[3] - a.bbox[3] || a.bbox[0] - b.bbox[0]);
    expect(found(byX[0]!)).toEqual(expectedCells(left));
    expect(found(byX[1]!)).toEqual(expectedCells(right));
    expect(found(byX[2]!)).toEqual(expectedCells(below));
  });

  it('text written in reverse order reads the same', async () => {
    const g = grid({ reverse: true });
    const [t] = await tablesOf([{ grids: [g] }]);
    expect(found(t!)).toEqual(expectedCells(g));
  });

  it('a page with /Rotate 90: rows and columns as displayed, boxes in the unrotated page', async () => {
    const g = grid({});
    const [t] = await tablesOf([{ grids: [g], rotate: 90 }]);
    // Drawn upright in user space, the table is read in the displayed (turned) orientation:
    // its rows become columns. The boxes stay in unrotated user space, inside the A4 page.
    expect(t!.cells.filter((c) => c.text).length).toBe(expectedCells(g).length);
    const top = t!.cells.filter((c) => c.col === 0 && c.text).map((c) => c.text);
    expect(top).toContain('Total');
    for (const c of t!.cells) {
      expect(c.bbox[0]).toBeGreaterThanOrEqual(0);
      expect(c.bbox[2]).toBeLessThanOrEqual(596);
      expect(c.bbox[3]).toBeLessThanOrEqual(842);
    }
  });

  it('prose alone gives no table', async () => {
    expect(await tablesOf([{ grids: [], prose }])).toHaveLength(0);
  });

  it('--pages takes lists and ranges, and refuses pages past the end', () => {
    expect(parsePages('1,3-5', 6)).toEqual([1, 3, 4, 5]);
    expect(() => parsePages('2-9', 6)).toThrow(/has 6 pages/);
    expect(() => parsePages('x', 6)).toThrow(/not a page/);
  });
});

describe('wsoa tables command', () => {
  const run = promisify(execFile);
  const bin = path.resolve(import.meta.dirname, '../bin/wsoa.mjs');
  it('writes JSON, one CSV per table, and a debug SVG per page', async () => {
    const file = path.join(tmp, 'cmd.pdf');
    writeFileSync(file, await tablePdf([{ grids: [grid({})] }, { grids: [grid({ rules: 'none' })], prose }]));
    const { stdout } = await run(process.execPath, [bin, 'tables', file, '--json']);
    const json = JSON.parse(stdout);
    expect(json.file).toBe('cmd.pdf');
    expect(json.tables.map((t: TableJson) => t.page)).toEqual([1, 2]);
    const csvDir = path.join(tmp, 'csv');
    const debugDir = path.join(tmp, 'debug');
    await run(process.execPath, [bin, 'tables', file, '--csv', csvDir, '--debug-dir', debugDir, '--pages', '2']);
    const csvs = readdirSync(csvDir);
    expect(csvs).toEqual(['cmd-p2-t1.csv']);
    expect(readFileSync(path.join(csvDir, csvs[0]!), 'utf8').split('\n')[1]).toBe('Austria,109,2,0.9');
    expect(readdirSync(path.join(debugDir, 'cmd'))).toEqual(['page-2.svg']);
  });
});
