// Queue mode's queues and the flow of one document, in one place:
//
//   diff (wsoa-store)                 the changes against the council's previous version
//    └ store (wsoa-store)             the one step that writes SQLite
//       └ parse (wsoa-parse)          parse + validate the pages read
//          └ page 1..N (wsoa-pages)   read one page (text layer or OCR), sandboxed
//
// Job ids derive from the document's sha256 (and page number), so adding the same file
// twice adds nothing; the store's unique sha256 keeps "stored once" true after Redis
// has forgotten old jobs. A parse, store or diff step that fails for good fails its
// parent, so a flow ends either with its diff completed or with its root failed; a page
// job that fails for good is left to the parse step.
import v8 from 'node:v8';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { FlowJob, JobsOptions } from 'bullmq';
import type { DocumentJob } from '../schemas/index.js';

export const QUEUES = {
  pages: 'wsoa-pages',
  parse: 'wsoa-parse',
  store: 'wsoa-store',
  inbox: 'wsoa-inbox',
} as const;
export type QueueKey = keyof typeof QUEUES;
export const QUEUE_KEYS = Object.keys(QUEUES) as QueueKey[];

/** The id of the scheduler that sweeps the inbox. */
export const SWEEP_SCHEDULER_ID = 'wsoa-inbox-sweep';

/** Completed jobs kept a day (at most 5,000 a queue), failed ones a week: what `wsoa status` and the dashboard show. */
export const RETENTION = {
  removeOnComplete: { age: 24 * 3600, count: 5000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 20_000 },
} as const;

/** Options of every job: retries with exponential backoff, retention. */
export function jobOptions(attempts: number, extra: JobsOptions = {}): JobsOptions {
  return { attempts, backoff: { type: 'exponential', delay: 1000 }, ...RETENTION, ...extra };
}

export const jobIds = {
  page: (sha256: string, page: number) => `page-${sha256}-${page}`,
  parse: (sha256: string) => `parse-${sha256}`,
  store: (sha256: string) => `store-${sha256}`,
  diff: (sha256: string) => `diff-${sha256}`,
};

/** The flow of one document; `pages` page jobs (a document that would not open gets one, which fails with the reason). */
export function documentFlow(doc: DocumentJob, pages: number): FlowJob {
  const child = { failParentOnFailure: true };
  return {
    name: 'diff',
    queueName: QUEUES.store,
    data: { sha256: doc.sha256, fileName: doc.fileName },
    opts: { jobId: jobIds.diff(doc.sha256), ...jobOptions(3) },
    children: [
      {
        name: 'store',
        queueName: QUEUES.store,
        data: { sha256: doc.sha256, fileName: doc.fileName, council: doc.council },
        opts: { jobId: jobIds.store(doc.sha256), ...jobOptions(5, child) },
        children: [
          {
            name: 'parse',
            queueName: QUEUES.parse,
            data: doc,
            opts: { jobId: jobIds.parse(doc.sha256), ...jobOptions(3, child) },
            children: Array.from({ length: Math.max(1, pages) }, (_, i) => ({
              name: 'page',
              queueName: QUEUES.pages,
              data: { ...doc, page: i + 1 },
              // A page that fails for good is the parse step's to judge: a warning, or the document's failure when no page was read.
              opts: { jobId: jobIds.page(doc.sha256, i + 1), ...jobOptions(3, { ignoreDependencyOnFailure: true }) },
            })),
          },
        ],
      },
    ],
  };
}

/** Key of a document's PDF bytes in Redis: page jobs on any host read the file from there. */
export const pdfKey = (sha256: string) => `wsoa:pdf:${sha256}`;
/** How long the bytes are kept when nothing removes them (a flow that failed). */
export const PDF_TTL_SECONDS = 7 * 24 * 3600;

/**
 * A page as read, as a page job returns it: V8's serialization (what the isolated
 * reader's IPC uses: shared references, -0, NaN and undefined kept; ~50x faster than
 * JSON for a page's layout), gzipped, base64. A 171 KB JSON page is ~14 KB in Redis.
 * Hosts of one queue run the same Node major, as V8's format requires.
 */
export function encodePageRead(read: unknown): string {
  return gzipSync(v8.serialize(read), { level: 1 }).toString('base64');
}

export function decodePageRead(data: string): unknown {
  return v8.deserialize(gunzipSync(Buffer.from(data, 'base64')));
}
