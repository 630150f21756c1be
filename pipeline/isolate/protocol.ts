// Messages between a document reader process and the process that watches it.
import type { PageRead } from '../read-page.js';
import type { Limits } from '../limits.js';

export interface ReadRequest {
  type: 'read';
  file: string;
  /** First page to read (after a page that was stopped, the next one). */
  fromPage: number;
  /** Only these pages, as the command line gave them ("1,3-5"), when given. */
  pages?: string;
  limits: Limits;
  /** OCR the pages that are scans with no text layer (off unless asked). */
  ocr?: boolean;
}

export type ReaderMessage =
  | { type: 'open'; pageCount: number; sha256: string; xrefIntact: boolean }
  | { type: 'page-start'; page: number }
  | ({ type: 'page' } & PageRead)
  | { type: 'page-error'; page: number; message: string }
  | { type: 'done' }
  | { type: 'error'; message: string; exitCode: number };
