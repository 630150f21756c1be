// Run by test/ocr.test.ts under `unshare -n` (no network): OCRs one page and prints a JSON summary.
import { readFileSync } from 'node:fs';
import { ocrPage, OcrPool } from '../../pipeline/ocr.js';
import { openPdf } from '../../pipeline/pdfjs.js';

const [file = 'fixtures/pdf/007-kent.scanned.pdf', pageArg = '1'] = process.argv.slice(2);
const pool = new OcrPool({ size: 1 });
const doc = await openPdf(readFileSync(file));
const t0 = performance.now();
const res = await ocrPage(doc, Number(pageArg), pool);
const ms = Math.round(performance.now() - t0);
await pool.close();
await doc.destroy();
process.stdout.write(JSON.stringify({ words: res.items.map((i) => i.str), dpi: res.dpi, ms }) + '\n');
