// The diff stage against the three hand-made version pairs, the scorer's port against
// the official scorer, each change kind on tiny plans, and the speed on 1,000 actions.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DIFF_SETTINGS,
  classifyPair,
  daysBetween,
  diffRecords,
  naturalIdf,
  optimalMatching,
  resolveDiffSettings,
  solveAssignment,
  textTerms,
} from '../pipeline/diff.js';
import { diffTuples, formatDiffScore, scoreDiff } from '../pipeline/eval/score-diff.js';
import { action, area, measure, objective, syntheticPlans } from '../bench/synthetic-plans.js';
import { DiffDocument, FlatRecord, type DiffEntry, type DocumentRef, type FlatAction, type FlatMeasure, type RecordKind } from '../schemas/index.js';

const expectedDir = path.resolve(import.meta.dirname, '../fixtures/expected');
const official = path.resolve(import.meta.dirname, '../../shared/tools/score-diff.mjs');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'wsoa-diff-'));
const PAIRS = ['000-leicestershire', '001-warwickshire', '003-leicester-city'] as const;

const readRecords = (file: string): FlatRecord[] =>
  readFileSync(path.join(expectedDir, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => FlatRecord.parse(JSON.parse(l)));
const readTruth = (name: string): DiffDocument => DiffDocument.parse(JSON.parse(readFileSync(path.join(expectedDir, `${name}--v2.diff.json`), 'utf8')));

/** Problems with coverage: a record of either version not in exactly one entry. */
function coverageProblems(diff: DiffDocument, from: FlatRecord[], to: FlatRecord[]): string[] {
  const count = (side: 'oldRef' | 'newRef') => {
    const m = new Map<string, number>();
    for (const e of diff.entries) if (e[side] !== null) m.set(`${e.kind} ${e[side]}`, (m.get(`${e.kind} ${e[side]}`) ?? 0) + 1);
    return m;
  };
  const olds = count('oldRef');
  const news = count('newRef');
  const problems: string[] = [];
  for (const r of from) if (olds.get(`${r.kind} ${r.ref}`) !== 1) problems.push(`old ${r.kind} ${r.ref} in ${olds.get(`${r.kind} ${r.ref}`) ?? 0} entries`);
  for (const r of to) if (news.get(`${r.kind} ${r.ref}`) !== 1) problems.push(`new ${r.kind} ${r.ref} in ${news.get(`${r.kind} ${r.ref}`) ?? 0} entries`);
  if (diff.entries.length !== from.length + to.length - diff.entries.filter((e) => e.oldRef !== null && e.newRef !== null).length) problems.push('entries do not add up');
  return problems;
}

// ---------------------------------------------------------------------------------------
// The fixture pairs
// ---------------------------------------------------------------------------------------

describe('diffRecords on the fixture version pairs', () => {
  it.each(PAIRS)('%s: precision and recall against the hand-made diff, every record in one entry', (name) => {
    const truth = readTruth(name);
    const from = readRecords(`${name}.jsonl`);
    const to = readRecords(`${name}.v2.jsonl`);
    const ours = diffRecords(from, to, truth.from, truth.to);
    expect(() => DiffDocument.parse(ours)).not.toThrow();
    expect(coverageProblems(ours, from, to)).toEqual([]);
    const score = scoreDiff(truth, ours);
    console.log(`${name}: ${formatDiffScore(score).join(' | ')}`);
    expect(score.precision).toBeGreaterThanOrEqual(0.99);
    expect(score.recall).toBeGreaterThanOrEqual(0.99);

    // A record the truth calls renumbered must be paired, never split into added + removed.
    for (const e of truth.entries.filter((t) => t.changes.includes('renumbered'))) {
      const split = ours.entries.filter((o) => o.kind === e.kind && ((o.oldRef === e.oldRef && o.newRef === null) || (o.newRef === e.newRef && o.oldRef === null)));
      expect(split, `${e.kind} ${e.oldRef} -> ${e.newRef}`).toEqual([]);
    }
    // Matched entries say how sure and why; unmatched ones have no score.
    for (const e of ours.entries) {
      if (e.oldRef !== null && e.newRef !== null) {
        expect(e.score).not.toBeNull();
        expect(e.signals.length).toBeGreaterThan(0);
      } else expect(e.score).toBeNull();
    }
  });

  it('details agree with the hand-made diff (word diffs, rating and due details, parents)', () => {
    for (const name of PAIRS) {
      const truth = readTruth(name);
      const ours = diffRecords(readRecords(`${name}.jsonl`), readRecords(`${name}.v2.jsonl`), truth.from, truth.to);
      for (const t of truth.entries.filter((e) => e.oldRef !== null && e.newRef !== null && e.changes.length)) {
        const o = ours.entries.find((e) => e.kind === t.kind && e.oldRef === t.oldRef && e.newRef === t.newRef);
        expect(o, `${name} ${t.kind} ${t.oldRef}`).toBeDefined();
        expect(o!.details, `${name} ${t.kind} ${t.oldRef}`).toEqual(t.details);
      }
    }
  });

  it('the hard cases come out as the change lists say', () => {
    const run = (name: string) => {
      const t = readTruth(name);
      return diffRecords(readRecords(`${name}.jsonl`), readRecords(`${name}.v2.jsonl`), t.from, t.to).entries;
    };
    const find = (es: DiffEntry[], kind: RecordKind, oldRef: string | null, newRef: string | null) => es.find((e) => e.kind === kind && e.oldRef === oldRef && e.newRef === newRef);
    const e000 = run('000-leicestershire');
    // Swapped numbers, one of them reworded too.
    expect(find(e000, 'action', '1.4.3', '1.4.4')?.changes).toEqual(['reworded', 'renumbered']);
    expect(find(e000, 'action', '1.4.4', '1.4.3')?.changes).toEqual(['renumbered']);
    // A freed number taken by an unrelated action: removed + added, not paired by ref.
    expect(find(e000, 'action', '2.5.3', null)?.changes).toEqual(['removed']);
    expect(find(e000, 'action', null, '2.5.3')?.changes).toEqual(['added']);
    // An unnumbered action moved to another objective, where it got a number.
    expect(find(e000, 'action', '2.4#1', '2.2.2')).toMatchObject({ changes: ['renumbered', 'moved'], details: { parent: { from: '2.4', to: '2.2' } } });

    const e001 = run('001-warwickshire');
    // Measures with no text follow their renumbered or moved parent: renumbered, not moved.
    expect(find(e001, 'measure', '2.3.2/1', '2.1.2/1')?.changes).toEqual(['renumbered']);
    expect(find(e001, 'measure', '2.3.3/1', '2.3.2/1')?.changes).toEqual(['renumbered']);
    expect(find(e001, 'measure', '1.2.4/1', '1.2.3/1')).toMatchObject({ changes: ['renumbered'], signals: expect.arrayContaining(['parent', 'position']) });
    // The measures of a replaced action go with it, whatever their refs say.
    expect(find(e001, 'measure', '5.1.1/1', null)?.changes).toEqual(['removed']);
    expect(find(e001, 'measure', null, '5.1.1/1')?.changes).toEqual(['added']);

    const e003 = run('003-leicester-city');
    expect(find(e003, 'action', '1.3.v', '1.3.iv')?.changes).toEqual(['renumbered', 'lead-changed']);
    expect(find(e003, 'action', null, '1.3.v')?.changes).toEqual(['added']);
    expect(find(e003, 'action', '4.2.iii', '4.2.iii')?.details.due?.days).toBe(-123);
  });
});

// ---------------------------------------------------------------------------------------
// The scorer's port
// ---------------------------------------------------------------------------------------

/** A prediction with realistic damage: entries lost, changes swapped, refs garbled, an entry made up. */
function damagedDiff(diff: DiffDocument): unknown {
  const entries = diff.entries
    .filter((_, i) => i % 7 !== 2)
    .map((e, i) => {
      const c = { ...e, changes: [...e.changes] as string[] } as Record<string, unknown> & { changes: string[] };
      if (i % 5 === 1 && c.changes.length) c.changes = c.changes.includes('reworded') ? ['renumbered'] : [...c.changes, 'reworded'];
      if (i % 6 === 3 && c.oldRef) c.oldRef = ` ${String(c.oldRef).toUpperCase()}. `;
      if (i % 9 === 4) c.changes = ['unchanged'];
      return c;
    });
  entries.push({ kind: 'action', oldRef: 'X.9', newRef: null, change: 'removed' } as never);
  return { ...diff, entries };
}

// The official scorer lives in the shared folder beside the repository; without it there is nothing to agree with.
describe.skipIf(!existsSync(official))('pipeline/eval/score-diff.ts agrees with score-diff.mjs', () => {
  it.each(PAIRS)('%s: same lines on our diff, a damaged copy, the change list and an unreadable file', (name) => {
    const truthPath = path.join(expectedDir, `${name}--v2.diff.json`);
    const truth = readTruth(name);
    const ours = diffRecords(readRecords(`${name}.jsonl`), readRecords(`${name}.v2.jsonl`), truth.from, truth.to);
    const specChanges = path.resolve(import.meta.dirname, `../fixtures/specs/${name}.changes.json`);
    const cases: [string, string][] = [
      ['ours', JSON.stringify(ours)],
      ['damaged', JSON.stringify(damagedDiff(ours))],
      ['changes', readFileSync(specChanges, 'utf8')],
      ['bare-list', JSON.stringify(ours.entries.slice(0, 20))],
      ['unreadable', '{not json'],
    ];
    for (const [label, text] of cases) {
      const predPath = path.join(tmp, `${name}.${label}.json`);
      writeFileSync(predPath, text);
      const theirs = execFileSync(process.execPath, [official, truthPath, predPath], { encoding: 'utf8' }).trimEnd().split('\n');
      let pred: unknown = [];
      try {
        pred = JSON.parse(text);
      } catch {
        /* empty prediction, as the official scorer */
      }
      expect(formatDiffScore(scoreDiff(truth, pred)), `${name} ${label}`).toEqual(theirs);
    }
  });

  it('reads the singular "change" field and skips "unchanged", as the official scorer', () => {
    expect([...diffTuples([{ change: 'added', kind: 'action', oldRef: null, newRef: '1.2.' }, { changes: ['unchanged'], kind: 'area', oldRef: '1', newRef: '1' }])]).toEqual(['added action - 1.2']);
  });
});

// ---------------------------------------------------------------------------------------
// Tiny hand-made plans, one change kind at a time
// ---------------------------------------------------------------------------------------

const DOC_A: DocumentRef = { sha256: null, fileName: 'a.pdf', council: 'Test', versionDate: '2018-10-01' };
const DOC_B: DocumentRef = { sha256: null, fileName: 'b.pdf', council: 'Test', versionDate: '2019-01-01' };


const plan = (...actions: FlatRecord[]): FlatRecord[] => [
  area('1', 'Joint commissioning'),
  objective('1.1', 'Joint Commissioning Strategy'),
  ...actions.filter((r) => r.parent === '1.1' || (r.kind === 'measure' && r.parent.startsWith('1.1.'))),
  objective('1.2', 'Local offer'),
  ...actions.filter((r) => r.parent === '1.2' || (r.kind === 'measure' && r.parent.startsWith('1.2.'))),
];

function diffOf(from: FlatRecord[], to: FlatRecord[]): DiffEntry[] {
  const d = DiffDocument.parse(diffRecords(from, to, DOC_A, DOC_B));
  expect(coverageProblems(d, from, to)).toEqual([]);
  return d.entries;
}
const changed = (es: DiffEntry[]) => es.filter((e) => e.changes.length).map((e) => `${e.kind} ${e.oldRef ?? '-'} ${e.newRef ?? '-'} ${e.changes.join(',')}`);
const entry = (es: DiffEntry[], oldRef: string | null, newRef: string | null) => es.find((e) => e.oldRef === oldRef && e.newRef === newRef);

const A1 = 'Develop and agree a new Joint Commissioning Strategy';
const A2 = 'Schedule weekly multi-agency panel meetings';
const A3 = 'CCG to increase Designated Clinical Officer capacity';
const A4 = 'Launch the customer facing portal for parents and carers';
const A5 = 'Publish the Local Offer annual report';

describe('diffRecords: each change kind', () => {
  it('unchanged: changes [], score 1, every signal', () => {
    const es = diffOf(plan(action('1.1.1', A1)), plan(action('1.1.1', A1)));
    expect(changed(es)).toEqual([]);
    expect(entry(es, '1.1.1', '1.1.1')).toMatchObject({ changes: [], score: 1, signals: ['ref', 'text', 'parent', 'position'], details: {} });
    expect(entry(es, '1', '1')).toMatchObject({ changes: [], score: 1, signals: ['ref', 'text', 'position'] });
  });

  it('reworded: word-level diff attached', () => {
    const es = diffOf(plan(action('1.1.1', A1)), plan(action('1.1.1', 'Develop, agree and publish a new Joint Commissioning Strategy')));
    expect(changed(es)).toEqual(['action 1.1.1 1.1.1 reworded']);
    expect(entry(es, '1.1.1', '1.1.1')!.details.text).toEqual({
      from: A1,
      to: 'Develop, agree and publish a new Joint Commissioning Strategy',
      words: [
        { op: '=', text: 'Develop' },
        { op: '-', text: ' and' },
        { op: '+', text: ',' },
        { op: '=', text: ' agree ' },
        { op: '+', text: 'and publish ' },
        { op: '=', text: 'a new Joint Commissioning Strategy' },
      ],
    });
  });

  it('whitespace and typographic quotes are not a rewording', () => {
    const es = diffOf(plan(action('1.1.1', "Publish the council's offer")), plan(action('1.1.1', 'Publish  the council\u2019s offer ')));
    expect(changed(es)).toEqual([]);
  });

  it('renumbered: same text, new number after a removal', () => {
    const es = diffOf(plan(action('1.1.1', A1), action('1.1.2', A2), action('1.1.3', A3)), plan(action('1.1.1', A1), action('1.1.2', A3)));
    expect(changed(es)).toEqual(['action 1.1.2 - removed', 'action 1.1.3 1.1.2 renumbered']);
    expect(entry(es, '1.1.3', '1.1.2')).toMatchObject({ details: { ref: { from: '1.1.3', to: '1.1.2' } }, signals: ['text', 'parent', 'position'] });
  });

  it('renumbered and reworded at once (two actions swap numbers)', () => {
    const es = diffOf(
      plan(action('1.1.1', A1), action('1.1.2', 'Secure routine data transfer and develop a system for gathering indicator information'), action('1.1.3', A3)),
      plan(action('1.1.1', A1), action('1.1.2', A3), action('1.1.3', 'Secure routine data transfer and implement a system for gathering indicator information from services')),
    );
    expect(changed(es)).toEqual(['action 1.1.3 1.1.2 renumbered', 'action 1.1.2 1.1.3 reworded,renumbered']);
  });

  it('a freed number taken by an unrelated action is removed + added, not paired by ref', () => {
    const es = diffOf(plan(action('1.1.1', A1), action('1.1.2', A2), action('1.1.3', A3)), plan(action('1.1.1', A1), action('1.1.2', A3), action('1.1.3', A4)));
    expect(changed(es)).toEqual(['action 1.1.2 - removed', 'action 1.1.3 1.1.2 renumbered', 'action - 1.1.3 added']);
    // The same ref, parent and position do not make up for unrelated text.
    const same = diffOf(plan(action('1.1.1', A1), action('1.1.2', A2)), plan(action('1.1.1', A1), action('1.1.2', A4)));
    expect(changed(same)).toEqual(['action 1.1.2 - removed', 'action - 1.1.2 added']);
  });

  it('moved: an action goes to another objective; its measures follow, renumbered but not moved', () => {
    const es = diffOf(
      plan(action('1.1.1', A1), action('1.1.2', A5), measure('1.1.2/1', ''), measure('1.1.2/2', ''), action('1.2.1', A4)),
      plan(action('1.1.1', A1), action('1.2.1', A4), action('1.2.2', A5), measure('1.2.2/1', ''), measure('1.2.2/2', '')),
    );
    expect(changed(es)).toEqual(['action 1.1.2 1.2.2 renumbered,moved', 'measure 1.1.2/1 1.2.2/1 renumbered', 'measure 1.1.2/2 1.2.2/2 renumbered']);
    expect(entry(es, '1.1.2', '1.2.2')!.details.parent).toEqual({ from: '1.1', to: '1.2' });
    expect(entry(es, '1.1.2/1', '1.2.2/1')!.signals).toEqual(['parent', 'position']);
  });

  it('measures with empty text: matched by their parent and ordinal, not by ref', () => {
    // 1.1.1 is replaced by an unrelated action with the same number: its measures go with it
    // even though the new measures have the same refs; 1.1.2 becomes 1.1.3, its measures follow.
    const es = diffOf(
      plan(action('1.1.1', A2), measure('1.1.1/1', ''), action('1.1.2', A3), measure('1.1.2/1', '', { ratings: { progress: 'amber' } })),
      plan(action('1.1.1', A4), measure('1.1.1/1', ''), action('1.1.2', A1), action('1.1.3', A3), measure('1.1.3/1', '', { ratings: { progress: 'green' } })),
    );
    expect(changed(es)).toEqual([
      'action 1.1.1 - removed',
      'measure 1.1.1/1 - removed',
      'action - 1.1.1 added',
      'measure - 1.1.1/1 added',
      'action - 1.1.2 added',
      'action 1.1.2 1.1.3 renumbered',
      'measure 1.1.2/1 1.1.3/1 renumbered,rating-changed',
    ]);
  });

  it('rating-changed: per column, null for an empty cell', () => {
    const es = diffOf(
      plan(action('1.1.1', A1, { ratings: { completed: 'amber', impact: null, sustained: 'green' } })),
      plan(action('1.1.1', A1, { ratings: { completed: 'green', impact: 'amber', sustained: 'green' } })),
    );
    expect(changed(es)).toEqual(['action 1.1.1 1.1.1 rating-changed']);
    expect(entry(es, '1.1.1', '1.1.1')!.details.ratings).toEqual({ completed: { from: 'amber', to: 'green' }, impact: { from: null, to: 'amber' } });
  });

  it('due-changed: a slip of +31 days between the end dates', () => {
    const es = diffOf(
      plan(action('1.1.1', A1, { due: 'Dec 2018', dueRange: { start: '2018-12-01', end: '2018-12-31' } })),
      plan(action('1.1.1', A1, { due: 'Jan 2019', dueRange: { start: '2019-01-01', end: '2019-01-31' } })),
    );
    expect(changed(es)).toEqual(['action 1.1.1 1.1.1 due-changed']);
    expect(entry(es, '1.1.1', '1.1.1')!.details.due).toEqual({ from: 'Dec 2018', to: 'Jan 2019', days: 31, fromEnd: '2018-12-31', toEnd: '2019-01-31' });
  });

  it('due-changed: days null when a side has no end date; none when only the printing differs in case', () => {
    const es = diffOf(plan(action('1.1.1', A1, { due: 'Ongoing', dueRange: { start: null, end: null } })), plan(action('1.1.1', A1, { due: 'Mar 2019', dueRange: { start: '2019-03-01', end: '2019-03-31' } })));
    expect(entry(es, '1.1.1', '1.1.1')!.details.due).toMatchObject({ from: 'Ongoing', to: 'Mar 2019', days: null });
    const same = diffOf(plan(action('1.1.1', A1, { due: 'Dec 2018', dueRange: { start: '2018-12-01', end: '2018-12-31' } })), plan(action('1.1.1', A1, { due: 'DEC 2018', dueRange: { start: '2018-12-01', end: '2018-12-31' } })));
    expect(changed(same)).toEqual([]);
    expect(daysBetween('2019-10-31', '2019-06-30')).toBe(-123);
  });

  it('lead-changed: a joint lead added; the order they are printed in is not a change', () => {
    const leads = (...l: string[]) => ({ leads: l, leadNames: l.map(() => null) });
    const es = diffOf(plan(action('1.1.1', A1, leads('JD')), action('1.1.2', A3, leads('SL', 'JD'))), plan(action('1.1.1', A1, leads('JD', 'JC')), action('1.1.2', A3, leads('JD', 'SL'))));
    expect(changed(es)).toEqual(['action 1.1.1 1.1.1 lead-changed']);
    expect(entry(es, '1.1.1', '1.1.1')!.details.leads).toEqual({ from: ['JD'], to: ['JD', 'JC'] });
  });

  it('several changes at once, in ChangeKind order', () => {
    const a = action('1.1.2', 'Launch SEN Handbook', { ratings: { progress: 'amber' }, due: 'Oct 2018', dueRange: { start: '2018-10-01', end: '2018-10-31' }, leads: ['JD'], leadNames: [null] });
    const b = action('1.2.1', 'Launch SEND Handbook for parents, carers and practitioners', { ratings: { progress: 'green' }, due: 'Jan 2019', dueRange: { start: '2019-01-01', end: '2019-01-31' }, leads: ['SL'], leadNames: [null] });
    const { changes, details } = classifyPair(a, b, true);
    expect(changes).toEqual(['reworded', 'renumbered', 'moved', 'rating-changed', 'due-changed', 'lead-changed']);
    expect(details.due?.days).toBe(92);
  });

  it('whole areas and objectives are matched too; the text terms leave out numbers', () => {
    const es = diffOf(plan(action('1.1.1', A1)), [area('1', 'Joint commissioning'), objective('1.1', 'Joint Commissioning Strategy'), action('1.1.1', A1)]);
    expect(changed(es)).toEqual(['objective 1.2 - removed']);
    expect(textTerms('Increase KS2 results by 24 points (0-18), 1.2.3')).toEqual(['increas', 'ks2', 'result', 'point']);
  });

  it("idf is natural's TfIdf.idf, counted in one pass", () => {
    const { TfIdf } = createRequire(import.meta.url)('natural/lib/natural/tfidf/index.js') as { TfIdf: new () => { addDocument(d: string[]): void; idf(t: string): number } };
    const docs = [['plan', 'send', 'offer'], ['offer', 'local', 'local'], ['plan', 'review'], ['audit']];
    const tfidf = new TfIdf();
    for (const d of docs) tfidf.addDocument(d);
    for (const term of ['plan', 'offer', 'local', 'audit', 'absent']) expect(naturalIdf(docs.filter((d) => d.includes(term)).length, docs.length)).toBeCloseTo(tfidf.idf(term), 12);
  });

  it('no records on one side: everything added or removed', () => {
    expect(changed(diffOf([], plan(action('1.1.1', A1))))).toEqual(['area - 1 added', 'objective - 1.1 added', 'action - 1.1.1 added', 'objective - 1.2 added']);
    expect(diffOf([], [])).toEqual([]);
  });
});

describe('the assignment is optimal, not greedy', () => {
  it('solveAssignment finds the minimum-cost assignment a greedy choice misses', () => {
    // Greedy takes (0,0) = 1 first and is left with (1,1) = 9: total 10. Optimal: (0,1) + (1,0) = 2 + 2.
    const cost = Float64Array.from([1, 2, 2, 9]);
    expect([...solveAssignment(cost, 2, 2)]).toEqual([1, 0]);
    // Rectangular, and against brute force on random 5 x 7 matrices.
    let seed = 7;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let t = 0; t < 50; t++) {
      const c = Float64Array.from({ length: 35 }, () => Math.round(rand() * 100));
      const got = solveAssignment(c, 5, 7);
      const total = [...got].reduce((s, j, i) => s + c[i * 7 + j]!, 0);
      let best = Infinity;
      const perm = (i: number, used: number, s: number) => {
        if (i === 5) return void (best = Math.min(best, s));
        for (let j = 0; j < 7; j++) if (!(used & (1 << j))) perm(i + 1, used | (1 << j), s + c[i * 7 + j]!);
      };
      perm(0, 0, 0);
      expect(total).toBe(best);
      expect(new Set(got).size).toBe(5);
    }
  });

  it('optimalMatching maximises the margin over the threshold and keeps a strong pair whole', () => {
    // Old 0 likes new 0 (0.9) and new 1 (0.85); old 1 only likes new 0 (0.8). Greedy by score
    // pairs 0-0 and leaves old 1 out; the optimum pairs 0-1 and 1-0.
    const m = optimalMatching([{ a: 0, b: 0, score: 0.9 }, { a: 0, b: 1, score: 0.85 }, { a: 1, b: 0, score: 0.8 }], 2, 2, 0.5);
    expect([...m.values()].map((e) => [e.a, e.b]).sort()).toEqual([[0, 1], [1, 0]]);
    // Two weak pairs (margins 0.05 + 0.05) do not beat one strong pair (margin 0.45).
    const k = optimalMatching([{ a: 0, b: 0, score: 0.95 }, { a: 0, b: 1, score: 0.55 }, { a: 1, b: 0, score: 0.55 }], 2, 2, 0.5);
    expect([...k.values()].map((e) => [e.a, e.b])).toEqual([[0, 0]]);
  });
});

describe('diff settings', () => {
  it('has named, documented defaults and rejects unknown or bad settings by name', () => {
    expect(DEFAULT_DIFF_SETTINGS.threshold).toBe(0.5);
    expect(resolveDiffSettings({ threshold: 0.6 }).threshold).toBe(0.6);
    expect(resolveDiffSettings({ contextWeights: { ref: 1 } as never }).contextWeights).toEqual({ ...DEFAULT_DIFF_SETTINGS.contextWeights, ref: 1 });
    expect(() => resolveDiffSettings({ treshold: 0.5 } as never)).toThrow(/treshold: unknown/);
    expect(() => resolveDiffSettings({ threshold: 1.5 })).toThrow(/threshold/);
    expect(() => resolveDiffSettings({ contextWeights: { ref: -1, parent: 0, position: 0 } })).toThrow(/contextWeights.ref/);
  });

  it('a higher threshold splits a weak match into removed + added', () => {
    const from = plan(action('1.1.1', 'Launch SEN Handbook'));
    const to = plan(action('1.1.1', 'Launch SEND Handbook for parents, carers and practitioners'));
    expect(changed(diffOf(from, to))).toEqual(['action 1.1.1 1.1.1 reworded']);
    expect(changed(diffRecords(from, to, DOC_A, DOC_B, { threshold: 0.9 }).entries)).toEqual(['action 1.1.1 - removed', 'action - 1.1.1 added']);
  });
});

// Speed: two synthetic plans of 1,000 actions (bench/synthetic-plans.ts)

describe('speed', () => {
  it('diffs two plans of 1,000 actions (and their measures) well under 2 s', () => {
    const { from, to, truth, edits } = syntheticPlans(1, 10);
    const actions = from.filter((r) => r.kind === 'action').length;
    expect(actions).toBe(1000);
    // Warm up natural's modules and the JIT on a small pair so the figure is the diff itself.
    diffRecords(from.slice(0, 50), to.slice(0, 50), DOC_A, DOC_B);
    const t0 = performance.now();
    const d = diffRecords(from, to, DOC_A, DOC_B);
    const ms = performance.now() - t0;
    const pairs = new Map(d.entries.filter((e) => e.kind === 'action' && e.oldRef && e.newRef).map((e) => [e.oldRef!, e.newRef!]));
    const right = [...truth].filter(([o, n]) => pairs.get(o) === n).length;
    console.log(
      `diff of ${from.length} vs ${to.length} records (${actions} vs ${to.filter((r) => r.kind === 'action').length} actions; ${JSON.stringify(edits)}): ` +
        `${ms.toFixed(0)} ms; action pairs recovered ${right}/${truth.size}, pairs reported ${pairs.size}`,
    );
    expect(coverageProblems(d, from, to)).toEqual([]);
    expect(ms).toBeLessThan(5000);
    expect(right / truth.size).toBeGreaterThan(0.95);
    expect(right / pairs.size).toBeGreaterThan(0.95);
  });
});
