// The page job, run in a sandboxed process (BullMQ forks it; see workers/run.ts): one page
// of a document read by the pipeline's own per-page step (pipeline/read-page.ts), text
// layer or OCR. CPU-bound OCR here never blocks the worker process that renews the
// job's lock. The document's bytes come from Redis (enqueued once, read on any host);
// the opened document and the OCR worker are kept for the next page of the same file.
//
// Outcomes: the page as read; a page that throws or passes a limit is a result saying so
// (the parse step turns it into a warning, as the isolated reader does); a file that is
// not a readable PDF at all fails the job for good (UnrecoverableError), with the one
// line `wsoa extract` would print as its reason.
import { UnrecoverableError, type SandboxedJob } from 'bullmq';
import type { Redis } from 'ioredis';
import { PageJobData, type PageJobResult } from '../../schemas/index.js';
import { EXIT, WsoaError } from '../../pipeline/exit-codes.js';
import { Limits } from '../../pipeline/limits.js';
import { DEFAULT_LOAD_SETTINGS, loadDocument, type LoadedDocument } from '../../pipeline/load.js';
import { OcrPool } from '../../pipeline/ocr.js';
import { openPdf, type PdfDocument } from '../../pipeline/pdfjs.js';
import { readPage, type PageRead } from '../../pipeline/read-page.js';
import { readingLimits } from '../../pipeline/read-result.js';
import { encodePageRead, PDF_TTL_SECONDS, pdfKey } from '../queues.js';
import { clientOf, redisUrl } from '../redis.js';

const WATCH_INTERVAL_MS = 50;

interface OpenDocument {
  sha256: string;
  doc: LoadedDocument;
  raw: Promise<PdfDocument> | null;
  bytes: Buffer;
}

let current: OpenDocument | null = null;
let redis: Redis | null = null;
// One tesseract worker in this process: sandboxed processes run side by side, one page each.
let pool: OcrPool | null = null;

// If the worker process dies (SIGKILL), its sandboxed processes go too.
process.on('disconnect', () => process.exit(0));

async function close(d: OpenDocument): Promise<void> {
  await d.doc.close().catch(() => undefined);
  if (d.raw) await (await d.raw.catch(() => null))?.destroy();
}

async function documentFor(data: PageJobData, limits: Limits): Promise<OpenDocument> {
  if (current?.sha256 === data.sha256) return current;
  if (current) await close(current);
  current = null;
  const bytes = await (redis ??= clientOf(redisUrl())).getBuffer(pdfKey(data.sha256));
  if (!bytes) throw new UnrecoverableError(`the bytes of ${data.fileName} are no longer in Redis (kept ${PDF_TTL_SECONDS / 86400} days): enqueue the file again`);
  let doc: LoadedDocument;
  try {
    doc = await loadDocument(bytes, { ...DEFAULT_LOAD_SETTINGS, maxItemsPerPage: limits.maxItemsPerPage });
  } catch (err) {
    // Bad input: retrying cannot help.
    if (err instanceof WsoaError && err.exitCode === EXIT.BAD_INPUT) throw new UnrecoverableError(err.message);
    throw err;
  }
  current = { sha256: data.sha256, doc, raw: null, bytes };
  return current;
}

type Stop = { kind: 'page-time' | 'memory'; detail: string };

/** The read, or why it was stopped: a wall-clock limit and a watch on this process's resident memory. */
function guarded<T>(work: Promise<T>, limits: Limits): Promise<{ value: T } | { stop: Stop }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      const rssMb = process.memoryUsage.rss() / 1048576;
      if (rssMb > limits.maxMemoryMb) finish({ stop: { kind: 'memory', detail: `exceeded the ${limits.maxMemoryMb} MB memory limit` } });
      else if (Date.now() - started > limits.pageTimeoutMs) finish({ stop: { kind: 'page-time', detail: `exceeded the ${Math.round(limits.pageTimeoutMs / 1000)} s page limit` } });
    }, WATCH_INTERVAL_MS);
    let settled = false;
    const finish = (r: { value: T } | { stop: Stop }) => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      resolve(r);
    };
    work.then((value) => finish({ value }), (err) => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      reject(err);
    });
  });
}

export default async function pageJob(job: SandboxedJob): Promise<PageJobResult> {
  const data = PageJobData.parse(job.data);
  // The memory and page-time budget of an OCR read is the isolated reader's (pipeline/read-result.ts readingLimits).
  const limits = readingLimits(Limits.parse(data.limits), data.ocr);
  const d = await documentFor(data, limits);
  const raw = () => (d.raw ??= openPdf(d.bytes));
  try {
    const r = await guarded<PageRead>(readPage(d.doc, data.page, { ocr: data.ocr, limits, raw, pool: () => (pool ??= new OcrPool({ size: 1 })) }), limits);
    if ('value' in r) return { outcome: 'read', page: data.page, read: encodePageRead(r.value) };
    // The page is still being read and holds what it holds: this process ends. (A job handed to
    // it meanwhile fails one attempt, "Unexpected exit code", and is retried in a new one.)
    setTimeout(() => process.exit(0), 500).unref();
    return { outcome: 'stopped', page: data.page, kind: r.stop.kind, detail: r.stop.detail };
  } catch (err) {
    return { outcome: 'error', page: data.page, message: (err as Error).message?.split('\n')[0] ?? String(err) };
  }
}
