// `wsoa export --format csv|jsonl|json [--council X] [--kind action] [--document ID]`:
// the records of the latest stored version of each document (or of one document).
import { stringify } from 'csv-stringify/sync';
import type { FlatRecord } from '../../schemas/index.js';
import { EXIT, WsoaError } from '../exit-codes.js';
import { openStore } from '../store.js';

export interface ExportRow {
  council: string | null;
  documentId: number;
  fileName: string;
  versionDate: string | null;
  record: FlatRecord;
}

export async function exportRecords(opts: { store: string; council?: string; kind?: string; document?: string }): Promise<ExportRow[]> {
  const store = await openStore(opts.store);
  try {
    const docs = opts.document
      ? [await store.document(/^\d+$/.test(opts.document) ? Number(opts.document) : opts.document)].filter((d): d is NonNullable<typeof d> => !!d)
      : await store.latestVersions(opts.council);
    if (opts.document && !docs.length) throw new WsoaError(`no stored document ${opts.document}`, EXIT.USAGE);
    const rows: ExportRow[] = [];
    for (const d of docs) {
      for (const r of await store.records(d.id, opts.kind ? { kind: opts.kind as FlatRecord['kind'] } : {}))
        rows.push({ council: d.council, documentId: d.id, fileName: d.fileName, versionDate: d.versionDate, record: r });
    }
    return rows;
  } finally {
    await store.close();
  }
}

/** Flat columns for spreadsheets: one row per record, lists joined with "; ". */
export function exportCsv(rows: ExportRow[]): string {
  const header = ['council', 'document', 'file', 'version_date', 'kind', 'ref', 'display_ref', 'parent', 'text', 'leads', 'lead_names', 'partners', 'due', 'due_start', 'due_end', 'ratings', 'progress_note', 'page', 'bbox', 'method', 'confidence'];
  const body = rows.map(({ council, documentId, fileName, versionDate, record: r }) => {
    const a = r.kind === 'action' ? r : null;
    const m = r.kind === 'measure' ? r : null;
    const due = a ?? m;
    return [
      council ?? '',
      documentId,
      fileName,
      versionDate ?? '',
      r.kind,
      r.ref,
      r.displayRef,
      r.parent ?? '',
      r.text,
      a ? a.leads.join('; ') : '',
      a ? a.leadNames.map((n) => n ?? '').join('; ') : '',
      a ? a.partners.join('; ') : '',
      due?.due ?? '',
      due?.dueRange?.start ?? '',
      due?.dueRange?.end ?? '',
      due ? Object.entries(due.ratings).filter(([, v]) => v).map(([k, v]) => `${k}=${v}`).join('; ') : '',
      a?.progressNote ?? '',
      r.provenance.page,
      r.provenance.bbox.join(' '),
      r.provenance.method,
      r.provenance.confidence,
    ];
  });
  return stringify([header, ...body]);
}
