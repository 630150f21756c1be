// The validate stage: records that fail the schema are reported, not lost; numbering
// gaps, disorder, duplicates and orphans are warned about; the totals a document states
// about itself are reconciled against what was extracted, and the records are never
// changed to agree.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readExpected, readManifest } from '../pipeline/fixture-check.js';
import { flatten, reconcile, structuralWarnings, validateDocument, validateRecords } from '../pipeline/validate.js';
import {
  Document,
  FixtureSpec,
  FlatRecord,
  Warning,
  type Action,
  type Area,
  type FlatAction,
  type FlatMeasure,
  type Measure,
  type Objective,
  type RatingColumn,
  type StatedCount,
} from '../schemas/index.js';

const dir = path.resolve(import.meta.dirname, '../fixtures');
const manifest = readManifest(dir);
const expectedFiles = readdirSync(path.join(dir, 'expected')).filter((f) => f.endsWith('.jsonl'));
const expected = (name: string) => readExpected(dir, `expected/${name}.jsonl`);
const spec = (name: string) => FixtureSpec.parse(JSON.parse(readFileSync(path.join(dir, 'specs', `${name}.json`), 'utf8')));

// ---- small hand-made records ----

const provenance = (page = 1) => ({ page, bbox: [0, 0, 10, 10] as [number, number, number, number], method: 'text' as const, confidence: 1 });
const base = (ref: string, text: string, page: number) => ({ schemaVersion: 1 as const, ref, displayRef: ref, text, rawText: text, provenance: provenance(page) });
const area = (ref: string, text = `Area ${ref}`, page = 1): FlatRecord => ({ ...base(ref, text, page), kind: 'area', parent: null });
const objective = (ref: string, parent: string, text = `Objective ${ref}`, page = 1): FlatRecord => ({ ...base(ref, text, page), kind: 'objective', parent });
const action = (ref: string, parent: string, extra: Partial<FlatAction> = {}, page = 1): FlatRecord => ({
  ...base(ref, `Action ${ref}`, page),
  kind: 'action',
  parent,
  leads: [],
  leadNames: [],
  partners: [],
  due: null,
  dueRange: null,
  ratings: {},
  ratingSources: {},
  progressNote: null,
  ...extra,
});
const measure = (ref: string, parent: string, extra: Partial<FlatMeasure> = {}, page = 1): FlatRecord => ({
  ...base(ref, `Measure ${ref}`, page),
  kind: 'measure',
  parent,
  due: null,
  dueRange: null,
  ratings: {},
  ratingSources: {},
  ...extra,
});

/** Area 1, objective 1.2, and actions under it with these refs. */
const actionsUnder12 = (...refs: string[]) => [area('1'), objective('1.2', '1'), ...refs.map((r) => action(r, '1.2'))];
const codes = (ws: Warning[]) => ws.map((w) => w.code);
const withCode = (ws: Warning[], code: string) => ws.filter((w) => w.code === code);

// ---- the nested document, built from flat records by following parents (the inverse of flatten) ----

function nestedRatings(r: FlatAction | FlatMeasure): Measure['ratings'] {
  const out: Measure['ratings'] = {};
  for (const [column, value] of Object.entries(r.ratings) as [RatingColumn, FlatMeasure['ratings'][RatingColumn]][]) {
    const source = r.ratingSources[column];
    out[column] = value === null && source === undefined ? null : { value: value ?? null, source: source! };
  }
  return out;
}
const nestedDue = (r: FlatAction | FlatMeasure) => (r.due === null ? null : { text: r.due, start: r.dueRange?.start ?? null, end: r.dueRange?.end ?? null });
const nestedBase = (r: FlatRecord) => ({ ref: r.ref, displayRef: r.displayRef, text: r.text, rawText: r.rawText, provenance: r.provenance });

function nest(records: FlatRecord[]): Area[] {
  const areas: Area[] = [];
  // A measure's parent ref may be an action, objective or area; it hangs on the nearest record before it with that ref.
  const latest = new Map<string, Area | Objective | Action>();
  const byKind = { area: new Map<string, Area>(), objective: new Map<string, Objective>(), action: new Map<string, Action>() };
  for (const r of records) {
    if (r.kind === 'area') {
      const a: Area = { ...nestedBase(r), kind: 'area', parent: null, objectives: [], measures: [] };
      areas.push(a);
      byKind.area.set(r.ref, a);
      latest.set(r.ref, a);
    } else if (r.kind === 'objective') {
      const o: Objective = { ...nestedBase(r), kind: 'objective', parent: r.parent, actions: [], measures: [] };
      byKind.area.get(r.parent)!.objectives.push(o);
      byKind.objective.set(r.ref, o);
      latest.set(r.ref, o);
    } else if (r.kind === 'action') {
      const a: Action = {
        ...nestedBase(r),
        kind: 'action',
        parent: r.parent,
        leads: r.leads.map((code, i) => ({ code, name: r.leadNames[i] ?? null })),
        partners: r.partners,
        due: nestedDue(r),
        ratings: nestedRatings(r),
        progressNote: r.progressNote,
        ...(r.fields ? { fields: r.fields } : {}),
        measures: [],
      };
      byKind.objective.get(r.parent)!.actions.push(a);
      byKind.action.set(r.ref, a);
      latest.set(r.ref, a);
    } else {
      latest.get(r.parent)!.measures.push({ ...nestedBase(r), kind: 'measure', parent: r.parent, due: nestedDue(r), ratings: nestedRatings(r) });
    }
  }
  return areas;
}

function documentOf(name: string): Document {
  const s = spec(name);
  const m = manifest.documents.find((d) => d.name === name)!;
  return Document.parse({
    schemaVersion: 1,
    sha256: m.sha256,
    fileName: path.basename(m.pdf),
    council: s.council,
    title: s.title,
    kind: s.documentKind,
    versionDate: s.versionDate,
    pageCount: m.pages,
    ratingScheme: s.ratingScheme,
    statedTotals: s.statedTotals,
    reconciliation: [],
    warnings: [],
    areas: nest(readExpected(dir, m.expected)),
  });
}

// ---- flatten ----

describe('flatten', () => {
  it.each(manifest.documents.map((d) => d.name))('%s: nesting the expected records and flattening them again gives them back, in document order', (name) => {
    expect(flatten(documentOf(name))).toEqual(expected(name));
  });

  it('splits due into its printed text and range, ratings into values and sources, leads into codes and names', () => {
    const doc = documentOf('001-warwickshire');
    const a = doc.areas[0]!.objectives[0]!.actions[0]!;
    a.leads = [{ code: 'JD', name: 'Joe Dawson' }, { code: 'XX', name: null }];
    a.due = { text: 'Autumn Term 2018', start: '2018-09-01', end: '2018-12-31' };
    a.ratings = { progress: { value: 'green', source: 'word On track' }, impact: null };
    const flat = flatten(doc).find((r) => r.kind === 'action' && r.ref === a.ref) as FlatAction;
    expect(flat.schemaVersion).toBe(1);
    expect(flat.leads).toEqual(['JD', 'XX']);
    expect(flat.leadNames).toEqual(['Joe Dawson', null]);
    expect(flat.due).toBe('Autumn Term 2018');
    expect(flat.dueRange).toEqual({ start: '2018-09-01', end: '2018-12-31' });
    expect(flat.ratings).toEqual({ progress: 'green', impact: null });
    expect(flat.ratingSources).toEqual({ progress: 'word On track' });
    expect(FlatRecord.safeParse(flat).success).toBe(true);
  });

  it('puts an area\'s impact indicators after the area and an objective\'s milestones before its actions (004)', () => {
    const refs = flatten(documentOf('004-worcestershire')).map((r) => `${r.kind} ${r.ref}`);
    expect(refs.indexOf('measure 1/a')).toBe(refs.indexOf('area 1') + 1);
    expect(refs.indexOf('measure 1.1/1')).toBe(refs.indexOf('objective 1.1') + 1);
    expect(refs.indexOf('measure 1.1/2')).toBeLessThan(refs.indexOf('action 1.1.1'));
  });
});

// ---- validateRecords ----

describe('validateRecords', () => {
  it('leaves out a record with a bad ref ("1.1.1.") with an invalid-record warning naming it, its page and the zod path, and keeps the rest', () => {
    const bad = { ...action('1.1.1', '1.1', {}, 7), ref: '1.1.1.' };
    const records: unknown[] = [area('1'), objective('1.1', '1'), bad, action('1.1.2', '1.1')];
    const out = validateRecords(records);
    expect(out.records.map((r) => r.ref)).toEqual(['1', '1.1', '1.1.2']);
    expect(out.warnings).toHaveLength(1);
    const w = out.warnings[0]!;
    expect(w).toMatchObject({ code: 'invalid-record', ref: '1.1.1.', page: 7 });
    expect(w.message).toContain('1.1.1.');
    expect(w.message).toContain('ref: ref must not end with a dot');
  });

  it('reports, never throws on, things that are not records at all', () => {
    const out = validateRecords([null, 42, 'area', { kind: 'area' }, { ...area('2'), provenance: { page: 'two' } }]);
    expect(out.records).toEqual([]);
    expect(codes(out.warnings)).toEqual(Array(5).fill('invalid-record'));
    expect(out.warnings.map((w) => w.ref)).toEqual([null, null, null, null, '2']);
    expect(out.warnings.every((w) => w.page === null)).toBe(true);
    expect(out.warnings[4]!.message).toMatch(/provenance\.page/);
    for (const w of out.warnings) expect(Warning.safeParse(w).success).toBe(true);
  });

  it('names the field of an action whose lead names do not match its leads', () => {
    const out = validateRecords([action('1.1.1', '1.1', { leads: ['JD'], leadNames: [] }, 3)]);
    expect(out.warnings[0]).toMatchObject({ code: 'invalid-record', ref: '1.1.1', page: 3 });
    expect(out.warnings[0]!.message).toContain('leadNames');
  });

  it.each(expectedFiles)('%s: every expected record is valid', (f) => {
    const lines = readFileSync(path.join(dir, 'expected', f), 'utf8').split('\n').filter((l) => l.trim());
    const out = validateRecords(lines.map((l) => JSON.parse(l)));
    expect(out.warnings).toEqual([]);
    expect(out.records).toHaveLength(lines.length);
  });
});

// ---- structuralWarnings ----

describe('structuralWarnings', () => {
  it('finds the gap in actions 1.2.1, 1.2.2, 1.2.4: 1.2.3 missing', () => {
    const ws = structuralWarnings(actionsUnder12('1.2.1', '1.2.2', '1.2.4'));
    expect(ws).toEqual([{ code: 'sequence-gap', message: 'Action 1.2.3 is missing: the actions under 1.2 go from 1.2.2 to 1.2.4.', page: 1, ref: '1.2.3' }]);
  });

  it('finds the gap in objectives 1.1, 1.3', () => {
    const ws = structuralWarnings([area('1'), objective('1.1', '1'), objective('1.3', '1', 'Third', 4)]);
    expect(ws).toEqual([expect.objectContaining({ code: 'sequence-gap', ref: '1.2', page: 4 })]);
  });

  it('reads roman numerals: i, ii, iv has iii missing', () => {
    const ws = structuralWarnings(actionsUnder12('1.2.i', '1.2.ii', '1.2.iv'));
    expect(ws.map((w) => [w.code, w.ref])).toEqual([['sequence-gap', '1.2.iii']]);
  });

  it('reads letters: impact indicators a, c have b missing, and c is not roman 100', () => {
    const ws = structuralWarnings([area('1'), measure('1/a', '1'), measure('1/c', '1')]);
    expect(ws.map((w) => [w.code, w.ref])).toEqual([['sequence-gap', '1/b']]);
  });

  it('finds the gap in measures 1.2.2/1, 1.2.2/3: 1.2.2/2 missing', () => {
    const ws = structuralWarnings([...actionsUnder12('1.2.1', '1.2.2'), measure('1.2.2/1', '1.2.2'), measure('1.2.2/3', '1.2.2')]);
    expect(ws.map((w) => [w.code, w.ref])).toEqual([['sequence-gap', '1.2.2/2']]);
  });

  it('names a longer gap as a range, one warning per gap', () => {
    const ws = structuralWarnings(actionsUnder12('1.2.1', '1.2.6', '1.2.7', '1.2.9'));
    expect(ws.map((w) => w.message)).toEqual([
      'Actions 1.2.2 to 1.2.5 are missing: the actions under 1.2 go from 1.2.1 to 1.2.6.',
      'Action 1.2.8 is missing: the actions under 1.2 go from 1.2.7 to 1.2.9.',
    ]);
  });

  it('compares 1.10 with 1.9 as numbers, not as text', () => {
    expect(structuralWarnings([area('1'), ...['1.8', '1.9', '1.10'].map((r) => objective(r, '1'))])).toEqual([]);
  });

  it('ignores synthesised refs: unnumbered actions 2.4#1, 2.4#2 beside 2.4.1 leave no gap', () => {
    const records = [area('2'), objective('2.4', '2'), action('2.4.1', '2.4'), action('2.4#1', '2.4'), action('2.4#2', '2.4'), measure('2.4#1/1', '2.4#1'), measure('2.4#1/3', '2.4#1')];
    expect(structuralWarnings(records)).toEqual([]);
  });

  it('sequences objective-style refs A1, A3 under area A', () => {
    const ws = structuralWarnings([area('A'), objective('A1', 'A'), objective('A3', 'A')]);
    expect(ws.map((w) => [w.code, w.ref])).toEqual([['sequence-gap', 'A2']]);
  });

  it('warns when a sibling is numbered lower than the one before it, without calling it a gap', () => {
    const ws = structuralWarnings(actionsUnder12('1.2.1', '1.2.3', '1.2.2'));
    expect(ws).toEqual([{ code: 'out-of-sequence', message: 'Action 1.2.2 comes after 1.2.3 in the document but is numbered lower.', page: 1, ref: '1.2.2' }]);
  });

  it('warns about a ref repeated within a kind, but not the same ref in two kinds (004: objective 4.1 and action 4.1)', () => {
    const records = [area('4'), objective('4.1', '4'), action('4.1', '4.1'), action('4.2', '4.1', {}, 2), action('4.2', '4.1', {}, 3)];
    const ws = structuralWarnings(records);
    expect(ws).toEqual([{ code: 'duplicate-ref', message: 'Action 4.2 is a duplicate: an action with that ref already appears on page 2.', page: 3, ref: '4.2' }]);
  });

  it('warns about children whose parent does not exist or is the wrong kind', () => {
    const records = [
      area('1'),
      objective('1.1', '1'),
      objective('2.1', '2', 'No area 2', 2),
      action('1.1.1', '1.1'),
      action('1.9', '1', {}, 3), // an action straight under an area
      measure('1.1.1/1', '1.1.1'),
      measure('1.1/1', '1.1'),
      measure('1/1', '1'),
      measure('7.7.7/1', '7.7.7', {}, 4),
    ];
    const ws = withCode(structuralWarnings(records), 'orphan');
    expect(ws).toEqual([
      { code: 'orphan', message: 'Objective 2.1 has parent 2, which does not exist (it should be an area).', page: 2, ref: '2.1' },
      { code: 'orphan', message: 'Action 1.9 has parent 1, which is an area, not an objective.', page: 3, ref: '1.9' },
      { code: 'orphan', message: 'Measure 7.7.7/1 has parent 7.7.7, which does not exist (it should be an action, an objective or an area).', page: 4, ref: '7.7.7/1' },
    ]);
  });

  it('gives empty areas and actions empty-text, and empty objectives and measures their own codes a caller can filter', () => {
    const records = [area('1', ' '), objective('1.1', '1', ''), { ...action('1.1.1', '1.1'), text: '' }, { ...measure('1.1.1/1', '1.1.1'), text: '' }];
    const ws = structuralWarnings(records);
    expect(ws.map((w) => [w.code, w.ref])).toEqual([
      ['empty-text', '1'],
      ['empty-objective-title', '1.1'],
      ['empty-text', '1.1.1'],
      ['empty-measure-text', '1.1.1/1'],
    ]);
    expect(ws[0]!.message).toBe('Area 1 has no text.');
    expect(ws[1]!.message).toBe('Objective 1.1 has no title.');
  });

  it.each(expectedFiles)('%s: no duplicate refs or orphans, and every warning is a valid Warning naming a ref', (f) => {
    const ws = structuralWarnings(readExpected(dir, `expected/${f}`));
    expect(withCode(ws, 'duplicate-ref')).toEqual([]);
    expect(withCode(ws, 'orphan')).toEqual([]);
    for (const w of ws) {
      expect(Warning.safeParse(w).success).toBe(true);
      expect(w.message).toContain(w.ref!);
    }
  });

  it('004: warns that work stream 3 is missing (3 and 5 were not transcribed) and that 1.5.2 printed no number', () => {
    const ws = withCode(structuralWarnings(expected('004-worcestershire')), 'sequence-gap');
    expect(ws.map((w) => w.ref)).toEqual(['3', '1.5.2']);
  });

  it('001: objectives with no title and measures with no words get only the lenient codes', () => {
    const records = expected('001-warwickshire');
    const ws = structuralWarnings(records);
    expect(withCode(ws, 'empty-objective-title')).toHaveLength(records.filter((r) => r.kind === 'objective' && r.text === '').length);
    expect(withCode(ws, 'empty-measure-text')).toHaveLength(records.filter((r) => r.kind === 'measure' && r.text === '').length);
    expect(ws.filter((w) => !w.code.startsWith('empty-objective') && !w.code.startsWith('empty-measure'))).toEqual([]);
  });
});

// ---- reconcile ----

/** Counted independently of the stage: in 001 every ref starts with its area's number. */
function countedByRefPrefix(s: StatedCount, records: FlatRecord[]): number {
  const inScope = (r: FlatRecord) => s.scope === null || r.ref.split(/[./]/)[0] === s.scope;
  if (s.counts !== 'rating') return records.filter((r) => r.kind === s.counts && inScope(r)).length;
  return records.filter((r) => r.kind === 'measure' && inScope(r) && r.ratings.progress === s.rating).length;
}

describe('reconcile', () => {
  const records = expected('001-warwickshire');
  const stated = spec('001-warwickshire').statedTotals;

  it('001: one entry per stated count, with the extracted numbers counted independently', () => {
    const { reconciliation } = reconcile(stated, records);
    expect(reconciliation).toEqual(
      stated.map((s) => {
        const extracted = countedByRefPrefix(s, records);
        return { scope: s.scope, label: s.label, stated: s.value, extracted, difference: extracted - s.value };
      }),
    );
  });

  it('001: reports the real mismatches (71 measures stated, 55 extracted; area 1: 7 sub actions, 6 extracted)', () => {
    const { reconciliation, warnings } = reconcile(stated, records);
    const entry = (scope: string | null, label: string) => reconciliation.find((e) => e.scope === scope && e.label === label);
    expect(entry(null, 'measures')).toEqual({ scope: null, label: 'measures', stated: 71, extracted: 55, difference: -16 });
    expect(entry(null, 'sub actions')).toEqual({ scope: null, label: 'sub actions', stated: 19, extracted: 18, difference: -1 });
    expect(entry(null, 'actions')).toEqual({ scope: null, label: 'actions', stated: 10, extracted: 10, difference: 0 });
    expect(entry(null, 'Completed')).toEqual({ scope: null, label: 'Completed', stated: 4, extracted: 4, difference: 0 });
    expect(entry(null, 'On track, no concerns')).toEqual({ scope: null, label: 'On track, no concerns', stated: 46, extracted: 35, difference: -11 });
    expect(entry('1', 'sub actions')).toEqual({ scope: '1', label: 'sub actions', stated: 7, extracted: 6, difference: -1 });
    expect(entry('1', 'measures')).toEqual({ scope: '1', label: 'measures', stated: 15, extracted: 11, difference: -4 });

    expect(warnings).toHaveLength(reconciliation.filter((e) => e.difference !== 0).length);
    expect(warnings.every((w) => w.code === 'stated-total-mismatch')).toBe(true);
    expect(warnings).toContainEqual({ code: 'stated-total-mismatch', message: 'Area 1 states 15 measures; 11 were extracted.', page: 5, ref: '1' });
    expect(warnings).toContainEqual({ code: 'stated-total-mismatch', message: 'The document states 71 measures; 55 were extracted.', page: null, ref: null });
    expect(warnings).toContainEqual(expect.objectContaining({ message: 'Area 1 states 7 sub actions; 6 were extracted.' }));
  });

  it('never changes the records to agree', () => {
    const before = structuredClone(records);
    reconcile(stated, records);
    expect(records).toEqual(before);
  });

  it('scopes follow parents, not ref prefixes', () => {
    // An action whose ref does not start with its area's number still counts in that area.
    const rs = [area('2'), objective('2.1', '2'), action('X9', '2.1'), area('3')];
    const s: StatedCount[] = [
      { scope: '2', counts: 'action', rating: null, label: 'actions', value: 1 },
      { scope: '3', counts: 'action', rating: null, label: 'actions', value: 0 },
      { scope: '9', counts: 'objective', rating: null, label: 'objectives', value: 2 },
    ];
    expect(reconcile(s, rs).reconciliation.map((e) => e.extracted)).toEqual([1, 0, 0]);
    expect(reconcile(s, rs).warnings).toEqual([{ code: 'stated-total-mismatch', message: 'Area 9 states 2 objectives; 0 were extracted.', page: null, ref: '9' }]);
  });

  it('counts ratings on actions where no measure carries a progress rating (003)', () => {
    const records003 = expected('003-leicester-city');
    const s: StatedCount[] = [{ scope: null, counts: 'rating', rating: 'amber', label: 'Amber', value: 40 }];
    const amberActions = records003.filter((r) => r.kind === 'action' && r.ratings.progress === 'amber').length;
    expect(amberActions).toBe(42);
    expect(reconcile(s, records003).reconciliation).toEqual([{ scope: null, label: 'Amber', stated: 40, extracted: 42, difference: 2 }]);
    expect(reconcile(s, records003).warnings[0]!.message).toBe('The document states 40 actions rated "Amber" (amber); 42 were extracted.');
  });

  it('gives no entries and no warnings where the document states nothing', () => {
    expect(reconcile([], records)).toEqual({ reconciliation: [], warnings: [] });
  });
});

// ---- validateDocument ----

describe('validateDocument', () => {
  it('001: fills the reconciliation, appends this stage\'s warnings after the ones already there, and leaves the records alone', () => {
    const existing: Warning = { code: 'ocr-low-confidence', message: 'Page 3 was read with low confidence.', page: 3, ref: null };
    const doc = { ...documentOf('001-warwickshire'), warnings: [existing] };
    const before = structuredClone(doc);
    const out = validateDocument(doc);
    expect(doc).toEqual(before);
    expect(out.areas).toEqual(doc.areas);
    expect(out.reconciliation).toEqual(reconcile(doc.statedTotals, flatten(doc)).reconciliation);
    expect(out.warnings[0]).toEqual(existing);
    const added = out.warnings.slice(1);
    expect(added).toEqual([...structuralWarnings(flatten(doc)), ...reconcile(doc.statedTotals, flatten(doc)).warnings]);
    expect(withCode(added, 'stated-total-mismatch')).toContainEqual(expect.objectContaining({ message: 'The document states 71 measures; 55 were extracted.' }));
  });

  it('adds nothing when run again on its own output', () => {
    const once = validateDocument(documentOf('004-worcestershire'));
    expect(validateDocument(once)).toEqual(once);
  });

  it('throws when the document itself is malformed', () => {
    expect(() => validateDocument({ ...documentOf('000-leicestershire'), sha256: 'not-a-hash' })).toThrow(/sha256/);
    const doc = documentOf('000-leicestershire');
    doc.areas[0]!.objectives[0]!.ref = '1.1.';
    expect(() => validateDocument(doc)).toThrow(/trailing dot|end with a dot/);
  });
});
