// The document's pass over OCR words: each case is a misreading tesseract made on a scan
// (or a word a plan prints that must stay), with the reading a person would give.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { layoutPage } from '../pipeline/layout/index.js';
import type { LoadedPage, Ruling, TextItem } from '../pipeline/load.js';
import { glyphCost } from '../pipeline/ocr-words.js';
import type { Word } from '../pipeline/layout/index.js';
import { contextRivalOf, monthReading, numberWidthsOf, pairsOf, pointlessReading, rivalOf, settleByDocument, settledReading, vocabularyOf, type Vocabulary } from '../pipeline/vocabulary.js';

/** Each fixture's expected records' texts, written by hand from the seeds: a plan's words as printed. */
function expectedTexts(): [string, string[]][] {
  const root = path.resolve(import.meta.dirname, '..', 'fixtures', 'expected');
  return readdirSync(root)
    .filter((x) => x.endsWith('.jsonl'))
    .map((f) => [f, readFileSync(path.join(root, f), 'utf8').split('\n').filter(Boolean).map((l) => String(JSON.parse(l).text ?? JSON.parse(l).title ?? ''))]);
}

/** A vocabulary of words each read surely as many times as given. */
const seen = (counts: Record<string, number>, confidence?: number): Vocabulary =>
  vocabularyOf([Object.entries(counts).flatMap(([text, n]) => Array.from({ length: n }, () => ({ text, ...(confidence === undefined ? {} : { confidence }) }) as never))]);

describe('glyph cost of a misreading', () => {
  it('charges a known glyph confusion 1 either way, another letter 2, a lost thin glyph 1.5', () => {
    expect(glyphCost('newvodevelopmental', 'neurodevelopmental')).toBe(1); // "ur" read as "wv"
    expect(glyphCost('curd', 'cwd')).toBe(1); // w read as "ur"
    expect(glyphCost('vear', 'year')).toBe(1);
    expect(glyphCost('eaders', 'leaders')).toBe(1.5);
    expect(glyphCost('ares', 'area')).toBe(2);
    expect(glyphCost('pand', 'send')).toBe(3);
    expect(glyphCost('pand', 'send', 2)).toBe(Infinity);
    expect(glyphCost('term', 'term')).toBe(0);
  });
});

describe('an unsure reading weighed against the document', () => {
  it('takes the word the document prints surely elsewhere, one or two glyphs away', () => {
    const vocab = seen({ neurodevelopmental: 3, year: 4, leaders: 6, CwD: 4, area: 30, young: 20 });
    expect(rivalOf('newvodevelopmental', 76, vocab)).toBe('neurodevelopmental');
    expect(rivalOf('vear', 92, vocab)).toBe('year');
    expect(rivalOf('[eaders', 61, vocab)).toBe('[leaders');
    expect(rivalOf('voung,', 80, vocab)).toBe('young,');
    expect(rivalOf('Gabtielle', 60, seen({ Gabrielle: 3 }))).toBe('Gabrielle');
    // A code keeps the document's spelling.
    expect(rivalOf('Curd', 31, vocab)).toBe('CwD');
  });

  it('leaves a sure reading, a common word, a form of the same word, and words run together', () => {
    const vocab = seen({ neurodevelopmental: 3, data: 20, care: 40, audit: 9, its: 12 });
    expect(rivalOf('newvodevelopmental', 95, vocab)).toBeNull();
    // "date" and "core" are words a plan prints too: however unsure, they stay.
    expect(rivalOf('date', 20, vocab)).toBeNull();
    expect(rivalOf('core', 20, vocab)).toBeNull();
    expect(rivalOf('audits', 50, vocab)).toBeNull();
    expect(rivalOf('itis', 50, vocab)).toBeNull();
  });

  it('weighs each part of words joined by a slash or hyphen, and counts the parts as the document\'s words', () => {
    const vocab = vocabularyOf([['parents/carers', 'parents/carers', 'Parents', 'co-production', 'co-production'].map((text) => ({ text }) as never)]);
    expect(settledReading('pearents/carers', 22, vocab)).toBe('parents/carers');
    expect(settledReading('co-prodnction', 40, vocab)).toBe('co-production');
    expect(settledReading('parents/carers', 22, vocab)).toBeNull();
    // "pea rents" is no function word run into another: still weighed.
    expect(rivalOf('pearents', 22, vocab)).toBe('parents');
  });

  it('leaves a word of the list the document also prints surely, however common its rival ("carer" beside care)', () => {
    const words = [...[...Array(30)].map(() => ({ text: 'care' })), { text: 'carer', confidence: 95 }, { text: 'carer', confidence: 40 }];
    const vocab = vocabularyOf([words as never[]]);
    expect(rivalOf('carer', 40, vocab)).toBeNull();
    expect(rivalOf('carer', 40, seen({ care: 30 }))).toBe('care');
  });

  it('needs the rival seen often, and far more often than the reading', () => {
    expect(rivalOf('vear', 60, seen({ year: 1 }))).toBeNull();
    // Read "ares" three times: as likely a word of the document as "area" seen four times.
    expect(rivalOf('ares', 60, vocabularyOf([[...Array(3)].map(() => ({ text: 'ares', confidence: 60 }) as never), ...[...Array(4)].map(() => [{ text: 'area' } as never])]))).toBeNull();
    // Readings below the sure confidence are no support.
    expect(rivalOf('vear', 60, seen({ year: 5 }, 70))).toBeNull();
  });

  it('does not reach far: a short reading bears few edits, a code one confusion, and a rival must be alone', () => {
    expect(rivalOf('Pand', 50, seen({ Send: 20 }))).toBeNull();
    expect(rivalOf('Defo', 50, seen({ DaTo: 20 }))).toBeNull();
    expect(rivalOf('SENDIAS', 50, seen({ SENDIASS: 20 }))).toBeNull(); // acronyms are the document's own
    // A capitalised reading may be a name (Wyre Forest): only a name the document capitalises replaces it.
    expect(rivalOf('Wyre', 50, seen({ were: 20 }))).toBeNull();
    // Two rivals as cheap and as common: no telling which.
    expect(rivalOf('ceam', 50, seen({ team: 5, seam: 5 }))).toBeNull();
    expect(rivalOf('ceam', 50, seen({ team: 20, seam: 5 }))).toBe('team');
  });

  it('leaves every word of the fixtures\' expected records as written, read unsure, with the rest of the plan as the vocabulary', () => {
    let words = 0;
    const changed: string[] = [];
    for (const [f, texts] of expectedTexts()) {
      const read = texts.flatMap((t) => t.split(/\s+/).filter(Boolean));
      words += read.length;
      const vocab = vocabularyOf([read.map((text) => ({ text }) as never)]);
      for (const w of new Set(read)) for (const confidence of [30, 60, 90]) if (rivalOf(w, confidence, vocab)) changed.push(`${f}: ${w} at ${confidence}`);
    }
    expect(words).toBeGreaterThan(10000);
    expect(changed).toEqual([]);
  });
});

/** Runs of words: "word@confidence" read so, a bare word from a text layer; each word 6 pt a glyph at (x, 0). */
const runsOf = (...texts: string[]): Word[][] =>
  texts.map((t) => {
    let x = 0;
    return t.split(' ').map((w) => {
      const [text, conf] = w.split('@') as [string, string | undefined];
      const word = { text, bbox: [x, 0, x + text.length * 6, 10], angle: 0, fontSize: 10, fontName: 'ocr', baseline: 0, item: 0, spacesBefore: 0, ...(conf ? { confidence: Number(conf) } : {}) } as Word;
      x += text.length * 6 + 4;
      return word;
    });
  });
/** What the words beside the i-th word of the last run make of it, the document being all the runs. */
function inContext(runs: Word[][], i: number): string | null {
  const run = runs.at(-1)!;
  return contextRivalOf(run[i]!, run[i - 1], run[i + 1], vocabularyOf(runs), pairsOf(runs))?.text ?? null;
}

describe('an unsure reading weighed against the words beside it', () => {
  it('takes the word the document prints beside the same neighbour, one confusion away, however common the reading', () => {
    const runs = runsOf('Review the high needs funding bands each year', 'New finding@80 bands in place');
    expect(inContext(runs, 1)).toBe('funding');
    // Capitalised as read.
    expect(inContext(runsOf('the funding bands', 'Finding@70 bands agreed'), 0)).toBe('Funding');
    // The neighbour before counts as the one after does.
    expect(inContext(runsOf('parent carer forum meets', 'the carer foruin@60 meets'), 2)).toBe('forum');
  });

  it('leaves a sure reading, a reading printed beside the neighbour elsewhere, and neighbours that say nothing', () => {
    expect(inContext(runsOf('the funding bands', 'New finding@95 bands'), 1)).toBeNull();
    expect(inContext(runsOf('the funding bands', 'new finding bands', 'New finding@80 bands'), 1)).toBeNull();
    // Function words and unsure neighbours are no evidence.
    expect(inContext(runsOf('funding for all', 'finding@80 for all'), 0)).toBeNull();
    expect(inContext(runsOf('the funding bands', 'New finding@80 bands@70'), 1)).toBeNull();
    // The rival must be one confusion away, and "finds" is a form of the word read.
    expect(inContext(runsOf('the winding bands', 'New finding@80 bands'), 1)).toBeNull();
    expect(inContext(runsOf('the finds bands', 'New finding@80 bands'), 1)).toBeNull();
  });

  it('takes no support from pairs read in doubt: two unsure readings do not swap each other', () => {
    const runs = runsOf('various boards@85 and', 'various hoards@85 and');
    expect(inContext(runs, 1)).toBeNull();
    expect(inContext(runsOf(...runs.map((r) => r.map((w) => w.text + '@85').join(' ')).reverse()), 1)).toBeNull();
    // Two rivals as supported: no telling which.
    expect(inContext(runsOf('the card room', 'the cord room', 'the cerd@60 room'), 1)).toBeNull();
    expect(inContext(runsOf('the card room', 'the card room', 'the cord room', 'the cerd@60 room'), 1)).toBe('card');
  });

  it('leaves every word of the fixtures\' expected records as written, read unsure, with the rest of the plan beside it', () => {
    let words = 0;
    const changed: string[] = [];
    for (const [f, texts] of expectedTexts()) {
      const runs = runsOf(...texts.filter((t) => t.trim()).map((t) => t.trim().replace(/\s+/g, ' ')));
      const vocab = vocabularyOf(runs);
      const pairs = pairsOf(runs);
      for (const run of runs)
        run.forEach((w, i) => {
          words++;
          const unsure = { ...w, confidence: 60 };
          const rival = contextRivalOf(unsure, run[i - 1], run[i + 1], vocab, pairs);
          if (rival) changed.push(`${f}: ${w.text} -> ${rival.text}`);
        });
    }
    expect(words).toBeGreaterThan(10000);
    expect(changed).toEqual([]);
  });
});

describe('a month read as another word before a year', () => {
  const month = (text: string, i: number) => monthReading(runsOf(text)[0]!, i);

  it('is the month one glyph confusion away, however sure the reader was, in a cell of dates', () => {
    expect(month('Dee@95 2018', 0)).toBe('Dec');
    expect(month('Oct@96 2018; Dee@95 2019; Sept@96 2019', 2)).toBe('Dec');
    expect(month('Dee@95 18', 0)).toBe('Dec');
    expect(month('May@96 2019 to Oet@90 2019', 3)).toBe('Oct');
    expect(month('APT@80 2019', 0)).toBe('APR');
  });

  it('takes a rare reading for a month wherever a year follows, a common word only among dates', () => {
    expect(month('the review in Oet@90 2018 found', 3)).toBe('Oct');
    // The Children and Families Act 2014 is no October.
    expect(month('the Children and Families Act@95 2014', 4)).toBeNull();
    expect(month('Act@95 2014', 0)).toBe('Oct');
    // After a date, a common word before a year is the next date, whatever follows.
    expect(month('Oct@96 2018; Dee@95 2019; Sore@40', 2)).toBe('Dec');
    expect(month('Ongoing Sep to December 2018 Dee@95 2018', 5)).toBe('Dec');
    expect(month('Act@95 2014 sets out duties', 0)).toBeNull();
    // No year after it, a month already, two months as near, or a text layer's word: left as read.
    expect(month('Dee@95 Smith', 0)).toBeNull();
    expect(month('Dec@95 2018', 0)).toBeNull();
    expect(month('Jon@60 2018', 0)).toBeNull(); // Jun or Jan
    expect(month('Dee 2018', 0)).toBeNull();
  });
});

describe('a number read with a point its box has no room for', () => {
  /** A document printing 2022 at each width given, read surely. */
  const printed = (...widths: number[]) => numberWidthsOf([widths.map((w) => ({ text: '2022', bbox: [0, 0, w, 10], angle: 0, confidence: 96 }) as Word)]);
  const read = (text: string, width: number, confidence = 94) => ({ text, bbox: [0, 0, width, 10], angle: 0, confidence }) as Word;

  it('is the number when as wide as the document prints it', () => {
    expect(pointlessReading(read('20.22', 19.7), printed(19.4, 19.7, 19.9, 20.4))).toBe('2022');
    expect(pointlessReading(read('20,22', 19.5, 60), printed(19.4, 19.7, 19.9))).toBe('2022');
  });

  it('keeps a point there is room for, a number the document does not print, short groups, and text-layer words', () => {
    // "10.00" is an eighth wider than a 1000 would be: the point is printed.
    expect(pointlessReading(read('20.22', 22.2), printed(19.4, 19.7, 19.9))).toBeNull();
    // Much narrower: smaller print, another line of the page; not the plan's number.
    expect(pointlessReading(read('20.22', 15), printed(19.4, 19.7, 19.9))).toBeNull();
    expect(pointlessReading(read('20.22', 19.7), printed(19.7))).toBeNull();
    expect(pointlessReading(read('20.23', 19.7), printed(19.4, 19.7, 19.9))).toBeNull();
    expect(pointlessReading(read('2.1', 19.7), numberWidthsOf([[read('21', 19.7, 96), read('21', 19.7, 96)]]))).toBeNull();
    const { confidence: _, ...layer } = read('20.22', 19.7);
    expect(pointlessReading(layer as Word, printed(19.4, 19.7, 19.9))).toBeNull();
    // Only OCR readings measure a number's ink: a text layer's 2022s are no measure.
    const { confidence: __, ...plain } = read('2022', 19.7);
    expect(pointlessReading(read('20.22', 19.7), numberWidthsOf([[plain as Word, plain as Word, plain as Word]]))).toBeNull();
  });
});

/** OCR-like items: one a word, on a baseline at y, from x, 6 pt a glyph. */
function wordsAt(text: string, x: number, y: number, confidence = 95): TextItem[] {
  const out: TextItem[] = [];
  for (const w of text.split(' ')) {
    const [word, conf] = w.split('@') as [string, string | undefined];
    const width = word.length * 6;
    out.push({ str: word, x, y, width, height: 10, fontName: 'ocr', fontSize: 10, angle: 0, transform: [10, 0, 0, 10, x, y], hasEOL: false, confidence: conf ? Number(conf) : confidence });
    x += width + 4;
  }
  return out;
}
const rule = (orientation: 'h' | 'v', x0: number, y0: number, x1: number, y1: number): Ruling => ({ orientation, x0, y0, x1, y1, width: 1 });
/** A page with a two-column ruled table of two rows (cells' text given) and a line of prose under it. */
function page(number: number, cells: [string, string][], prose: string): LoadedPage {
  const rulings = [rule('h', 50, 700, 550, 700), rule('h', 50, 660, 550, 660), rule('h', 50, 620, 550, 620), rule('v', 50, 620, 50, 700), rule('v', 150, 620, 150, 700), rule('v', 550, 620, 550, 700)];
  const items = cells.flatMap(([a, b], i) => [...wordsAt(a, 55, 685 - i * 40), ...wordsAt(b, 155, 685 - i * 40)]);
  return { number, width: 612, height: 792, rotate: 0, view: [0, 0, 612, 792], items: [...items, ...wordsAt(prose, 50, 500)], rulings, fills: [] };
}

describe('the document pass over laid-out pages', () => {
  it('replaces a misreading in the page words, its table cell and its text line alike, and says so', () => {
    const layouts = [
      page(1, [['1.1', 'Agree the neurodevelopmental pathway'], ['1.2', 'Review neurodevelopmental waiting times']], 'Young people and the neurodevelopmental service'),
      page(2, [['2.1', 'Publish the newvodevelopmental@70 offer'], ['2.2', 'Train staff']], 'Each vear@88 a review'),
      page(3, [['3.1', 'Every year'], ['3.2', 'Next year']], 'The year ahead'),
    ].map((p) => layoutPage(p));
    const { layouts: settled, warnings } = settleByDocument(layouts);
    const cellTexts = (n: number) => settled[n]!.tables.flatMap((t) => t.cells.map((c) => c.text));
    expect(cellTexts(1)).toContain('Publish the neurodevelopmental offer');
    expect(settled[1]!.lines.map((l) => l.text)).toContain('Each year a review');
    expect(settled[1]!.words.map((w) => w.text)).toContain('neurodevelopmental');
    // The word keeps its reading's box and confidence.
    const fixed = settled[1]!.words.find((w) => w.text === 'neurodevelopmental')!;
    expect(fixed.confidence).toBe(70);
    // Pages with nothing to change come back as they were.
    expect(settled[0]).toBe(layouts[0]);
    expect(warnings).toEqual([{ code: 'ocr-read-by-document', page: 2, ref: null, message: 'page 2: 2 OCR readings corrected by the document\'s own words, numbers and dates: newvodevelopmental -> neurodevelopmental, vear -> year' }]);
  });

  it('leaves a text layer alone: its words carry no confidence', () => {
    const strip = (p: LoadedPage): LoadedPage => ({ ...p, items: p.items.map(({ confidence: _, ...it }) => it) });
    const layouts = [page(1, [['1.1', 'neurodevelopmental'], ['1.2', 'neurodevelopmental']], 'neurodevelopmental'), page(2, [['2.1', 'newvodevelopmental'], ['2.2', 'x']], '')].map((p) => layoutPage(strip(p)));
    const { layouts: settled, warnings } = settleByDocument(layouts);
    expect(settled).toBe(layouts);
    expect(warnings).toEqual([]);
  });
});
