// What changed between two versions of a plan, for a person: Markdown (for an issue or an
// email) and one self-contained HTML page (inline CSS, no scripts, no external assets, so it
// opens from a mail attachment or a file share and prints). Both render the same selections
// of the diff: counts by area and change, a redline of reworded text, ratings as coloured
// chips, due slips in days, leads, renumbered and moved refs, added and removed records.
import type { ChangeKind, DiffDocument, DiffEntry, DocumentRef, RatingColumn, RatingValue } from '../schemas/index.js';
import { ChangeKind as ChangeKinds } from '../schemas/index.js';

// ---- What the reports show (plain data) ----

/** Change kinds in the order the reports list them. */
export const CHANGE_ORDER: readonly ChangeKind[] = ChangeKinds.options;

/** A rating's chip: fill and text colours (text dark on amber, where white would not read). */
export const RATING_COLOURS: Record<RatingValue, { background: string; color: string }> = {
  blue: { background: '#1f66c9', color: '#ffffff' },
  green: { background: '#2e8b3e', color: '#ffffff' },
  amber: { background: '#f2a900', color: '#1b1b1b' },
  red: { background: '#c62828', color: '#ffffff' },
  purple: { background: '#6f3fa8', color: '#ffffff' },
  'not-due': { background: '#8a8f98', color: '#ffffff' },
};

/** Squares for Markdown, where a chip cannot be coloured. */
const RATING_SQUARES: Record<RatingValue, string> = { blue: '🟦', green: '🟩', amber: '🟧', red: '🟥', purple: '🟪', 'not-due': '⬜' };

/** The ref that names an entry: the new one, or the old one for a removed record. */
export function entryRef(e: DiffEntry): string {
  return e.newRef ?? e.oldRef ?? '';
}

/** The area of a ref: its first segment ("2.3.1" -> "2", "A1#2" -> "A1", "1.1.i/3" -> "1"). */
export function areaOf(ref: string): string {
  return ref.split(/[./#]/)[0] ?? ref;
}

export type ChangeCounts = Record<ChangeKind, number>;

export interface AreaCounts {
  area: string;
  /** Diff entries whose ref is in the area. */
  entries: number;
  unchanged: number;
  /** Entries carrying each change (an entry with two changes counts under both). */
  changes: ChangeCounts;
}

export interface DiffCounts extends Omit<AreaCounts, 'area'> {
  areas: AreaCounts[];
}

const zeroCounts = (): ChangeCounts => Object.fromEntries(CHANGE_ORDER.map((k) => [k, 0])) as ChangeCounts;
const byRef = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/** Counts of entries by change kind, overall and by area (areas in ref order). */
export function diffCounts(diff: DiffDocument): DiffCounts {
  const total: AreaCounts = { area: '', entries: 0, unchanged: 0, changes: zeroCounts() };
  const areas = new Map<string, AreaCounts>();
  for (const e of diff.entries) {
    const area = areaOf(entryRef(e));
    const a = areas.get(area) ?? { area, entries: 0, unchanged: 0, changes: zeroCounts() };
    areas.set(area, a);
    for (const c of [a, total]) {
      c.entries++;
      if (e.changes.length === 0) c.unchanged++;
      for (const k of new Set(e.changes)) c.changes[k]++;
    }
  }
  return { entries: total.entries, unchanged: total.unchanged, changes: total.changes, areas: [...areas.values()].sort((x, y) => byRef(x.area, y.area)) };
}

/** The entries carrying a change, in diff order. */
export function entriesWith(diff: DiffDocument, ...kinds: ChangeKind[]): DiffEntry[] {
  return diff.entries.filter((e) => kinds.some((k) => e.changes.includes(k)));
}

/** One rating column that changed on one entry. */
export interface RatingChange {
  entry: DiffEntry;
  column: RatingColumn;
  from: RatingValue | null;
  to: RatingValue | null;
}

export function ratingChanges(diff: DiffDocument): RatingChange[] {
  return entriesWith(diff, 'rating-changed').flatMap((entry) =>
    Object.entries(entry.details.ratings ?? {}).map(([column, v]) => ({ entry, column: column as RatingColumn, from: v?.from ?? null, to: v?.to ?? null })),
  );
}

/** "+90 days (later)", "-123 days (earlier)", "same end date", "days unknown". */
export function slipText(days: number | null | undefined): string {
  if (days === null || days === undefined) return 'days unknown';
  if (days === 0) return 'same end date';
  const n = Math.abs(days);
  return days > 0 ? `+${n} day${n === 1 ? '' : 's'} (later)` : `-${n} day${n === 1 ? '' : 's'} (earlier)`;
}

/** A report title from the documents: "Warwickshire: 2021-10-01 -> 2022-05-01". */
export function defaultTitle(diff: DiffDocument): string {
  const v = (d: DocumentRef) => d.versionDate ?? d.fileName;
  return `${diff.to.council ?? diff.from.council ?? 'Plan'}: what changed, ${v(diff.from)} to ${v(diff.to)}`;
}

const refChange = (e: DiffEntry) => (e.oldRef && e.newRef && e.oldRef !== e.newRef ? `${e.oldRef} → ${e.newRef}` : entryRef(e));

// ---- Markdown ----

/** Text safe inside Markdown (and a table cell): HTML-escaped, inline markup and pipes backslashed. */
export function escapeMarkdown(s: string): string {
  return escapeHtml(s).replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

/** Kept words as they are, deletions in <del>, insertions in <ins> (GitHub and most viewers render both). */
export function redlineMarkdown(words: { op: '=' | '+' | '-'; text: string }[]): string {
  return words.map((w) => (w.op === '=' ? escapeMarkdown(w.text) : w.op === '-' ? `<del>${escapeMarkdown(w.text)}</del>` : `<ins>${escapeMarkdown(w.text)}</ins>`)).join('');
}

const mdRating = (v: RatingValue | null) => (v ? `${RATING_SQUARES[v]} ${v}` : 'none');

function mdTable(head: string[], rows: string[][]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

/** The diff as Markdown: summary tables, then one section per kind of change. */
export function diffMarkdown(diff: DiffDocument): string {
  const counts = diffCounts(diff);
  const doc = (d: DocumentRef) => `${escapeMarkdown(d.fileName)}${d.versionDate ? ` (${d.versionDate})` : ''}`;
  const out: string[] = [`# ${escapeMarkdown(defaultTitle(diff))}`, '', `From ${doc(diff.from)} to ${doc(diff.to)}: ${counts.entries} records compared, ${counts.unchanged} unchanged.`, ''];

  out.push('## Changes', '', ...mdTable(['change', 'records'], [['unchanged', String(counts.unchanged)], ...CHANGE_ORDER.map((k) => [k, String(counts.changes[k])])]), '');
  out.push('## By area', '', ...mdTable(['area', 'records', 'unchanged', ...CHANGE_ORDER], counts.areas.map((a) => [escapeMarkdown(a.area), String(a.entries), String(a.unchanged), ...CHANGE_ORDER.map((k) => String(a.changes[k]))])), '');

  const section = (title: string, lines: string[], count = lines.length) => out.push(`## ${title} (${count})`, '', ...(lines.length ? lines : ['None.']), '');
  const reworded = entriesWith(diff, 'reworded');
  section('Reworded', reworded.map((e) => `- **${escapeMarkdown(refChange(e))}** (${e.kind}): ${e.details.text ? redlineMarkdown(e.details.text.words) : 'text not given'}`));
  // One line per rating column that changed; the heading counts records, as the summary does.
  section('Ratings changed', ratingChanges(diff).map((r) => `- **${escapeMarkdown(entryRef(r.entry))}** (${r.entry.kind}) ${r.column}: ${mdRating(r.from)} → ${mdRating(r.to)}`), entriesWith(diff, 'rating-changed').length);
  section(
    'Due dates changed',
    entriesWith(diff, 'due-changed').map((e) => {
      const d = e.details.due;
      return `- **${escapeMarkdown(entryRef(e))}** (${e.kind}): ${escapeMarkdown(d?.from ?? 'none')} → ${escapeMarkdown(d?.to ?? 'none')}, ${slipText(d?.days)}`;
    }),
  );
  section(
    'Leads changed',
    entriesWith(diff, 'lead-changed').map((e) => {
      const l = e.details.leads;
      return `- **${escapeMarkdown(entryRef(e))}** (${e.kind}): ${l ? `${escapeMarkdown(l.from.join(', ') || 'none')} → ${escapeMarkdown(l.to.join(', ') || 'none')}` : 'leads not given'}`;
    }),
  );
  section(
    'Renumbered or moved',
    entriesWith(diff, 'renumbered', 'moved').map((e) => {
      const p = e.details.parent;
      const moved = e.changes.includes('moved') && p ? `, moved from ${escapeMarkdown(p.from ?? 'top level')} to ${escapeMarkdown(p.to ?? 'top level')}` : '';
      return `- **${escapeMarkdown(e.oldRef ?? '')} → ${escapeMarkdown(e.newRef ?? '')}** (${e.kind})${moved}`;
    }),
  );
  section('Added', entriesWith(diff, 'added').map((e) => `- **${escapeMarkdown(e.newRef ?? '')}** (${e.kind})`));
  section('Removed', entriesWith(diff, 'removed').map((e) => `- **${escapeMarkdown(e.oldRef ?? '')}** (${e.kind})`));
  return `${out.join('\n').trimEnd()}\n`;
}

// ---- HTML ----

/** Text safe in HTML content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Kept words as they are, deletions in <del>, insertions in <ins>, every word escaped. */
export function redlineHtml(words: { op: '=' | '+' | '-'; text: string }[]): string {
  return words.map((w) => (w.op === '=' ? escapeHtml(w.text) : w.op === '-' ? `<del>${escapeHtml(w.text)}</del>` : `<ins>${escapeHtml(w.text)}</ins>`)).join('');
}

/** A rating as a coloured chip; an empty cell as a dashed "none". */
export function ratingChip(v: RatingValue | null): string {
  return v ? `<span class="chip r-${v}" data-rating="${v}">${escapeHtml(v)}</span>` : '<span class="chip r-none" data-rating="none">none</span>';
}

const CSS = `
:root { color-scheme: light; --ink: #1b1b1b; --muted: #5f6670; --rule: #d9dde3; --bg-soft: #f5f7fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 1.6em; margin: 0 0 4px; }
h2 { font-size: 1.2em; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--rule); }
h2 .n { display: inline-block; min-width: 1.8em; padding: 0 6px; margin-left: 6px; border-radius: 10px; background: var(--bg-soft); color: var(--muted); font-size: .8em; text-align: center; }
.docs { color: var(--muted); margin: 0 0 12px; }
nav { display: flex; flex-wrap: wrap; gap: 6px 14px; margin: 12px 0; font-size: .9em; }
nav a { color: #1f4f99; }
.totals { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0 16px; padding: 0; list-style: none; }
.totals li { padding: 6px 12px; border: 1px solid var(--rule); border-radius: 6px; background: var(--bg-soft); }
.totals li b { font-size: 1.25em; margin-right: 4px; }
.totals li.zero { color: var(--muted); background: #fff; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: .93em; }
th, td { border: 1px solid var(--rule); padding: 4px 8px; text-align: left; vertical-align: top; }
thead th { background: var(--bg-soft); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.zero { color: #b0b5bc; }
tfoot th, tfoot td { font-weight: 600; background: var(--bg-soft); }
.ref { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: nowrap; }
.kind { color: var(--muted); font-size: .85em; }
ol.redlines { padding-left: 0; list-style: none; }
ol.redlines li { margin: 0 0 10px; padding: 8px 10px; border-left: 4px solid var(--rule); background: var(--bg-soft); }
.redline { margin: 4px 0 0; }
del { background: #fde2e1; color: #8a1c16; text-decoration: line-through; }
ins { background: #dcf5e0; color: #135c22; text-decoration: underline; }
.chip { display: inline-block; min-width: 4.5em; padding: 1px 8px; border-radius: 10px; font-size: .85em; font-weight: 600; text-align: center; }
${Object.entries(RATING_COLOURS).map(([k, c]) => `.chip.r-${k} { background: ${c.background}; color: ${c.color}; }`).join('\n')}
.chip.r-none { background: #fff; color: var(--muted); border: 1px dashed #9aa0a6; }
.arrow { color: var(--muted); padding: 0 4px; }
.late { color: #a61b1b; font-weight: 600; }
.early { color: #1d6b2c; font-weight: 600; }
.none { color: var(--muted); }
ul.refs { columns: 4 10em; padding-left: 1.2em; }
@media print { nav { display: none; } h2 { break-after: avoid; } tr, li { break-inside: avoid; } }
`;

const arrow = '<span class="arrow" aria-label="to">→</span>';
const refCell = (r: string | null) => `<span class="ref">${escapeHtml(r ?? '')}</span>`;
const kindCell = (e: DiffEntry) => `<span class="kind">${escapeHtml(e.kind)}</span>`;
const numCell = (n: number, attrs = '') => `<td class="num${n === 0 ? ' zero' : ''}"${attrs}>${n}</td>`;
const none = (what: string) => `<p class="none">No ${escapeHtml(what)}.</p>`;

function htmlSection(id: string, title: string, count: number, body: string): string {
  return `<section id="${id}"><h2>${escapeHtml(title)}<span class="n">${count}</span></h2>\n${body}\n</section>`;
}

function htmlTable(head: string[], rows: string[]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

function summaryHtml(diff: DiffDocument): string {
  const c = diffCounts(diff);
  const totals = [`<li data-change="unchanged"><b>${c.unchanged}</b>unchanged</li>`, ...CHANGE_ORDER.map((k) => `<li data-change="${k}"${c.changes[k] ? '' : ' class="zero"'}><b>${c.changes[k]}</b>${escapeHtml(k)}</li>`)];
  const head = `<tr><th>Area</th><th class="num">records</th><th class="num">unchanged</th>${CHANGE_ORDER.map((k) => `<th class="num">${escapeHtml(k)}</th>`).join('')}</tr>`;
  const row = (a: Omit<AreaCounts, 'area'>, label: string, cell: 'td' | 'th') =>
    `<tr><${cell}>${label}</${cell}>${numCell(a.entries, ' data-count="records"')}${numCell(a.unchanged, ' data-count="unchanged"')}${CHANGE_ORDER.map((k) => numCell(a.changes[k], ` data-count="${k}"`)).join('')}</tr>`;
  const body = c.areas.map((a) => row(a, `Area ${escapeHtml(a.area)}`, 'th')).join('\n');
  return htmlSection(
    'summary',
    'Summary',
    c.entries,
    `<p>${c.entries} records compared: ${c.unchanged} unchanged, ${c.entries - c.unchanged} with changes.</p>
<ul class="totals">${totals.join('')}</ul>
<table class="by-area"><thead>${head}</thead><tbody>
${body}
</tbody><tfoot>${row(c, 'All areas', 'th')}</tfoot></table>`,
  );
}

function rewordedHtml(diff: DiffDocument): string {
  const es = entriesWith(diff, 'reworded');
  const items = es.map(
    (e) =>
      `<li data-ref="${escapeHtml(entryRef(e))}">${refCell(refChange(e))} ${kindCell(e)}<p class="redline">${e.details.text ? redlineHtml(e.details.text.words) : '<span class="none">text not given</span>'}</p></li>`,
  );
  return htmlSection('reworded', 'Reworded', es.length, es.length ? `<ol class="redlines">\n${items.join('\n')}\n</ol>` : none('reworded records'));
}

function ratingsHtml(diff: DiffDocument): string {
  const rs = ratingChanges(diff);
  const rows = rs.map((r) => `<tr><td>${refCell(entryRef(r.entry))}</td><td>${kindCell(r.entry)}</td><td>${escapeHtml(r.column)}</td><td>${ratingChip(r.from)}${arrow}${ratingChip(r.to)}</td></tr>`);
  // One row per rating column that changed; the heading counts records, as the summary does.
  return htmlSection('ratings', 'Ratings changed', new Set(rs.map((r) => r.entry)).size, rs.length ? htmlTable(['Ref', 'Kind', 'Rating', 'From → to'], rows) : none('rating changes'));
}

function dueHtml(diff: DiffDocument): string {
  const es = entriesWith(diff, 'due-changed');
  const rows = es.map((e) => {
    const d = e.details.due;
    const cls = d?.days ? (d.days > 0 ? 'late' : 'early') : 'none';
    return `<tr><td>${refCell(entryRef(e))}</td><td>${kindCell(e)}</td><td>${escapeHtml(d?.from ?? 'none')}</td><td>${escapeHtml(d?.to ?? 'none')}</td><td class="${cls}" data-days="${d?.days ?? ''}">${escapeHtml(slipText(d?.days))}</td></tr>`;
  });
  return htmlSection('due', 'Due dates changed', es.length, es.length ? htmlTable(['Ref', 'Kind', 'Was due', 'Now due', 'Slip'], rows) : none('due date changes'));
}

function leadsHtml(diff: DiffDocument): string {
  const es = entriesWith(diff, 'lead-changed');
  const rows = es.map((e) => {
    const l = e.details.leads;
    if (!l) return `<tr><td>${refCell(entryRef(e))}</td><td>${kindCell(e)}</td><td colspan="2" class="none">leads not given</td></tr>`;
    // A lead dropped is struck through on the old side, a lead taken on is marked on the new.
    const from = l.from.map((x) => (l.to.includes(x) ? escapeHtml(x) : `<del>${escapeHtml(x)}</del>`)).join(', ') || '<span class="none">none</span>';
    const to = l.to.map((x) => (l.from.includes(x) ? escapeHtml(x) : `<ins>${escapeHtml(x)}</ins>`)).join(', ') || '<span class="none">none</span>';
    return `<tr><td>${refCell(entryRef(e))}</td><td>${kindCell(e)}</td><td>${from}</td><td>${to}</td></tr>`;
  });
  return htmlSection('leads', 'Leads changed', es.length, es.length ? htmlTable(['Ref', 'Kind', 'Leads before', 'Leads now'], rows) : none('lead changes'));
}

function renumberedHtml(diff: DiffDocument): string {
  const es = entriesWith(diff, 'renumbered', 'moved');
  const rows = es.map((e) => {
    const p = e.details.parent;
    const moved = e.changes.includes('moved') ? (p ? `moved from ${refCell(p.from ?? 'top level')} to ${refCell(p.to ?? 'top level')}` : 'moved') : '';
    return `<tr><td>${refCell(e.oldRef)}</td><td>${refCell(e.newRef)}</td><td>${kindCell(e)}</td><td>${[e.changes.includes('renumbered') ? 'renumbered' : '', moved].filter(Boolean).join('; ')}</td></tr>`;
  });
  return htmlSection('renumbered', 'Renumbered or moved', es.length, es.length ? htmlTable(['Old ref', 'New ref', 'Kind', 'What'], rows) : none('renumbered or moved records'));
}

function refListHtml(id: string, title: string, es: DiffEntry[], ref: (e: DiffEntry) => string | null): string {
  const items = es.map((e) => `<li>${refCell(ref(e))} ${kindCell(e)}</li>`);
  return htmlSection(id, title, es.length, es.length ? `<ul class="refs">\n${items.join('\n')}\n</ul>` : none(`${title.toLowerCase()} records`));
}

/** The diff as one self-contained HTML page: inline CSS, no scripts, every text escaped. */
export function diffHtml(diff: DiffDocument, opts: { title?: string } = {}): string {
  const title = opts.title ?? defaultTitle(diff);
  const doc = (d: DocumentRef) => `<b>${escapeHtml(d.fileName)}</b>${d.versionDate ? ` (${escapeHtml(d.versionDate)})` : ''}`;
  const sections: [string, string][] = [
    ['summary', 'Summary'],
    ['reworded', 'Reworded'],
    ['ratings', 'Ratings'],
    ['due', 'Due dates'],
    ['leads', 'Leads'],
    ['renumbered', 'Renumbered or moved'],
    ['added', 'Added'],
    ['removed', 'Removed'],
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(title)}</h1>
<p class="docs">From ${doc(diff.from)} to ${doc(diff.to)}</p>
<nav>${sections.map(([id, label]) => `<a href="#${id}">${escapeHtml(label)}</a>`).join('')}</nav>
</header>
${summaryHtml(diff)}
${rewordedHtml(diff)}
${ratingsHtml(diff)}
${dueHtml(diff)}
${leadsHtml(diff)}
${renumberedHtml(diff)}
${refListHtml('added', 'Added', entriesWith(diff, 'added'), (e) => e.newRef)}
${refListHtml('removed', 'Removed', entriesWith(diff, 'removed'), (e) => e.oldRef)}
</main>
</body>
</html>
`;
}
