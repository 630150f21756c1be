// What reading a document's pages amounts to, however the pages were read (the isolated
// reader's messages, or the queue's page jobs): the layouts in page order, the pages read
// by OCR, and the reading warnings (damaged xref, pages past --max-pages, no text layer,
// low OCR confidence, items dropped, unreadable or stopped pages). One place, so both
// ways give the parser the same input and the same warnings.
import type { Warning } from '../schemas/index.js';
import { EXIT, WsoaError } from './exit-codes.js';
import type { PageLayout } from './layout/index.js';
import type { Limits } from './limits.js';
import type { PageRead } from './read-page.js';

/** Below this mean word confidence an OCR page is flagged for checking. */
export const LOW_OCR_CONFIDENCE = 0.6;

/**
 * The limits a reading process works under: OCR needs more memory (tesseract's heap and the page
 * image come on top) and more time a page (a page stopped is a page lost).
 */
export function readingLimits(limits: Limits, ocr: boolean): Limits {
  return ocr ? { ...limits, maxMemoryMb: limits.maxMemoryMb + limits.ocrMemoryMb, pageTimeoutMs: Math.max(limits.pageTimeoutMs, limits.ocrPageTimeoutMs) } : limits;
}

/** Why reading a page was stopped from outside: a limit, or the process reading it died. */
export type StopKind = 'page-time' | 'doc-time' | 'memory' | 'crash';

export class ReadCollector {
  readonly layouts: PageLayout[] = [];
  readonly warnings: Warning[] = [];
  /** Pages read by OCR, with the mean confidence of their words (0..1). */
  readonly ocrPages = new Map<number, number>();
  pageCount = -1;
  sha256 = '';
  private textPages = 0;

  constructor(private readonly limits: Limits) {}

  /** The document was opened. */
  open(m: { pageCount: number; sha256: string; xrefIntact: boolean }): void {
    if (this.pageCount >= 0) return;
    this.pageCount = m.pageCount;
    this.sha256 = m.sha256;
    if (!m.xrefIntact) this.warn('damaged-xref', 'the cross-reference table is damaged; the document was read by scanning its objects', null);
    if (m.pageCount > this.limits.maxPages) this.warn('max-pages', `the document has ${m.pageCount} pages; only the first ${this.limits.maxPages} were read (--max-pages)`, null);
  }

  /** A page was read. */
  page(m: PageRead): void {
    this.layouts.push(m.layout);
    if (m.ocr) {
      this.ocrPages.set(m.page, m.ocr.confidence);
      if (m.ocr.confidence < LOW_OCR_CONFIDENCE) this.warn('low-ocr-confidence', `page ${m.page}: OCR words have a mean confidence of ${Math.round(m.ocr.confidence * 100)}%; check its values against the page`, m.page);
    }
    if (m.hasText) this.textPages++;
    else this.warn('no-text-layer', `page ${m.page} has no text layer`, m.page);
    if (m.itemsDropped) this.warn('max-items', `page ${m.page}: ${m.itemsDropped} text items past the per-page limit were not read`, m.page);
  }

  /** A page threw while being read. */
  pageError(page: number, message: string): void {
    this.warn('unreadable-page', `page ${page} could not be read: ${message}`, page);
  }

  /** Reading a page was stopped (a limit was passed, or the reading process died). */
  stopped(kind: StopKind, page: number, detail: string): void {
    this.warn(kind === 'memory' ? 'memory-limit' : kind === 'crash' ? 'reader-crash' : 'time-limit', `page ${page}: ${detail}`, page);
  }

  /** The layouts in page order; a document with no page of text is bad input (exit 3) unless text is not required. */
  finish(requireText = true): PageLayout[] {
    if (this.textPages === 0 && requireText) {
      const stopped = this.warnings.find((w) => w.code === 'memory-limit' || w.code === 'time-limit' || w.code === 'reader-crash');
      throw new WsoaError(stopped ? `no readable page: ${stopped.message}` : `no readable page: none of the ${this.pageCount} pages has a text layer`, EXIT.BAD_INPUT);
    }
    return this.layouts.sort((a, b) => a.page - b.page);
  }

  private warn(code: string, message: string, page: number | null): void {
    this.warnings.push({ code, message, page, ref: null });
  }
}
