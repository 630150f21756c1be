import { describe, expect, it } from 'vitest';
import { Document, DiffDocument, DiffEntry, FlatRecord, Due, Provenance } from '../schemas/index.js';

const provenance = { page: 2, bbox: [40, 100, 300, 120], method: 'text', confidence: 1 };
const action = {
  schemaVersion: 1,
  kind: 'action',
  ref: '1.3.ii',
  displayRef: 'ii.',
  parent: '1.3',
  text: 'To learn from the SSIF project',
  rawText: 'To learn from the SSIF project',
  provenance,
  leads: ['JD', 'SRo'],
  leadNames: ['Joe Dawson', 'Sandra Roberts'],
  partners: [],
  due: 'May 2019',
  dueRange: { start: '2019-05-01', end: '2019-05-31' },
  ratings: { progress: 'amber' },
  ratingSources: { progress: 'fill #FFC000' },
  progressNote: null,
};

function firstIssue(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }): string {
  expect(result.success).toBe(false);
  const issue = result.error!.issues[0]!;
  return `${issue.path.join('.')}: ${issue.message}`;
}

describe('flat records', () => {
  it('accepts an action as RECORDS.md describes it', () => {
    expect(FlatRecord.parse(action)).toMatchObject({ ref: '1.3.ii', leads: ['JD', 'SRo'] });
  });
  it('accepts an area with a null parent and a measure under an objective', () => {
    expect(() => FlatRecord.parse({ schemaVersion: 1, kind: 'area', ref: '1', displayRef: 'AREA 1', parent: null, text: 'Absence', rawText: 'AREA 1- Absence', provenance })).not.toThrow();
    const measure = { schemaVersion: 1, kind: 'measure', ref: '1.1/2', displayRef: '', parent: '1.1', text: 'Register in place', rawText: 'Register in place', provenance, due: null, dueRange: null, ratings: {}, ratingSources: {} };
    expect(() => FlatRecord.parse(measure)).not.toThrow();
  });
  it('names the field of a ref with a trailing dot', () => {
    expect(firstIssue(FlatRecord.safeParse({ ...action, ref: '1.1.1.' }))).toBe('ref: ref must not end with a dot');
  });
  it('names the field of an unknown rating value', () => {
    expect(firstIssue(FlatRecord.safeParse({ ...action, ratings: { progress: 'yellow' } }))).toMatch(/^ratings\.progress: /);
  });
  it('names the field of a bad due date', () => {
    expect(firstIssue(FlatRecord.safeParse({ ...action, dueRange: { start: 'Dec 2018', end: null } }))).toBe('dueRange.start: expected an ISO date YYYY-MM-DD');
  });
  it('rejects an area with a parent and fields a kind does not have', () => {
    expect(FlatRecord.safeParse({ schemaVersion: 1, kind: 'area', ref: '1', displayRef: '1', parent: '0', text: 'x', rawText: 'x', provenance }).success).toBe(false);
    expect(firstIssue(FlatRecord.safeParse({ ...action, kind: 'objective', leads: undefined }))).toMatch(/Unrecognized key/);
  });
  it('requires one lead name per lead', () => {
    expect(firstIssue(FlatRecord.safeParse({ ...action, leadNames: ['Joe Dawson'] }))).toBe('leadNames: leadNames must have one entry per lead');
  });
});

describe('provenance and due', () => {
  it('rejects a page 0 and an inverted box, naming the field', () => {
    expect(firstIssue(Provenance.safeParse({ ...provenance, page: 0 }))).toMatch(/^page: /);
    expect(firstIssue(Provenance.safeParse({ ...provenance, bbox: [300, 100, 40, 120] }))).toMatch(/^bbox: bbox must be/);
    expect(firstIssue(Provenance.safeParse({ ...provenance, method: 'guess' }))).toMatch(/^method: /);
  });
  it('keeps a due span in order', () => {
    expect(Due.parse({ text: 'Autumn Term 2018', start: '2018-09-01', end: '2018-12-31' }).end).toBe('2018-12-31');
    expect(firstIssue(Due.safeParse({ text: 'x', start: '2019-01-01', end: '2018-01-01' }))).toBe(': due.start must not be after due.end');
  });
});

describe('document and diff', () => {
  const doc = {
    schemaVersion: 1,
    sha256: 'a'.repeat(64),
    fileName: 'plan.pdf',
    council: 'Leicester City',
    title: 'Written Statement of Action',
    kind: 'plan',
    versionDate: '2018-10-15',
    pageCount: 12,
    ratingScheme: [{ value: 'blue', label: 'Completed and embedded', fill: '#0070C0' }],
    statedTotals: [{ scope: null, counts: 'measure', rating: null, label: 'measures', value: 71 }],
    reconciliation: [{ scope: null, label: 'measures', stated: 71, extracted: 55, difference: -16 }],
    warnings: [{ code: 'stated-total-mismatch', message: '71 measures stated, 55 extracted', page: 2, ref: null }],
    areas: [],
  };
  it('accepts a document and names a bad sha256', () => {
    expect(() => Document.parse(doc)).not.toThrow();
    expect(firstIssue(Document.safeParse({ ...doc, sha256: 'xyz' }))).toBe('sha256: expected a lowercase hex sha256');
  });
  it('ties added and removed to missing refs', () => {
    const entry = { kind: 'action', oldRef: '1.2.3', newRef: '1.2.4', changes: ['renumbered'], score: 0.93, signals: ['text', 'parent'], details: { ref: { from: '1.2.3', to: '1.2.4' } } };
    expect(() => DiffEntry.parse(entry)).not.toThrow();
    expect(firstIssue(DiffEntry.safeParse({ ...entry, newRef: null }))).toBe("changes: an entry without newRef must be 'removed', and only such an entry");
    expect(firstIssue(DiffEntry.safeParse({ ...entry, changes: ['added'] }))).toBe("changes: an entry without oldRef must be 'added', and only such an entry");
  });
  it('accepts the diff document shape of RECORDS.md', () => {
    const ref = { sha256: null, fileName: 'a.pdf', council: 'X', versionDate: null };
    const entry = { kind: 'measure', oldRef: null, newRef: '2.2.1/6', changes: ['added'], score: null, signals: [], details: {} };
    expect(DiffDocument.parse({ schemaVersion: 1, from: ref, to: ref, entries: [entry] }).entries).toHaveLength(1);
  });
});
