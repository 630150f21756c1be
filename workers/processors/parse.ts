// The parse step of a document's flow: the pages its page jobs read, gathered as the
// isolated reader gathers them (pipeline/read-result.ts: same order, same warnings),
// then parsed and validated by pipeline/extract.ts. Returns the extraction for the
// store step. A page job that failed for good is a warning, as a reader crash is
// in-process; a document with no page read (it would not open, or no page has text)
// fails for good, with the reason.
import { UnrecoverableError, type Job } from 'bullmq';
import { DocumentJob, PageJobResult } from '../../schemas/index.js';
import { WsoaError } from '../../pipeline/exit-codes.js';
import { documentOf, type Extraction } from '../../pipeline/extract.js';
import { Limits } from '../../pipeline/limits.js';
import { ReadCollector } from '../../pipeline/read-result.js';
import type { PageRead } from '../../pipeline/read-page.js';
import { decodePageRead } from '../queues.js';

export async function parseJob(job: Job): Promise<Extraction & { ocrPages: number }> {
  const data = DocumentJob.parse(job.data);
  const limits = Limits.parse(data.limits);
  const pages = Object.values((await job.getChildrenValues()) ?? {})
    .map((v) => PageJobResult.parse(v))
    .sort((a, b) => a.page - b.page);
  // Page jobs that failed for good: the file would not open (every page job fails with that reason), or the page's process kept dying.
  const failed = Object.entries((await job.getIgnoredChildrenFailures()) ?? {})
    .map(([key, reason]) => ({ page: Number(/-(\d+)$/.exec(key)?.[1] ?? 0), reason: String(reason).split('\n')[0]! }))
    .sort((a, b) => a.page - b.page);
  if (failed.length && !pages.length) throw new UnrecoverableError(failed[0]!.reason);
  const read = new ReadCollector(limits);
  read.open({ pageCount: data.pageCount, sha256: data.sha256, xrefIntact: data.xrefIntact });
  const outcomes = [...pages, ...failed.map((f) => ({ outcome: 'failed' as const, ...f }))].sort((a, b) => a.page - b.page);
  for (const p of outcomes) {
    if (p.outcome === 'read') read.page(decodePageRead(p.read) as PageRead);
    else if (p.outcome === 'error') read.pageError(p.page, p.message);
    else if (p.outcome === 'stopped') read.stopped(p.kind, p.page, p.detail);
    else read.stopped('crash', p.page, `the page job failed for good: ${p.reason}`);
  }
  let layouts;
  try {
    layouts = read.finish();
  } catch (err) {
    if (err instanceof WsoaError) throw new UnrecoverableError(err.message);
    throw err;
  }
  return { ...documentOf(layouts, { sha256: data.sha256, fileName: data.fileName, pageCount: data.pageCount }, read.warnings, read.ocrPages), ocrPages: read.ocrPages.size };
}
