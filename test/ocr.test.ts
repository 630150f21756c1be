// OCR of scanned pages: the words of a scanned page against the text layer of the same
// page, word positions in PDF user space, page classification, and no network use.
import { fork, spawnSync } from 'node:child_process';
import { createCanvas } from '@napi-rs/canvas';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyPage, measureImageCoverage } from '../pipeline/classify.js';
import { loadDocument, type TextItem } from '../pipeline/load.js';
import { readPage } from '../pipeline/read-page.js';
import { ocrPage, OcrPool, secondOpinion, tangledLines, type OcrWord } from '../pipeline/ocr.js';
import { openPdf } from '../pipeline/pdfjs.js';
import type { ReaderMessage, ReadRequest } from '../pipeline/isolate/protocol.js';
import { DEFAULT_LIMITS } from '../pipeline/limits.js';
import { scoreRecords } from '../pipeline/eval/score-records.js';
import { settleByDocument } from '../pipeline/vocabulary.js';
import { readExpected } from '../pipeline/fixture-check.js';

const root = path.resolve(import.meta.dirname, '..');
const bytes = (rel: string) => readFileSync(path.join(root, 'fixtures', rel));
const norm = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

interface Word {
  text: string;
  cx: number;
  cy: number;
}

// The fixture's text is in Helvetica's metrics; Liberation Sans shares them, so it places words inside an item.
const ctx = createCanvas(8, 8).getContext('2d');
ctx.font = '100px "Liberation Sans"';
const advance = (s: string) => ctx.measureText(s).width;

/** Splits text items into words, placing each by its share of the item's advance (horizontal items only). */
function wordsOf(items: TextItem[]): Word[] {
  const out: Word[] = [];
  for (const it of items) {
    const whole = advance(it.str) || 1;
    for (const m of it.str.matchAll(/\S+/g)) {
      const text = norm(m[0]);
      if (!text) continue;
      const a = advance(it.str.slice(0, m.index!)) / whole;
      const b = advance(it.str.slice(0, m.index! + m[0].length)) / whole;
      out.push({ text, cx: it.x + (it.width * (a + b)) / 2, cy: it.y + it.height / 2 });
    }
  }
  return out;
}

describe('ocr', () => {
  const pool = new OcrPool({ size: 2 });
  afterAll(() => pool.close());
  /** The text of every table cell of one scanned page read by OCR, its whitespace made single spaces. */
  const cellTexts = async (rel: string, page: number) => {
    const raw = bytes(rel);
    const doc = await loadDocument(raw);
    const r = await readPage(doc, page, { ocr: true, limits: DEFAULT_LIMITS, raw: () => openPdf(raw), pool: () => pool });
    await doc.close();
    return r.layout.tables.flatMap((t) => t.cells.map((c) => c.text.replace(/\s+/g, ' ')));
  };

  it('reads page 1 of the scanned Kent plan: the text layer\'s words, in the same places', async () => {
    const text = await loadDocument(bytes('pdf/007-kent.pdf'));
    const truth = wordsOf((await text.page(1)).items);
    await text.close();
    const doc = await openPdf(bytes('pdf/007-kent.scanned.pdf'));
    const t0 = performance.now();
    const res = await ocrPage(doc, 1, pool);
    const ms = performance.now() - t0;
    await doc.destroy();
    expect(res.dpi).toBe(300);
    expect(res.confidences).toHaveLength(res.items.length);
    for (const it of res.items) {
      expect(it.fontName).toBe('ocr');
      expect(it.angle).toBe(0);
      expect(it.transform).toEqual([it.fontSize, 0, 0, it.fontSize, it.x, it.y]);
    }
    const ocr = wordsOf(res.items);
    const ocrTexts = new Set(ocr.map((w) => w.text));
    expect(truth.length).toBeGreaterThan(100);
    const found = truth.filter((w) => ocrTexts.has(w.text));
    expect(found.length / truth.length).toBeGreaterThanOrEqual(0.9);
    // Each text-layer word has an OCR word of the same text whose centre is within 6 pt of its own.
    const near = found.filter((w) => ocr.some((o) => o.text === w.text && Math.hypot(o.cx - w.cx, o.cy - w.cy) <= 6));
    expect(near.length / found.length).toBeGreaterThanOrEqual(0.9);
    console.log(`ocr page 1: ${res.items.length} words, ${(found.length / truth.length * 100).toFixed(1)}% of text-layer words found, ${(near.length / found.length * 100).toFixed(1)}% within 6 pt; skew ${res.skewDeg.toFixed(2)}°, render ${Math.round(res.renderMs)} ms, ocr ${Math.round(res.ocrMs)} ms, total ${Math.round(ms)} ms`);
  });

  it('reads a column of short references that tesseract takes for one vertical line (000 page 4): each reference, whole', async () => {
    const text = await loadDocument(bytes('pdf/000-leicestershire.pdf'));
    const refItems = (await text.page(4)).items.filter((i) => /^\d+\.\d+\.\d+$/.test(i.str.trim()));
    const refs = refItems.map((i) => i.str.trim());
    const [left, right] = [Math.min(...refItems.map((i) => i.x)), Math.max(...refItems.map((i) => i.x + i.width))];
    await text.close();
    const doc = await openPdf(bytes('pdf/000-leicestershire.scanned.pdf'));
    const res = await ocrPage(doc, 4, pool);
    await doc.destroy();
    expect(refs.length).toBeGreaterThanOrEqual(15);
    const read = res.items.map((i) => i.str);
    const found = refs.filter((r) => read.includes(r));
    console.log(`000 page 4: ${found.length}/${refs.length} references read whole; missing ${refs.filter((r) => !read.includes(r)).join(' ')}`);
    expect(found.length / refs.length).toBeGreaterThanOrEqual(0.9);
    // What tesseract made of the column read as one line down the page is gone: the column holds references only.
    const inColumn = res.items.filter((i) => i.x >= left - 2 && i.x + i.width <= right + 4);
    expect(inColumn.filter((i) => !/^[\d.]+$/.test(i.str)).map((i) => i.str)).toEqual([]);
  });

  it('reads again, cell by cell, lines tesseract tangled (003.v2 page 12): the objective column\'s words all found', async () => {
    // Here tesseract read "become a young" with the "adult" under it as one line across the row, and
    // "to access support, which" with "delays their treatment during" as one line twice as tall.
    const text = await loadDocument(bytes('pdf/003-leicester-city.v2.pdf'));
    const page = await text.page(12);
    const column = page.items.filter((i) => i.x < 155 && i.y < 480 && i.y > 60);
    const truth = wordsOf(column);
    await text.close();
    const doc = await openPdf(bytes('pdf/003-leicester-city.v2.scanned.pdf'));
    const res = await ocrPage(doc, 12, pool);
    await doc.destroy();
    const ocr = wordsOf(res.items);
    const found = truth.filter((w) => ocr.some((o) => o.text === w.text && Math.hypot(o.cx - w.cx, o.cy - w.cy) <= 6));
    console.log(`003.v2 page 12 objective column: ${found.length}/${truth.length} words; missing ${truth.filter((w) => !found.includes(w)).map((w) => w.text).join(' ')}`);
    expect(truth.length).toBeGreaterThan(30);
    expect(found.length / truth.length).toBeGreaterThanOrEqual(0.95);
  });

  it('reads the lone digits of a measures column and a reference tesseract read short (001.v2 pages 5-7)', async () => {
    // Tesseract passes over some lone digits, reads a "5" as "wu", and reads "5.1.3" as "1.3".
    const text = await loadDocument(bytes('pdf/001-warwickshire.v2.pdf'));
    const doc = await openPdf(bytes('pdf/001-warwickshire.v2.scanned.pdf'));
    let [digits, digitsFound] = [0, 0];
    const refs: string[] = [];
    const refsRead: string[] = [];
    for (const n of [5, 6, 7]) {
      const truth = (await text.page(n)).items.filter((i) => i.str.trim());
      const res = await ocrPage(doc, n, pool);
      const near = (t: TextItem) => res.items.some((o) => o.str === t.str.trim() && Math.hypot(o.x - t.x, o.y - t.y) <= 6);
      const column = truth.filter((i) => /^\d$/.test(i.str.trim()) && i.x > 600);
      digits += column.length;
      digitsFound += column.filter(near).length;
      for (const r of truth.filter((i) => /^\d+\.\d+\.\d+$/.test(i.str.trim()))) (near(r) ? refsRead : refs).push(r.str.trim());
      // Where a digit is printed, only it is read (not "wu" for a 5).
      for (const t of column) {
        const there = res.items.filter((o) => o.x + o.width / 2 > t.x - 3 && o.x + o.width / 2 < t.x + t.width + 3 && o.y + o.height / 2 > t.y - 3 && o.y + o.height / 2 < t.y + t.height + 3);
        expect(there.map((o) => o.str).join(' ')).toBe(t.str.trim());
      }
    }
    await text.close();
    await doc.destroy();
    console.log(`001.v2 pages 5-7: ${digitsFound}/${digits} measure digits; references missed: ${refs.join(' ') || 'none'}`);
    expect(digits).toBeGreaterThan(40);
    expect(digitsFound).toBe(digits);
    expect(refsRead).toContain('5.1.3');
    expect(refs).toEqual([]);
  });

  it('gives a glyph read again from a small patch the size of its line (005 page 4: the "/" between two leads)', async () => {
    // Read alone, the "/" has the patch's row height, and its line would be taken for a heading.
    const doc = await openPdf(bytes('pdf/005-southend.scanned.pdf'));
    const res = await ocrPage(doc, 4, pool);
    await doc.destroy();
    const lead = res.items.find((i) => i.str === 'Lead:' && res.items.some((o) => o.str === 'Psychologist' && Math.abs(o.y - i.y) < 3))!;
    const line = res.items.filter((o) => Math.abs(o.y - lead.y) < 3 && o.x < 300);
    expect(line.map((o) => o.str)).toContain('/');
    const sizes = line.map((o) => o.fontSize);
    expect(Math.max(...sizes) / Math.min(...sizes)).toBeLessThan(1.15);
  });

  it('reads again a word tesseract\'s dictionary guessed (006 page 6: "every term", guessed "ten" in the cleaned page)', async () => {
    const doc = await openPdf(bytes('pdf/006-bracknell-forest.scanned.pdf'));
    const res = await ocrPage(doc, 6, pool);
    await doc.destroy();
    const every = res.items.filter((i) => i.str === 'every' && res.items.some((o) => o.str === 'meeting' && Math.abs(o.y - i.y) < 3));
    expect(every).toHaveLength(1);
    const next = res.items.filter((o) => Math.abs(o.y - every[0]!.y) < 3 && o.x > every[0]!.x).sort((a, b) => a.x - b.x)[0];
    expect(next?.str).toBe('term');
  });

  it('takes a second reading over a doubtful word only where it is an English word, one, and surer by the margin', async () => {
    const w = (text: string, x: number, confidence: number): OcrWord => ({ text, box: [x, 100, x + 20, 110], confidence, line: 1 });
    const unsure = (x: OcrWord) => x.confidence < 30;
    const first = [w('meeting', 0, 95), w('every', 25, 96), w('ten', 50, 5), w('with', 75, 94)];
    const boxes: number[][] = [];
    // The second reader answers in the crop's own coordinates.
    const reader = (answer: [string, number][]) => async (box: [number, number, number, number]) => {
      boxes.push(box);
      return answer.map(([text, confidence], k) => ({ text, confidence, box: [k * 25 - box[0], 100 - box[1], k * 25 + 20 - box[0], 110 - box[1]] as [number, number, number, number] }));
    };
    const got = await secondOpinion(first, unsure, 20, reader([['meeting', 90], ['every', 90], ['term', 95], ['with', 90]]));
    expect(got.map((x) => x.text)).toEqual(['meeting', 'every', 'term', 'with']);
    // The whole run of the line is read again, once, and sure words stay as first read.
    expect(boxes).toHaveLength(1);
    expect(boxes[0]![0]).toBeLessThan(0);
    expect(boxes[0]![2]).toBeGreaterThan(95);
    expect(got[1]).toBe(first[1]);
    // Not a word, or not surer by the margin: the guess stands.
    expect((await secondOpinion(first, unsure, 20, reader([['meeting', 90], ['every', 90], ['tcrm', 95], ['with', 90]])))[2]!.text).toBe('ten');
    expect((await secondOpinion(first, unsure, 20, reader([['meeting', 90], ['every', 90], ['term', 20], ['with', 90]])))[2]!.text).toBe('ten');
    // An acronym's plural counts as a word: the guess had dropped its s.
    const acronym = [w('in', 0, 95), w('EHCP.', 25, 22)];
    expect((await secondOpinion(acronym, unsure, 20, reader([['in', 90], ['EHCPs.', 89]])))[1]!.text).toBe('EHCPs.');
    // So do an initialism in mixed case (006: "DIE" for DfE) and words joined by hyphens (006: "norrmaintained").
    expect((await secondOpinion([w('the', 0, 95), w('DIE', 25, 28)], unsure, 20, reader([['the', 90], ['DfE', 77]])))[1]!.text).toBe('DfE');
    expect((await secondOpinion([w('and', 0, 95), w('norrmaintained', 25, 15)], unsure, 20, reader([['and', 90], ['non-maintained', 81]])))[1]!.text).toBe('non-maintained');
    expect((await secondOpinion([w('and', 0, 95), w('norrmaintained', 25, 15)], unsure, 20, reader([['and', 90], ['non-mamtained', 81]])))[1]!.text).toBe('norrmaintained');
    expect((await secondOpinion([w('the', 0, 95), w('DIE', 25, 28)], unsure, 20, reader([['the', 90], ['Dfe', 77]])))[1]!.text).toBe('DIE');
    expect((await secondOpinion([w('the', 0, 95), w('proeess', 25, 28)], unsure, 20, reader([['the', 90], ['JIocess', 77]])))[1]!.text).toBe('proeess');
    // Two English guesses alike (006: "retired" at 16, "returned" at 0): the far commoner wins, where asked.
    const guesses = [w('advice', 0, 95), w('retired', 25, 16)];
    expect((await secondOpinion(guesses, unsure, 20, reader([['advice', 90], ['returned', 0]]), 3))[1]!.text).toBe('returned');
    expect((await secondOpinion(guesses, unsure, 20, reader([['advice', 90], ['returned', 0]])))[1]!.text).toBe('retired');
    // Not a rarer word, and not one far less sure.
    expect((await secondOpinion([w('a', 0, 95), w('routine', 25, 25)], unsure, 20, reader([['a', 90], ['urine', 20]]), 3))[1]!.text).toBe('routine');
    expect((await secondOpinion([w('a', 0, 95), w('boat', 25, 25)], unsure, 20, reader([['a', 90], ['board', 4]]), 3))[1]!.text).toBe('boat');
    expect((await secondOpinion([w('a', 0, 95), w('boat', 25, 25)], unsure, 20, reader([['a', 90], ['board', 5]]), 3))[1]!.text).toBe('board');
    // A sure word is never read again.
    boxes.length = 0;
    await secondOpinion([w('every', 25, 96), w('term', 50, 85)], unsure, 20, reader([]));
    expect(boxes).toHaveLength(0);
  });

  it('reads 000 page 2: headings that run on over the rating columns and past the table (strokes the rulings cross kept, the line given back to its cell), an unsure non-word read again', async () => {
    const texts = await cellTexts('pdf/000-leicestershire.scanned.pdf', 2);
    // A word read unsurely and no word ("sttuchire", 46) read again with its line, before cleaning.
    expect(texts).toContain('Co-produce an accountability, governance and responsibility structure');
    // As printed; the scan cut the second heading at the page's edge ("th").
    const dashboard = texts.find((t) => t.startsWith('Develop an information and data dashboard'));
    expect(dashboard).toMatch(/including EHE, CME, NEET .* YOT cohorts$/);
    expect(texts).toContain('To develop and implement revised commissioning approaches, in partnership with children, young people, parents and carers, to ensure equity and alignment to th');
  });

  it('reads 003.v2 page 13: a line set two points under another, which tesseract passes over, read alone as missed ink', async () => {
    const texts = await cellTexts('pdf/003-leicester-city.v2.scanned.pdf', 13);
    // "associated" was ink beside the line above; "Procedures." was read at a confidence of 5.
    expect(texts).toContain('iv. Update health transition policies and associated Procedures.');
  });

  it('reads the due column of 003 page 6 as printed: two lines set close read as lines ("Apr" over "2019"), and "Dee" before a year taken for Dec', async () => {
    // The text layer's cells of dates alone ("Dec 2018", "May 2019 Sept 2019 Dec 2020"): what the scan's must read.
    const dateCell = /^((jan|feb|mar|apr|may|june?|july?|aug|sept?|oct|nov|dec)[a-z]*|20\d\d|[;,]|\s)+$/i;
    const raw = bytes('pdf/003-leicester-city.pdf');
    const doc = await loadDocument(raw);
    const printed = (await readPage(doc, 6, { ocr: false, limits: DEFAULT_LIMITS, raw: () => openPdf(raw), pool: () => pool })).layout.tables.flatMap((t) => t.cells.map((c) => c.text.replace(/\s+/g, ' ').trim()));
    await doc.close();
    const dues = printed.filter((t) => t && dateCell.test(t));
    expect(dues).toContain('Apr 2019');
    expect(dues.filter((t) => t.includes('Dec')).length).toBeGreaterThanOrEqual(3);
    const scan = bytes('pdf/003-leicester-city.scanned.pdf');
    const scanned = await loadDocument(scan);
    const read = await readPage(scanned, 6, { ocr: true, limits: DEFAULT_LIMITS, raw: () => openPdf(scan), pool: () => pool });
    await scanned.close();
    // The document's pass, on this page alone.
    const { layouts, warnings } = settleByDocument([read.layout]);
    const texts = layouts[0]!.tables.flatMap((t) => t.cells.map((c) => c.text.replace(/\s+/g, ' ').trim()));
    expect(dues.filter((d) => !texts.includes(d))).toEqual([]);
    expect(warnings.map((w) => w.message).join(' ')).toContain('Dee (before 2018) -> Dec');
  });

  it('finds tangled lines: words of two lines lying on one another, and unsure words as tall as two lines', () => {
    const word = (text: string, line: number, confidence: number, box: [number, number, number, number]): OcrWord => ({ text, line, confidence, box });
    // A column of ordinary lines, 9 pt tall: nothing tangled.
    const lines = Array.from({ length: 8 }, (_, k) => [word('some', k, 95, [40, 100 + 12 * k, 60, 109 + 12 * k]), word('words', k, 93, [64, 100 + 12 * k, 90, 109 + 12 * k])]).flat();
    expect(tangledLines(lines)).toEqual([]);
    // Line 20 lies on line 21 (halves of one line, each read with another).
    const lying = [word('when', 20, 95, [200, 300, 214, 309]), word('bee', 20, 90, [220, 300, 232, 309]), word('Ey', 21, 56, [222, 301, 233, 310]), word('Jaen', 21, 41, [180, 304, 198, 312])];
    expect(tangledLines([...lines, ...lying])).toEqual([[180, 300, 233, 312]]);
    // Two unsure words twice the usual height on one line: two lines read as one. A tall sure heading is not.
    const merged = [word('pe', 30, 32, [44, 439, 75, 457]), word('ing', 30, 41, [128, 437, 155, 459]), word('tall', 30, 96, [160, 437, 190, 459])];
    const heading = [word('Area', 31, 95, [44, 500, 80, 518]), word('Four', 31, 96, [84, 500, 120, 518])];
    expect(tangledLines([...lines, ...merged, ...heading])).toEqual([[44, 437, 155, 459]]);
  });

  it('classifies a text-layer page as text and a scanned page as ocr', async () => {
    for (const [file, n, kind] of [
      ['pdf/007-kent.pdf', 1, 'text'],
      ['pdf/007-kent.scanned.pdf', 1, 'ocr'],
      // Wide runs of spaces between table cells are gaps, not glyphs with nothing mapped.
      ['pdf/001-warwickshire.pdf', 3, 'text'],
      ['pdf/001-warwickshire.scanned.pdf', 3, 'ocr'],
    ] as const) {
      const b = bytes(file);
      const loaded = await loadDocument(b);
      const raw = await openPdf(b);
      expect(classifyPage(await loaded.page(n), await measureImageCoverage(raw, n)), `${file} page ${n}`).toBe(kind);
      await loaded.close();
      await raw.destroy();
    }
  });

  it('renders at the configured resolution, from the limits (option, environment, default 300)', async () => {
    const { resolveLimits } = await import('../pipeline/limits.js');
    expect(resolveLimits({}, {}).ocrDpi).toBe(300);
    expect(resolveLimits({}, { WSOA_OCR_DPI: '200' }).ocrDpi).toBe(200);
    expect(resolveLimits({ ocrDpi: 150 }, { WSOA_OCR_DPI: '200' }).ocrDpi).toBe(150);
    expect(() => resolveLimits({ ocrDpi: 20 }, {})).toThrow(/ocrDpi/);
    const doc = await openPdf(bytes('pdf/007-kent.scanned.pdf'));
    const res = await ocrPage(doc, 3, pool, { dpi: 150 });
    await doc.destroy();
    expect(res.dpi).toBe(150);
    expect(res.items.length).toBeGreaterThan(20);
  });

  it('gives an OCR reading more memory and more time a page than a text reading (a page stopped is a page lost)', async () => {
    const { resolveLimits } = await import('../pipeline/limits.js');
    const { readingLimits } = await import('../pipeline/read-result.js');
    const limits = resolveLimits({}, {});
    expect(readingLimits(limits, false)).toEqual(limits);
    const ocr = readingLimits(limits, true);
    expect(ocr.pageTimeoutMs).toBe(120_000);
    expect(ocr.maxMemoryMb).toBe(limits.maxMemoryMb + limits.ocrMemoryMb);
    expect(readingLimits(resolveLimits({}, { WSOA_OCR_PAGE_TIMEOUT_MS: '45000' }), true).pageTimeoutMs).toBe(45_000);
    // A page limit set longer than the OCR one still holds.
    expect(readingLimits(resolveLimits({ pageTimeoutMs: 300_000 }, {}), true).pageTimeoutMs).toBe(300_000);
  });

  it('classifies unmappable text as garbage', async () => {
    const loaded = await loadDocument(bytes('pdf/007-kent.pdf'));
    const page = await loaded.page(1);
    await loaded.close();
    const privateUse = { ...page, items: page.items.map((i) => ({ ...i, str: i.str.replace(/\S/g, '\uE01F') })) };
    expect(classifyPage(privateUse, 0)).toBe('garbage');
    const replaced = { ...page, items: page.items.map((i) => ({ ...i, str: i.str.replace(/\S/g, '\uFFFD') })) };
    expect(classifyPage(replaced, 0)).toBe('garbage');
    // Glyph runs that advance across the page but map to a character or two each.
    const sparse = { ...page, items: page.items.map((i) => ({ ...i, str: i.str.slice(0, 1) })) };
    expect(classifyPage(sparse, 0)).toBe('garbage');
    expect(classifyPage({ ...page, items: [] }, 0)).toBe('text');
  });

  it('the isolated reader OCRs a scanned page only when the request asks for it', async () => {
    const child = fork(path.join(root, 'pipeline/isolate/reader.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const readOnce = (ocr: boolean) =>
      new Promise<Extract<ReaderMessage, { type: 'page' }>>((resolve, reject) => {
        const onMessage = (m: ReaderMessage) => {
          if (m.type === 'page') resolve(m);
          else if (m.type === 'error' || m.type === 'page-error') reject(new Error(m.message));
          else return;
          child.off('message', onMessage);
        };
        child.on('message', onMessage);
        const req: ReadRequest = { type: 'read', file: path.join(root, 'fixtures/pdf/007-kent.scanned.pdf'), fromPage: 1, pages: '1', limits: DEFAULT_LIMITS, ...(ocr ? { ocr } : {}) };
        child.send(req);
      });
    try {
      const plain = await readOnce(false);
      expect(plain.hasText).toBe(false);
      expect(plain.layout.words).toHaveLength(0);
      const read = await readOnce(true);
      expect(read.hasText).toBe(true);
      const text = read.layout.lines.map((l) => l.text).join('\n');
      expect(text).toContain('Kent improvement plan for special educational needs');
      expect(text).toContain('Area of weakness 1');
    } finally {
      child.disconnect();
    }
  });

  it('fetches nothing: OCR works with no network (unshare -n)', () => {
    const r = spawnSync('unshare', ['-n', process.execPath, '--import', 'tsx', 'test/helpers/ocr-offline.ts', 'fixtures/pdf/007-kent.scanned.pdf', '3'], { cwd: root, encoding: 'utf8', timeout: 45_000 });
    const err = (r.error as NodeJS.ErrnoException | undefined)?.code;
    // No unshare binary, or no permission to make a network namespace (unprivileged container): nothing to check here.
    if (err === 'ENOENT' || (r.status !== 0 && /Operation not permitted|EPERM|cannot|not found/i.test(r.stderr ?? ''))) {
      console.log(`skipped: unshare -n unavailable (${err ?? r.stderr.trim().split('\n')[0]})`);
      return;
    }
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { words: string[]; ms: number };
    expect(out.words.length).toBeGreaterThan(30);
  });
});

describe('wsoa extract --ocr on a scanned plan', () => {
  it('reads the scan through the isolated reader and marks what it read as OCR, with its confidence', async () => {
    const { extractFileIsolated } = await import('../pipeline/extract.js');
    const { resolveLimits } = await import('../pipeline/limits.js');
    const r = await extractFileIsolated(path.resolve(import.meta.dirname, '../fixtures/pdf/007-kent.scanned.pdf'), resolveLimits(), { ocr: true });
    expect(r.ocrPages).toBe(3);
    expect(r.records.length).toBeGreaterThan(0);
    for (const rec of r.records) {
      expect(rec.provenance.method).toBe('ocr');
      expect(rec.provenance.confidence).toBeLessThan(1);
    }
    // Scored against the records written by hand from the seed (fixtures/expected), with the eval's metric.
    const score = scoreRecords(readExpected(path.join(root, 'fixtures'), 'expected/007-kent.jsonl') as never[], r.records as never[]);
    for (const kind of ['area', 'objective', 'action'] as const) expect(score.kinds[kind]!.f1, kind).toBe(1);
    // The issue's target: F1 >= 0.97 per kind.
    expect(score.kinds.measure!.f1).toBeGreaterThanOrEqual(0.97);
  }, 180_000);

  it('rebuilds a scanned table: ruled cells, grey fills read as ratings through the printed legend, references with their dots', async () => {
    const { extractFileIsolated } = await import('../pipeline/extract.js');
    const { resolveLimits } = await import('../pipeline/limits.js');
    // 001's legend (page 2) and its BRAG table (pages 5-7): greyscale fills, skewed, JPEG.
    const r = await extractFileIsolated(path.join(root, 'fixtures/pdf/001-warwickshire.scanned.pdf'), resolveLimits(), { ocr: true });
    expect(r.document.ratingScheme.map((e) => e.value)).toEqual(['blue', 'green', 'amber', 'red', 'not-due']);
    for (const e of r.document.ratingScheme) expect(e.fill).toMatch(/^#([0-9A-F]{2})\1\1$/);
    const score = scoreRecords(readExpected(path.join(root, 'fixtures'), 'expected/001-warwickshire.jsonl') as never[], r.records as never[]);
    expect(score.kinds.objective!.f1).toBe(1);
    expect(score.kinds.action!.f1).toBe(1);
    // The issue's target: F1 >= 0.97 per kind, ratings >= 0.95 (the lone digits of measures without words are read).
    expect(score.kinds.measure!.f1).toBeGreaterThanOrEqual(0.97);
    expect(score.ratings.correct / score.ratings.total).toBeGreaterThanOrEqual(0.95);
    console.log(`001 scanned: measure F1 ${score.kinds.measure!.f1.toFixed(3)}, ratings ${score.ratings.correct}/${score.ratings.total}`);
  }, 400_000);

  it('settles misreadings by the document: a word by the words the plan prints beside it, a year by the room its point would need', async () => {
    const { extractFileIsolated } = await import('../pipeline/extract.js');
    const { resolveLimits } = await import('../pipeline/limits.js');
    // 006 (Bracknell Forest): tesseract reads "New funding bands" as "New finding bands" (the plan prints
    // "funding bands" elsewhere) and the 2022 of a free school bid as "20.22", as wide as every 2022 it prints.
    const r = await extractFileIsolated(path.join(root, 'fixtures/pdf/006-bracknell-forest.scanned.pdf'), resolveLimits(), { ocr: true });
    const score = scoreRecords(readExpected(path.join(root, 'fixtures'), 'expected/006-bracknell-forest.jsonl') as never[], r.records as never[]);
    // A page stopped by a limit would show here: say so on failure.
    const stops = r.document.warnings.filter((w) => /limit|crash|unreadable/.test(w.code)).map((w) => `${w.code}: ${w.message}`);
    for (const kind of ['area', 'objective', 'action', 'measure'] as const) expect(score.kinds[kind]!.f1, `${kind} ${JSON.stringify(score.kinds[kind])} ${stops.join('; ')}`).toBeGreaterThanOrEqual(0.97);
    expect(score.ratings.correct / score.ratings.total).toBeGreaterThanOrEqual(0.95);
    const settled = r.document.warnings.filter((w) => w.code === 'ocr-read-by-document').map((w) => w.message).join('\n');
    expect(settled).toContain('finding (as beside bands) -> funding');
    expect(settled).toContain('20.22 (no room for its point) -> 2022');
    console.log(`006 scanned: F1 ${(['objective', 'action', 'measure'] as const).map((k) => `${k} ${score.kinds[k]!.f1.toFixed(3)}`).join(', ')}`);
  }, 400_000);
});
