// In-process extraction of one PDF: load -> (classify) -> layout -> parse -> validate.
// Pages are read one at a time; only each page's layout (words, cells) is kept.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Document, FlatRecord } from '../schemas/index.js';
import { EXIT, WsoaError } from './exit-codes.js';
import { layoutPage, type PageLayout } from './layout/index.js';
import { loadDocument, type LoadedPage } from './load.js';
import { parseDocument } from './parse/index.js';
import { flatten, validateDocument } from './validate.js';

export interface ExtractOptions {
  /** Called with each page's load and layout output (for --debug-dir). */
  onPage?: (page: LoadedPage, layout: PageLayout) => void | Promise<void>;
}

export interface Extraction {
  document: Document;
  records: FlatRecord[];
}

/** Whether the cross-reference table startxref points at is really there (pdf.js silently rebuilds a broken one). */
export function xrefLooksIntact(bytes: Uint8Array): boolean {
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 1024))).toString('latin1');
  const m = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!m) return false;
  const at = Number(m[1]);
  const head = Buffer.from(bytes.subarray(at, at + 64)).toString('latin1');
  // A classic table starts with its first 20-byte entry; a cross-reference stream is an object.
  return /^xref\s+\d+\s+\d+\s+\d{10} \d{5} [nf]/.test(head) || /^\d+\s+\d+\s+obj\b/.test(head);
}

export async function extractBytes(bytes: Uint8Array, fileName: string, opts: ExtractOptions = {}): Promise<Extraction> {
  const doc = await loadDocument(bytes);
  const layouts: PageLayout[] = [];
  const warnings: Document['warnings'] = [];
  if (!xrefLooksIntact(bytes)) warnings.push({ code: 'damaged-xref', message: 'the cross-reference table is damaged; the document was read by scanning its objects', page: null, ref: null });
  let textPages = 0;
  try {
    for (let n = 1; n <= doc.pageCount; n++) {
      let page: LoadedPage;
      try {
        page = await doc.page(n);
      } catch (err) {
        warnings.push({ code: 'unreadable-page', message: `page ${n} could not be read: ${(err as Error).message}`, page: n, ref: null });
        continue;
      }
      if (page.items.length) textPages++;
      else warnings.push({ code: 'no-text-layer', message: `page ${n} has no text layer`, page: n, ref: null });
      const layout = layoutPage(page);
      await opts.onPage?.(page, layout);
      // Keep what the parser reads; drop the page's items and shapes.
      layouts.push(layout);
    }
  } finally {
    await doc.close();
  }
  if (textPages === 0) throw new WsoaError(`no readable page: none of the ${doc.pageCount} pages has a text layer`, EXIT.BAD_INPUT);
  // Pages with no text are many in a scan: say so once.
  const blank = warnings.filter((w) => w.code === 'no-text-layer');
  const merged = blank.length > 3 ? [...warnings.filter((w) => w.code !== 'no-text-layer'), { code: 'no-text-layer', message: `${blank.length} pages have no text layer (first: page ${blank[0]!.page})`, page: blank[0]!.page, ref: null }] : warnings;
  const parsed = parseDocument(layouts, { sha256: doc.sha256, fileName, pageCount: doc.pageCount });
  const document = validateDocument({ ...parsed, warnings: [...merged, ...parsed.warnings] });
  return { document, records: flatten(document) };
}

export async function extractFile(file: string, opts: ExtractOptions = {}): Promise<Extraction> {
  let bytes: Buffer;
  try {
    if (statSync(file).isDirectory()) throw new WsoaError(`${file} is a folder, not a PDF`, EXIT.BAD_INPUT);
    bytes = readFileSync(file);
  } catch (err) {
    if (err instanceof WsoaError) throw err;
    throw new WsoaError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, EXIT.BAD_INPUT);
  }
  return extractBytes(bytes, path.basename(file), opts);
}
