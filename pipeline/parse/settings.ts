// What the parse stage recognises, as named, documented settings: header words that
// give a column its role, area heading patterns, rating words. Nothing here names a
// council or a file: these are the words plans use.
import type { RatingColumn, RatingValue } from '../../schemas/index.js';

export type ColumnRole =
  | 'area'
  | 'objective'
  | 'ref'
  | 'action'
  | 'lead'
  | 'partners'
  | 'due'
  | 'measures'
  | 'progressNote'
  | 'rating';

/** Header words -> column role, tried in order (the first match wins). */
export const HEADER_ROLES: { role: ColumnRole; pattern: RegExp }[] = [
  { role: 'progressNote', pattern: /evidence of progress|progress (checks?|updates?|notes?|commentary|to date)|commentary|comments|update on progress|where are we now|current position/i },
  { role: 'measures', pattern: /measures?\b|evidence of success|success criteria|impact indicators?|kpis?\b|outcome measures?|what (does|will) success look like|what we will see|how will we know|evidence\b/i },
  { role: 'ref', pattern: /^(action\s*)?ref(erence)?\.?$|^(no|number|#)\.?$/i },
  { role: 'objective', pattern: /focus|sub[\s-]*findings?|^objectives?$|priority area/i },
  { role: 'lead', pattern: /^(action\s*)?leads?(\s*(person|officer|owner)s?)?$|responsible|owner|^who$|accountable/i },
  { role: 'partners', pattern: /partners?|stakeholders?|with support from|working with/i },
  { role: 'due', pattern: /target\s*date|time\s*frame|timescales?|deadline|due|by when|completion date|^date$|^when$/i },
  { role: 'rating', pattern: /^(completed?|impact|sustained|progress|status|rag|brag|rating|rag rating|rag status)$/i },
  { role: 'action', pattern: /actions?|activit(y|ies)|milestones?|description|tasks?|what (we will|will we) do|what we are doing|how will we do it/i },
  { role: 'area', pattern: /^(area|priority|work\s*stream)s?$/i },
];

/** A header that is a month and year ("Sept 2018") heads a status column rated at that date. */
export const DATED_STATUS_HEADER = /^(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(19|20)?\d{2}$/i;

/** Which rating a rating column's header names. */
export function ratingColumnOf(header: string): RatingColumn {
  const h = header.toLowerCase();
  if (/complet/.test(h)) return 'completed';
  if (/impact/.test(h)) return 'impact';
  if (/sustain/.test(h)) return 'sustained';
  return 'progress';
}

/** Headings that start an area: "AREA 1-", "Area 2:", "Work stream 3 –", "Priority 4". */
export const AREA_HEADING = /^\s*(improvement\s+area|area\s+of\s+(?:significant\s+)?weakness|area\s+for\s+(?:improvement|development)|recommendation|area|priority|work\s*stream|workstream|theme)\s*(\d+|[A-Z]|one|two|three|four|five|six|seven|eight|nine|ten)\b\s*[:.\-–—]?\s*(.*)$/i;

/** One-word keywords of AREA_HEADING, for headings whose keyword was misread by one letter. */
const AREA_KEYWORDS = ['area', 'priority', 'workstream', 'theme', 'recommendation'];

/** a and b differ by at most one letter inserted, dropped or changed. */
export function withinOneEdit(a: string, b: string): boolean {
  return Math.abs(a.length - b.length) <= 1 && editDistance(a, b) <= 1;
}

/**
 * AREA_HEADING, also where a scan's reading got the keyword one letter wrong ("AREFA 4:
 * Workforce"): a word of four letters or more, one edit from a keyword, then a number and
 * a separator, is read as that keyword. The separator is required here: without it, "Are
 * 4 schools" would be a heading.
 */
export function areaHeading(text: string): RegExpExecArray | null {
  const exact = AREA_HEADING.exec(text);
  if (exact) return exact;
  const m = /^(\s*)(\p{L}{4,15})(\s*(?:\d+|[A-Z])\s*[:.\-–—]\s*.*)$/u.exec(text);
  if (!m) return null;
  const word = m[2]!.toLowerCase();
  const keyword = AREA_KEYWORDS.find((k) => k !== word && withinOneEdit(word, k));
  if (!keyword) return null;
  const cased = m[2] === m[2]!.toUpperCase() ? keyword.toUpperCase() : m[2]![0] === m[2]![0]!.toUpperCase() ? keyword[0]!.toUpperCase() + keyword.slice(1) : keyword;
  return AREA_HEADING.exec(m[1]! + cased + m[3]!);
}
export const isAreaHeading = (text: string): boolean => areaHeading(text) !== null;

export const NUMBER_WORDS: Record<string, string> = { one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9', ten: '10' };

/** A heading with no number names a section ("Safeguarding Actions"): these trailing words are not its title. */
export const SECTION_TITLE_SUFFIX = /\s+(actions?|action plan)$/i;

/** Progress words and the rating they mean, for plans that rate in words rather than colours. */
export const RATING_WORDS: { pattern: RegExp; value: RatingValue }[] = [
  { pattern: /^(complete|completed|done|achieved|delivered)\b|[-–]\s*complete\b/i, value: 'blue' },
  { pattern: /^on track\b/i, value: 'green' },
  { pattern: /^(work in progress|in progress|progressing|some concerns|delayed|slipp(ed|ing)|behind)\b/i, value: 'amber' },
  { pattern: /^(at risk|off track|(little or )?no progress|major concerns)\b/i, value: 'red' },
  { pattern: /^(not started|not (yet )?due)\b/i, value: 'not-due' },
];

/**
 * Status phrases a short status cell may hold misread by a scan ("Contlete", "Atrisk"):
 * matched letters only, within a quarter of the phrase's letters (at least one).
 */
export const FUZZY_RATING_PHRASES: Partial<Record<RatingValue, string[]>> = {
  blue: ['complete', 'completed', 'achieved', 'delivered'],
  green: ['ontrack'],
  amber: ['inprogress', 'delayed'],
  red: ['atrisk', 'offtrack', 'noprogress'],
  'not-due': ['notstarted', 'notyetdue'],
};

/** Letters inserted, dropped or changed to turn a into b. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = cur;
  }
  return prev[b.length]!;
}

/** Reference shapes, tried in order. */
export const REF_PATTERNS = {
  /** 1.2.3, 4.10, A1.2 */
  dotted: /^([A-Z]?\d+(?:\.\d+)+)\.?(?=\s|$)/,
  /** i. ii) iv */
  roman: /^((?:x{0,3})(?:ix|iv|v?i{0,3}))[.)](?=\s|$)/i,
  /** 1. 2) */
  number: /^(\d+)[.)](?=\s|$)/,
  /** a. b) */
  letter: /^([a-z])[.)](?=\s|$)/i,
  /** Objective A1, Objective 1.1, Objective 1 */
  objective: /^objective\s+([A-Z]?\d+(?:\.\d+)*)\b/i,
};

/** What a labelled field of a field-structured plan holds. */
export type FieldRole = 'action' | 'progressNote' | 'measures' | 'lead' | 'due' | 'partners' | 'other';

/**
 * Field labels of field-structured plans ("What we will do:", "Lead:", "By when:"), one
 * synonym table; a label not listed here is still read as a field and kept in the
 * action's `fields` under its own words.
 */
export const FIELD_LABELS: { role: FieldRole; pattern: RegExp }[] = [
  { role: 'action', pattern: /^(what we will do|what we are doing|actions?|activity|activities|what we did)$/i },
  { role: 'progressNote', pattern: /^(where are we now|progress( update| to date)?|current position|update|status update)$/i },
  { role: 'measures', pattern: /^(what we will see|success criteria|success measures|what (does )?success (looks?|will look) like|milestones|evidence of success|how we will know|measures of success|the difference it made)$/i },
  { role: 'lead', pattern: /^(lead|leads|lead officer|responsible officer|owner|action owner|who)$/i },
  { role: 'due', pattern: /^(by when|due( date)?|deadline|timescales?|target date|when|completion date)$/i },
  { role: 'partners', pattern: /^(partners|with support from|working with|supported by)$/i },
  { role: 'other', pattern: /^(what we want(ed)?|the difference this will make|why|aim|senior responsible officer|accountable officer|impact|outcome)$/i },
];

export function fieldRoleOf(label: string): FieldRole | null {
  const l = label.trim().replace(/[:.]$/, '').trim();
  for (const { role, pattern } of FIELD_LABELS) if (pattern.test(l)) return role;
  return null;
}

/** Bullet characters that start a list item. */
export const BULLET = /^[\u2022\u25cf\u25aa\u2023\u2043\u25e6\u2013\-*]\s*/;
