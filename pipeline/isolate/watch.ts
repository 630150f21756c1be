// Reads a PDF in a child process under the limits: a wall-clock limit per page and per
// document and a watchdog on the child's resident memory (read from /proc, so native
// memory counts too: pdf.js inflates Flate bombs outside the JS heap). On a breach
// the child is killed, the page is reported and reading goes on from the next page in
// a new child; the document is refused (exit 3) only if no page could be read.
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Warning } from '../../schemas/index.js';
import { EXIT, WsoaError } from '../exit-codes.js';
import type { PageLayout } from '../layout/index.js';
import type { Limits } from '../limits.js';
import { ReadCollector, readingLimits, type StopKind } from '../read-result.js';
import type { ReaderMessage, ReadRequest } from './protocol.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const READER = path.join(here, 'reader.ts');
const WATCH_INTERVAL_MS = 50;

export interface ReadResult {
  pageCount: number;
  sha256: string;
  layouts: PageLayout[];
  warnings: Warning[];
  /** Peak resident memory of the reader processes (MB). */
  peakRssMb: number;
  /** Pages read by OCR, with the mean confidence of their words (0..1). */
  ocrPages: Map<number, number>;
}

/** Resident memory of a process in MB, or null where /proc cannot tell. */
function rssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

type Breach = { kind: StopKind; page: number | null; detail: string };

/**
 * A reader process kept warm between documents (starting one costs about 1.5 s); one
 * that was stopped, crashed or grew large is not reused.
 */
let idle: ChildProcess | null = null;

function takeReader(limits: Limits): ChildProcess {
  const warm = idle;
  idle = null;
  if (warm && warm.exitCode === null && warm.signalCode === null && warm.connected) {
    warm.ref();
    (warm as unknown as { channel?: { ref(): void } }).channel?.ref();
    return warm;
  }
  return fork(READER, [], {
    execArgv: ['--import', 'tsx', '--expose-gc', `--max-old-space-size=${Math.max(256, limits.maxMemoryMb)}`],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
}

function releaseReader(child: ChildProcess, limits: Limits): void {
  const rss = child.pid ? rssMb(child.pid) : null;
  if (idle || (rss !== null && rss > limits.maxMemoryMb / 2)) {
    child.kill('SIGKILL');
    return;
  }
  // An idle reader must not keep this process alive.
  child.unref();
  (child as unknown as { channel?: { unref(): void } }).channel?.unref();
  idle = child;
  if (!watched.has(child)) {
    watched.add(child);
    child.once('exit', () => {
      if (idle === child) idle = null;
    });
  }
}
const watched = new WeakSet<ChildProcess>();

/** One run of the reader from a page on: resolves with why it stopped, if it was stopped. */
function runReader(file: string, fromPage: number, pages: string | undefined, ocr: boolean, limits: Limits, deadline: number, onMessage: (m: ReaderMessage) => void): Promise<{ breach: Breach | null; peak: number }> {
  return new Promise((resolve) => {
    const child = takeReader(limits);
    let current: number | null = null;
    let pageStarted = Date.now();
    let peak = 0;
    let breach: Breach | null = null;
    let settled = false;
    const finish = (keep: boolean) => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      child.off('message', onChildMessage);
      child.off('exit', onExit);
      if (keep) releaseReader(child, limits);
      resolve({ breach, peak });
    };
    const stop = (b: Breach) => {
      if (breach) return;
      breach = b;
      child.kill('SIGKILL');
    };
    const timer = setInterval(() => {
      const rss = child.pid ? rssMb(child.pid) : null;
      if (rss !== null) peak = Math.max(peak, rss);
      const now = Date.now();
      if (rss !== null && rss > limits.maxMemoryMb) stop({ kind: 'memory', page: current, detail: `exceeded the ${limits.maxMemoryMb} MB memory limit` });
      else if (now > deadline) stop({ kind: 'doc-time', page: current, detail: `exceeded the ${Math.round(limits.docTimeoutMs / 1000)} s document limit` });
      else if (current !== null && now - pageStarted > limits.pageTimeoutMs) stop({ kind: 'page-time', page: current, detail: `exceeded the ${Math.round(limits.pageTimeoutMs / 1000)} s page limit` });
    }, WATCH_INTERVAL_MS);
    const onChildMessage = (m: ReaderMessage) => {
      if (settled) return;
      if (m.type === 'page-start') {
        current = m.page;
        pageStarted = Date.now();
      } else if (m.type === 'page' || m.type === 'page-error') current = null;
      onMessage(m);
      if (m.type === 'done' || m.type === 'error') finish(!breach);
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      if (!breach) breach = { kind: 'crash', page: current, detail: `the reader stopped (${signal ?? `exit ${code}`})` };
      finish(false);
    };
    child.on('message', onChildMessage);
    child.on('exit', onExit);
    const req: ReadRequest = { type: 'read', file, fromPage, limits, ...(pages ? { pages } : {}), ...(ocr ? { ocr } : {}) };
    child.send(req);
  });
}

export async function readIsolated(file: string, limits: Limits, opts: { pages?: string; requireText?: boolean; ocr?: boolean } = {}): Promise<ReadResult> {
  const started = Date.now();
  // An OCR'd page takes seconds, not milliseconds: a scanned document gets the OCR document limit.
  const deadline = started + (opts.ocr ? Math.max(limits.docTimeoutMs, limits.ocrDocTimeoutMs) : limits.docTimeoutMs);
  const read = new ReadCollector(limits);
  let fromPage = 1;
  let peakRssMb = 0;
  let failure: { message: string; exitCode: number } | null = null;
  for (;;) {
    let done = false;
    // OCR needs more room than text: tesseract's heap and the page image come on top.
    const budget = readingLimits(limits, opts.ocr ?? false);
    const { breach, peak } = await runReader(file, fromPage, opts.pages, opts.ocr ?? false, budget, deadline, (m) => {
      switch (m.type) {
        case 'open':
          read.open(m);
          break;
        case 'page':
          read.page(m);
          fromPage = m.page + 1;
          break;
        case 'page-error':
          read.pageError(m.page, m.message);
          fromPage = m.page + 1;
          break;
        case 'done':
          done = true;
          break;
        case 'error':
          failure = { message: m.message, exitCode: m.exitCode };
          break;
      }
    });
    peakRssMb = Math.max(peakRssMb, peak);
    if (failure || done) break;
    if (breach) {
      if (read.pageCount < 0) {
        // Stopped before the document even opened: nothing can be read.
        failure = { message: `unreadable PDF: ${breach.detail} while opening the document`, exitCode: EXIT.BAD_INPUT };
        break;
      }
      const page = breach.page ?? fromPage;
      read.stopped(breach.kind, page, breach.detail);
      if (breach.kind === 'doc-time') break;
      fromPage = page + 1;
      if (fromPage > Math.min(read.pageCount, limits.maxPages)) break;
      continue;
    }
    break;
  }
  if (failure) throw new WsoaError((failure as { message: string }).message, (failure as { exitCode: number }).exitCode as 0 | 1 | 2 | 3);
  const layouts = read.finish(opts.requireText !== false);
  return { pageCount: read.pageCount, sha256: read.sha256, layouts, warnings: read.warnings, peakRssMb, ocrPages: read.ocrPages };
}
