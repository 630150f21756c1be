// Queue mode's commands (workers/ holds the queues and processors): `wsoa enqueue`,
// `wsoa worker`, `wsoa schedule`, `wsoa status`. Each checks the Redis server first.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { FlowProducer, type Queue } from 'bullmq';
import type { SweepJobData } from '../../schemas/index.js';
import { EXIT, WsoaError } from '../exit-codes.js';
import type { Limits } from '../limits.js';
import { pdfFilesOf } from './ingest.js';
import { enqueueFile, type Enqueued } from '../../workers/enqueue.js';
import { QUEUE_KEYS, SWEEP_SCHEDULER_ID, type QueueKey } from '../../workers/queues.js';
import { checkRedis, clientOf, connectionOf, redisUrl } from '../../workers/redis.js';
import { runWorkers, type RunOptions } from '../../workers/run.js';
import { closeQueues, openQueues, queueStatus, type QueueStatus } from '../../workers/status.js';

/** REDIS_URL, checked: reachable, >= 6.2, noeviction. */
export async function checkedRedisUrl(): Promise<string> {
  const url = redisUrl();
  await checkRedis(url);
  return url;
}

export async function enqueueCommand(paths: string[], opts: { ocr: boolean; limits: Limits; council: string | null }): Promise<Enqueued[]> {
  const url = await checkedRedisUrl();
  const connection = connectionOf(url);
  const redis = clientOf(url);
  const flows = new FlowProducer({ connection });
  const queues = openQueues(connection);
  try {
    const out: Enqueued[] = [];
    for (const file of pdfFilesOf(paths)) out.push(await enqueueFile({ redis, flows, storeQueue: queues.store }, file, opts));
    return out;
  } finally {
    await flows.close();
    await closeQueues(queues);
    redis.disconnect();
  }
}

export function enqueueLine(e: Enqueued): string {
  const name = path.basename(e.file);
  if (e.status === 'queued') return `queued   ${name}: ${e.pages} page job${e.pages === 1 ? '' : 's'} (${e.sha256!.slice(0, 12)})`;
  if (e.status === 'known') return `known    ${name}: already in the queue, ${e.state}${e.reason ? `: ${e.reason}` : ''}`;
  return `FAILED   ${name}: ${e.reason}`;
}

export function parseQueues(list: string | undefined): QueueKey[] {
  if (!list) return [...QUEUE_KEYS];
  const keys = list.split(',').map((s) => s.trim()).filter(Boolean);
  for (const k of keys) if (!(QUEUE_KEYS as string[]).includes(k)) throw new WsoaError(`--queues takes ${QUEUE_KEYS.join(', ')}, not ${k}`, EXIT.USAGE);
  return keys as QueueKey[];
}

export async function workerCommand(opts: Omit<RunOptions, 'url'>): Promise<number> {
  const url = await checkedRedisUrl();
  return runWorkers({ ...opts, url });
}

export interface ScheduleOptions {
  inbox: string;
  cron: string;
  tz?: string;
  reports: string;
  ocr: boolean;
  limits: Limits;
  /** Also sweep once now. */
  now: boolean;
}

/** Registers (or updates) the one inbox scheduler; returns when its next run is due. */
export async function scheduleCommand(opts: ScheduleOptions): Promise<{ next: Date | null; now: boolean }> {
  if (!existsSync(opts.inbox) || !statSync(opts.inbox).isDirectory()) throw new WsoaError(`--inbox ${opts.inbox} is not a folder`, EXIT.USAGE);
  return withQueues(async (queues) => {
    const data: SweepJobData = { inbox: path.resolve(opts.inbox), reports: path.resolve(opts.reports), ocr: opts.ocr, limits: { ...opts.limits } };
    let next;
    try {
      next = await queues.inbox.upsertJobScheduler(SWEEP_SCHEDULER_ID, { pattern: opts.cron, ...(opts.tz ? { tz: opts.tz } : {}) }, { name: 'sweep', data });
    } catch (err) {
      throw new WsoaError(`--cron ${JSON.stringify(opts.cron)}: ${(err as Error).message.split('\n')[0]}`, EXIT.USAGE);
    }
    if (opts.now) await queues.inbox.add('sweep', data, { jobId: `sweep-now-${Date.now()}`, removeOnComplete: { age: 24 * 3600 }, removeOnFail: { age: 7 * 24 * 3600 } });
    const at = next?.timestamp !== undefined ? next.timestamp + (next.delay ?? 0) : null;
    // The scheduler stores the delay from its own clock reading: round to the second it means.
    return { next: at ? new Date(Math.round(at / 1000) * 1000) : null, now: opts.now };
  });
}

export function unscheduleCommand(): Promise<boolean> {
  return withQueues((queues) => queues.inbox.removeJobScheduler(SWEEP_SCHEDULER_ID));
}

export function statusCommand(): Promise<QueueStatus> {
  return withQueues((queues) => queueStatus(queues));
}

/** Work on the queues of the checked REDIS_URL, closed after. */
async function withQueues<T>(work: (queues: Record<QueueKey, Queue>) => Promise<T>): Promise<T> {
  const url = await checkedRedisUrl();
  const queues = openQueues(connectionOf(url));
  try {
    return await work(queues);
  } finally {
    await closeQueues(queues);
  }
}
