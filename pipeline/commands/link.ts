// `wsoa link <report.pdf> <plan>`: the numbered paragraphs of a narrative progress
// report matched to the actions of the plan they speak about, with scores. The plan is
// a PDF or a stored document (id or sha256).
import { existsSync } from 'node:fs';
import type { FlatRecord, Link, ReportParagraph } from '../../schemas/index.js';
import { EXIT, WsoaError } from '../exit-codes.js';
import { extractFileIsolated } from '../extract.js';
import { readIsolated } from '../isolate/watch.js';
import type { Limits } from '../limits.js';
import { linkReportToPlan } from '../link.js';
import { readNarrativeReport } from '../report.js';
import { openStore } from '../store.js';

export async function linkCommand(report: string, plan: string, opts: { store: string; limits: Limits }): Promise<{ paragraphs: ReportParagraph[]; links: Link[] }> {
  const read = await readIsolated(report, opts.limits);
  const paragraphs = readNarrativeReport(read.layouts);
  if (!paragraphs.length) throw new WsoaError(`${report}: no numbered paragraphs found; is it a narrative report?`, EXIT.BAD_INPUT);
  let records: FlatRecord[];
  if (existsSync(plan)) records = (await extractFileIsolated(plan, opts.limits)).records;
  else {
    const store = await openStore(opts.store);
    try {
      const doc = await store.document(/^\d+$/.test(plan) ? Number(plan) : plan);
      if (!doc) throw new WsoaError(`${plan} is neither a file nor a stored document`, EXIT.USAGE);
      records = await store.records(doc.id);
    } finally {
      await store.close();
    }
  }
  return { paragraphs, links: linkReportToPlan(paragraphs, records) };
}
