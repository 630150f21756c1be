// Adding documents to the queue: one flow per file (workers/queues.ts), its bytes put in
// Redis for the page jobs on any host. A file whose flow is still known to Redis is not
// added again; one that Redis has forgotten is, and the store then finds its sha256.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FlowProducer, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DocumentJob } from '../schemas/index.js';
import type { Limits } from '../pipeline/limits.js';
import { DEFAULT_LOAD_SETTINGS, loadDocument, sha256Of, xrefLooksIntact } from '../pipeline/load.js';
import { documentFlow, jobIds, PDF_TTL_SECONDS, pdfKey } from './queues.js';

export interface EnqueueContext {
  redis: Redis;
  flows: FlowProducer;
  /** The store queue, where each flow's root (its diff step) lives. */
  storeQueue: Queue;
}

export interface EnqueueOptions {
  ocr: boolean;
  limits: Limits;
  council: string | null;
}

export interface Enqueued {
  file: string;
  sha256: string | null;
  /** queued: a new flow; known: a flow of this file is in Redis already (its state given); unreadable: no bytes to queue. */
  status: 'queued' | 'known' | 'unreadable';
  /** Page jobs of the flow (queued), or the known flow's root state. */
  pages: number;
  state: string | null;
  reason: string | null;
}

/** The pages a file opens with, or 0 when it does not open (its single page job will fail with the reason). */
async function pageCountOf(bytes: Uint8Array, limits: Limits): Promise<number> {
  try {
    const doc = await loadDocument(bytes, { ...DEFAULT_LOAD_SETTINGS, maxItemsPerPage: limits.maxItemsPerPage });
    await doc.close();
    return doc.pageCount;
  } catch {
    return 0;
  }
}

export async function enqueueFile(ctx: EnqueueContext, file: string, opts: EnqueueOptions): Promise<Enqueued> {
  let bytes: Buffer;
  try {
    if (statSync(file).isDirectory()) return { file, sha256: null, status: 'unreadable', pages: 0, state: null, reason: `${file} is a folder, not a PDF` };
    bytes = readFileSync(file);
  } catch (err) {
    return { file, sha256: null, status: 'unreadable', pages: 0, state: null, reason: `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
  const sha256 = sha256Of(bytes);
  const known = await ctx.storeQueue.getJob(jobIds.diff(sha256));
  if (known) return { file, sha256, status: 'known', pages: 0, state: await known.getState(), reason: known.failedReason ?? null };
  const pageCount = await pageCountOf(bytes, opts.limits);
  const doc: DocumentJob = {
    sha256,
    fileName: path.basename(file),
    file: path.resolve(file),
    pageCount,
    xrefIntact: pageCount > 0 ? xrefLooksIntact(bytes) : true,
    ocr: opts.ocr,
    limits: { ...opts.limits },
    council: opts.council,
  };
  await ctx.redis.set(pdfKey(sha256), bytes, 'EX', PDF_TTL_SECONDS);
  const pages = Math.min(pageCount, opts.limits.maxPages);
  await ctx.flows.add(documentFlow(doc, pages));
  return { file, sha256, status: 'queued', pages: Math.max(1, pages), state: 'waiting-children', reason: null };
}
