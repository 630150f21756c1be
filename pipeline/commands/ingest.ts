// `wsoa ingest <files|dirs...>`: extract each PDF (in the isolated reader, under the
// limits) and store it, one transaction per document; a progress bar on a terminal, a
// summary table at the end, --json for scripts. A file that fails does not stop the
// others; the run exits non-zero if any failed, after storing the rest.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { EXIT, WsoaError, type ExitCode } from '../exit-codes.js';
import { extractFileIsolated } from '../extract.js';
import type { Limits } from '../limits.js';
import { openStore } from '../store.js';

export interface IngestFileResult {
  file: string;
  status: 'stored' | 'skipped' | 'failed';
  documentId: number | null;
  council: string | null;
  pages: number;
  records: Record<string, number>;
  warnings: number;
  reason: string | null;
  exitCode: ExitCode;
  ocrPages: number;
}

export interface IngestSummary {
  store: string;
  documents: number;
  stored: number;
  skipped: number;
  failed: number;
  pages: number;
  ocrPages: number;
  records: Record<string, number>;
  warnings: number;
  files: IngestFileResult[];
}

/** PDF files under the paths given, folders walked in name order. */
export function pdfFilesOf(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      out.push(p); // reported as unreadable when ingested
      return;
    }
    if (st.isDirectory()) for (const e of readdirSync(p).sort()) walk(path.join(p, e));
    else if (/\.pdf$/i.test(p) || paths.includes(p)) out.push(p);
  };
  for (const p of paths) walk(p);
  return out;
}

export async function ingest(paths: string[], opts: { store: string; limits: Limits; council?: string; progress: boolean; ocr?: boolean; jobs?: number }): Promise<IngestSummary> {
  const files = pdfFilesOf(paths);
  const store = await openStore(opts.store);
  const summary: IngestSummary = { store: opts.store, documents: files.length, stored: 0, skipped: 0, failed: 0, pages: 0, ocrPages: 0, records: {}, warnings: 0, files: [] };
  const bar = opts.progress ? new SingleBar({ format: 'ingest [{bar}] {value}/{total} {file}', stream: process.stderr, hideCursor: true }, Presets.shades_classic) : null;
  bar?.start(files.length, 0, { file: '' });
  // Documents are read `jobs` at a time (each in its own reader process: OCR keeps a core busy);
  // they are stored one by one, in the order given, so a run stores the same way whatever the jobs.
  const jobs = Math.max(1, Math.floor(opts.jobs ?? 1));
  const reads = new Map<string, Promise<Awaited<ReturnType<typeof extractFileIsolated>>>>();
  let next = 0;
  const startReads = () => {
    while (next < files.length && reads.size < jobs) {
      const file = files[next++]!;
      const read = extractFileIsolated(file, opts.limits, opts.ocr ? { ocr: true } : {});
      read.catch(() => {}); // awaited below, in order
      reads.set(file, read);
    }
  };
  try {
    for (const file of files) {
      startReads();
      bar?.update({ file: path.basename(file) });
      const result: IngestFileResult = { file, status: 'failed', documentId: null, council: null, pages: 0, records: {}, warnings: 0, reason: null, exitCode: EXIT.OK, ocrPages: 0 };
      try {
        const read = reads.get(file)!;
        const extraction = await read.finally(() => reads.delete(file));
        result.ocrPages = extraction.ocrPages;
        const stored = await store.ingest(extraction, opts.council ? { council: opts.council } : {});
        result.documentId = stored.documentId;
        result.status = stored.skipped ? 'skipped' : 'stored';
        result.reason = stored.skipped ? (stored.reason ?? 'already stored') : null;
        result.council = opts.council ?? extraction.document.council;
        result.pages = extraction.document.pageCount;
        result.warnings = extraction.document.warnings.length;
        for (const r of extraction.records) result.records[r.kind] = (result.records[r.kind] ?? 0) + 1;
      } catch (err) {
        result.reason = err instanceof Error ? err.message.split('\n')[0]! : String(err);
        result.exitCode = err instanceof WsoaError ? err.exitCode : EXIT.FAILURE;
      }
      summary.files.push(result);
      if (result.status === 'stored') {
        summary.stored++;
        summary.pages += result.pages;
        summary.ocrPages += result.ocrPages;
        summary.warnings += result.warnings;
        for (const [k, v] of Object.entries(result.records)) summary.records[k] = (summary.records[k] ?? 0) + v;
      } else if (result.status === 'skipped') summary.skipped++;
      else summary.failed++;
      bar?.increment();
    }
  } finally {
    bar?.stop();
    await store.close();
  }
  return summary;
}

/** The summary as a table a person reads on a terminal. */
export function summaryTable(s: IngestSummary): string[] {
  const rows = s.files.map((f) => {
    const recs = ['area', 'objective', 'action', 'measure'].map((k) => String(f.records[k] ?? 0).padStart(5)).join('');
    const what = f.status === 'failed' ? `FAILED: ${f.reason}` : f.status === 'skipped' ? `skipped: ${f.reason}` : `stored as document ${f.documentId}`;
    return `${path.basename(f.file).padEnd(34)} ${String(f.pages).padStart(5)} ${recs} ${String(f.warnings).padStart(6)}  ${what}`;
  });
  const total = ['area', 'objective', 'action', 'measure'].map((k) => String(s.records[k] ?? 0).padStart(5)).join('');
  return [
    `${'file'.padEnd(34)} ${'pages'.padStart(5)} ${'areas'.padStart(5)}${'objs'.padStart(5)}${'acts'.padStart(5)}${'meas'.padStart(5)} ${'warns'.padStart(6)}`,
    ...rows,
    `${'total'.padEnd(34)} ${String(s.pages).padStart(5)} ${total} ${String(s.warnings).padStart(6)}`,
    `${s.documents} documents: ${s.stored} stored, ${s.skipped} skipped as already stored, ${s.failed} failed; ${s.ocrPages} OCR pages; store ${s.store}`,
  ];
}
