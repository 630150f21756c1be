// Queue mode end to end against a real redis-server on a free loopback port (started
// here; CI installs it), with `wsoa enqueue`, `wsoa worker` processes and the SQLite
// files they write: the same records as in-process ingest, a worker killed in the middle
// of an OCR page, Redis killed and restarted mid-batch, a file enqueued twice, and the
// inbox scheduler with its morning report.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Queue } from 'bullmq';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MorningReport, StoreJobResult } from '../schemas/index.js';
import { openStore } from '../pipeline/store.js';
import { jobIds, QUEUES } from '../workers/queues.js';
import { startRedis, type TestRedis } from './helpers/redis.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'bin/wsoa.mjs');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'wsoa-queue-'));
const pdf = (n: string) => path.join(root, 'fixtures/pdf', `${n}.pdf`);
const bad = (n: string) => path.join(root, 'fixtures/bad', n);
const textFixtures = readdirSync(path.join(root, 'fixtures/pdf'))
  .filter((f) => f.endsWith('.pdf') && !f.includes('.scanned.'))
  .sort()
  .map((f) => path.join(root, 'fixtures/pdf', f));
const badFixtures = ['empty.pdf', 'not-a-pdf.pdf', 'encrypted.pdf', 'truncated.pdf', 'corrupt-xref.pdf', 'image.pdf'].map(bad);

async function wsoa(env: Record<string, string>, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

interface WorkerProc {
  proc: ChildProcess;
  exited: Promise<number | null>;
  log: () => string;
}

/** A `wsoa worker` process in its own process group (so a kill takes its sandboxed children too). */
function worker(env: Record<string, string>, ...args: string[]): WorkerProc {
  const proc = spawn(process.execPath, [bin, 'worker', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let log = '';
  proc.stdout!.on('data', (d) => (log += d));
  proc.stderr!.on('data', (d) => (log += d));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return { proc, exited, log: () => log };
}

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))]);
}

async function until(what: string, ms: number, test: () => Promise<boolean> | boolean): Promise<void> {
  const end = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Every stored document of a store: its listing, the document as extracted and its records, by sha256. */
async function storedOf(db: string) {
  const store = await openStore(db);
  try {
    const out = new Map<string, { id: number; council: string; document: unknown; records: unknown[] }>();
    for (const d of await store.documents()) out.set(d.sha256, { id: d.id, council: d.council, document: (await store.document(d.id))!.document, records: await store.records(d.id) });
    return out;
  } finally {
    await store.close();
  }
}

/** A one-page scan: page 1 of the scanned Kent plan (OCR about 5-10 s). */
async function tinyScan(file: string): Promise<string> {
  const src = await PDFDocument.load(readFileSync(pdf('007-kent.scanned')));
  const out = await PDFDocument.create();
  const [page] = await out.copyPages(src, [0]);
  out.addPage(page!);
  writeFileSync(file, await out.save({ useObjectStreams: false }));
  return file;
}

/** Work on one of the queues of a Redis, closed after. */
async function withQueue<T>(url: string, name: string, work: (q: Queue) => Promise<T>): Promise<T> {
  const q = new Queue(name, { connection: { url, maxRetriesPerRequest: null } });
  try {
    return await work(q);
  } finally {
    await q.close();
  }
}

const killGroup = (p: ChildProcess) => {
  try {
    process.kill(-p.pid!, 'SIGKILL');
  } catch {
    /* gone already */
  }
};

// CI installs redis-server and must run these; a developer's machine without it is told so and skips them.
const haveRedis = spawnSync('redis-server', ['--version']).status === 0;
if (!haveRedis && !process.env.CI) console.warn('test/queue.test.ts: redis-server is not installed (apt-get install redis-server): the queue-mode tests are skipped');

describe.skipIf(!haveRedis && !process.env.CI)('queue mode', () => {
  const redisServers: TestRedis[] = [];
  const workers: WorkerProc[] = [];
  let scan: string;
  const newRedis = async (opts: { aof?: boolean } = {}) => {
    const r = await startRedis(opts);
    redisServers.push(r);
    return r;
  };
  const startWorker = (env: Record<string, string>, ...args: string[]) => {
    const w = worker(env, ...args);
    workers.push(w);
    return w;
  };

  beforeAll(async () => {
    scan = await tinyScan(path.join(tmp, 'kent-page1.scanned.pdf'));
  });
  afterAll(async () => {
    for (const w of workers) killGroup(w.proc);
    for (const r of redisServers) await r.stop();
  });

  it('stores the same records as in-process ingest on every fixture, and fails the bad ones with the same reasons', async () => {
    const redis = await newRedis();
    const env = { REDIS_URL: redis.url };
    const inProcess = path.join(tmp, 'in-process.sqlite');
    const queued = path.join(tmp, 'queued.sqlite');
    const files = [...textFixtures, ...badFixtures];

    const ingest = await wsoa({}, 'ingest', '--json', '--db', inProcess, ...files);
    expect(ingest.code).toBe(3); // the bad inputs
    expect((await wsoa({}, 'ingest', '--json', '--ocr', '--db', inProcess, scan)).code).toBe(0);
    const summary = JSON.parse(ingest.stdout) as { files: { file: string; status: string; reason: string | null }[] };

    const enq = await wsoa(env, 'enqueue', ...files);
    expect(enq.code, enq.stderr).toBe(0);
    expect(enq.stdout.split('\n').filter((l) => l.startsWith('queued')).length).toBe(files.length);
    expect((await wsoa(env, 'enqueue', '--ocr', scan)).code).toBe(0);
    const w = startWorker(env, '--exit-when-idle', '--db', queued, '--concurrency', '2');
    expect(await within(w.exited, 150_000, 'the worker')).toBe(0);

    const a = await storedOf(inProcess);
    const b = await storedOf(queued);
    const status = JSON.parse((await wsoa(env, 'status', '--json')).stdout) as { failed: { file: string | null; reason: string; attempts: number; queue: string }[] };
    expect([...b.keys()].sort(), `${JSON.stringify(status.failed, null, 1)}\n${w.log()}`).toEqual([...a.keys()].sort());
    expect(a.size).toBe(textFixtures.length + 2); // + corrupt-xref.pdf and the scan
    for (const [sha, doc] of a) {
      expect(b.get(sha)!.records, sha).toEqual(doc.records);
      expect(b.get(sha)!.document, sha).toEqual(doc.document);
    }
    // The OCR page is marked as such in both.
    const scanned = [...b.values()].find((d) => (d.document as { fileName: string }).fileName === path.basename(scan))!;
    expect(scanned.records.length).toBeGreaterThan(0);
    expect(scanned.records.every((r) => (r as { provenance: { method: string } }).provenance.method === 'ocr')).toBe(true);

    // Each bad file fails with the reason in-process ingest gives, kept on the job that found it.
    for (const f of summary.files.filter((x) => x.status === 'failed')) {
      const own = status.failed.filter((j) => j.file === path.basename(f.file) && !j.reason.startsWith('child '));
      expect([...new Set(own.map((j) => j.reason))], f.file).toEqual([f.reason]);
      expect(own.every((j) => j.attempts === 1), `${f.file}: bad input is not retried`).toBe(true);
    }
    expect(summary.files.filter((x) => x.status === 'failed').length).toBe(badFixtures.length - 1);

    // The diff step kept a diff between each two versions of a council next to each other, whatever order they were stored in.
    const store = await openStore(queued);
    try {
      for (const council of ['Leicestershire', 'Warwickshire', 'Leicester City']) {
        const versions = await store.versionsOf(council);
        expect(versions.length, council).toBeGreaterThanOrEqual(2);
        for (let i = 1; i < versions.length; i++) expect(await store.diff(versions[i - 1]!.id, versions[i]!.id), `${council} ${versions[i]!.fileName}`).not.toBe(null);
        const v2 = versions.find((v) => v.fileName.endsWith('.v2.pdf'))!;
        const v1 = versions.find((v) => v.fileName === v2.fileName.replace('.v2.pdf', '.pdf'))!;
        // Versions of one date are in the order stored, which two workers make either way: the diff kept is between
        // v2 and whichever version is next to it, in the order they stand.
        const at = versions.indexOf(v2);
        const next = [versions[at - 1], versions[at + 1]].filter((v) => v !== undefined);
        let diff = (await store.diff(v1.id, v2.id)) ?? (await store.diff(v2.id, v1.id));
        for (const n of next) diff ??= (await store.diff(n.id, v2.id)) ?? (await store.diff(v2.id, n.id));
        expect(diff?.entries.some((e) => e.changes.length > 0), council).toBe(true);
      }
    } finally {
      await store.close();
    }
  }, 240_000);

  it('a worker killed (SIGKILL) in the middle of an OCR page: the page job runs again on the other worker and the document is stored once', async () => {
    const redis = await newRedis();
    const env = { REDIS_URL: redis.url };
    const db = path.join(tmp, 'killed.sqlite');
    expect((await wsoa(env, 'enqueue', '--ocr', scan)).code).toBe(0);
    const args = ['--exit-when-idle', '--db', db, '--concurrency', '1', '--lock-duration', '3'];
    const w1 = startWorker(env, ...args);
    const w2 = startWorker(env, ...args);
    await withQueue(redis.url, QUEUES.pages, async (pages) => {
      let victim: WorkerProc | undefined;
      await until('a worker takes the page job', 60_000, async () => {
        const [job] = await pages.getActive();
        const pid = Number(job?.processedBy?.split(':').pop());
        victim = [w1, w2].find((w) => w.proc.pid === pid);
        return !!victim;
      });
      // In the middle of the page: rendering and OCR take seconds.
      await new Promise((r) => setTimeout(r, 2500));
      expect(victim!.proc.exitCode).toBe(null);
      killGroup(victim!.proc);
      const survivor = victim === w1 ? w2 : w1;
      expect(await within(survivor.exited, 120_000, 'the surviving worker'), survivor.log()).toBe(0);
      expect(survivor.log()).toMatch(/stalled/);
      const stored = await storedOf(db);
      expect(stored.size).toBe(1);
      expect([...stored.values()][0]!.records.length).toBeGreaterThan(0);
      const [sha] = [...stored.keys()];
      const page = await pages.getJob(jobIds.page(sha!, 1));
      expect(page!.attemptsStarted).toBeGreaterThanOrEqual(2);
      expect(await page!.getState()).toBe('completed');
    });
  }, 180_000);

  it('Redis killed and restarted mid-batch (append-only file): the batch completes and every document is stored once', async () => {
    const redis = await newRedis({ aof: true });
    const env = { REDIS_URL: redis.url };
    const db = path.join(tmp, 'restart.sqlite');
    const files = ['000-leicestershire', '001-warwickshire', '003-leicester-city', '005-southend', '006-bracknell-forest', '007-kent'].map(pdf);
    expect((await wsoa(env, 'enqueue', ...files)).code).toBe(0);
    const w = startWorker(env, '--exit-when-idle', '--db', db, '--concurrency', '2', '--lock-duration', '3');
    const client = redis.client();
    client.on('error', () => undefined);
    await until('a first document is stored', 90_000, async () => (await client.zcard(`bull:${QUEUES.store}:completed`)) > 0);
    client.disconnect();
    const storedBefore = (await storedOf(db)).size;
    expect(storedBefore).toBeLessThan(files.length);
    await redis.kill();
    await new Promise((r) => setTimeout(r, 2000));
    await redis.restart();
    expect(await within(w.exited, 150_000, 'the worker'), w.log()).toBe(0);
    const stored = await storedOf(db);
    expect(stored.size).toBe(files.length);
    const councils = [...stored.values()].map((d) => d.council).sort();
    expect(councils).toEqual(['Bracknell Forest', 'Kent', 'Leicester City', 'Leicestershire', 'Southend-on-Sea', 'Warwickshire']);
  }, 240_000);

  it('hosts split by queue: page jobs on one worker, parse and store on another (the one with the SQLite file)', async () => {
    const redis = await newRedis();
    const env = { REDIS_URL: redis.url };
    const db = path.join(tmp, 'split.sqlite');
    expect((await wsoa(env, 'enqueue', pdf('007-kent'))).code).toBe(0);
    const pagesHost = startWorker(env, '--exit-when-idle', '--queues', 'pages', '--db', path.join(tmp, 'never-opened.sqlite'));
    const storeHost = startWorker(env, '--exit-when-idle', '--queues', 'parse,store', '--db', db);
    expect(await within(pagesHost.exited, 90_000, 'the pages worker'), pagesHost.log()).toBe(0);
    expect(await within(storeHost.exited, 90_000, 'the store worker'), storeHost.log()).toBe(0);
    const stored = await storedOf(db);
    expect([...stored.values()].map((d) => d.council)).toEqual(['Kent']);
    expect(existsSync(path.join(tmp, 'never-opened.sqlite'))).toBe(false);
    const [sha] = [...stored.keys()];
    const byWho = async (queue: string, id: string) => Number((await withQueue(redis.url, queue, (q) => q.getJob(id)))!.processedBy!.split(':').pop());
    for (const n of [1, 2, 3]) expect(await byWho(QUEUES.pages, jobIds.page(sha!, n))).toBe(pagesHost.proc.pid);
    expect(await byWho(QUEUES.parse, jobIds.parse(sha!))).toBe(storeHost.proc.pid);
    expect(await byWho(QUEUES.store, jobIds.store(sha!))).toBe(storeHost.proc.pid);
  }, 120_000);

  it('the same file enqueued twice is processed and stored once, and stays stored once after Redis forgets its jobs', async () => {
    const redis = await newRedis();
    const env = { REDIS_URL: redis.url };
    const db = path.join(tmp, 'twice.sqlite');
    const file = pdf('005-southend');
    const first = await wsoa(env, 'enqueue', file);
    const second = await wsoa(env, 'enqueue', file);
    expect(first.stdout).toMatch(/^queued +005-southend\.pdf: 5 page jobs/);
    expect(second.stdout).toMatch(/^known +005-southend\.pdf: already in the queue/);
    expect((await within(startWorker(env, '--exit-when-idle', '--db', db).exited, 90_000, 'the worker'))).toBe(0);
    expect(await withQueue(redis.url, QUEUES.pages, (q) => q.getJobCounts('completed'))).toEqual({ completed: 5 });
    // Redis forgets every job (retention, or a new server): the file runs again; the store keeps it once.
    const client = redis.client();
    await client.flushall();
    client.disconnect();
    expect((await wsoa(env, 'enqueue', file)).stdout).toMatch(/^queued/);
    expect(await within(startWorker(env, '--exit-when-idle', '--db', db).exited, 90_000, 'the worker')).toBe(0);
    const stored = await storedOf(db);
    expect(stored.size).toBe(1);
    const job = await withQueue(redis.url, QUEUES.store, (q) => q.getJob(jobIds.store([...stored.keys()][0]!)));
    const result = StoreJobResult.parse(job!.returnvalue);
    expect(result.alreadyStored).toBe(true);
    expect(result.documentId).toBe([...stored.values()][0]!.id);
  }, 200_000);

  it('the inbox scheduler picks up a dropped file and lists it in the morning report; a bad file ends in failed/ with its reason', async () => {
    const redis = await newRedis();
    const env = { REDIS_URL: redis.url };
    const inbox = path.join(tmp, 'inbox');
    const reports = path.join(tmp, 'reports');
    mkdirSync(inbox);
    const db = path.join(tmp, 'inbox.sqlite');
    const w = startWorker(env, '--db', db, '--grace', '20');
    const sched = await wsoa(env, 'schedule', '--inbox', inbox, '--cron', '*/2 * * * * *', '--reports', reports);
    expect(sched.code, sched.stderr).toBe(0);
    expect(sched.stdout).toMatch(/next sweep/);
    // Dropped in after the scheduler is running.
    copyFileSync(pdf('005-southend'), path.join(inbox, '005-southend.pdf'));
    copyFileSync(bad('not-a-pdf.pdf'), path.join(inbox, 'minutes.pdf'));
    await until('a morning report', 120_000, () => existsSync(reports) && readdirSync(reports).some((f) => f.endsWith('.json')));
    const [json] = readdirSync(reports).filter((f) => f.endsWith('.json'));
    const report = MorningReport.parse(JSON.parse(readFileSync(path.join(reports, json!), 'utf8')));
    expect(report.totals).toMatchObject({ files: 2, stored: 1, failed: 1, pending: 0 });
    const good = report.documents.find((d) => d.file === '005-southend.pdf')!;
    expect(good).toMatchObject({ status: 'stored', movedTo: 'processed/005-southend.pdf' });
    expect(good.store).toMatchObject({ council: 'Southend-on-Sea', pages: 5, records: { area: 4, objective: 4, action: 10, measure: 19 } });
    expect(good.diff).toMatchObject({ previous: null });
    const failed = report.documents.find((d) => d.file === 'minutes.pdf')!;
    expect(failed).toMatchObject({ status: 'failed', movedTo: 'failed/minutes.pdf', reason: 'not a PDF: the file is a text file' });
    expect(readFileSync(path.join(inbox, 'failed/minutes.pdf.reason.txt'), 'utf8')).toBe('not a PDF: the file is a text file\n');
    expect(existsSync(path.join(inbox, 'processed/005-southend.pdf'))).toBe(true);
    expect(readdirSync(inbox).sort()).toEqual(['failed', 'processed']);
    const md = readFileSync(path.join(reports, json!.replace(/\.json$/, '.md')), 'utf8');
    expect(md).toMatch(/\| 005-southend\.pdf \| Southend-on-Sea \|/);
    expect(md).toMatch(/- minutes\.pdf: not a PDF: the file is a text file/);
    expect((await storedOf(db)).size).toBe(1);

    // The same bytes again under another name: already stored, nothing written.
    copyFileSync(pdf('005-southend'), path.join(inbox, 'southend-again.pdf'));
    await until('a second morning report', 60_000, () => readdirSync(reports).filter((f) => f.endsWith('.json')).length === 2);
    const second = readdirSync(reports).filter((f) => f.endsWith('.json')).sort()[1]!;
    const again = MorningReport.parse(JSON.parse(readFileSync(path.join(reports, second), 'utf8')));
    expect(again.documents).toMatchObject([{ file: 'southend-again.pdf', status: 'already-stored', movedTo: 'processed/southend-again.pdf' }]);
    expect((await storedOf(db)).size).toBe(1);

    expect((await wsoa(env, 'schedule', '--remove')).stdout).toMatch(/removed/);
    w.proc.kill('SIGTERM');
    expect(await within(w.exited, 30_000, 'the worker after SIGTERM'), w.log()).toBe(0);
    expect(w.log()).toMatch(/SIGTERM; waiting up to 20 s for active jobs/);
  }, 200_000);

  it('wsoa dashboard serves bull-board for the same queues on localhost', async () => {
    const redis = await newRedis();
    const proc = spawn(process.execPath, [bin, 'dashboard', '--port', '0'], { env: { ...process.env, REDIS_URL: redis.url }, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    let out = '';
    proc.stdout!.on('data', (d) => (out += d));
    try {
      await until('the dashboard says where it is', 30_000, () => /dashboard on (http:\/\/127\.0\.0\.1:\d+\/)/.test(out));
      const url = /dashboard on (\S+)/.exec(out)![1]!;
      const api = (await (await fetch(`${url}api/queues`)).json()) as { queues: { name: string; counts: Record<string, number> }[] };
      expect(api.queues.map((q) => q.name).sort()).toEqual(Object.values(QUEUES).sort());
      const page = await (await fetch(url)).text();
      expect(page).toMatch(/<title>wsoa queues<\/title>/);
    } finally {
      proc.kill('SIGTERM');
    }
    expect(await within(exited, 10_000, 'the dashboard after SIGTERM')).toBe(0);
  });

  it('refuses a Redis that may evict jobs, and says what to set when REDIS_URL is missing', async () => {
    const redis = await newRedis();
    const client = redis.client();
    await client.config('SET', 'maxmemory-policy', 'allkeys-lru');
    client.disconnect();
    const r = await wsoa({ REDIS_URL: redis.url }, 'status');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/maxmemory-policy allkeys-lru: queue mode needs noeviction/);
    const env = { ...process.env };
    delete env.REDIS_URL;
    const missing = await run(process.execPath, [bin, 'enqueue', pdf('005-southend')], { env }).catch((e) => e as { code: number; stderr: string });
    expect((missing as { code: number }).code).toBe(2);
    expect((missing as { stderr: string }).stderr).toMatch(/REDIS_URL is not set/);
  });
});
