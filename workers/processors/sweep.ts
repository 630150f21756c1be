// The inbox sweep the job scheduler runs (`wsoa schedule`): every file in the inbox is
// enqueued (a file already known to Redis is not added twice), the sweep waits for each
// flow to end, moves the file to processed/ or failed/ (with a .reason.txt beside it)
// and writes the morning report. A sweep that dies is run again: the files it had not
// moved are still in the inbox, and their flows are found by their ids.
import { mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FlowProducer, Queue, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { DiffJobResult, StoreJobResult, SweepJobData, type ReportEntry } from '../../schemas/index.js';
import { Limits } from '../../pipeline/limits.js';
import { enqueueFile } from '../enqueue.js';
import { jobIds } from '../queues.js';
import { connectionOf } from '../redis.js';
import { closeQueues, failureReason, openQueues } from '../status.js';
import { writeMorningReport } from '../report.js';

const POLL_MS = 500;

/** The files a sweep picks up: regular files directly in the inbox, hidden ones left alone. */
export function inboxFiles(inbox: string): string[] {
  return readdirSync(inbox)
    .filter((name) => !name.startsWith('.'))
    .map((name) => path.join(inbox, name))
    .filter((p) => statSync(p).isFile())
    .sort();
}

/** Moves a file into a folder of the inbox, not over another file of the same name. */
function moveInto(file: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const ext = path.extname(file);
  let target = path.join(dir, path.basename(file));
  for (let i = 2; statSync(target, { throwIfNoEntry: false }); i++) target = path.join(dir, `${path.basename(file, ext)}-${i}${ext}`);
  renameSync(file, target);
  return target;
}

/** How long one sweep waits for its flows; what has not ended by then stays in the inbox for the next sweep. */
export const SWEEP_WAIT_MS = 6 * 3600 * 1000;

/** Waits for a document's flow to end (null past the deadline); a flow that Redis has lost meanwhile is added again. */
async function flowEnd(storeQueue: Queue, sha256: string, deadline: number, enqueueAgain: () => Promise<unknown>): Promise<Job | null> {
  while (Date.now() < deadline) {
    const root = await storeQueue.getJob(jobIds.diff(sha256));
    if (!root) await enqueueAgain();
    else if (root.finishedOn && (await root.isCompleted() || await root.isFailed())) return root;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return null;
}

export async function sweepJob(job: Job, ctx: { url: string; redis: Redis; log: (line: string) => void }): Promise<{ files: number; report: string | null }> {
  const data = SweepJobData.parse(job.data);
  const limits = Limits.parse(data.limits);
  const files = inboxFiles(data.inbox);
  if (!files.length) return { files: 0, report: null };
  const connection = connectionOf(ctx.url);
  const flows = new FlowProducer({ connection });
  const queues = openQueues(connection);
  try {
    const enqueue = (file: string) => enqueueFile({ redis: ctx.redis, flows, storeQueue: queues.store }, file, { ocr: data.ocr, limits, council: null });
    const queued = [];
    // Every file first, so the workers have them all; then wait for each.
    for (const file of files) {
      const q = await enqueue(file);
      ctx.log(`inbox: ${path.basename(file)} ${q.status === 'queued' ? `queued (${q.pages} pages)` : q.status === 'known' ? `already in the queue (${q.state})` : q.reason}`);
      queued.push(q);
    }
    const entries: ReportEntry[] = [];
    const deadline = Date.now() + SWEEP_WAIT_MS;
    for (const [i, q] of queued.entries()) {
      const file = files[i]!;
      const entry: ReportEntry = { file: path.basename(file), sha256: q.sha256, status: 'failed', movedTo: null, store: null, diff: null, reason: q.reason };
      if (q.sha256) {
        const root = await flowEnd(queues.store, q.sha256, deadline, () => enqueue(file));
        if (!root) {
          entry.status = 'pending';
          entry.reason = `its flow had not ended after ${SWEEP_WAIT_MS / 3600000} h: left in the inbox for the next sweep`;
        } else if (await root.isCompleted()) {
          entry.diff = DiffJobResult.parse(root.returnvalue);
          entry.store = StoreJobResult.parse(Object.values((await root.getChildrenValues()) ?? {})[0]);
          // A file whose flow had run before (same bytes) was stored then, not now.
          entry.status = entry.store.alreadyStored || q.status === 'known' ? 'already-stored' : 'stored';
          entry.reason = null;
        } else entry.reason = await failureReason(queues, root);
      }
      if (entry.status !== 'pending') try {
        const target = moveInto(file, path.join(data.inbox, entry.status === 'failed' ? 'failed' : 'processed'));
        entry.movedTo = path.relative(data.inbox, target);
        if (entry.status === 'failed') writeFileSync(`${target}.reason.txt`, `${entry.reason ?? 'unknown'}\n`);
      } catch (err) {
        // Moved by another sweep already.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      entries.push(entry);
      await job.updateProgress(Math.round(((i + 1) / queued.length) * 100));
    }
    const report = writeMorningReport(data.reports, data.inbox, entries);
    ctx.log(`inbox: ${entries.length} files swept; report ${report}`);
    return { files: entries.length, report };
  } finally {
    await flows.close();
    await closeQueues(queues);
  }
}
