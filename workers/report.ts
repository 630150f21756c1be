// The morning report of an inbox sweep: JSON (schemas/queue.ts MorningReport) for scripts
// and Markdown for people, side by side in output/reports/.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MorningReport, SCHEMA_VERSION, type ReportEntry } from '../schemas/index.js';

export function morningReport(inbox: string, entries: ReportEntry[], now = new Date()): MorningReport {
  const count = (s: ReportEntry['status']) => entries.filter((e) => e.status === s).length;
  return MorningReport.parse({
    schemaVersion: SCHEMA_VERSION,
    generatedAt: now.toISOString(),
    inbox,
    totals: { files: entries.length, stored: count('stored'), alreadyStored: count('already-stored'), failed: count('failed'), pending: count('pending'), changed: entries.filter((e) => (e.diff?.changed ?? 0) > 0).length },
    documents: entries,
  });
}

const recordsLine = (r: Record<string, number | undefined>) => ['area', 'objective', 'action', 'measure'].map((k) => `${r[k] ?? 0} ${k}s`).join(', ');

export function reportMarkdown(r: MorningReport): string {
  const lines = [`# wsoa inbox report, ${r.generatedAt}`, '', `Inbox \`${r.inbox}\`: ${r.totals.files} files, ${r.totals.stored} new documents stored, ${r.totals.alreadyStored} already stored, ${r.totals.failed} failed, ${r.totals.changed} with changes against the previous version${r.totals.pending ? `, ${r.totals.pending} still in the queue` : ''}.`, ''];
  const stored = r.documents.filter((d) => d.status === 'stored' || d.status === 'already-stored');
  lines.push('## New documents', '');
  if (!stored.length) lines.push('None.', '');
  else {
    lines.push('| file | council | document | pages | records | warnings |', '|---|---|---|---|---|---|');
    for (const d of stored) lines.push(`| ${d.file} | ${d.store!.council} | ${d.store!.documentId}${d.status === 'already-stored' ? ' (already stored)' : ''} | ${d.store!.pages} | ${recordsLine(d.store!.records)} | ${d.store!.warnings} |`);
    lines.push('');
  }
  lines.push('## Changes found', '');
  const diffs = stored.filter((d) => d.diff?.previous);
  if (!diffs.length && !stored.some((d) => d.diff?.next)) lines.push('No document had a previous version.', '');
  for (const d of diffs) {
    const c = Object.entries(d.diff!.changes).map(([k, v]) => `${v} ${k}`).join(', ');
    lines.push(`- ${d.file} (${d.diff!.council}) against ${d.diff!.previous!.fileName}: ${d.diff!.changed} records changed${c ? ` (${c})` : ''}`);
  }
  for (const d of stored.filter((x) => x.diff?.next)) lines.push(`- ${d.diff!.next!.fileName}, a newer version stored before ${d.file}, against it: ${d.diff!.next!.changed} records changed`);
  if (diffs.length) lines.push('');
  lines.push('## Failures', '');
  const failed = r.documents.filter((d) => d.status === 'failed');
  if (!failed.length) lines.push('None.');
  for (const d of failed) lines.push(`- ${d.file}: ${d.reason ?? 'unknown'}${d.movedTo ? ` (moved to ${d.movedTo})` : ''}`);
  const pending = r.documents.filter((d) => d.status === 'pending');
  if (pending.length) lines.push('', '## Still in the queue', '', ...pending.map((d) => `- ${d.file}: ${d.reason}`));
  return `${lines.join('\n')}\n`;
}

/** Writes the report as wsoa-report-<time>.json and .md; returns the JSON file's path. */
export function writeMorningReport(dir: string, inbox: string, entries: ReportEntry[], now = new Date()): string {
  const report = morningReport(inbox, entries, now);
  mkdirSync(dir, { recursive: true });
  const base = path.join(dir, `wsoa-report-${report.generatedAt.replace(/[:.]/g, '-')}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${base}.md`, reportMarkdown(report));
  return `${base}.json`;
}
