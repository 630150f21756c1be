// Small PDFs with tables of known structure, made for the tests: ruled or not, partly
// ruled, spanning headers, empty cells, two tables on a page, a turned page, text
// written in an odd order. Each returns the PDF bytes and the grid it drew.
import PDFDocument from 'pdfkit';
import { PDFDocument as LibDocument, degrees } from 'pdf-lib';

export interface GridSpec {
  /** Rows of cell texts; '' is an empty cell; null is covered by a span from the left. */
  rows: (string | null)[][];
  x: number;
  y: number;
  colWidths: number[];
  rowHeight: number;
  /** Which rules to draw. */
  rules: 'all' | 'none' | 'horizontal' | 'header';
  /** Write cells in reverse order (producers do not always write left to right, top to bottom). */
  reverse?: boolean;
  fontSize?: number;
}

function drawGrid(doc: PDFKit.PDFDocument, g: GridSpec): void {
  const size = g.fontSize ?? 9;
  const totalW = g.colWidths.reduce((a, b) => a + b, 0);
  const cells: { text: string; x: number; y: number; w: number }[] = [];
  g.rows.forEach((row, r) => {
    let x = g.x;
    row.forEach((text, c) => {
      const w = g.colWidths[c]!;
      if (text !== null) {
        // Width of the cell: itself plus the cells its span covers.
        let span = w;
        for (let k = c + 1; k < row.length && row[k] === null; k++) span += g.colWidths[k]!;
        cells.push({ text, x, y: g.y + r * g.rowHeight, w: span });
        if (g.rules === 'all') doc.lineWidth(0.5).rect(x, g.y + r * g.rowHeight, span, g.rowHeight).stroke();
      }
      x += w;
    });
  });
  if (g.rules === 'horizontal' || g.rules === 'header') {
    const ys = g.rules === 'horizontal' ? g.rows.map((_, r) => g.y + r * g.rowHeight).concat([g.y + g.rows.length * g.rowHeight]) : [g.y, g.y + g.rowHeight, g.y + g.rows.length * g.rowHeight];
    for (const y of ys) doc.lineWidth(0.5).moveTo(g.x, y).lineTo(g.x + totalW, y).stroke();
  }
  const order = g.reverse ? [...cells].reverse() : cells;
  for (const cell of order) {
    if (!cell.text) continue;
    doc.font('Helvetica').fontSize(size).text(cell.text, cell.x + 3, cell.y + (g.rowHeight - size) / 2, { lineBreak: false, width: cell.w - 6 });
  }
}

export async function tablePdf(pages: { grids: GridSpec[]; prose?: { text: string; x: number; y: number; width: number; size?: number }[]; rotate?: number }[]): Promise<Uint8Array> {
  const doc = new PDFDocument({ autoFirstPage: false, margin: 0, info: { CreationDate: new Date(Date.UTC(2024, 0, 1)) } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  for (const p of pages) {
    doc.addPage({ size: 'A4', margin: 0 });
    for (const t of p.prose ?? []) doc.font('Times-Roman').fontSize(t.size ?? 11).text(t.text, t.x, t.y, { width: t.width, align: 'justify' });
    for (const g of p.grids) drawGrid(doc, g);
  }
  doc.end();
  await done;
  const bytes = Buffer.concat(chunks);
  if (!pages.some((p) => p.rotate)) return bytes;
  const lib = await LibDocument.load(bytes);
  pages.forEach((p, i) => {
    if (p.rotate) lib.getPage(i).setRotation(degrees(p.rotate));
  });
  return lib.save();
}

/** The grid's non-empty cells as {row, col, colSpan, text}, to compare with what was found. */
export function expectedCells(g: GridSpec): { row: number; col: number; colSpan: number; text: string }[] {
  const out: { row: number; col: number; colSpan: number; text: string }[] = [];
  g.rows.forEach((row, r) =>
    row.forEach((text, c) => {
      if (!text) return;
      let span = 1;
      for (let k = c + 1; k < row.length && row[k] === null; k++) span++;
      out.push({ row: r, col: c, colSpan: span, text });
    }),
  );
  return out;
}
