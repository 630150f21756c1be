// Stage 1, load: PDF bytes -> pages of text items (with their transforms, fonts and
// sizes), ruling lines and filled rectangles (with colours) read from the operator
// list, and the sha256 of the bytes, which is the document's id. Pages are read one
// at a time so that a 2,000-page file never holds every page's items at once.
import { createHash } from 'node:crypto';
import type { BBox } from '../schemas/index.js';
import { EXIT, WsoaError } from './exit-codes.js';
import { openPdf, pdfjs, type PdfDocument } from './pdfjs.js';

export interface TextItem {
  str: string;
  /** Origin of the baseline, PDF user space of the unrotated page. */
  x: number;
  y: number;
  /** Advance along the baseline and the font height, in points. */
  width: number;
  height: number;
  fontName: string;
  fontSize: number;
  /** Baseline direction in degrees, anticlockwise: 0 horizontal, 90 reads bottom to top. */
  angle: number;
  transform: [number, number, number, number, number, number];
  hasEOL: boolean;
  /** OCR only: tesseract's confidence in the word, 0-100 (a text layer's words are as printed). */
  confidence?: number;
}

export interface Ruling {
  orientation: 'h' | 'v';
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  width: number;
}

export interface FilledRect {
  bbox: BBox;
  /** #rrggbb as painted. */
  color: string;
}

export interface LoadedPage {
  number: number;
  width: number;
  height: number;
  /** /Rotate of the page; coordinates stay those of the unrotated page. */
  rotate: number;
  /** The page box in user space, [x0, y0, x1, y1]. */
  view: [number, number, number, number];
  /** Text items past the per-page limit that were not read. */
  itemsDropped?: number;
  items: TextItem[];
  rulings: Ruling[];
  fills: FilledRect[];
}

export interface LoadSettings {
  /** Text items read on one page at most (a hostile page may hold millions). */
  maxItemsPerPage?: number;
  /** A stroked or filled shape thinner than this (pt) is a ruling line. */
  rulingMaxThickness: number;
  /** Rulings shorter than this (pt) are dashes or glyph parts, not table lines. */
  rulingMinLength: number;
  /** A filled rectangle smaller than this on either side (pt) is not a cell fill. */
  fillMinSide: number;
  /** Fills this close to white on every channel are page background, not ratings. */
  whiteThreshold: number;
}

export const DEFAULT_LOAD_SETTINGS: LoadSettings = {
  rulingMaxThickness: 3,
  rulingMinLength: 4,
  fillMinSide: 3,
  whiteThreshold: 250,
};

export interface LoadedDocument {
  sha256: string;
  pageCount: number;
  /** Reads one page (1-based). */
  page(n: number): Promise<LoadedPage>;
  close(): Promise<void>;
}

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** What a user is told when bytes are not a readable PDF; the exit code is 3 (bad input). */
function badInput(message: string): WsoaError {
  return new WsoaError(message, EXIT.BAD_INPUT);
}

/** Opens the bytes, mapping every way they can be unreadable to one clear line. */
export async function loadDocument(bytes: Uint8Array, settings: LoadSettings = DEFAULT_LOAD_SETTINGS): Promise<LoadedDocument> {
  if (bytes.length === 0) throw badInput('empty file: 0 bytes');
  // Real files sometimes carry junk before %PDF- and pdf.js reads them, so look in the first KiB, not at byte 0.
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  if (!head.includes('%PDF-')) {
    const kind = head.startsWith('\x89PNG') ? 'a PNG image' : /^\xff\xd8\xff/.test(head) ? 'a JPEG image' : /^[\x09\x0a\x0d\x20-\x7e]*$/.test(head.slice(0, 200)) ? 'a text file' : 'unknown data';
    throw badInput(`not a PDF: the file is ${kind}`);
  }
  let doc: PdfDocument;
  try {
    doc = await openPdf(bytes);
  } catch (err) {
    const name = (err as { name?: string }).name;
    // The legacy build does not export PasswordException: recognise it by name.
    if (name === 'PasswordException') throw badInput('encrypted: a password is needed');
    if (name === 'InvalidPDFException') throw badInput(`damaged PDF: ${(err as Error).message}`);
    throw badInput(`unreadable PDF: ${(err as Error).message ?? String(err)}`);
  }
  return {
    sha256: sha256Of(bytes),
    pageCount: doc.numPages,
    page: (n) => readPage(doc, n, settings),
    close: () => doc.destroy(),
  };
}

/** A PDF transformation matrix [a b c d e f]; multiply(m, t) applies t first, then m. */
export type Matrix = [number, number, number, number, number, number];
export const multiply = (m: Matrix, t: Matrix): Matrix => [
  m[0] * t[0] + m[2] * t[1],
  m[1] * t[0] + m[3] * t[1],
  m[0] * t[2] + m[2] * t[3],
  m[1] * t[2] + m[3] * t[3],
  m[0] * t[4] + m[2] * t[5] + m[4],
  m[1] * t[4] + m[3] * t[5] + m[5],
];
const apply = (m: Matrix, x: number, y: number): [number, number] => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];

async function readPage(doc: PdfDocument, n: number, settings: LoadSettings): Promise<LoadedPage> {
  const page = await doc.getPage(n);
  const [x0, y0, x1, y1] = page.view as [number, number, number, number];
  const content = await page.getTextContent({ includeMarkedContent: false, disableNormalization: false });
  const items: TextItem[] = [];
  const limit = settings.maxItemsPerPage ?? Infinity;
  let dropped = 0;
  for (const it of content.items) {
    if (items.length >= limit) {
      dropped++;
      continue;
    }
    if (!('str' in it) || !it.str) continue;
    const t = it.transform as Matrix;
    // A damaged content stream can put NaN or infinities in a transform: such an item has no place on the page.
    if (!t.every(Number.isFinite) || !Number.isFinite(it.width) || !Number.isFinite(it.height)) {
      dropped++;
      continue;
    }
    const fontSize = Math.hypot(t[2], t[3]) || Math.hypot(t[0], t[1]);
    items.push({
      str: it.str,
      x: t[4],
      y: t[5],
      width: it.width,
      height: it.height,
      fontName: content.styles[it.fontName]?.fontFamily ?? it.fontName,
      fontSize,
      angle: Math.round((Math.atan2(t[1], t[0]) * 180) / Math.PI),
      transform: t,
      hasEOL: it.hasEOL,
    });
  }
  const ops = await page.getOperatorList();
  const { rulings, fills } = shapesOf(ops.fnArray, ops.argsArray, settings);
  page.cleanup();
  return { number: n, width: x1 - x0, height: y1 - y0, rotate: page.rotate, view: [x0, y0, x1, y1], items, rulings, fills, ...(dropped ? { itemsDropped: dropped } : {}) };
}

/** Walks the operator list keeping the transform and colours, and turns painted straight-edged paths into rulings and fills. */
export function shapesOf(fnArray: number[], argsArray: unknown[][], settings: LoadSettings): { rulings: Ruling[]; fills: FilledRect[] } {
  const OPS = pdfjs.OPS;
  const rulings: Ruling[] = [];
  const fills: FilledRect[] = [];
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  let fillColor = '#000000';
  let strokeColor = '#000000';
  let lineWidth = 1;
  const stack: { ctm: Matrix; fillColor: string; strokeColor: string; lineWidth: number }[] = [];
  const isWhite = (hex: string) => {
    const v = parseInt(hex.slice(1), 16);
    return [(v >> 16) & 255, (v >> 8) & 255, v & 255].every((c) => c >= settings.whiteThreshold);
  };
  for (let i = 0; i < fnArray.length; i++) {
    const fn = fnArray[i];
    const args = argsArray[i] ?? [];
    switch (fn) {
      case OPS.save:
        stack.push({ ctm, fillColor, strokeColor, lineWidth });
        break;
      case OPS.restore: {
        const s = stack.pop();
        if (s) ({ ctm, fillColor, strokeColor, lineWidth } = s);
        break;
      }
      case OPS.transform:
        ctm = multiply(ctm, args as Matrix);
        break;
      case OPS.setFillRGBColor:
        fillColor = String(args[0]);
        break;
      case OPS.setStrokeRGBColor:
        strokeColor = String(args[0]);
        break;
      case OPS.setLineWidth:
        lineWidth = Number(args[0]);
        break;
      case OPS.constructPath: {
        const paint = args[0] as number;
        const data = (args[1] as ArrayLike<number>[] | undefined)?.[0];
        if (!data) break;
        const polys = polygonsOf(data, ctm).filter((poly) => poly.every(([x, y]) => Number.isFinite(x) && Number.isFinite(y)));
        const filled = paint === OPS.fill || paint === OPS.eoFill || paint === OPS.fillStroke || paint === OPS.eoFillStroke || paint === OPS.closeFillStroke || paint === OPS.closeEOFillStroke;
        const stroked = paint === OPS.stroke || paint === OPS.closeStroke || paint === OPS.fillStroke || paint === OPS.eoFillStroke || paint === OPS.closeFillStroke || paint === OPS.closeEOFillStroke;
        const scale = Math.sqrt(Math.abs(ctm[0] * ctm[3] - ctm[1] * ctm[2])) || 1;
        for (const poly of polys) {
          const box = boxOf(poly);
          const w = box[2] - box[0];
          const h = box[3] - box[1];
          const rectilinear = poly.every((p, k) => {
            const q = poly[(k + 1) % poly.length]!;
            return Math.abs(p[0] - q[0]) < 0.01 || Math.abs(p[1] - q[1]) < 0.01;
          });
          if (!rectilinear) continue;
          if (filled && (w <= settings.rulingMaxThickness || h <= settings.rulingMaxThickness)) {
            // A thin filled bar is how many producers draw a table rule.
            if (Math.max(w, h) >= settings.rulingMinLength && !isWhite(fillColor)) rulings.push(rulingOf(box, w >= h ? 'h' : 'v', Math.min(w, h)));
          } else if (filled && w >= settings.fillMinSide && h >= settings.fillMinSide && !isWhite(fillColor)) {
            fills.push({ bbox: box, color: fillColor.toUpperCase() });
          }
          if (stroked && !isWhite(strokeColor)) {
            for (let k = 0; k < poly.length; k++) {
              const p = poly[k]!;
              const q = poly[(k + 1) % poly.length]!;
              if (poly.length === 2 && k === 1) break;
              const horizontal = Math.abs(p[1] - q[1]) < 0.01;
              const len = Math.hypot(q[0] - p[0], q[1] - p[1]);
              if (len < settings.rulingMinLength) continue;
              rulings.push(rulingOf(boxOf([p, q]), horizontal ? 'h' : 'v', lineWidth * scale));
            }
          }
        }
        break;
      }
    }
  }
  return { rulings, fills };
}

function rulingOf(box: BBox, orientation: 'h' | 'v', width: number): Ruling {
  return orientation === 'h'
    ? { orientation, x0: box[0], x1: box[2], y0: (box[1] + box[3]) / 2, y1: (box[1] + box[3]) / 2, width }
    : { orientation, x0: (box[0] + box[2]) / 2, x1: (box[0] + box[2]) / 2, y0: box[1], y1: box[3], width };
}

function boxOf(points: [number, number][]): BBox {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/** Decodes pdf.js's path buffer (DrawOPS codes and coordinates) into polygons in page space; curves make a path non-rectilinear. */
function polygonsOf(data: ArrayLike<number>, ctm: Matrix): [number, number][][] {
  const polys: [number, number][][] = [];
  let cur: [number, number][] = [];
  for (let i = 0; i < data.length; ) {
    const op = data[i++];
    if (op === 0) {
      if (cur.length > 1) polys.push(cur);
      cur = [apply(ctm, data[i]!, data[i + 1]!)];
      i += 2;
    } else if (op === 1) {
      cur.push(apply(ctm, data[i]!, data[i + 1]!));
      i += 2;
    } else if (op === 2) {
      // A curve: keep its end point and mark the polygon as curved with a point off the axes.
      const end = apply(ctm, data[i + 4]!, data[i + 5]!);
      cur.push([end[0] + 0.5, end[1] + 0.5], end);
      i += 6;
    } else if (op === 3) {
      const end = apply(ctm, data[i + 2]!, data[i + 3]!);
      cur.push([end[0] + 0.5, end[1] + 0.5], end);
      i += 4;
    } else if (op === 4) {
      if (cur.length > 1) polys.push(cur);
      cur = cur.length ? [cur[0]!] : [];
    } else break;
  }
  if (cur.length > 1) polys.push(cur);
  return polys;
}

/** Whether the cross-reference table startxref points at is really there (pdf.js silently rebuilds a broken one). */
export function xrefLooksIntact(bytes: Uint8Array): boolean {
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 1024))).toString('latin1');
  const m = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!m) return false;
  const at = Number(m[1]);
  const head = Buffer.from(bytes.subarray(at, at + 64)).toString('latin1');
  // A classic table starts with its first 20-byte entry; a cross-reference stream is an object.
  if (/^\d+\s+\d+\s+obj\b/.test(head)) return true;
  if (!/^xref\s+\d+\s+\d+\s+\d{10} \d{5} [nf]/.test(head)) return false;
  return rootEntryHits(bytes, at);
}

/**
 * Whether the classic table at `at` points the trailer's /Root at "N G obj". pdf.js
 * fetches the catalog first and, when its entry points anywhere else (past the end of
 * the file, say), rebuilds the table by scanning. Other entries are not judged: real
 * files carry junk entries for objects nothing refers to, which pdf.js never fetches.
 */
function rootEntryHits(bytes: Uint8Array, at: number): boolean {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = buf.indexOf('trailer', at, 'latin1');
  if (end < 0) return true;
  const root = /\/Root\s+(\d+)\s+(\d+)\s+R/.exec(buf.subarray(end, end + 4096).toString('latin1'));
  if (!root) return true;
  const [want, gen] = [Number(root[1]), Number(root[2])];
  const table = buf.subarray(at, end).toString('latin1');
  const section = /(\d+)\s+(\d+)\s*[\r\n]+((?:\d{10} \d{5} [nf]\s*)*)/g;
  for (let s = section.exec(table); s; s = section.exec(table)) {
    const first = Number(s[1]);
    if (want < first || want >= first + Number(s[2])) continue;
    const e = [...s[3]!.matchAll(/(\d{10}) (\d{5}) ([nf])/g)][want - first];
    if (!e || e[3] !== 'n') return true;
    const offset = Number(e[1]);
    const obj = /^\s*(\d+)\s+(\d+)\s+obj\b/.exec(buf.subarray(offset, offset + 40).toString('latin1'));
    return !!obj && Number(obj[1]) === want && Number(obj[2]) === gen;
  }
  // The catalog is not in this section (an incremental update): nothing to judge.
  return true;
}
