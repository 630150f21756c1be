// The load stage on the fixture PDFs: text items with their rotation, rulings, and
// cell fills in the colours of the document's own legend.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDocument } from '../pipeline/load.js';
import { readExpected, readManifest } from '../pipeline/fixture-check.js';
import { FixtureSpec } from '../schemas/index.js';
import { WsoaError } from '../pipeline/exit-codes.js';

const dir = path.resolve(import.meta.dirname, '../fixtures');
const manifest = readManifest(dir);
const bytes = (rel: string) => readFileSync(path.join(dir, rel));

describe('load', () => {
  it('gives the sha256 of the bytes as the document id', async () => {
    const m = manifest.documents.find((d) => d.name === '000-leicestershire')!;
    const doc = await loadDocument(bytes(m.pdf));
    expect(doc.sha256).toBe(m.sha256);
    expect(doc.pageCount).toBe(m.pages);
    await doc.close();
  });

  it('reads the rotated area label as text at 90 degrees', async () => {
    const doc = await loadDocument(bytes('pdf/000-leicestershire.pdf'));
    const rotated = [];
    for (let p = 1; p <= doc.pageCount; p++) rotated.push(...(await doc.page(p)).items.filter((i) => i.angle === 90));
    const words = rotated.flatMap((i) => i.str.split(' '));
    for (const w of 'AREA 1- Absence of a Joint Commissioning Strategy'.split(' ')) expect(words).toContain(w);
    await doc.close();
  });

  it.each(['000-leicestershire', '001-warwickshire', '003-leicester-city'])('%s: finds one cell fill per printed rating, in the legend colours', async (name) => {
    const spec = FixtureSpec.parse(JSON.parse(readFileSync(path.join(dir, 'specs', `${name}.json`), 'utf8')));
    const doc = await loadDocument(bytes(`pdf/${name}.pdf`));
    const found: Record<string, number> = {};
    for (let p = 1; p <= doc.pageCount; p++) for (const f of (await doc.page(p)).fills) found[f.color] = (found[f.color] ?? 0) + 1;
    await doc.close();
    const expected: Record<string, number> = {};
    for (const e of spec.ratingScheme) expected[e.fill!.toUpperCase()] = 1; // the legend swatch itself
    for (const r of readExpected(dir, `expected/${name}.jsonl`)) {
      if (r.kind !== 'action' && r.kind !== 'measure') continue;
      for (const v of Object.values(r.ratings)) {
        if (!v) continue;
        const fill = spec.ratingScheme.find((e) => e.value === v)!.fill!.toUpperCase();
        expected[fill] = (expected[fill] ?? 0) + 1;
      }
    }
    // A rated row that a page break splits paints its fill once on each page (003 does this), so a
    // colour may be found up to once more per page than it is rated; never less.
    for (const [color, n] of Object.entries(expected)) {
      expect(found[color] ?? 0, color).toBeGreaterThanOrEqual(n);
      expect((found[color] ?? 0) - n, color).toBeLessThanOrEqual(name === '003-leicester-city' ? doc.pageCount : 0);
    }
  });

  it('finds the table rulings: horizontal and vertical lines on a table page', async () => {
    const doc = await loadDocument(bytes('pdf/003-leicester-city.pdf'));
    const page = await doc.page(5);
    expect(page.rulings.filter((r) => r.orientation === 'h').length).toBeGreaterThan(10);
    expect(page.rulings.filter((r) => r.orientation === 'v').length).toBeGreaterThan(10);
    expect(page.width).toBeGreaterThan(page.height); // landscape
    await doc.close();
  });

  it('reads a page of a 2,000-page file without reading the others', async () => {
    const doc = await loadDocument(bytes('bad/blank-2000.pdf'));
    expect(doc.pageCount).toBe(2000);
    expect((await doc.page(1500)).items).toEqual([]);
    await doc.close();
  });
});

describe('load refuses what is not a readable PDF, with exit code 3 and one line', () => {
  const cases: [string, RegExp][] = [
    ['bad/empty.pdf', /^empty file: 0 bytes$/],
    ['bad/not-a-pdf.pdf', /^not a PDF: the file is a text file$/],
    ['bad/image.pdf', /^not a PDF: the file is a PNG image$/],
    ['bad/encrypted.pdf', /^encrypted: a password is needed$/],
    ['bad/truncated.pdf', /^damaged PDF: /],
  ];
  it.each(cases)('%s', async (file, message) => {
    const err = await loadDocument(bytes(file)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WsoaError);
    expect((err as WsoaError).exitCode).toBe(3);
    expect((err as WsoaError).message).toMatch(message);
    expect((err as WsoaError).message).not.toContain('\n');
  });

  it('a junk cross-reference table is repaired by pdf.js: the document still opens', async () => {
    // pdf.js rebuilds the table by scanning the objects; the extract stage reports it as damaged-but-read.
    const doc = await loadDocument(bytes('bad/corrupt-xref.pdf'));
    expect(doc.pageCount).toBeGreaterThan(0);
    await doc.close();
  });
});
