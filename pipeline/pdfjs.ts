// Opening PDFs with pdf.js in Node, one way for every stage: the legacy build (the
// modern one needs browser APIs), fonts from the package so rendered letters are not
// boxes, nothing in the file ever executed, pdf.js's own console warnings off.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';

const require = createRequire(import.meta.url);
const pdfjsRoot = path.dirname(require.resolve('pdfjs-dist/package.json'));
const asDirUrl = (dir: string) => pathToFileURL(path.join(pdfjsRoot, dir) + path.sep).href;

export type PdfDocument = pdfjs.PDFDocumentProxy;
export type PdfPage = pdfjs.PDFPageProxy;

export interface OpenOptions {
  password?: string;
}

/** Opens PDF bytes. The bytes are copied: pdf.js detaches the buffer it is given. */
export async function openPdf(bytes: Uint8Array, opts: OpenOptions = {}): Promise<PdfDocument> {
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes),
    standardFontDataUrl: asDirUrl('standard_fonts'),
    cMapUrl: asDirUrl('cmaps'),
    cMapPacked: true,
    isEvalSupported: false,
    enableXfa: false,
    useSystemFonts: false,
    verbosity: 0,
    ...(opts.password !== undefined ? { password: opts.password } : {}),
  });
  return task.promise;
}

export { pdfjs };
