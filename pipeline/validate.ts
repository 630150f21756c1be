// The validate stage: records -> records that pass the zod schema, plus warnings about
// what looks wrong in them (duplicate refs, orphans, gaps and disorder in numbering,
// empty text), plus a reconciliation of the counts the document states about itself
// against what was extracted. It reports; it never changes a record to make a check
// pass, and it never drops a record without a warning saying so.
import {
  Document,
  FlatRecord,
  SCHEMA_VERSION,
  type Action,
  type Area,
  type FlatAction,
  type FlatMeasure,
  type Measure,
  type Objective,
  type RatingColumn,
  type ReconciliationEntry,
  type RecordKind,
  type StatedCount,
  type Warning,
} from '../schemas/index.js';

/** The warning codes this stage emits, so a caller can filter by code. */
export const WARNING_CODES = {
  invalidRecord: 'invalid-record',
  duplicateRef: 'duplicate-ref',
  orphan: 'orphan',
  sequenceGap: 'sequence-gap',
  outOfSequence: 'out-of-sequence',
  emptyText: 'empty-text',
  /** Lenient: some layouts print no title for an objective (001's "actions" 1.1, 1.2). */
  emptyObjectiveTitle: 'empty-objective-title',
  /** Lenient: some layouts print a measure as a number and a rating with no words (001). */
  emptyMeasureText: 'empty-measure-text',
  statedTotalMismatch: 'stated-total-mismatch',
} as const;

/** Which kinds a record's parent may be, most specific first (a ref is unique only within its kind). */
export const PARENT_KINDS: Record<RecordKind, readonly RecordKind[]> = {
  area: [],
  objective: ['area'],
  action: ['objective'],
  measure: ['action', 'objective', 'area'],
};

/** Synthesised refs ("A1#2", "3.3#1") carry this mark; they have no printed number to sequence. */
const SYNTHESISED_MARK = '#';

/** The rating column a stated status count ("Completed: 4", "On track: 46") is about. */
const STATUS_COLUMN: RatingColumn = 'progress';

type FlatArea = Extract<FlatRecord, { kind: 'area' }>;
type FlatObjective = Extract<FlatRecord, { kind: 'objective' }>;
type NestedRatings = Measure['ratings'];
type FlatRatingFields = Pick<FlatMeasure, 'ratings' | 'ratingSources'>;

// ---- flatten: nested document -> flat records ----

/** The flat records of a nested document in document order: area, its indicators, each objective, its milestones, each action, its measures. */
export function flatten(doc: Document): FlatRecord[] {
  return doc.areas.flatMap((area) => [
    flatArea(area),
    ...area.measures.map(flatMeasure),
    ...area.objectives.flatMap((objective) => [
      flatObjective(objective),
      ...objective.measures.map(flatMeasure),
      ...objective.actions.flatMap((action) => [flatAction(action), ...action.measures.map(flatMeasure)]),
    ]),
  ]);
}

function flatBase(r: Area | Objective | Action | Measure) {
  return { schemaVersion: SCHEMA_VERSION, ref: r.ref, displayRef: r.displayRef, text: r.text, rawText: r.rawText, provenance: r.provenance };
}

function flatArea(area: Area): FlatArea {
  return { ...flatBase(area), kind: 'area', parent: null };
}

function flatObjective(objective: Objective): FlatObjective {
  return { ...flatBase(objective), kind: 'objective', parent: objective.parent };
}

function flatAction(action: Action): FlatAction {
  return {
    ...flatBase(action),
    kind: 'action',
    parent: action.parent,
    leads: action.leads.map((l) => l.code),
    leadNames: action.leads.map((l) => l.name),
    partners: [...action.partners],
    ...flatDue(action.due),
    ...flatRatings(action.ratings),
    progressNote: action.progressNote,
    ...(action.fields && Object.keys(action.fields).length ? { fields: action.fields } : {}),
  };
}

function flatMeasure(measure: Measure): FlatMeasure {
  return { ...flatBase(measure), kind: 'measure', parent: measure.parent, ...flatDue(measure.due), ...flatRatings(measure.ratings) };
}

/** The printed due text and, beside it, the span of days it means. */
function flatDue(due: Measure['due']): Pick<FlatMeasure, 'due' | 'dueRange'> {
  return due === null ? { due: null, dueRange: null } : { due: due.text, dueRange: { start: due.start, end: due.end } };
}

/** Each column's value, and what it was read from where something was read (an empty cell has no source). */
function flatRatings(ratings: NestedRatings): FlatRatingFields {
  const out: FlatRatingFields = { ratings: {}, ratingSources: {} };
  for (const [column, rating] of Object.entries(ratings) as [RatingColumn, NestedRatings[RatingColumn]][]) {
    if (rating === undefined) continue;
    out.ratings[column] = rating === null ? null : rating.value;
    if (rating !== null) out.ratingSources[column] = rating.source;
  }
  return out;
}

// ---- validateRecords: unknown -> records that pass the schema, and a warning for each that does not ----

/** The records that pass the FlatRecord schema; each one that fails is left out with an invalid-record warning. */
export function validateRecords(records: unknown[]): { records: FlatRecord[]; warnings: Warning[] } {
  const valid: FlatRecord[] = [];
  const warnings: Warning[] = [];
  records.forEach((record, index) => {
    const parsed = FlatRecord.safeParse(record);
    if (parsed.success) valid.push(parsed.data);
    else warnings.push(invalidRecordWarning(record, index, parsed.error.issues));
  });
  return { records: valid, warnings };
}

function invalidRecordWarning(record: unknown, index: number, issues: readonly { path: readonly PropertyKey[]; message: string }[]): Warning {
  const ref = readableRef(record);
  const kind = readableField(record, 'kind');
  const what = [kind, ref].filter((s) => s !== null).join(' ');
  const problems = issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : '(record)'}: ${i.message}`).join('; ');
  return {
    code: WARNING_CODES.invalidRecord,
    message: `Record ${index + 1}${what ? ` (${what})` : ''} is not a valid record and was left out: ${problems}.`,
    page: readablePage(record),
    ref,
  };
}

function readableField(record: unknown, field: string): string | null {
  if (typeof record !== 'object' || record === null) return null;
  const value = (record as Record<string, unknown>)[field];
  return typeof value === 'string' && value !== '' ? value : null;
}

function readableRef(record: unknown): string | null {
  return readableField(record, 'ref');
}

function readablePage(record: unknown): number | null {
  if (typeof record !== 'object' || record === null) return null;
  const provenance = (record as Record<string, unknown>).provenance;
  if (typeof provenance !== 'object' || provenance === null) return null;
  const page = (provenance as Record<string, unknown>).page;
  return typeof page === 'number' && Number.isInteger(page) && page >= 1 ? page : null;
}

// ---- structuralWarnings: what looks wrong in a set of valid records ----

/** Duplicates, orphans, numbering gaps and disorder, and empty text, in that order. */
export function structuralWarnings(records: FlatRecord[]): Warning[] {
  return [...duplicateRefWarnings(records), ...orphanWarnings(records), ...sequenceWarnings(records), ...emptyTextWarnings(records)];
}

function warning(code: string, record: FlatRecord, message: string): Warning {
  return { code, message, page: record.provenance.page, ref: record.ref };
}

const KIND_NOUN: Record<RecordKind, [singular: string, plural: string]> = {
  area: ['area', 'areas'],
  objective: ['objective', 'objectives'],
  action: ['action', 'actions'],
  measure: ['measure', 'measures'],
};

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const noun = (kind: RecordKind, count = 1) => KIND_NOUN[kind][count === 1 ? 0 : 1];
const withArticle = (word: string) => `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;

/** Every record after the first with the same kind and ref. */
export function duplicateRefWarnings(records: FlatRecord[]): Warning[] {
  const first = new Map<string, FlatRecord>();
  const warnings: Warning[] = [];
  for (const r of records) {
    const key = `${r.kind} ${r.ref}`;
    const earlier = first.get(key);
    if (!earlier) first.set(key, r);
    else warnings.push(warning(WARNING_CODES.duplicateRef, r, `${capitalised(noun(r.kind))} ${r.ref} is a duplicate: ${withArticle(noun(r.kind))} with that ref already appears on page ${earlier.provenance.page}.`));
  }
  return warnings;
}

/** The first record of each kind, by ref. */
function recordIndex(records: FlatRecord[]): Map<RecordKind, Map<string, FlatRecord>> {
  const index = new Map<RecordKind, Map<string, FlatRecord>>();
  for (const r of records) {
    const byRef = index.get(r.kind) ?? new Map<string, FlatRecord>();
    if (!byRef.has(r.ref)) byRef.set(r.ref, r);
    index.set(r.kind, byRef);
  }
  return index;
}

/** The record a record's parent ref names, looked up among the kinds a parent may be, most specific first. */
function parentRecord(r: FlatRecord, index: Map<RecordKind, Map<string, FlatRecord>>): FlatRecord | null {
  if (r.parent === null) return null;
  for (const kind of PARENT_KINDS[r.kind]) {
    const parent = index.get(kind)?.get(r.parent);
    if (parent) return parent;
  }
  return null;
}

/** Records whose parent is not a record of a kind that may be their parent. */
export function orphanWarnings(records: FlatRecord[]): Warning[] {
  const index = recordIndex(records);
  return records.flatMap((r) => {
    const parent = r.parent;
    if (parent === null || parentRecord(r, index)) return [];
    const allowed = listed(PARENT_KINDS[r.kind].map(withArticle), 'or');
    const other = [...index.keys()].find((k) => index.get(k)?.has(parent));
    const why = other ? `is ${withArticle(other)}, not ${allowed}` : `does not exist (it should be ${allowed})`;
    return [warning(WARNING_CODES.orphan, r, `${capitalised(noun(r.kind))} ${r.ref} has parent ${parent}, which ${why}.`)];
  });
}

function listed(items: string[], conjunction: 'and' | 'or'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

// Numbering. A printed ref ends in a number among its siblings: "1.2.3" (3 under 1.2),
// "1.3.iv" (roman 4), "1.2.2/3", "A2" (2 under A), "1/c" (letter 3). Siblings are the
// records of one kind with one parent and one stem, numbered in one style.

type NumberingStyle = 'numeric' | 'roman' | 'alpha';

interface RefParts {
  record: FlatRecord;
  stem: string;
  separator: string;
  segment: string;
}

interface SiblingGroup {
  kind: RecordKind;
  parent: string | null;
  stem: string;
  separator: string;
  style: NumberingStyle;
  upperCase: boolean;
  /** In document order, with the number each one's segment means. */
  members: { record: FlatRecord; number: number }[];
}

const TRAILING_SEGMENT = /^(.*?)([./]?)(\d+|[A-Za-z]+)$/;
const ROMAN = /^(?=[ivxlcdm])m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$/;

/** The stem, separator and trailing number of a printed ref; null for synthesised refs and refs that end in no number. */
function refParts(record: FlatRecord): RefParts | null {
  if (record.ref.includes(SYNTHESISED_MARK)) return null;
  const m = TRAILING_SEGMENT.exec(record.ref);
  if (!m) return null;
  return { record, stem: m[1]!, separator: m[2]!, segment: m[3]! };
}

function romanValue(segment: string): number | null {
  const s = segment.toLowerCase();
  if (!ROMAN.test(s)) return null;
  const values: Record<string, number> = { i: 1, v: 5, x: 10, l: 50, c: 100, d: 500, m: 1000 };
  let total = 0;
  for (let i = 0; i < s.length; i++) {
    const v = values[s[i]!]!;
    const next = i + 1 < s.length ? values[s[i + 1]!]! : 0;
    total += v < next ? -v : v;
  }
  return total;
}

function romanNumeral(n: number): string {
  const table: [number, string][] = [[1000, 'm'], [900, 'cm'], [500, 'd'], [400, 'cd'], [100, 'c'], [90, 'xc'], [50, 'l'], [40, 'xl'], [10, 'x'], [9, 'ix'], [5, 'v'], [4, 'iv'], [1, 'i']];
  let out = '';
  for (const [value, numeral] of table) for (; n >= value; n -= value) out += numeral;
  return out;
}

const alphaValue = (segment: string): number | null => (/^[a-z]$/i.test(segment) ? segment.toLowerCase().charCodeAt(0) - 96 : null);

/** How many numbers are missing between the smallest and largest of these. */
function missingCount(numbers: number[]): number {
  const unique = [...new Set(numbers)];
  return unique.length ? Math.max(...unique) - Math.min(...unique) + 1 - unique.length : 0;
}

/**
 * The numbers letter segments mean. "i, ii, iv" can only be roman and "a, b, c" only
 * letters, but "c, d" or "i, v" could be either: take the reading with fewer numbers
 * missing, roman on a tie (roman lists start at i).
 */
function letterNumbers(segments: string[]): { style: NumberingStyle; numbers: number[] } | null {
  const roman = segments.map(romanValue);
  const alpha = segments.map(alphaValue);
  const romanOk = roman.every((n): n is number => n !== null);
  const alphaOk = alpha.every((n): n is number => n !== null);
  if (romanOk && (!alphaOk || missingCount(roman) <= missingCount(alpha as number[]))) return { style: 'roman', numbers: roman };
  if (alphaOk) return { style: 'alpha', numbers: alpha as number[] };
  return null;
}

/** Numbered siblings, grouped by kind, parent, stem, separator and numbering style. */
function siblingGroups(records: FlatRecord[]): SiblingGroup[] {
  const byKey = new Map<string, RefParts[]>();
  for (const parts of records.map(refParts)) {
    if (!parts) continue;
    const family = /^\d/.test(parts.segment) ? 'digits' : 'letters';
    const key = JSON.stringify([parts.record.kind, parts.record.parent, parts.stem, parts.separator, family]);
    byKey.set(key, [...(byKey.get(key) ?? []), parts]);
  }
  const groups: SiblingGroup[] = [];
  for (const members of byKey.values()) {
    const head = members[0]!;
    const segments = members.map((m) => m.segment);
    const reading = /^\d/.test(head.segment) ? { style: 'numeric' as const, numbers: segments.map(Number) } : letterNumbers(segments);
    if (!reading) continue;
    groups.push({
      kind: head.record.kind,
      parent: head.record.parent,
      stem: head.stem,
      separator: head.separator,
      style: reading.style,
      upperCase: /^[A-Z]/.test(head.segment),
      members: members.map((m, i) => ({ record: m.record, number: reading.numbers[i]! })),
    });
  }
  return groups;
}

function refInGroup(group: SiblingGroup, n: number): string {
  const segment = group.style === 'numeric' ? String(n) : group.style === 'roman' ? romanNumeral(n) : String.fromCharCode(96 + n);
  return `${group.stem}${group.separator}${group.upperCase ? segment.toUpperCase() : segment}`;
}

function siblingsPhrase(group: SiblingGroup): string {
  return group.parent === null ? `the ${noun(group.kind, 2)}` : `the ${noun(group.kind, 2)} under ${group.parent}`;
}

/** Numbers missing between siblings (1.2.2 then 1.2.4: 1.2.3), and siblings numbered lower than the one before them. */
export function sequenceWarnings(records: FlatRecord[]): Warning[] {
  return siblingGroups(records).flatMap((g) => [...sequenceGapWarnings(g), ...outOfSequenceWarnings(g)]);
}

/** One warning per gap, at the record after it; ref is the first missing ref. */
function sequenceGapWarnings(group: SiblingGroup): Warning[] {
  const sorted = [...group.members].sort((a, b) => a.number - b.number);
  const warnings: Warning[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const before = sorted[i - 1]!;
    const after = sorted[i]!;
    if (after.number - before.number <= 1) continue;
    const missing = Array.from({ length: after.number - before.number - 1 }, (_, k) => refInGroup(group, before.number + 1 + k));
    const named = missing.length <= 3 ? listed(missing, 'and') : `${missing[0]} to ${missing[missing.length - 1]}`;
    const subject = `${capitalised(noun(group.kind, missing.length))} ${named} ${missing.length === 1 ? 'is' : 'are'} missing`;
    warnings.push({
      code: WARNING_CODES.sequenceGap,
      message: `${subject}: ${siblingsPhrase(group)} go from ${before.record.ref} to ${after.record.ref}.`,
      page: after.record.provenance.page,
      ref: missing[0]!,
    });
  }
  return warnings;
}

function outOfSequenceWarnings(group: SiblingGroup): Warning[] {
  return group.members.flatMap((m, i) => {
    const previous = group.members[i - 1];
    if (!previous || m.number >= previous.number) return [];
    return [warning(WARNING_CODES.outOfSequence, m.record, `${capitalised(noun(m.record.kind))} ${m.record.ref} comes after ${previous.record.ref} in the document but is numbered lower.`)];
  });
}

/** Records with no text: an error for areas and actions; for objectives and measures a lenient code, as some layouts print none. */
export function emptyTextWarnings(records: FlatRecord[]): Warning[] {
  const code: Record<RecordKind, string> = {
    area: WARNING_CODES.emptyText,
    action: WARNING_CODES.emptyText,
    objective: WARNING_CODES.emptyObjectiveTitle,
    measure: WARNING_CODES.emptyMeasureText,
  };
  return records
    .filter((r) => r.text.trim() === '')
    .map((r) => warning(code[r.kind], r, `${capitalised(noun(r.kind))} ${r.ref} has no ${r.kind === 'objective' ? 'title' : 'text'}.`));
}

// ---- reconcile: stated counts vs extracted ----

/** The ref of the area each record sits under, following parents; null where the chain breaks. */
function areaRefs(records: FlatRecord[]): Map<FlatRecord, string | null> {
  const index = recordIndex(records);
  const areaOf = (r: FlatRecord): string | null => {
    if (r.kind === 'area') return r.ref;
    const parent = parentRecord(r, index);
    return parent ? areaOf(parent) : null; // parent kinds rank strictly above, so this ends
  };
  return new Map(records.map((r) => [r, areaOf(r)]));
}

/** Status counts are about measures where the document rates its measures, else about actions. */
function ratedKind(records: FlatRecord[]): 'measure' | 'action' {
  return records.some((r) => r.kind === 'measure' && r.ratings[STATUS_COLUMN] !== undefined) ? 'measure' : 'action';
}

function isCounted(stated: StatedCount, r: FlatRecord, rated: 'measure' | 'action'): boolean {
  if (stated.counts !== 'rating') return r.kind === stated.counts;
  return r.kind === rated && r.ratings[STATUS_COLUMN] !== undefined && r.ratings[STATUS_COLUMN] === stated.rating;
}

/** How many extracted records each stated count counts, within its scope. */
export function extractedCount(stated: StatedCount, records: FlatRecord[], areaOf = areaRefs(records), rated = ratedKind(records)): number {
  return records.filter((r) => (stated.scope === null || areaOf.get(r) === stated.scope) && isCounted(stated, r, rated)).length;
}

function mismatchMessage(stated: StatedCount, extracted: number, rated: 'measure' | 'action'): string {
  const who = stated.scope === null ? 'The document' : `Area ${stated.scope}`;
  const what = stated.counts === 'rating' ? `${noun(rated, stated.value)} rated "${stated.label}" (${stated.rating ?? 'no rating'})` : stated.label;
  return `${who} states ${stated.value} ${what}; ${extracted} ${extracted === 1 ? 'was' : 'were'} extracted.`;
}

/** One entry per stated count, and a warning for each that the extracted records do not match. The records are not touched. */
export function reconcile(stated: StatedCount[], records: FlatRecord[]): { reconciliation: ReconciliationEntry[]; warnings: Warning[] } {
  const areaOf = areaRefs(records);
  const rated = ratedKind(records);
  const areas = recordIndex(records).get('area');
  const reconciliation: ReconciliationEntry[] = [];
  const warnings: Warning[] = [];
  for (const s of stated) {
    const extracted = extractedCount(s, records, areaOf, rated);
    const difference = extracted - s.value;
    reconciliation.push({ scope: s.scope, label: s.label, stated: s.value, extracted, difference });
    if (difference === 0) continue;
    const area = s.scope === null ? undefined : areas?.get(s.scope);
    warnings.push({ code: WARNING_CODES.statedTotalMismatch, message: mismatchMessage(s, extracted, rated), page: area?.provenance.page ?? null, ref: s.scope });
  }
  return { reconciliation, warnings };
}

// ---- validateDocument ----

/** The warnings already there, then each new one not already among them (so validating twice adds nothing). */
function withNewWarnings(existing: Warning[], found: Warning[]): Warning[] {
  const key = (w: Warning) => JSON.stringify([w.code, w.ref, w.page, w.message]);
  const seen = new Set(existing.map(key));
  const out = [...existing];
  for (const w of found) {
    if (seen.has(key(w))) continue;
    seen.add(key(w));
    out.push(w);
  }
  return out;
}

/** A copy of the document with its reconciliation filled and this stage's warnings appended; throws a ZodError if the document is malformed. */
export function validateDocument(doc: Document): Document {
  const input = Document.parse(doc);
  const { records, warnings: invalid } = validateRecords(flatten(input));
  const { reconciliation, warnings: mismatches } = reconcile(input.statedTotals, records);
  const found = [...invalid, ...structuralWarnings(records), ...mismatches];
  return Document.parse({ ...input, reconciliation, warnings: withNewWarnings(input.warnings, found) });
}

/** Calls fn on every record of a nested document, in document order (area, its measures, objectives, ...). */
export function eachRecord(areas: Area[], fn: (r: Area | Objective | Action | Measure) => void): void {
  for (const a of areas) {
    fn(a);
    a.measures.forEach(fn);
    for (const o of a.objectives) {
      fn(o);
      o.measures.forEach(fn);
      for (const act of o.actions) {
        fn(act);
        act.measures.forEach(fn);
      }
    }
  }
}
