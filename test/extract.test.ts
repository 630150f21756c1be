// Extraction end to end on the text-layer fixtures, against the expected records
// written from the hand-made specs, and a focused check for each quirk the seeds show
// (../shared/seeds/INDEX.md).
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { Document, FlatRecord, type FlatAction, type FlatMeasure } from '../schemas/index.js';
import { extractFile, type Extraction } from '../pipeline/extract.js';
import { readExpected, readManifest } from '../pipeline/fixture-check.js';
import { KINDS, scoreRecords } from '../pipeline/eval/score-records.js';

const dir = path.resolve(import.meta.dirname, '../fixtures');
const manifest = readManifest(dir);
const results = new Map<string, Extraction>();
const get = (name: string) => results.get(name)!;
const rec = (name: string, kind: string, ref: string) => get(name).records.find((r) => r.kind === kind && r.ref === ref);

beforeAll(async () => {
  for (const m of manifest.documents) results.set(m.name, await extractFile(path.join(dir, m.pdf)));
}, 120_000);

describe.each(manifest.documents.map((m) => [m.name, m] as const))('%s end to end', (name, m) => {
  it('reaches F1 >= 0.99 for every record kind, ratings >= 0.98, area titles exact', () => {
    const truth = readExpected(dir, m.expected);
    const score = scoreRecords(truth as never[], get(name).records as never[]);
    for (const k of KINDS) if (score.kinds[k]!.truth) expect(score.kinds[k]!.f1, `${k} F1`).toBeGreaterThanOrEqual(0.99);
    if (score.ratings.total) expect(score.ratings.correct / score.ratings.total).toBeGreaterThanOrEqual(0.98);
    for (const t of truth.filter((r) => r.kind === 'area')) expect(rec(name, 'area', t.ref)?.text).toBe(t.text);
  });
  it('gives records that pass the schemas, each with provenance on a real page', () => {
    for (const r of get(name).records) {
      expect(FlatRecord.safeParse(r).success).toBe(true);
      expect(r.provenance.page).toBeGreaterThanOrEqual(1);
      expect(r.provenance.page).toBeLessThanOrEqual(m.pages);
      expect(r.provenance.method).toBe('text');
    }
    expect(Document.safeParse(get(name).document).success).toBe(true);
  });
});

describe('seed quirks', () => {
  it('000: the rotated area label, split over a page break, is read whole', () => {
    const area = rec('000-leicestershire', 'area', '1')!;
    expect(area.displayRef).toBe('AREA 1');
    expect(area.text).toBe('Absence of a Joint Commissioning Strategy');
  });
  it('000: actions go under the objective their ref says, not where the centred number prints', () => {
    expect(rec('000-leicestershire', 'action', '1.3.3')!.parent).toBe('1.3');
    expect(rec('000-leicestershire', 'objective', '1.3')!.text).toBe('Complete and publish an updated local area Joint Strategic Needs Assessment (JSNA) for SEND');
  });
  it('000: a title that runs on over the next columns is given back to its cell', () => {
    expect(rec('000-leicestershire', 'objective', '1.4')!.text).toMatch(/including EHE, CME, NEET and YOT cohorts$/);
  });
  it('000: a focus number printed twice gives one objective', () => {
    expect(get('000-leicestershire').records.filter((r) => r.kind === 'objective' && r.ref === '1.5')).toHaveLength(1);
    expect(get('000-leicestershire').records.filter((r) => r.kind === 'action' && r.parent === '1.5')).toHaveLength(1);
  });
  it('000: the second table, whose header cells are rotated, is read', () => {
    const area2 = get('000-leicestershire').records.filter((r) => r.kind === 'action' && r.ref.startsWith('2.'));
    expect(area2.length).toBe(readExpected(dir, 'expected/000-leicestershire.jsonl').filter((r) => r.kind === 'action' && r.ref.startsWith('2.')).length);
  });
  it('001: progress and impact come from cell fills, mapped by colour', () => {
    const truth = readExpected(dir, 'expected/001-warwickshire.jsonl').filter((r): r is FlatMeasure => r.kind === 'measure');
    for (const t of truth) {
      const got = rec('001-warwickshire', 'measure', t.ref) as FlatMeasure;
      expect(got.ratings.progress ?? null, t.ref).toBe(t.ratings.progress ?? null);
      if (got.ratings.progress) expect(got.ratingSources.progress).toMatch(/^fill #[0-9A-F]{6}$/);
    }
  });
  it('001: the stated totals are reconciled and every difference reported, not forced', () => {
    const doc = get('001-warwickshire').document;
    const measures = doc.reconciliation.find((r) => r.scope === null && r.label === 'measures')!;
    expect(measures).toMatchObject({ stated: 71, extracted: 55, difference: -16 });
    expect(doc.warnings.some((w) => w.code === 'stated-total-mismatch' && /71 measures/.test(w.message))).toBe(true);
  });
  it('003: target dates split over two lines and aligned with their measures', () => {
    expect((rec('003-leicester-city', 'action', '1.1.i') as FlatAction).due).toBe('Dec 2018');
    const m = rec('003-leicester-city', 'measure', '1.3.i/2') as FlatMeasure;
    expect(m.due).toBe('Dec 2019');
    expect(m.dueRange).toEqual({ start: '2019-12-01', end: '2019-12-31' });
  });
  it('003: lead initials are resolved through the document\'s own initials table', () => {
    const a = rec('003-leicester-city', 'action', '1.1.i') as FlatAction;
    expect(a.leads).toEqual(['JD', 'SL']);
    expect(a.leadNames).toEqual(['Joe Dawson', 'Sam Little']);
  });
  it('003: a row cut by a page break is joined, not read as a new action', () => {
    expect(get('003-leicester-city').records.filter((r) => r.kind === 'action' && r.ref.includes('#') && r.ref.startsWith('1.4'))).toHaveLength(0);
    expect(rec('003-leicester-city', 'action', '1.4.iii')!.text).toMatch(/FACE article Extranet$/);
  });
  it('004: the agenda-pack cover pages give no records; the plan starts where its tables do', () => {
    const firstPlanPage = Math.min(...readExpected(dir, 'expected/004-worcestershire.jsonl').map((r) => r.provenance.page));
    expect(Math.min(...get('004-worcestershire').records.map((r) => r.provenance.page))).toBeGreaterThanOrEqual(firstPlanPage - 1);
    expect(get('004-worcestershire').records.filter((r) => r.kind === 'area').map((r) => r.ref)).toEqual(['A', '1', '2', '4']);
  });
  it('004: progress words give ratings and notes ("On track", "complete")', () => {
    const a = rec('004-worcestershire', 'action', '1.1.3') as FlatAction;
    expect(a.progressNote).toBe('On track');
    expect(a.ratings.progress).toBe('green');
    expect((rec('004-worcestershire', 'action', '1.1.6') as FlatAction).progressNote).toBe('Under consideration');
  });
  it('006: a header-mapped table: columns named in words of its own, areas and objectives as full-width rows', () => {
    const a = rec('006-bracknell-forest', 'action', '1.1.1') as FlatAction;
    expect(a.parent).toBe('1.1');
    expect(a.leads).toEqual(['Executive Director of People']);
    expect(a.due).toBe('April 2022');
    expect(a.ratings.progress).toBe('blue');
    expect(rec('006-bracknell-forest', 'area', '1')!.displayRef).toBe('Improvement area 1');
    const readBy = get('006-bracknell-forest').document.readBy!;
    expect(readBy.find((r) => r.profile === 'header-mapped-table')!.evidence).toMatch(/What we will do -> action/);
  });
  it('005: field-structured blocks: labelled fields, lists as measures, fields with no slot kept', () => {
    const a = rec('005-southend', 'action', '1.1#1') as FlatAction;
    expect(a.fields?.['What we want']).toBe('The SEND Area Partnership provides effective strategic and operational accountability');
    expect(a.progressNote).toMatch(/^Mid and South Essex \(MSE\) Integrated Care Board/);
    expect(get('005-southend').document.readBy?.[0]?.profile).toBe('field-structured');
    // Label/value tables (Recommendation 2) read the same as labelled paragraphs.
    expect(get('005-southend').records.filter((r) => r.kind === 'measure' && r.parent === '2.1#1')).toHaveLength(2);
  });
  it('007: a priority page: bullets under "What we are doing" are actions, an indented "Progress:" is the note', () => {
    const a = rec('007-kent', 'action', '1.1#2') as FlatAction;
    expect(a.progressNote).toBe('(April 2025) 24 new SEN case officers and 9 educational psychologists have joined our teams since January 2024.');
    expect(rec('007-kent', 'measure', '1.1/1')!.text).toMatch(/^\(September 2024\) 61% of new EHC plans/);
  });
  it('an area heading between two tables with the same header starts a new area; a subheading printed before each does not', async () => {
    const { tablePdf } = await import('./helpers/table-pdf.js');
    const { writeFileSync } = await import('node:fs');
    const header = ['Sub finding', 'Action to address finding', 'Lead person', 'Evidence of success', 'Target date'];
    const grid = (rows: string[][]) => ({ rows: [header, ...rows], x: 40, y: 160, colWidths: [110, 170, 60, 150, 60], rowHeight: 40, rules: 'all' as const, fontSize: 8 });
    // Each page: a numbered area heading, a template subheading in large type, then the same table header
    // (only short lines between the tables, as page furniture would be).
    const page = (n: number, title: string, rows: string[][]) => ({
      grids: [grid(rows)],
      prose: [
        { text: `Area ${n}: ${title}`, x: 40, y: 60, width: 500, size: 14 },
        { text: 'Key Concerns', x: 40, y: 90, width: 500, size: 12 },
      ],
    });
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'wsoa-areas-')), 'plan.pdf');
    writeFileSync(
      file,
      await tablePdf([
        page(1, 'Leadership', [['1. Weak oversight', 'i. Set up a board', 'JD', 'Board meets', 'May 2019'], ['2. Poor data', 'i. Build a dashboard', 'SL', 'Dashboard used', 'June 2019']]),
        page(2, 'Plans', [['1. Late plans', 'i. Add case workers', 'JD', 'Plans on time', 'July 2019'], ['2. Thin outcomes', 'i. Train writers', 'SL', 'Outcomes audited', 'Sept 2019']]),
      ]),
    );
    const r = await extractFile(file);
    const areas = r.records.filter((x) => x.kind === 'area');
    expect(areas.map((a) => [a.ref, a.text])).toEqual([['1', 'Leadership'], ['2', 'Plans']]);
    expect(r.records.filter((x) => x.kind === 'action').map((a) => a.ref)).toEqual(['1.1.i', '1.2.i', '2.1.i', '2.2.i']);
  });

  it('in a column numbered in roman numerals, a misread numeral ("1." for i., "1ii." for iii., a dropped stroke) is read as the numeral, with a warning', async () => {
    const { tablePdf } = await import('./helpers/table-pdf.js');
    const { writeFileSync } = await import('node:fs');
    const header = ['Sub finding', 'Action to address finding', 'Lead person', 'Evidence of success', 'Target date'];
    const rows = [
      ['1. Weak oversight', '1. Set up a board', 'JD', 'Board meets', 'May 2019'],
      ['', 'ii. Agree its terms', 'JD', 'Terms agreed', 'May 2019'],
      ['', '1ii. Publish minutes', 'SL', 'Minutes online', 'June 2019'],
      ['2. Poor data', 'i. Build a dashboard', 'SL', 'Dashboard used', 'June 2019'],
      ['', 'i. Train analysts', 'JD', 'Analysts trained', 'July 2019'],
    ];
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'wsoa-roman-')), 'plan.pdf');
    writeFileSync(file, await tablePdf([{ grids: [{ rows: [header, ...rows], x: 40, y: 160, colWidths: [110, 170, 60, 150, 60], rowHeight: 40, rules: 'all', fontSize: 8 }], prose: [{ text: 'Area 1: Leadership', x: 40, y: 60, width: 500, size: 14 }] }]));
    const r = await extractFile(file);
    const actions = r.records.filter((x) => x.kind === 'action');
    expect(actions.map((a) => [a.ref, a.text])).toEqual([
      ['1.1.i', 'Set up a board'],
      ['1.1.ii', 'Agree its terms'],
      ['1.1.iii', 'Publish minutes'],
      ['1.2.i', 'Build a dashboard'],
      ['1.2.ii', 'Train analysts'],
    ]);
    expect(r.document.warnings.filter((w) => w.code === 'misread-numeral').map((w) => w.ref)).toEqual(['1.1.i', '1.1.iii', '1.2.ii']);
  });

  it('a marker or objective number a scan misread by one glyph or a lost dot is read by its place in the sequence, with a warning', async () => {
    const { tablePdf } = await import('./helpers/table-pdf.js');
    const { writeFileSync } = await import('node:fs');
    const outcome = { rows: [['OUTCOME 1', 'The Local Offer'], ['IMPACT INDICATORS', 'a. The offer is compliant\nh. Parents were involved\nc. Visits increase']], x: 40, y: 120, colWidths: [120, 400], rowHeight: 50, rules: 'all' as const, fontSize: 8 };
    const activity = {
      rows: [
        ['Activity', 'Lead', 'Partners', 'Timeframe', 'Progress checks'],
        ['Objective 1.1', 'Publish the offer', null, null, null],
        ['1.1.1 Write the pages', 'JD', 'Schools', 'May 2019', ''],
        ['Objective 12', 'Use the offer', null, null, null],
        ['1.2.1 Promote the pages', 'SL', 'Parents', 'June 2019', ''],
      ],
      x: 40, y: 240, colWidths: [200, 80, 100, 80, 80], rowHeight: 30, rules: 'all' as const, fontSize: 8,
    };
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'wsoa-lookalike-')), 'plan.pdf');
    writeFileSync(file, await tablePdf([{ grids: [outcome, activity], prose: [{ text: 'Work stream 1 - Local Offer', x: 40, y: 80, width: 500, size: 14 }] }]));
    const r = await extractFile(file);
    expect(r.records.filter((x) => x.kind === 'measure').map((m) => [m.ref, m.text])).toEqual([
      ['1/a', 'The offer is compliant'],
      ['1/b', 'Parents were involved'],
      ['1/c', 'Visits increase'],
    ]);
    expect(r.records.filter((x) => x.kind === 'objective').map((o) => o.ref)).toEqual(['1.1', '1.2']);
    expect(r.records.filter((x) => x.kind === 'action').map((a) => [a.ref, a.parent])).toEqual([['1.1.1', '1.1'], ['1.2.1', '1.2']]);
    expect(r.document.warnings.filter((w) => w.code === 'misread-numeral').map((w) => w.ref)).toEqual(['1/b', '1.2']);
  });

  it('a document that fits no layout gives a warning and no records', async () => {
    const { tablePdf } = await import('./helpers/table-pdf.js');
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'wsoa-nolayout-')), 'minutes.pdf');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, await tablePdf([{ grids: [], prose: [{ text: 'Minutes of the meeting. Members discussed the budget and agreed to meet again in the spring.', x: 72, y: 100, width: 400 }] }]));
    const r = await extractFile(file);
    expect(r.records).toEqual([]);
    expect(r.document.warnings.map((w) => w.code)).toContain('no-plan-layout');
  });
});

const run = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../bin/wsoa.mjs');
async function wsoa(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('wsoa extract', () => {
  it('--jsonl prints flat records and nothing else', async () => {
    const r = await wsoa('extract', path.join(dir, 'pdf/001-warwickshire.pdf'), '--jsonl');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.length).toBe(88);
    for (const l of lines) expect(FlatRecord.safeParse(JSON.parse(l)).success).toBe(true);
  });
  it('--json prints one document that passes the schema', async () => {
    const r = await wsoa('extract', path.join(dir, 'pdf/003-leicester-city.pdf'), '--json');
    expect(r.code).toBe(0);
    const doc = Document.parse(JSON.parse(r.stdout));
    expect(doc.areas).toHaveLength(5);
    expect(doc.ratingScheme.map((e) => e.value)).toEqual(['blue', 'green', 'amber', 'red']);
  });
  it('--debug-dir draws every page with its cells', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'wsoa-debug-'));
    const r = await wsoa('extract', path.join(dir, 'pdf/000-leicestershire.pdf'), '--debug-dir', out);
    expect(r.code).toBe(0);
    const files = readdirSync(path.join(out, '000-leicestershire'));
    expect(files).toHaveLength(8);
    const svg = readFileSync(path.join(out, '000-leicestershire', 'page-2.svg'), 'utf8');
    expect(svg).toContain('stroke="#36c"');
    expect(svg).toContain('action 1.1.1');
  });

  const bad: [string, RegExp][] = [
    ['empty.pdf', /empty file/],
    ['not-a-pdf.pdf', /not a PDF: the file is a text file/],
    ['image.pdf', /not a PDF: the file is a PNG image/],
    ['truncated.pdf', /damaged PDF/],
    ['encrypted.pdf', /encrypted: a password is needed/],
    ['blank-2000.pdf', /no readable page: none of the 2000 pages has a text layer/],
  ];
  it.each(bad)('bad/%s exits 3 with one line and no stack trace', async (file, message) => {
    const r = await wsoa('extract', path.join(dir, 'bad', file), '--jsonl');
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(r.stderr).not.toMatch(/\bat .+:\d+:\d+/);
  });
  it('bad/corrupt-xref.pdf, which pdf.js can rebuild, gives its records with a warning', async () => {
    const r = await wsoa('extract', path.join(dir, 'bad/corrupt-xref.pdf'), '--json');
    expect(r.code).toBe(0);
    const doc = Document.parse(JSON.parse(r.stdout));
    expect(doc.warnings.some((w) => w.code === 'damaged-xref')).toBe(true);
    expect(doc.areas.length).toBeGreaterThan(0);
  });
  it('a missing file exits 3', async () => {
    const r = await wsoa('extract', '/nonexistent/plan.pdf');
    expect(r.code).toBe(3);
    expect(r.stderr.trim()).toBe('wsoa: cannot read /nonexistent/plan.pdf: ENOENT');
  });
});
