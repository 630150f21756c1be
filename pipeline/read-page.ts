// One page read: its text layer, or, when asked and the page is a scan with no text,
// its OCR words; then its layout. The single per-page step that the isolated reader
// (pipeline/isolate/reader.ts) and the queue's page jobs (workers/) both call.
import { classifyPage, measureImageCoverage } from './classify.js';
import { layoutPage, type PageLayout } from './layout/index.js';
import type { LoadedDocument, LoadedPage } from './load.js';
import type { Limits } from './limits.js';
import { ocrPage, type OcrPool } from './ocr.js';
import type { PdfDocument } from './pdfjs.js';

export interface PageOcr {
  /** Mean word confidence, 0..1. */
  confidence: number;
  words: number;
}

export interface PageRead {
  page: number;
  layout: PageLayout;
  hasText: boolean;
  itemsDropped: number;
  ocr?: PageOcr;
}

export interface ReadPageOptions {
  /** OCR the page when it is a scan with no text layer. */
  ocr: boolean;
  limits: Limits;
  /** A second pdf.js copy of the file (for the operator list and rendering), opened on first use. */
  raw: () => Promise<PdfDocument>;
  /** The tesseract workers to read with, made on first use. */
  pool: () => OcrPool;
  /** Render resolution for OCR; the limits' ocrDpi (300) when not given. */
  dpi?: number;
}

/** When the page is a scan with no text, the page again with its OCR words as its text items. */
async function withOcr(page: LoadedPage, opts: ReadPageOptions): Promise<{ page: LoadedPage; ocr?: PageOcr }> {
  const doc = await opts.raw();
  if (classifyPage(page, await measureImageCoverage(doc, page.number)) !== 'ocr') return { page };
  const res = await ocrPage(doc, page.number, opts.pool(), { dpi: opts.dpi ?? opts.limits.ocrDpi, limits: opts.limits });
  // Rendering leaves native canvas memory the heap does not count; collect it now where the reader allows (--expose-gc).
  (globalThis as { gc?: () => void }).gc?.();
  const confidence = res.confidences.length ? res.confidences.reduce((a, b) => a + b, 0) / res.confidences.length / 100 : 0;
  return { page: { ...page, items: res.items, rulings: res.rulings, fills: res.fills }, ocr: { confidence, words: res.items.length } };
}

export async function readPage(doc: LoadedDocument, n: number, opts: ReadPageOptions): Promise<PageRead> {
  const loaded = await doc.page(n);
  const { page, ocr } = opts.ocr ? await withOcr(loaded, opts) : { page: loaded, ocr: undefined };
  return { page: n, layout: layoutPage(page), hasText: page.items.length > 0, itemsDropped: page.itemsDropped ?? 0, ...(ocr ? { ocr } : {}) };
}
