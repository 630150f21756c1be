// `npm run bench:queue`: pages per second of queue mode with 1 and 2 worker processes
// against in-process ingest (`wsoa ingest`) of the same files, in one run on this
// machine (only same-run ratios mean anything here). Each mode is timed as a batch run
// is: from the command's start until every document is stored (queue mode: `wsoa
// enqueue`, then `wsoa worker --exit-when-idle` processes until they exit, on a fresh
// redis-server on a free loopback port). The queue's own span (first page job started
// to last diff step finished, from the jobs' timestamps) is given too: it leaves out
// process start-up and the idle check at the end. The load average is printed: on a
// 2-core machine a second worker process only helps when the cores are free.
// Usage: npm run bench:queue [-- --json]
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { readManifest } from '../pipeline/fixture-check.js';
import { openStore } from '../pipeline/store.js';
import { QUEUES } from '../workers/queues.js';
import { startRedis } from '../test/helpers/redis.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin/wsoa.mjs');
const args = process.argv.slice(2);
const json = args.includes('--json');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'wsoa-bench-queue-'));

/** Runs a wsoa command; its exit code. */
function wsoa(env: Record<string, string>, ...argv: string[]): Promise<{ code: number | null }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [bin, ...argv], { env: { ...process.env, ...env }, stdio: 'ignore' });
    p.once('exit', (code) => resolve({ code }));
  });
}

async function storedPages(db: string): Promise<{ documents: number; pages: number }> {
  const store = await openStore(db);
  try {
    const docs = await store.documents();
    return { documents: docs.length, pages: docs.reduce((s, d) => s + d.pageCount, 0) };
  } finally {
    await store.close();
  }
}

interface Row {
  mode: string;
  documents: number;
  pages: number;
  seconds: number;
  pagesPerSecond: number;
  /** Queue mode: first page job started to last diff step finished. */
  spanSeconds: number | null;
}

async function inProcess(files: string[]): Promise<Row> {
  const db = path.join(tmp, 'in-process.sqlite');
  const t0 = performance.now();
  const { code } = await wsoa({}, 'ingest', '--db', db, ...files);
  const seconds = (performance.now() - t0) / 1000;
  if (code !== 0) throw new Error(`wsoa ingest exited ${code}`);
  const s = await storedPages(db);
  return { mode: 'in-process ingest', ...s, seconds, pagesPerSecond: s.pages / seconds, spanSeconds: null };
}

async function queued(files: string[], workers: number, concurrency: number): Promise<Row> {
  const redis = await startRedis();
  const env = { REDIS_URL: redis.url };
  const db = path.join(tmp, `queue-${workers}.sqlite`);
  try {
    const t0 = performance.now();
    const enq = await wsoa(env, 'enqueue', ...files);
    if (enq.code !== 0) throw new Error('wsoa enqueue failed');
    const runs = await Promise.all(Array.from({ length: workers }, () => wsoa(env, 'worker', '--exit-when-idle', '--concurrency', String(concurrency), '--db', db)));
    const seconds = (performance.now() - t0) / 1000;
    if (runs.some((r) => r.code !== 0)) throw new Error(`a worker exited ${runs.map((r) => r.code).join(', ')}`);
    const connection = { url: redis.url, maxRetriesPerRequest: null };
    const pages = new Queue(QUEUES.pages, { connection });
    const store = new Queue(QUEUES.store, { connection });
    const first = Math.min(...(await pages.getCompleted(0, -1)).map((j) => j.processedOn ?? Infinity));
    const last = Math.max(...(await store.getCompleted(0, -1)).map((j) => j.finishedOn ?? 0));
    await pages.close();
    await store.close();
    const s = await storedPages(db);
    return { mode: `queue, ${workers} worker process${workers > 1 ? 'es' : ''}, concurrency ${concurrency}`, ...s, seconds, pagesPerSecond: s.pages / seconds, spanSeconds: (last - first) / 1000 };
  } finally {
    await redis.stop();
  }
}

async function main(): Promise<void> {
  const load = os.loadavg();
  const fixtures = path.join(root, 'fixtures');
  const files = readManifest(fixtures).documents.map((d) => path.join(fixtures, d.pdf));
  // Worker processes as asked (1 and 2, one job at a time each), and one process running two page jobs at once.
  const rows = [await inProcess(files), await queued(files, 1, 1), await queued(files, 2, 1), await queued(files, 1, 2)];
  const base = rows[0]!.pagesPerSecond;
  if (json) {
    console.log(JSON.stringify({ machine: { cores: os.availableParallelism(), node: process.version, loadAverage: load }, rows: rows.map((r) => ({ ...r, ratioToInProcess: r.pagesPerSecond / base })) }, null, 2));
    return;
  }
  console.log(`${files.length} text-layer fixtures on ${os.availableParallelism()} cores, one run (load average before: ${load.map((l) => l.toFixed(1)).join(', ')}):`);
  for (const r of rows)
    console.log(
      `${r.mode.padEnd(40)} ${r.documents} documents, ${r.pages} pages in ${r.seconds.toFixed(1)} s: ${r.pagesPerSecond.toFixed(1)} pages/s (${(r.pagesPerSecond / base).toFixed(2)}x in-process)${r.spanSeconds !== null ? `; queue span ${r.spanSeconds.toFixed(1)} s = ${(r.pages / r.spanSeconds).toFixed(1)} pages/s` : ''}`,
    );
}

await main();
