// `wsoa diff <old> <new>` (PDF files, or stored document ids or sha256s) and
// `wsoa diff --council NAME` (its latest two stored versions): what changed.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { DiffDocument, DocumentRef, FlatRecord } from '../../schemas/index.js';
import { diffRecords } from '../diff.js';
import { EXIT, WsoaError } from '../exit-codes.js';
import { extractFileIsolated } from '../extract.js';
import type { Limits } from '../limits.js';
import { openStore, type Store, type StoredDocument } from '../store.js';

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
  const side = await storedSide(store, /^\d+$/.test(arg) ? Number(arg) : arg);
  if (!side) throw new WsoaError(`${arg} is neither a file nor a stored document id or sha256`, EXIT.USAGE);
  return side;
}

async function storedSide(store: Store, idOrSha: number | string): Promise<Side | null> {
  const doc = await store.document(idOrSha);
  if (!doc) return null;
  return { records: await store.records(doc.id), ref: { sha256: doc.sha256, fileName: doc.fileName, council: doc.council, versionDate: doc.versionDate }, storedId: doc.id };
}

/**
 * A stored document against the versions of its council next to it (by version date,
 * then storing order): the queue's diff step. `previous` is its diff against the
 * version before it, `next` the diff of the version after it against it (when an older
 * version arrives after a newer one, the chain of diffs stays whole); null where there
 * is no such version. Each diff is stored once (a re-run finds it).
 */
export async function diffNeighbours(store: Store, documentId: number): Promise<{ previous: { document: StoredDocument; diff: DiffDocument } | null; next: { document: StoredDocument; diff: DiffDocument } | null }> {
  const self = await store.document(documentId);
  if (!self) throw new Error(`no stored document ${documentId}`);
  const versions = await store.versionsOf(self.council);
  const i = versions.findIndex((v) => v.id === documentId);
  const pair = async (from: StoredDocument, to: StoredDocument) => {
    const kept = await store.diff(from.id, to.id);
    if (kept) return kept;
    const [a, b] = [(await storedSide(store, from.id))!, (await storedSide(store, to.id))!];
    const diff = diffRecords(a.records, b.records, a.ref, b.ref);
    await store.storeDiff(from.id, to.id, diff);
    return diff;
  };
  const before = i > 0 ? versions[i - 1]! : null;
  const after = i >= 0 && i < versions.length - 1 ? versions[i + 1]! : null;
  return {
    previous: before ? { document: before, diff: await pair(before, self) } : null,
    next: after ? { document: after, diff: await pair(self, after) } : null,
  };
}

/** Entries per change kind ('unchanged' for those with none). */
export function changeCounts(diff: DiffDocument): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of diff.entries) for (const c of e.changes.length ? e.changes : ['unchanged']) counts.set(c, (counts.get(c) ?? 0) + 1);
  return counts;
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
  const counts = changeCounts(diff);
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
