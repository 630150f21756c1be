// The debug view: one SVG per page drawing what the layout stage found over the
// page's words, so a person can see why a table was read as it was: ruling edges
// (red), cells (blue, shaded with their fill), table rows and columns (numbers), words
// (grey boxes, green when rotated) and text left outside tables (orange).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Document } from '../schemas/index.js';
import type { PageLayout } from './layout/index.js';
import { eachRecord } from './validate.js';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function pageSvg(layout: PageLayout, records: { kind: string; ref: string; bbox: [number, number, number, number] }[] = []): string {
  const H = layout.height;
  const y = (v: number) => (H - v).toFixed(1);
  const rect = (b: [number, number, number, number], style: string) =>
    `<rect x="${b[0].toFixed(1)}" y="${y(b[3])}" width="${(b[2] - b[0]).toFixed(1)}" height="${(b[3] - b[1]).toFixed(1)}" ${style}/>`;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${layout.width.toFixed(1)} ${H.toFixed(1)}" width="${(layout.width * 1.5).toFixed(0)}" height="${(H * 1.5).toFixed(0)}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white" stroke="black"/>`,
  ];
  for (const w of layout.words) parts.push(rect(w.bbox, `fill="none" stroke="${w.angle ? '#2a2' : '#bbb'}" stroke-width="0.3"`));
  for (const t of layout.tables) {
    for (const c of t.cells) {
      parts.push(rect(c.bbox, `fill="${c.fill ?? 'none'}" fill-opacity="0.35" stroke="#36c" stroke-width="0.8"`));
      parts.push(`<text x="${(c.bbox[0] + 1).toFixed(1)}" y="${(H - c.bbox[3] + 4).toFixed(1)}" font-size="3.5" fill="#36c">r${c.row}c${c.col}${c.rowSpan > 1 || c.colSpan > 1 ? ` ${c.rowSpan}x${c.colSpan}` : ''}</text>`);
    }
  }
  for (const e of layout.edges) {
    const [x1, y1, x2, y2] = e.orientation === 'h' ? [e.from, e.at, e.to, e.at] : [e.at, e.from, e.at, e.to];
    parts.push(`<line x1="${x1.toFixed(1)}" y1="${y(y1)}" x2="${x2.toFixed(1)}" y2="${y(y2)}" stroke="red" stroke-width="0.4"/>`);
  }
  for (const l of layout.lines) parts.push(rect(l.bbox, `fill="orange" fill-opacity="0.15" stroke="orange" stroke-width="0.3"`));
  for (const r of records) {
    parts.push(rect(r.bbox, `fill="none" stroke="#c0c" stroke-width="0.6" stroke-dasharray="2 1"`));
    parts.push(`<text x="${r.bbox[0].toFixed(1)}" y="${y(r.bbox[1] - 3)}" font-size="4" fill="#c0c">${esc(`${r.kind} ${r.ref}`)}</text>`);
  }
  parts.push('</svg>');
  return parts.join('\n');
}

/** Writes page-N.svg for every page, with the records found on it outlined. */
export function writeDebugViews(dir: string, layouts: PageLayout[], document: Document): void {
  mkdirSync(dir, { recursive: true });
  const recs: { kind: string; ref: string; page: number; bbox: [number, number, number, number] }[] = [];
  const add = (r: { kind: string; ref: string; provenance: { page: number; bbox: [number, number, number, number] } }) => recs.push({ kind: r.kind, ref: r.ref, page: r.provenance.page, bbox: r.provenance.bbox });
  eachRecord(document.areas, add);

  for (const l of layouts) writeFileSync(path.join(dir, `page-${l.page}.svg`), pageSvg(l, recs.filter((r) => r.page === l.page)));
}
