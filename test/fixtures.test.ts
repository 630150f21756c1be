// The fixtures are what they claim: these PDFs, expected records and diffs are the
// ground every later test stands on.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FixtureSpec, SpecChangeList, DiffDocument } from '../schemas/index.js';
import { checkFixture, checkPair, readExpected, readManifest, textItems } from '../pipeline/fixture-check.js';
import { openPdf } from '../pipeline/pdfjs.js';
import { expectedRecords } from '../fixtures/build/expected.js';
import { expectedDiff } from '../fixtures/build/diff-expected.js';
import { renderSpec } from '../fixtures/build/render.js';
import { specProblems } from '../fixtures/build/spec-tools.js';

const dir = path.resolve(import.meta.dirname, '../fixtures');
const manifest = readManifest(dir);
const specFiles = readdirSync(path.join(dir, 'specs')).filter((f) => f.endsWith('.json') && !f.endsWith('.changes.json'));
const spec = (name: string) => FixtureSpec.parse(JSON.parse(readFileSync(path.join(dir, 'specs', `${name}.json`), 'utf8')));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('specs', () => {
  it('every spec has a fixture and every fixture a spec', () => {
    expect(manifest.documents.map((d) => `${d.name}.json`).sort()).toEqual([...specFiles].sort());
  });
  it.each(specFiles)('%s is a valid spec with unique refs', (f) => {
    const s = spec(f.replace(/\.json$/, ''));
    expect(specProblems(s)).toEqual([]);
  });
  it('cover the seed plans the foundation issue names', () => {
    const councils = new Set(manifest.documents.map((d) => d.council));
    for (const c of ['Leicestershire', 'Warwickshire']) expect(councils).toContain(c);
  });
});

describe.each(manifest.documents.map((d) => [d.name, d] as const))('fixture %s', (name, m) => {
  it('opens, has the pages the manifest says, and its scan has the same pages and no text', async () => {
    const report = await checkFixture(dir, m);
    expect(report.problems).toEqual([]);
    expect(report.pages).toBe(m.pages);
    if (m.scanned) expect(report.scannedPages).toBe(m.pages);
  });

  it('is rebuilt byte for byte from its spec, with the expected records the spec gives', async () => {
    const s = spec(name);
    const rendered = await renderSpec(s);
    expect(sha(rendered.pdf)).toBe(m.sha256);
    expect(sha(readFileSync(path.join(dir, m.pdf)))).toBe(m.sha256);
    expect(expectedRecords(s, rendered.marks)).toEqual(readExpected(dir, m.expected));
  });

  it('expected records hold every record of the spec, each with provenance on a real page', () => {
    const records = readExpected(dir, m.expected);
    const s = spec(name);
    const areas = s.areas.length;
    const objectives = s.areas.reduce((n, a) => n + a.objectives.length, 0);
    const actions = s.areas.reduce((n, a) => n + a.objectives.reduce((k, o) => k + o.actions.length, 0), 0);
    expect(records.filter((r) => r.kind === 'area')).toHaveLength(areas);
    expect(records.filter((r) => r.kind === 'objective')).toHaveLength(objectives);
    expect(records.filter((r) => r.kind === 'action')).toHaveLength(actions);
    for (const r of records) expect(r.provenance.page).toBeLessThanOrEqual(m.pages);
  });
});

describe('layout quirks the seeds show are in the text-layer PDFs', () => {
  it("000: the rotated area label continues across a page break", async () => {
    const doc = await openPdf(readFileSync(path.join(dir, 'pdf/000-leicestershire.pdf')));
    const pages = await textItems(doc);
    const label = 'AREA 1- Absence of a Joint Commissioning Strategy'.split(' ');
    const pagesWithLabelWords = pages
      .map((items, i) => ({ page: i + 1, words: items.filter((it) => it.rotated).flatMap((it) => it.str.split(' ')).filter((w) => label.includes(w)) }))
      .filter((p) => p.words.length);
    expect(pagesWithLabelWords.length).toBeGreaterThanOrEqual(2);
    expect(new Set(pagesWithLabelWords.flatMap((p) => p.words))).toEqual(new Set(label));
    await doc.destroy();
  });

  it('000: from the second area on, header cells are rotated', async () => {
    const doc = await openPdf(readFileSync(path.join(dir, 'pdf/000-leicestershire.pdf')));
    const pages = await textItems(doc);
    const rotatedHeaders = pages.flat().filter((it) => it.rotated && ['Completed', 'Sustained', 'Reference'].includes(it.str));
    expect(rotatedHeaders.length).toBeGreaterThanOrEqual(3);
    await doc.destroy();
  });

  it('text is written line by line or word by word, never one string per cell', async () => {
    for (const m of manifest.documents) {
      const doc = await openPdf(readFileSync(path.join(dir, m.pdf)));
      const items = (await textItems(doc)).flat();
      const records = readExpected(dir, m.expected).filter((r) => r.kind === 'action' && r.text.length > 120);
      for (const r of records) expect(items.some((it) => it.str === r.text)).toBe(false);
      await doc.destroy();
    }
  });

  it('001: progress and impact are fills with no words, in the legend colours', () => {
    const records = readExpected(dir, 'expected/001-warwickshire.jsonl');
    const rated = records.filter((r) => r.kind === 'measure' && r.ratings.progress);
    expect(rated.length).toBeGreaterThan(40);
    const s = spec('001-warwickshire');
    for (const r of rated) if (r.kind === 'measure') expect(r.ratingSources.progress).toBe(`fill ${s.ratingScheme.find((e) => e.value === r.ratings.progress)!.fill}`);
  });

  it('001: the stated totals differ from the rows printed, as in the real document', () => {
    const s = spec('001-warwickshire');
    const stated = s.statedTotals.find((t) => t.scope === null && t.counts === 'measure')!;
    const printed = readExpected(dir, 'expected/001-warwickshire.jsonl').filter((r) => r.kind === 'measure').length;
    expect(stated.value).toBe(71);
    expect(printed).toBeLessThan(stated.value);
  });
});

describe.each(manifest.pairs.map((p) => [p.name, p] as const))('version pair %s', (name, pair) => {
  it('references only records of the two expected files, each exactly once', () => {
    expect(checkPair(dir, manifest, pair)).toEqual([]);
  });
  it('has at least 12 changes of at least 6 kinds', () => {
    const diff = DiffDocument.parse(JSON.parse(readFileSync(path.join(dir, pair.diff), 'utf8')));
    const changed = diff.entries.filter((e) => e.changes.length);
    expect(changed.length).toBeGreaterThanOrEqual(12);
    expect(new Set(changed.flatMap((e) => e.changes)).size).toBeGreaterThanOrEqual(6);
    // One renumbered and reworded at once; one new record taking a freed number.
    expect(changed.some((e) => e.changes.includes('renumbered') && e.changes.includes('reworded'))).toBe(true);
    // A number is freed by a removal or by renumbering its record away.
    const freed = new Set(changed.filter((e) => e.changes.includes('removed') || e.changes.includes('renumbered')).map((e) => `${e.kind} ${e.oldRef}`));
    expect(changed.some((e) => e.changes.includes('added') && freed.has(`${e.kind} ${e.newRef}`))).toBe(true);
  });
  it('is what the hand-written change list and the two specs say', () => {
    const list = SpecChangeList.parse(JSON.parse(readFileSync(path.join(dir, 'specs', `${pair.from}.changes.json`), 'utf8')));
    const d1 = manifest.documents.find((d) => d.name === pair.from)!;
    const d2 = manifest.documents.find((d) => d.name === pair.to)!;
    const diff = expectedDiff(spec(pair.from), spec(pair.to), list, {
      from: { fileName: path.basename(d1.pdf), sha256: d1.sha256 },
      to: { fileName: path.basename(d2.pdf), sha256: d2.sha256 },
    });
    expect(diff).toEqual(JSON.parse(readFileSync(path.join(dir, pair.diff), 'utf8')));
  });
});

describe('bad inputs', () => {
  const bad = (name: string) => readFileSync(path.join(dir, 'bad', name));
  it('are all there, as the manifest lists them', () => {
    for (const b of manifest.bad) expect(sha(readFileSync(path.join(dir, b.file)))).toBe(b.sha256);
    expect(manifest.bad.map((b) => path.basename(b.file)).sort()).toEqual(
      ['blank-2000.pdf', 'corrupt-xref.pdf', 'empty.pdf', 'encrypted.pdf', 'image.pdf', 'not-a-pdf.pdf', 'truncated.pdf'],
    );
  });
  it('are what their names say', async () => {
    expect(bad('empty.pdf').length).toBe(0);
    expect(bad('not-a-pdf.pdf').includes('%PDF')).toBe(false);
    expect(bad('image.pdf').subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const truncated = bad('truncated.pdf');
    expect(truncated.subarray(0, 5).toString()).toBe('%PDF-');
    expect(truncated.includes('%%EOF')).toBe(false);
    await expect(openPdf(bad('encrypted.pdf'))).rejects.toMatchObject({ name: 'PasswordException' });
    const corrupt = bad('corrupt-xref.pdf');
    expect(corrupt.includes('garbage!!')).toBe(true);
    const blank = await openPdf(bad('blank-2000.pdf'));
    expect(blank.numPages).toBe(2000);
    await blank.destroy();
  });
});
