// `wsoa diff <old> <new>` (PDF files, or stored document ids or sha256s) and
// `wsoa diff --council NAME` (its latest two stored versions): what changed.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { DiffDocument, DocumentRef, FlatRecord } from '../../schemas/index.js';
import { diffRecords } from '../diff.js';
import { EXIT, WsoaError } from '../exit-codes.js';
import { extractFileIsolated } from '../extract.js';
import type { Limits } from '../limits.js';
import { openStore, type Store } from '../store.js';

interface Side {
  records: FlatRecord[];
  ref: DocumentRef;
  storedId: number | null;
}

async function sideOf(arg: string, store: Store | null, limits: Limits): Promise<Side> {
  if (existsSync(arg)) {
    const { document, records } = await extractFileIsolated(arg, limits);
    return { records, ref: { sha256: document.sha256, fileName: path.basename(arg), council: document.council, versionDate: document.versionDate }, storedId: null };
  }
  if (!store) throw new WsoaError(`${arg} is not a file, and there is no store to look it up in`, EXIT.USAGE);
  const doc = await store.document(/^\d+$/.test(arg) ? Number(arg) : arg);
  if (!doc) throw new WsoaError(`${arg} is neither a file nor a stored document id or sha256`, EXIT.USAGE);
  return { records: await store.records(doc.id), ref: { sha256: doc.sha256, fileName: doc.fileName, council: doc.council, versionDate: doc.versionDate }, storedId: doc.id };
}

export async function diffCommand(args: { old?: string; new?: string; council?: string; store: string; limits: Limits }): Promise<DiffDocument> {
  const needStore = !!args.council || !(args.old && existsSync(args.old) && args.new && existsSync(args.new));
  const store = needStore ? await openStore(args.store) : null;
  try {
    let from: Side;
    let to: Side;
    if (args.council) {
      const versions = await store!.versionsOf(args.council);
      if (versions.length < 2) throw new WsoaError(`${args.council}: ${versions.length} stored version(s); a diff needs two`, EXIT.USAGE);
      const [a, b] = versions.slice(-2) as [(typeof versions)[number], (typeof versions)[number]];
      from = await sideOf(String(a.id), store, args.limits);
      to = await sideOf(String(b.id), store, args.limits);
    } else {
      if (!args.old || !args.new) throw new WsoaError('diff takes two documents, or --council NAME', EXIT.USAGE);
      from = await sideOf(args.old, store, args.limits);
      to = await sideOf(args.new, store, args.limits);
    }
    const diff = diffRecords(from.records, to.records, from.ref, to.ref);
    if (store && from.storedId !== null && to.storedId !== null) await store.storeDiff(from.storedId, to.storedId, diff);
    return diff;
  } finally {
    await store?.close();
  }
}

/** The terminal summary: counts per change kind, then each change on a line. */
export function diffSummary(diff: DiffDocument, max = 40): string[] {
  const counts = new Map<string, number>();
  for (const e of diff.entries) for (const c of e.changes.length ? e.changes : ['unchanged']) counts.set(c, (counts.get(c) ?? 0) + 1);
  const lines = [`${diff.from.fileName} -> ${diff.to.fileName}: ${[...counts.entries()].map(([k, v]) => `${v} ${k}`).join(', ')}`];
  const changed = diff.entries.filter((e) => e.changes.length);
  for (const e of changed.slice(0, max)) {
    const refs = e.oldRef && e.newRef && e.oldRef !== e.newRef ? `${e.oldRef} -> ${e.newRef}` : (e.newRef ?? e.oldRef);
    const extra: string[] = [];
    if (e.details.ratings) for (const [col, v] of Object.entries(e.details.ratings)) extra.push(`${col} ${v?.from ?? '-'} -> ${v?.to ?? '-'}`);
    if (e.details.due?.days !== undefined && e.details.due.days !== null) extra.push(`due ${e.details.due.days > 0 ? '+' : ''}${e.details.due.days} days`);
    if (e.details.leads) extra.push(`leads ${e.details.leads.from.join('/') || '-'} -> ${e.details.leads.to.join('/') || '-'}`);
    lines.push(`  ${e.kind.padEnd(9)} ${String(refs).padEnd(16)} ${e.changes.join(', ')}${extra.length ? `  (${extra.join('; ')})` : ''}`);
  }
  if (changed.length > max) lines.push(`  ... and ${changed.length - max} more (use --json, --markdown or --html)`);
  return lines;
}
