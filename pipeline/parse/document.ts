// Document-level facts a plan prints about itself: its rating legend, the totals it
// states, its owners / initials table, title, council and version date.
import type { DocumentKind, RatingLegendEntry, StatedCount } from '../../schemas/index.js';
import type { TextLine } from '../layout/index.js';
import { parseDue } from '../normalise.js';
import { cellText } from './cells.js';
import type { LogicalTable } from './reading.js';

const KIND_WORDS: { pattern: RegExp; counts: StatedCount['counts'] }[] = [
  { pattern: /^sub[\s-]*actions?$/i, counts: 'action' },
  { pattern: /^actions?$/i, counts: 'objective' },
  { pattern: /^(measures?|milestones?)$/i, counts: 'measure' },
  { pattern: /^objectives?$/i, counts: 'objective' },
];

/**
 * Counts a document states about itself: "10 actions", "19 sub actions" lines under
 * "Overall" or "Area N:", and status tables (Status | Quantity) mapped through the
 * legend's labels. Where a document has sub actions, its "actions" are our objectives.
 */
export function statedTotalsOf(lines: TextLine[], tables: LogicalTable[], legend: RatingLegendEntry[]): StatedCount[] {
  const out: StatedCount[] = [];
  const hasSub = lines.some((l) => /^\d+\s+sub[\s-]*actions?$/i.test(l.text.trim()));
  let scope: string | null = null;
  for (const l of lines) {
    const t = l.text.trim();
    const area = /^area\s+(\d+)\s*:?$/i.exec(t);
    if (area) scope = area[1]!;
    if (/^overall\b/i.test(t)) scope = null;
    const m = /^(\d+)\s+([a-z][a-z\s-]*)$/i.exec(t);
    if (!m) continue;
    const label = m[2]!.trim();
    const kind = KIND_WORDS.find((k) => k.pattern.test(label));
    if (!kind) continue;
    const counts = kind.counts === 'objective' && !hasSub && /^actions?$/i.test(label) ? 'action' : kind.counts;
    out.push({ scope, counts, rating: null, label, value: Number(m[1]) });
  }
  // Status tables, in the order printed: the first belongs to the whole document, then one per area heading.
  const statusTables = tables.filter((t) => /^status$/i.test(t.header[0] ?? '') && /quantity|number|count/i.test(t.header[1] ?? ''));
  const scopes = [null, ...lines.filter((l) => /^area\s+\d+\s*:?$/i.test(l.text.trim())).map((l) => /(\d+)/.exec(l.text)![1]!)];
  const norm = (s: string) => s.toLowerCase().replace(/\([a-z]\)/g, '').replace(/[^a-z ]/g, '').trim();
  statusTables.forEach((t, i) => {
    for (const row of t.rows) {
      const label = cellText(row.cells[0] ?? null);
      const value = Number(cellText(row.cells[1] ?? null));
      const entry = legend.find((e) => norm(e.label) === norm(label));
      if (!entry || !Number.isFinite(value)) continue;
      out.push({ scope: scopes[i] ?? null, counts: 'rating', rating: entry.value, label, value });
    }
  });
  return out;
}

/** Owners: rows of a table the document introduces as its initials or action owners. */
export function ownersOf(tables: LogicalTable[]): { code: string; name: string }[] {
  const out: { code: string; name: string }[] = [];
  for (const t of tables) {
    const intro = t.before.map((l) => l.text).join(' ');
    if (!/initials|action owners|owners of actions|key individuals|designation/i.test(intro) && !/^(initials|code|owner)$/i.test(t.header[0] ?? '')) continue;
    const rows = [...(t.roles.every((r) => r === null) ? [t.first.cells.filter((c) => c.row === 0)] : []), ...t.rows.map((r) => r.cells)];
    for (const cells of rows) {
      const code = cellText(cells[0] ?? null);
      const name = cellText(cells[1] ?? null);
      if (/^[A-Za-z&]{2,8}$/.test(code) && name && !out.some((o) => o.code === code)) out.push({ code, name });
    }
  }
  return out;
}

export function titleOf(firstPage: TextLine[]): string | null {
  const biggest = [...firstPage].sort((a, b) => b.fontSize - a.fontSize)[0];
  return biggest ? biggest.text : null;
}

export function kindOf(text: string): DocumentKind {
  if (/progress report|update report|scrutiny/i.test(text)) return 'progress-report';
  if (/summary for|progress summary|brag on a page/i.test(text)) return 'progress-summary';
  if (/statement of action|action plan/i.test(text)) return 'plan';
  return 'other';
}

/** The version a document states on its first pages: "Summary for May 2022", a dated line "15/10/2018". */
export function versionDateOf(lines: TextLine[]): string | null {
  for (const l of lines) {
    const t = l.text.trim();
    const m = /^(?:summary for|version(?: of)?|updated|as at)\s+(.+)$/i.exec(t);
    const candidate = m ? m[1]! : /^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}$/.test(t) ? t : null;
    if (!candidate) continue;
    const due = parseDue(candidate);
    if (due?.start) return due.start;
  }
  return null;
}

/** Words of a plan title after which what came before is the council's name. */
const TITLE_AFTER_PLACE = /^(.+?)\s+(?:local area\b|(?:send\s+)?(?:strategic\s+)?(?:action|improvement)\s+plan\b|send\b|written statement\b|accelerated progress plan\b)/i;
const NOT_A_PLACE = /^(the|our|local|written|send|section|table|agenda|report|children|summary|appendix|contents|introduction)\b/i;

/** A place name: one to four words in title case (hyphens allowed, "on" too), no digits, not a heading in capitals. */
const isPlace = (s: string) => /^[A-Z][a-z][\w'’-]*(?:[ -][A-Za-z][a-z][\w'’-]*){0,3}$/.test(s) && !NOT_A_PLACE.test(s) && !/\d/.test(s);

/**
 * The council: from the title on the first pages ("Bracknell Forest Local Area Written
 * Statement...", "Kent improvement plan...", a title page that is the place alone), else
 * the name printed most often before "Council" anywhere in the document (tables too).
 * "X County Council" gives X; "Leicester City Council" keeps "Leicester City".
 */
export function councilOf(firstLines: TextLine[], allTexts: string[]): string | null {
  const byTitle = [...firstLines].sort((a, b) => b.fontSize - a.fontSize).slice(0, 4);
  for (const l of byTitle) {
    const t = l.text.trim();
    const m = TITLE_AFTER_PLACE.exec(t);
    if (m && isPlace(m[1]!.trim())) return m[1]!.trim();
    if (isPlace(t) && t.split(' ').length <= 3) return t;
  }
  const counts = new Map<string, number>();
  for (const text of allTexts) {
    for (const m of text.matchAll(/\b((?:[A-Z][a-z]+[ -]){1,3}?)(City |County |Borough |District )?Council\b/g)) {
      let name = m[1]!.trim();
      if (m[2]?.trim() === 'City') name = `${name} City`;
      if (!isPlace(name)) continue;
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}
