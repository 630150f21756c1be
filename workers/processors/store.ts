// The store queue's two steps, the only jobs that open the SQLite file: `store` writes the
// extraction its parse step returned (one transaction; a sha256 already stored is left
// as it is, so a re-run or a second flow of the same file stores nothing twice), and
// `diff` diffs the stored document against the council's previous version.
import { type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { StoreJobResult, type DiffDocument, type DiffJobResult } from '../../schemas/index.js';
import type { Extraction } from '../../pipeline/extract.js';
import { openStore, type Store } from '../../pipeline/store.js';
import { pdfKey } from '../queues.js';

/** The value of a job's only child (a parent's children values are keyed by the child's Redis key). */
export async function onlyChildValue(job: Job): Promise<unknown> {
  const values = Object.values((await job.getChildrenValues()) ?? {});
  if (values.length !== 1) throw new Error(`job ${job.id}: expected the result of one child step, found ${values.length}`);
  return values[0];
}

export class StoreSteps {
  private store: Promise<Store> | null = null;

  constructor(
    private readonly db: string,
    private readonly redis: Redis,
  ) {}

  private open(): Promise<Store> {
    return (this.store ??= openStore(this.db).catch((err) => {
      this.store = null;
      throw err;
    }));
  }

  async process(job: Job): Promise<unknown> {
    if (job.name === 'store') return this.storeStep(job);
    if (job.name === 'diff') return this.diffStep(job);
    throw new Error(`unknown job ${job.name} in the store queue`);
  }

  private async storeStep(job: Job): Promise<StoreJobResult> {
    const { ocrPages, ...extraction } = (await onlyChildValue(job)) as Extraction & { ocrPages: number };
    const council = typeof job.data?.council === 'string' ? job.data.council : undefined;
    const store = await this.open();
    const stored = await store.ingest(extraction, council ? { council } : {});
    const doc = (await store.document(stored.documentId))!;
    const records: Record<string, number> = {};
    for (const r of extraction.records) records[r.kind] = (records[r.kind] ?? 0) + 1;
    // Every page has been read: the bytes are not needed any more.
    await this.redis.del(pdfKey(doc.sha256));
    return StoreJobResult.parse({
      sha256: doc.sha256,
      fileName: doc.fileName,
      documentId: stored.documentId,
      council: doc.council,
      alreadyStored: stored.skipped,
      pages: extraction.document.pageCount,
      ocrPages,
      records,
      warnings: extraction.document.warnings.length,
    });
  }

  private async diffStep(job: Job): Promise<DiffJobResult> {
    const stored = StoreJobResult.parse(await onlyChildValue(job));
    const { diffNeighbours, changeCounts } = await import('../../pipeline/commands/diff.js');
    const { previous, next } = await diffNeighbours(await this.open(), stored.documentId);
    const changed = (d: DiffDocument) => d.entries.filter((e) => e.changes.length).length;
    return {
      documentId: stored.documentId,
      council: stored.council,
      previous: previous ? { documentId: previous.document.id, fileName: previous.document.fileName, versionDate: previous.document.versionDate } : null,
      changes: previous ? Object.fromEntries([...changeCounts(previous.diff)].filter(([k]) => k !== 'unchanged')) : {},
      changed: previous ? changed(previous.diff) : 0,
      next: next ? { documentId: next.document.id, fileName: next.document.fileName, changed: changed(next.diff) } : null,
    };
  }

  async close(): Promise<void> {
    const s = this.store;
    this.store = null;
    if (s) await (await s.catch(() => null))?.close();
  }
}
