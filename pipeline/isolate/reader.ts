// The document reader: a child process that opens one PDF and sends each page's layout
// to its parent as soon as it is read, so a page that hangs or eats memory can be
// stopped (this process killed) without losing the pages before it. No parsing here.
import { readFileSync } from 'node:fs';
import { WsoaError } from '../exit-codes.js';
import { DEFAULT_LOAD_SETTINGS, loadDocument, xrefLooksIntact } from '../load.js';
import type { ReaderMessage, ReadRequest } from './protocol.js';
import { parsePages } from '../pages.js';
import { OcrPool } from '../ocr.js';
import { openPdf, type PdfDocument } from '../pdfjs.js';
import { readPage } from '../read-page.js';

// Started on the first page that needs OCR and kept for every document this process reads.
// One worker inside the reader: its memory counts against the reader's limit, and documents run in parallel a level up.
let pool: OcrPool | null = null;
const poolOf = () => (pool ??= new OcrPool({ size: 1 }));

const send = (m: ReaderMessage) => new Promise<void>((resolve) => process.send!(m, () => resolve()));

async function read(req: ReadRequest): Promise<void> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(req.file);
  } catch (err) {
    await send({ type: 'error', message: `cannot read ${req.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, exitCode: 3 });
    return;
  }
  let doc;
  try {
    doc = await loadDocument(bytes, { ...DEFAULT_LOAD_SETTINGS, maxItemsPerPage: req.limits.maxItemsPerPage });
  } catch (err) {
    await send({ type: 'error', message: err instanceof Error ? err.message.split('\n')[0]! : String(err), exitCode: err instanceof WsoaError ? err.exitCode : 3 });
    return;
  }
  await send({ type: 'open', pageCount: doc.pageCount, sha256: doc.sha256, xrefIntact: xrefLooksIntact(bytes) });
  const last = Math.min(doc.pageCount, req.limits.maxPages);
  let only: number[] | null = null;
  try {
    only = req.pages ? parsePages(req.pages, doc.pageCount) : null;
  } catch (err) {
    await send({ type: 'error', message: (err as Error).message, exitCode: err instanceof WsoaError ? err.exitCode : 2 });
    return;
  }
  // A second pdf.js copy of the file, opened only when a page is to be classified for OCR.
  const raw: { doc: Promise<PdfDocument> | null } = { doc: null };
  const rawDoc = () => (raw.doc ??= openPdf(bytes));
  for (let n = req.fromPage; n <= last; n++) {
    if (only && !only.includes(n)) continue;
    await send({ type: 'page-start', page: n });
    try {
      const read = await readPage(doc, n, { ocr: !!req.ocr, limits: req.limits, raw: rawDoc, pool: poolOf });
      await send({ type: 'page', ...read });
    } catch (err) {
      await send({ type: 'page-error', page: n, message: (err as Error).message?.split('\n')[0] ?? String(err) });
    }
  }
  if (raw.doc) await (await raw.doc.catch(() => null))?.destroy();
  await send({ type: 'done' });
}

// One read at a time; the process stays up for the next document until its parent goes.
process.on('message', (m: ReadRequest) => {
  if (m?.type !== 'read') return;
  read(m).catch(async (err) => send({ type: 'error', message: `reader failed: ${(err as Error).message}`, exitCode: 1 }));
});
process.on('disconnect', () => {
  void pool?.close();
  process.exit(0);
});
