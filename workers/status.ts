// What the queues hold: counts per queue and state, the failed jobs with their reasons
// (`wsoa status`), and the reason a document's flow failed (the first step that failed,
// not the parents that failed because of it).
import { Queue, type ConnectionOptions, type Job } from 'bullmq';
import { QUEUES, QUEUE_KEYS, type QueueKey } from './queues.js';

export const STATES = ['waiting', 'active', 'delayed', 'waiting-children', 'completed', 'failed'] as const;

export function openQueues(connection: ConnectionOptions): Record<QueueKey, Queue> {
  return Object.fromEntries(QUEUE_KEYS.map((k) => [k, new Queue(QUEUES[k], { connection })])) as Record<QueueKey, Queue>;
}

export async function closeQueues(queues: Record<QueueKey, Queue>): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close().catch(() => undefined)));
}

export interface FailedJob {
  queue: string;
  id: string;
  name: string;
  reason: string;
  attempts: number;
  finishedOn: string | null;
  file: string | null;
}

export interface QueueStatus {
  queues: { name: string; counts: Record<(typeof STATES)[number], number>; schedulers: number }[];
  failed: FailedJob[];
}

const CHILD_FAILED = /^child (\S+) failed$/;

/** Why a job failed: its own reason, or, when it failed because a child did, the child's (followed down). */
export async function failureReason(queues: Record<QueueKey, Queue>, job: Job): Promise<string> {
  let reason = job.failedReason ?? 'unknown';
  for (let depth = 0; depth < 5; depth++) {
    const m = CHILD_FAILED.exec(reason);
    if (!m) break;
    // bull:<queue>:<id>
    const [, queueName, ...id] = m[1]!.split(':');
    const queue = Object.values(queues).find((q) => q.name === queueName);
    const child = queue ? await queue.getJob(id.join(':')) : undefined;
    if (!child?.failedReason) break;
    reason = child.failedReason;
  }
  return reason.split('\n')[0]!;
}

export async function queueStatus(queues: Record<QueueKey, Queue>, maxFailed = 50): Promise<QueueStatus> {
  const out: QueueStatus = { queues: [], failed: [] };
  for (const q of Object.values(queues)) {
    const c = await q.getJobCounts('wait', 'active', 'delayed', 'waiting-children', 'completed', 'failed', 'prioritized');
    const counts = { waiting: (c.wait ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0, delayed: c.delayed ?? 0, 'waiting-children': c['waiting-children'] ?? 0, completed: c.completed ?? 0, failed: c.failed ?? 0 };
    out.queues.push({ name: q.name, counts, schedulers: await q.getJobSchedulersCount() });
    for (const job of await q.getFailed(0, maxFailed - 1)) {
      out.failed.push({
        queue: q.name,
        id: job.id ?? '',
        name: job.name,
        reason: (job.failedReason ?? '').split('\n')[0]!,
        attempts: job.attemptsMade,
        finishedOn: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
        file: typeof job.data?.fileName === 'string' ? job.data.fileName : null,
      });
    }
  }
  return out;
}

/** The status as lines for a terminal. */
export function statusLines(s: QueueStatus): string[] {
  const head = `${'queue'.padEnd(12)}${STATES.map((st) => st.padStart(17)).join('')}`;
  const rows = s.queues.map((q) => `${q.name.padEnd(12)}${STATES.map((st) => String(q.counts[st]).padStart(17)).join('')}${q.schedulers ? `  (${q.schedulers} scheduler${q.schedulers > 1 ? 's' : ''})` : ''}`);
  const failed = s.failed.map((f) => `  ${f.queue} ${f.id}${f.file ? ` (${f.file})` : ''}, ${f.attempts} attempt${f.attempts === 1 ? '' : 's'}: ${f.reason}`);
  return [head, ...rows, ...(failed.length ? [`failed jobs (${failed.length}):`, ...failed] : ['no failed jobs'])];
}
