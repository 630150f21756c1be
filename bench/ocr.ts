// The OCR part of `npm run bench`: tesseract.js (through the project's worker pool)
// against the native `tesseract` CLI (Debian tesseract-ocr) on the very same images,
// rendered once from scanned fixture pages and written to files, in the same run; then
// whole scanned pages through ocrPage (render, straighten, lines and fills, OCR,
// sideways text) with a pool of 1 and of 2 workers. Ratios only mean anything within one
// run: these machines are noisy.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { greyOf, pgmOf } from '../pipeline/image.js';
import { ocrPage, OcrPool } from '../pipeline/ocr.js';
import { openPdf } from '../pipeline/pdfjs.js';
import { renderPage } from '../pipeline/render.js';

export interface OcrBench {
  pages: number;
  dpi: number;
  /** tesseract.js, one worker, seconds per page on the rendered images. */
  tesseractJsSecondsPerPage: number;
  /** The tesseract CLI (one thread) on the same images, or null when it is not installed. */
  tesseractCliSecondsPerPage: number | null;
  ratioJsToCli: number | null;
  /** Whole pages through ocrPage. */
  pipeline: { workers: number; pagesPerSecond: number }[];
}

/** Scanned pages to time: tables with fills, a rotated label, narrative text, a form-like page. */
export const BENCH_PAGES: { file: string; page: number }[] = [
  { file: '000-leicestershire.scanned.pdf', page: 2 },
  { file: '001-warwickshire.scanned.pdf', page: 5 },
  { file: '002-leicestershire-report.scanned.pdf', page: 1 },
  { file: '003-leicester-city.scanned.pdf', page: 4 },
  { file: '005-southend.scanned.pdf', page: 1 },
  { file: '007-kent.scanned.pdf', page: 1 },
];

const hasCli = () => spawnSync('tesseract', ['--version']).status === 0;

export async function benchOcr(fixturesPdf: string, dpi = 300): Promise<OcrBench> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wsoa-ocr-bench-'));
  try {
    // The same images for both: rendered once, grey, as files.
    const images: string[] = [];
    for (const [i, p] of BENCH_PAGES.entries()) {
      const doc = await openPdf(readFileSync(path.join(fixturesPdf, p.file)));
      const grey = greyOf((await renderPage(doc, p.page, dpi)).canvas, dpi / 72);
      const file = path.join(dir, `page-${i}.pgm`);
      writeFileSync(file, pgmOf(grey));
      images.push(file);
      await doc.destroy();
    }
    const one = new OcrPool({ size: 1 });
    await one.recognize(readFileSync(images[0]!), 1); // start the worker outside the timing
    let t = process.hrtime.bigint();
    for (const f of images) await one.recognize(readFileSync(f), 1);
    const js = Number(process.hrtime.bigint() - t) / 1e9 / images.length;
    let cli: number | null = null;
    if (hasCli()) {
      t = process.hrtime.bigint();
      // One thread, as one tesseract.js worker has; TSV output so both produce word boxes.
      for (const f of images) spawnSync('tesseract', [f, path.join(dir, 'out'), '--psm', '3', '-l', 'eng', 'tsv'], { env: { ...process.env, OMP_THREAD_LIMIT: '1' } });
      cli = Number(process.hrtime.bigint() - t) / 1e9 / images.length;
    }
    await one.close();
    const pipeline: OcrBench['pipeline'] = [];
    const docs = new Map<string, Awaited<ReturnType<typeof openPdf>>>();
    for (const p of BENCH_PAGES) if (!docs.has(p.file)) docs.set(p.file, await openPdf(readFileSync(path.join(fixturesPdf, p.file))));
    for (const workers of [1, 2]) {
      const pool = new OcrPool({ size: workers });
      await Promise.all(Array.from({ length: workers }, () => pool.recognize(readFileSync(images[0]!), 1)));
      t = process.hrtime.bigint();
      let next = 0;
      // As many pages in flight as workers: the pool hands each to a free worker.
      await Promise.all(
        Array.from({ length: workers }, async () => {
          while (next < BENCH_PAGES.length) {
            const p = BENCH_PAGES[next++]!;
            await ocrPage(docs.get(p.file)!, p.page, pool, { dpi });
          }
        }),
      );
      pipeline.push({ workers, pagesPerSecond: BENCH_PAGES.length / (Number(process.hrtime.bigint() - t) / 1e9) });
      await pool.close();
    }
    for (const d of docs.values()) await d.destroy();
    return { pages: images.length, dpi, tesseractJsSecondsPerPage: js, tesseractCliSecondsPerPage: cli, ratioJsToCli: cli === null ? null : js / cli, pipeline };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function ocrBenchLines(b: OcrBench): string[] {
  return [
    `OCR on ${b.pages} scanned pages rendered at ${b.dpi} dpi: tesseract.js (1 worker) ${b.tesseractJsSecondsPerPage.toFixed(2)} s/page` +
      (b.tesseractCliSecondsPerPage !== null ? ` against the tesseract CLI (1 thread) ${b.tesseractCliSecondsPerPage.toFixed(2)} s/page: ${b.ratioJsToCli!.toFixed(2)}x` : '; tesseract CLI not installed (apt-get install tesseract-ocr): no baseline this run'),
    `OCR pipeline (render, straighten, lines and fills, OCR, sideways text): ${b.pipeline.map((p) => `${p.workers} worker${p.workers > 1 ? 's' : ''} ${p.pagesPerSecond.toFixed(3)} pages/s`).join(', ')}` +
      (b.pipeline.length === 2 ? ` (2 workers ${(b.pipeline[1]!.pagesPerSecond / b.pipeline[0]!.pagesPerSecond).toFixed(2)}x 1)` : ''),
  ];
}
