// In-process extraction of one PDF: load -> (classify) -> layout -> parse -> validate.
// Pages are read one at a time; only each page's layout (words, cells) is kept.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Document, FlatRecord } from '../schemas/index.js';
import { EXIT, WsoaError } from './exit-codes.js';
import { layoutPage, type PageLayout } from './layout/index.js';
import { loadDocument, xrefLooksIntact, type LoadedPage } from './load.js';
import { parseDocument } from './parse/index.js';
import { eachRecord, flatten, validateDocument } from './validate.js';
import { readIsolated } from './isolate/watch.js';
import { settleByDocument } from './vocabulary.js';
import type { Limits } from './limits.js';

export interface ExtractOptions {
  /** Called with each page's load and layout output (for --debug-dir). */
  onPage?: (page: LoadedPage, layout: PageLayout) => void | Promise<void>;
  /** Called with each page's layout (isolated reading: the loaded page stays in the reader). */
  onLayout?: (layout: PageLayout) => void | Promise<void>;
}

export interface Extraction {
  document: Document;
  records: FlatRecord[];
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
  return documentOf(layouts, { sha256: doc.sha256, fileName, pageCount: doc.pageCount }, warnings);
}

/** Parse and validate the pages read: the document, its flat records, the reading warnings first. */
export function documentOf(layouts: PageLayout[], meta: { sha256: string; fileName: string; pageCount: number }, warnings: Document['warnings'], ocrPages: Map<number, number> = new Map()): Extraction {
  // Pages with no text are many in a scan: say so once.
  const blank = warnings.filter((w) => w.code === 'no-text-layer');
  const merged = blank.length > 3 ? [...warnings.filter((w) => w.code !== 'no-text-layer'), { code: 'no-text-layer', message: `${blank.length} pages have no text layer (first: page ${blank[0]!.page})`, page: blank[0]!.page, ref: null }] : warnings;
  // Unsure OCR words weighed against the words the document prints elsewhere.
  const settled = settleByDocument(layouts);
  const parsed = parseDocument(settled.layouts, meta);
  // Values read from OCR pages say so, with the page's word confidence.
  if (ocrPages.size) {
    const mark = (r: { provenance: Document['areas'][number]['provenance'] }) => {
      const c = ocrPages.get(r.provenance.page);
      if (c !== undefined) r.provenance = { ...r.provenance, method: 'ocr', confidence: Math.round(Math.min(r.provenance.confidence, c) * 1000) / 1000 };
    };
    eachRecord(parsed.areas, mark);
  }
  const document = validateDocument({ ...parsed, warnings: [...merged, ...settled.warnings, ...parsed.warnings] });
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

/**
 * The same extraction with the reading done in a child process under the limits (a
 * page that hangs or eats memory is stopped and reported): what the CLI and batch
 * runs use. Parsing, which is bounded by what was read, runs here.
 */
export async function extractFileIsolated(file: string, limits: Limits, opts: ExtractOptions & { ocr?: boolean } = {}): Promise<Extraction & { peakRssMb: number; ocrPages: number }> {
  try {
    if (statSync(file).isDirectory()) throw new WsoaError(`${file} is a folder, not a PDF`, EXIT.BAD_INPUT);
  } catch (err) {
    if (err instanceof WsoaError) throw err;
    throw new WsoaError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, EXIT.BAD_INPUT);
  }
  const read = await readIsolated(file, limits, opts.ocr ? { ocr: true } : {});
  for (const l of read.layouts) await opts.onLayout?.(l);
  const result = documentOf(read.layouts, { sha256: read.sha256, fileName: path.basename(file), pageCount: read.pageCount }, read.warnings, read.ocrPages);
  return { ...result, peakRssMb: read.peakRssMb, ocrPages: read.ocrPages.size };
}
