// `wsoa worker`: the processors of every queue (or of the ones asked for) in this
// process; page jobs in sandboxed child processes. Retries with exponential backoff come
// with each job (workers/queues.ts); a job whose worker died is found stalled once its
// lock runs out and is run again; SIGTERM/SIGINT stop taking jobs and wait a bounded
// time for the active ones; --exit-when-idle ends the process once no job is waiting,
// active or delayed.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue, Worker, type Job } from 'bullmq';
import { parseJob } from './processors/parse.js';
import { StoreSteps } from './processors/store.js';
import { sweepJob } from './processors/sweep.js';
import { QUEUES, RETENTION, type QueueKey } from './queues.js';
import { clientOf, connectionOf } from './redis.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const PAGE_PROCESSOR = path.join(here, 'processors', 'page.ts');

export interface RunOptions {
  url: string;
  /** Jobs run at once per queue (the store queue always runs one at a time). */
  concurrency: number;
  queues: QueueKey[];
  db: string;
  exitWhenIdle: boolean;
  /** How long a shutdown waits for active jobs before it stops them. */
  graceMs: number;
  /** How long a job's lock lasts: a dead worker's job is run again this long after it died. */
  lockMs: number;
  /** Memory of a sandboxed page process (MB, V8 heap). */
  maxMemoryMb: number;
  log: (line: string) => void;
}

export function defaultConcurrency(): number {
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

const IDLE_CHECK_MS = 1000;

/** Jobs that still have to run in a queue (a scheduler's next, not yet due run does not count). */
async function pendingIn(queue: Queue): Promise<number> {
  const c = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'waiting-children');
  const scheduled = queue.name === QUEUES.inbox ? await queue.getJobSchedulersCount() : 0;
  return (c.wait ?? 0) + (c.active ?? 0) + Math.max(0, (c.delayed ?? 0) - scheduled) + (c.prioritized ?? 0) + (c['waiting-children'] ?? 0);
}

/** Runs until a signal (or, with exitWhenIdle, until no work is left); resolves with the exit code. */
export async function runWorkers(opts: RunOptions): Promise<number> {
  const connection = connectionOf(opts.url);
  const redis = clientOf(opts.url);
  redis.on('error', () => undefined);
  const steps = new StoreSteps(opts.db, redis);
  // The worker's name is kept on each job it takes (job.processedBy): which host and process ran it.
  const common = { connection, name: `${os.hostname()}:${process.pid}`, lockDuration: opts.lockMs, stalledInterval: opts.lockMs, maxStalledCount: 2, ...RETENTION };
  const tsx = import.meta.resolve('tsx');
  const workers: Worker[] = [];
  const want = new Set(opts.queues);
  if (want.has('pages'))
    workers.push(
      new Worker(QUEUES.pages, PAGE_PROCESSOR, {
        ...common,
        concurrency: opts.concurrency,
        // The sandboxed process runs the TypeScript pipeline through tsx, as bin/wsoa.mjs does.
        workerForkOptions: { execArgv: ['--import', tsx, `--max-old-space-size=${Math.max(256, opts.maxMemoryMb)}`] },
      }),
    );
  if (want.has('parse')) workers.push(new Worker(QUEUES.parse, parseJob, { ...common, concurrency: opts.concurrency }));
  if (want.has('store')) workers.push(new Worker(QUEUES.store, (job: Job) => steps.process(job), { ...common, concurrency: 1 }));
  if (want.has('inbox')) workers.push(new Worker(QUEUES.inbox, (job: Job) => sweepJob(job, { url: opts.url, redis, log: opts.log }), { ...common, concurrency: 1 }));

  for (const w of workers) {
    w.on('failed', (job, err) => {
      if (!job) return;
      const final = job.attemptsMade >= (job.opts.attempts ?? 1) || err.name === 'UnrecoverableError';
      opts.log(`${w.name} ${job.id}: ${final ? 'failed' : `attempt ${job.attemptsMade} failed, will retry`}: ${err.message.split('\n')[0]}`);
    });
    w.on('stalled', (jobId) => opts.log(`${w.name} ${jobId}: stalled (its worker stopped renewing the lock); run again`));
    w.on('error', (err) => opts.log(`${w.name}: ${err.message.split('\n')[0]}`));
  }
  opts.log(`worker ${process.pid}: ${workers.map((w) => w.name).join(', ')}; concurrency ${opts.concurrency}; store ${opts.db}`);

  // Idle means: nothing left in the queues this process runs (a pages-only worker need not wait for the store).
  const queues = opts.exitWhenIdle ? opts.queues.map((k) => new Queue(QUEUES[k], { connection })) : [];
  let stopping: Promise<number> | null = null;
  let idleTimer: NodeJS.Timeout | null = null;
  let done!: (code: number) => void;
  const finished = new Promise<number>((resolve) => (done = resolve));

  const stop = (why: string, force = false): Promise<number> => {
    if (stopping && !force) return stopping;
    if (idleTimer) clearTimeout(idleTimer);
    opts.log(`worker ${process.pid}: ${why}; ${force ? 'stopping now' : `waiting up to ${Math.round(opts.graceMs / 1000)} s for active jobs`}`);
    stopping = (async () => {
      let timer: NodeJS.Timeout | undefined;
      const graceful = Promise.all(workers.map((w) => w.close(force))).then(() => true);
      const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), opts.graceMs)));
      const inTime = await Promise.race([graceful, timedOut]);
      clearTimeout(timer);
      if (!inTime) {
        opts.log(`worker ${process.pid}: active jobs did not finish in time; stopped (they run again elsewhere once their locks expire)`);
        await Promise.all(workers.map((w) => w.close(true).catch(() => undefined)));
      }
      await Promise.all(queues.map((q) => q.close().catch(() => undefined)));
      await steps.close();
      redis.disconnect();
      return 0;
    })();
    void stopping.then(done);
    return stopping;
  };

  const onSignal = (sig: NodeJS.Signals) => void stop(`${sig}`, stopping !== null);
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  if (opts.exitWhenIdle) {
    let idleChecks = 0;
    const check = async () => {
      try {
        const pending = (await Promise.all(queues.map(pendingIn))).reduce((a, b) => a + b, 0);
        idleChecks = pending === 0 ? idleChecks + 1 : 0;
      } catch {
        idleChecks = 0; // Redis unreachable: not idle, just waiting.
      }
      if (stopping) return;
      if (idleChecks >= 2) void stop('no job waiting, active or delayed');
      else idleTimer = setTimeout(check, IDLE_CHECK_MS);
    };
    idleTimer = setTimeout(check, IDLE_CHECK_MS);
  }
  const code = await finished;
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
  return code;
}
