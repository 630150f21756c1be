// pipeline/eval/score-tables.ts must agree with ../shared/tools/score-tables.py, the
// ICDAR 2013 table scorer the project is judged by. No PDF extractor is involved: the
// predictions are made from the truth itself (converted to the `wsoa tables --json`
// shape), then damaged in known ways, and both scorers are run on the same folders.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prng } from '../pipeline/prng.js';
import {
  type Box,
  type PredictedCell,
  type PredictedDocument,
  type PredictedTable,
  type TruthDocument,
  formatTablesReport,
  normalizeText,
  pyFixed,
  readTruth,
  scoreTables,
  scoreTablesDir,
} from '../pipeline/eval/score-tables.js';

const root = path.resolve(import.meta.dirname, '..');
const scorer = path.resolve(root, '../shared/tools/score-tables.py');
const data = path.resolve(root, '../shared/tables/icdar2013');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'wsoa-score-tables-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const hasPython = spawnSync('python3', ['--version']).status === 0;

// ------------------------------------------------------------------- helpers --

/** Deterministic pseudo-random numbers, so every run builds the same folders. */
const rng = prng;

const clean = (s: string) => s.replace(/[ \t\n\r]+/g, ' ').trim();
const union = (boxes: (Box | null | undefined | number[])[]): Box | null => {
  const ok = boxes.filter((b): b is Box => Array.isArray(b) && b.length === 4);
  if (!ok.length) return null;
  return [Math.min(...ok.map((b) => b[0])), Math.min(...ok.map((b) => b[1])), Math.max(...ok.map((b) => b[2])), Math.max(...ok.map((b) => b[3]))];
};
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** The truth of one document as a perfect prediction (variant: which reading of NAMEa/NAMEb). */
function toPrediction(doc: TruthDocument, variant = 0): PredictedDocument {
  const v = doc.variants[Math.min(variant, doc.variants.length - 1)]!;
  return {
    file: `${doc.name}.pdf`,
    tables: v.tables.map((t, ti) => {
      const cells: PredictedCell[] = t.cells.map((c) => ({
        row: c.startRow,
        col: c.startCol,
        rowSpan: c.endRow - c.startRow + 1,
        colSpan: c.endCol - c.startCol + 1,
        text: clean(c.text),
        ...(c.bbox ? { bbox: [...c.bbox] } : {}),
      }));
      const region = v.regions.find((r) => r.table === ti && r.page === t.page);
      const bbox = region?.bbox ?? union(t.cells.map((c) => c.bbox));
      return { page: t.page, ...(bbox ? { bbox: [...bbox] } : {}), cells };
    }),
  };
}

const mapTables = (p: PredictedDocument, f: (t: PredictedTable, i: number) => PredictedTable | PredictedTable[] | null): PredictedDocument => ({
  ...p,
  tables: p.tables.flatMap((t, i) => f(clone(t), i) ?? []),
});
const nrows = (t: PredictedTable) => Math.max(0, ...t.cells.map((c) => c.row + (c.rowSpan ?? 1)));
const shiftBox = (b: number[] | null | undefined, dx: number, dy = 0) => (b ? [b[0]! + dx, b[1]! + dy, b[2]! + dx, b[3]! + dy] : b);

// ---------------------------------------------------------------- the damages --

function dropCells(p: PredictedDocument, docIndex: number): PredictedDocument {
  return mapTables(p, (t, ti) => ({ ...t, cells: docIndex === 3 && ti === 0 ? [] : t.cells.filter((_, i) => i % 6 !== 2) }));
}

function alterTexts(p: PredictedDocument): PredictedDocument {
  return mapTables(p, (t) => ({
    ...t,
    cells: t.cells.map((c, i) => {
      const text = c.text ?? '';
      if (i % 5 === 0) return { ...c, text: `${text}x` }; // wrong
      if (i % 7 === 0) return { ...c, text: ` ${text.toLowerCase().split(' ').join(' \n\t ')} ` }; // still right: case and ASCII spaces do not count
      if (i % 11 === 0) return { ...c, text: text.replace(' ', '\u00a0') }; // a no-break space counts
      if (i % 13 === 0) return { ...c, text: '' }; // blank: not placed
      if (i % 17 === 0) return { ...c, text: ' \r\n ' }; // blank too
      return c;
    }),
  }));
}

/** Column `a + 1` merged into column `a`: texts of one-column cells joined, columns after it moved left. */
function mergeColumns(p: PredictedDocument, a = 1): PredictedDocument {
  return mapTables(p, (t) => {
    const f = (c: number) => (c <= a ? c : c - 1);
    const kept: PredictedCell[] = [];
    const moved: PredictedCell[] = [];
    for (const c of t.cells) {
      const c1 = c.col + (c.colSpan ?? 1) - 1;
      if (c.col === a + 1 && c1 === a + 1) moved.push(c);
      else kept.push({ ...c, col: f(c.col), colSpan: f(c1) - f(c.col) + 1 });
    }
    for (const c of moved) {
      const host = kept.find((k) => k.row === c.row && k.col === a && (k.colSpan ?? 1) === 1);
      if (host) {
        host.text = `${host.text ?? ''} ${c.text ?? ''}`;
        host.bbox = union([host.bbox, c.bbox]);
      } else kept.push({ ...c, col: a });
    }
    return { ...t, cells: kept };
  });
}

/** Every table of four rows or more cut in two at its middle row. */
function splitTables(p: PredictedDocument): PredictedDocument {
  return mapTables(p, (t) => {
    const n = nrows(t);
    if (n < 4) return t;
    const mid = Math.floor(n / 2);
    const top = t.cells.filter((c) => c.row < mid);
    const bottom = t.cells.filter((c) => c.row >= mid).map((c) => ({ ...c, row: c.row - mid }));
    const half = (cells: PredictedCell[], upper: boolean) => {
      const u = union(cells.map((c) => c.bbox));
      if (u) return u;
      const b = t.bbox!;
      const ym = (b[1]! + b[3]!) / 2;
      return upper ? [b[0]!, ym, b[2]!, b[3]!] : [b[0]!, b[1]!, b[2]!, ym];
    };
    return [
      { ...t, bbox: half(top, true), cells: top },
      { ...t, bbox: half(bottom, false), cells: bottom },
    ];
  });
}

/** Table boxes (and their cells) moved right by 60 %, 20 % or 34 % of their width: IoU 0.25, 0.67, 0.49. */
function shiftBoxes(p: PredictedDocument, docIndex: number): PredictedDocument {
  return mapTables(p, (t, ti) => {
    const b = t.bbox;
    if (!b) return t;
    const k = (docIndex + ti) % 6;
    const dx = (b[2]! - b[0]!) * [0.6, 0.2, 0.34, 0.6, 0.2, 0][k]!;
    const moved = { ...t, bbox: shiftBox(b, dx), cells: t.cells.map((c) => ({ ...c, bbox: shiftBox(c.bbox, dx) })) };
    if (k === 3) delete moved.bbox; // the box taken from the cells' boxes instead
    if (k === 4) moved.bbox = [moved.bbox![2]!, moved.bbox![3]!, moved.bbox![0]!, moved.bbox![1]!]; // corners swapped
    return moved;
  });
}

function changeSpans(p: PredictedDocument): PredictedDocument {
  return mapTables(p, (t) => ({
    ...t,
    cells: t.cells.map((c, i) => {
      if ((c.colSpan ?? 1) > 1 || (c.rowSpan ?? 1) > 1) return { ...c, colSpan: 1, rowSpan: 1 };
      if (i % 4 === 1) return { ...c, colSpan: 2 }; // overlaps its neighbour, which may overwrite it
      if (i % 9 === 5) return { ...c, rowSpan: 2 };
      return c;
    }),
  }));
}

function extraTables(p: PredictedDocument, docIndex: number): PredictedDocument {
  const r = rng(1000 + docIndex);
  const words = ['Total', 'EUR', '2011', 'n/a', 'Member States', '%', 'Table 3', '12.5'];
  const junk: PredictedTable = {
    page: 1,
    bbox: [40, 40, 300, 120],
    cells: Array.from({ length: 9 }, (_, i) => ({ row: Math.floor(i / 3), col: i % 3, rowSpan: 1, colSpan: 1, text: words[Math.floor(r() * words.length)]!, bbox: [40 + (i % 3) * 80, 100 - Math.floor(i / 3) * 20, 110 + (i % 3) * 80, 118 - Math.floor(i / 3) * 20] })),
  };
  const out = clone(p);
  out.tables.push(junk);
  const first = p.tables[0];
  if (first && docIndex % 2 === 0) out.tables.unshift({ ...clone(first), bbox: shiftBox(first.bbox, 5, 5) }); // a duplicate before the real one
  // a larger copy before or after the real one: the same overlap with the truth region, so the smaller table must win
  const b = first?.bbox;
  if (first && b && docIndex % 2 === 1) {
    const [dx, dy] = [(b[2]! - b[0]!) * 0.6, (b[3]! - b[1]!) * 0.6];
    const large = { ...clone(first), bbox: [b[0]! - dx, b[1]! - dy, b[2]! + dx, b[3]! + dy] };
    if (docIndex % 4 === 1) out.tables.unshift(large);
    else out.tables.push(large);
  }
  if (docIndex % 3 === 0) out.tables.push({ ...junk, page: 99 }); // a page with no truth
  return out;
}

/** Prediction quirks the Python loader accepts: numbers as strings or fractions, odd spans, odd boxes, unusable tables. */
function quirks(p: PredictedDocument, docIndex: number): unknown {
  const doc = clone(p) as unknown as { tables: Record<string, unknown>[] };
  doc.tables = doc.tables.map((t, ti) => {
    const cells = (t.cells as Record<string, unknown>[]).map((c, i) => {
      const q = { ...c };
      if (i % 5 === 0) q.row = String(q.row);
      if (i % 5 === 1) q.col = (q.col as number) + 0.25;
      if (i % 5 === 2) q.rowSpan = [0, null, '', '2', -3][Math.floor(i / 5) % 5]; // falsy ones mean 1
      if (i % 7 === 3) q.text = null;
      if (i % 29 === 4) q.row = -1;
      if (i % 31 === 6) q.col = 'x';
      if (i % 37 === 8) delete q.row;
      if (i % 3 === 0 && Array.isArray(q.bbox)) q.bbox = (q.bbox as number[]).map(String);
      if (i % 41 === 9) q.bbox = [1, 2, 3];
      return q;
    });
    const q: Record<string, unknown> = { ...t, cells };
    switch ((docIndex + ti) % 8) {
      case 0:
        q.page = String(t.page);
        break;
      case 1:
        q.bbox = [1, 2, 3]; // unusable: the cells' boxes count instead
        break;
      case 2:
        q.bbox = []; // falsy: the cells' boxes count instead
        break;
      case 3:
        delete q.bbox;
        q.cells = cells.map((c) => ({ ...c, bbox: undefined })); // no box at all: not detected
        break;
      case 4:
        q.page = `${String(t.page)}.0`; // not an int: the table is skipped
        break;
      case 5:
        q.page = (t.page as number) + 0.75; // int() truncates
        break;
      case 6:
        q.bbox = '1234'; // a string is iterable in Python: the box (1, 2, 3, 4)
        break;
      default:
        q.cells = null;
    }
    return q;
  });
  if (docIndex === 1) doc.tables.push({ bbox: [0, 0, 10, 10], cells: [] }); // no page: skipped
  return doc;
}

// ------------------------------------------------------------------ scenarios --

type Writer = (dir: string, name: string, docIndex: number, doc: TruthDocument) => void;
const writeJson = (dir: string, name: string, obj: unknown) => writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(obj, null, 1));
const simple =
  (f: (p: PredictedDocument, docIndex: number, doc: TruthDocument) => unknown): Writer =>
  (dir, name, i, doc) =>
    writeJson(dir, name, f(toPrediction(doc), i, doc));

const scenarios: [string, Writer][] = [
  ['perfect', simple((p) => p)],
  ['second-reading', simple((p, i, doc) => (doc.variants.length > 1 ? toPrediction(doc, 1) : i % 2 ? p : dropCells(p, i)))],
  ['dropped-cells', simple((p, i) => dropCells(p, i))],
  ['altered-text', simple((p) => alterTexts(p))],
  ['merged-columns', simple((p, i) => mergeColumns(p, i % 3 === 2 ? 0 : 1))],
  ['split-tables', simple((p) => splitTables(p))],
  [
    'missing-tables',
    (dir, name, i, doc) => {
      const p = toPrediction(doc);
      if (i % 5 === 0) return; // no file: missing
      if (i === 1) return writeFileSync(path.join(dir, `${name}.json`), '{"file": "x.pdf", "tables": [');
      if (i === 2) return mkdirSync(path.join(dir, `${name}.json`)); // a folder: unreadable
      if (i === 3) return writeFileSync(path.join(dir, `${name}.json`), Buffer.from([0x7b, 0xff, 0xfe, 0x7d])); // not UTF-8
      if (i === 4) return writeFileSync(path.join(dir, `${name}.json`), `\ufeff${JSON.stringify(p)}`); // BOM: Python's json refuses it
      if (i % 5 === 1) return writeJson(dir, name, { ...p, tables: p.tables.slice(1) });
      if (i % 5 === 2) return writeJson(dir, name, { file: p.file, tables: [] });
      if (i % 5 === 3) return writeJson(dir, name, { file: p.file });
      writeJson(dir, name, { ...p, tables: p.tables.filter((_, k) => k % 2 === 0) });
    },
  ],
  ['shifted-boxes', simple((p, i) => shiftBoxes(p, i))],
  ['spans-changed', simple((p) => changeSpans(p))],
  ['extra-tables', simple((p, i) => extraTables(p, i))],
  ['quirks', simple((p, i) => quirks(p, i))],
  [
    'random-mix',
    simple((p, i, doc) => {
      const r = rng(42 + i);
      const steps = [dropCells, alterTexts, (q: PredictedDocument) => mergeColumns(q), splitTables, shiftBoxes, changeSpans, extraTables];
      let q = toPrediction(doc, Math.floor(r() * 2));
      for (const s of steps) if (r() < 0.35) q = s(q, i);
      return q;
    }),
  ],
  ['empty', () => undefined],
];

function build(base: string, truth: TruthDocument[], [label, write]: [string, Writer]): string {
  const dir = path.join(base, label);
  mkdirSync(dir, { recursive: true });
  truth.forEach((doc, i) => write(dir, doc.name, i, doc));
  return dir;
}

function python(args: string[]): string {
  return execFileSync('python3', [scorer, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

/** Every number of the Python's JSON to 3 decimals, every string and list length exactly. */
function expectSame(ours: unknown, theirs: unknown, where: string): void {
  if (typeof theirs === 'number') {
    expect(typeof ours, where).toBe('number');
    expect(ours as number, where).toBeCloseTo(theirs, 3);
  } else if (Array.isArray(theirs)) {
    expect(Array.isArray(ours), where).toBe(true);
    expect((ours as unknown[]).length, where).toBe(theirs.length);
    theirs.forEach((t, i) => expectSame((ours as unknown[])[i], t, `${where}[${i}]`));
  } else if (theirs !== null && typeof theirs === 'object') {
    expect(Object.keys(ours as object).sort(), where).toEqual(Object.keys(theirs).sort());
    for (const [k, t] of Object.entries(theirs)) expectSame((ours as Record<string, unknown>)[k], t, `${where}.${k}`);
  } else expect(ours, where).toEqual(theirs);
}

// ---------------------------------------------------------------------- tests --

describe('score-tables.ts on its own', () => {
  const doc = (cells: [number, number, string, number?, number?][]): TruthDocument => ({
    collection: 'eu',
    name: 'x',
    variants: [
      {
        variant: 'x',
        tables: [{ page: 1, cells: cells.map(([r, c, text, rs = 1, cs = 1]) => ({ text, page: 1, startRow: r, endRow: r + rs - 1, startCol: c, endCol: c + cs - 1, bbox: null })) }],
        regions: [{ table: 0, page: 1, bbox: [0, 0, 100, 100] }],
      },
    ],
  });
  const pred = (cells: [number, number, string, number?, number?][], bbox = [0, 0, 100, 100]): PredictedDocument => ({
    tables: [{ page: 1, bbox, cells: cells.map(([row, col, text, rowSpan = 1, colSpan = 1]) => ({ row, col, rowSpan, colSpan, text })) }],
  });

  it('counts adjacency relations right and below, skipping blanks, once per spanning pair', () => {
    // A B / C D: A>B, C>D, A v C, B v D
    const truth = [doc([[0, 0, 'A'], [0, 1, 'B'], [1, 0, 'C'], [1, 1, 'D']])];
    const lost = scoreTables(truth, new Map([['x', pred([[0, 0, 'a'], [0, 1, ' B\n'], [1, 0, 'C']])]]));
    expect(lost.documents[0]!.structure).toMatchObject({ gt: 4, detected: 2, correct: 2, precision: 1, recall: 0.5 });
    // H spans two columns above C D: H v C and H v D once each; blanks skipped count
    const spanning = scoreTables([doc([[0, 0, 'H', 1, 2], [1, 0, 'C'], [1, 1, 'D'], [3, 0, 'E']])], new Map());
    expect(spanning.documents[0]!.structure.gt).toBe(4); // H v C, H v D, C > D, C v E (1 blank)
    expect(spanning.documents[0]!.prediction).toBe('missing');
    expect(spanning.detection.pooled).toMatchObject({ tp: 0, gt_regions: 1 });
  });

  it('pairs detection by IoU >= 0.5 and normalises text as the competition does', () => {
    const truth = [doc([[0, 0, 'A'], [0, 1, 'B']])];
    const near = scoreTables(truth, new Map([['x', pred([[0, 0, 'A'], [0, 1, 'B']], [20, 0, 120, 100])]]));
    const far = scoreTables(truth, new Map([['x', pred([[0, 0, 'A'], [0, 1, 'B']], [40, 0, 140, 100])]]));
    expect(near.detection.pooled?.tp).toBe(1); // IoU 80/120
    expect(far.detection.pooled?.tp).toBe(0); // IoU 60/140
    expect(normalizeText(' a b\tc\n')).toBe('ABC');
    expect(normalizeText('a\u00a0b')).toBe('A\u00a0B');
    expect(normalizeText('a\u00a0b', 'unicode')).toBe('AB');
  });

  it("formats numbers as Python's %.Nf does (ties to even on the exact value)", () => {
    expect(pyFixed(0.0625, 3)).toBe('0.062');
    expect(pyFixed(0.125, 2)).toBe('0.12');
    expect(pyFixed(0.375, 2)).toBe('0.38');
    expect(pyFixed(2 / 3, 4)).toBe('0.6667');
    expect(pyFixed(1, 3)).toBe('1.000');
    expect(pyFixed(0.5, 2)).toBe('0.50');
  });
});

// The comparison needs the official scorer and the truth from the shared folder beside the
// repository, and python3 to run the scorer; without them there is nothing to agree with.
describe.skipIf(!hasPython || !existsSync(scorer) || !existsSync(path.join(data, 'eu')))('score-tables.ts agrees with score-tables.py on the ICDAR 2013 EU truth', () => {
  const truth = existsSync(path.join(data, 'eu')) ? readTruth(data, 'eu') : [];
  const base = path.join(tmp, 'eu');

  it('reads the truth the README describes', () => {
    const main = truth.map((d) => d.variants[0]!);
    expect(truth).toHaveLength(27);
    expect(main.reduce((n, v) => n + v.tables.length, 0)).toBe(76);
    expect(main.reduce((n, v) => n + v.tables.reduce((m, t) => m + t.cells.filter((c) => normalizeText(c.text)).length, 0), 0)).toBe(3743);
    expect(truth.find((d) => d.name === 'eu-009a')?.variants.map((v) => v.variant)).toEqual(['eu-009a', 'eu-009b']);
    expect(readTruth(path.dirname(data), 'eu')).toHaveLength(27); // ../shared/tables works as well
  });

  it.each(scenarios.map((s) => [s[0], s] as const))('%s', (label, scenario) => {
    const dir = build(base, truth, scenario);
    const theirs = JSON.parse(python([dir, '--subset', 'eu', '--json'])) as Record<string, unknown>;
    const ours = scoreTablesDir(data, dir, 'eu');
    expectSame(JSON.parse(JSON.stringify(ours)), theirs, label);
    // the headline figures, spelled out
    const st = theirs.structure as Record<string, number>;
    const de = theirs.detection as Record<string, number>;
    for (const k of ['precision', 'recall', 'f1'] as const) {
      expect(ours.structure[k], `${label} structure ${k}`).toBeCloseTo(st[k]!, 3);
      expect(ours.detection[k], `${label} detection ${k}`).toBeCloseTo(de[k]!, 3);
    }
    // and the text report, character for character
    expect(formatTablesReport(ours)).toBe(python([dir, '--subset', 'eu']));
  });

  it('gives the same figures with --iou 0.3 and --norm unicode', () => {
    const dir = path.join(base, 'random-mix');
    for (const args of [['--iou', '0.3'], ['--norm', 'unicode'], ['--iou', '0.8', '--norm', 'unicode']]) {
      const theirs = JSON.parse(python([dir, '--subset', 'eu', '--json', ...args]));
      const iou = args.includes('--iou') ? Number(args[args.indexOf('--iou') + 1]) : undefined;
      const norm = args.includes('--norm') ? ('unicode' as const) : undefined;
      expectSame(JSON.parse(JSON.stringify(scoreTablesDir(data, dir, 'eu', { ...(iou ? { iou } : {}), ...(norm ? { norm } : {}) }))), theirs, args.join(' '));
    }
  });

  it('scores the perfect prediction 1.0 apart from what the Python itself says', () => {
    const s = scoreTablesDir(data, path.join(base, 'perfect'), 'eu');
    expect(s.missing_predictions).toBe(0);
    expect(s.structure.pooled).toMatchObject({ correct: 6310, detected: 6310, gt: 6310, fp_tables: 0 });
    expect(s.detection.pooled).toMatchObject({ tp: 76, pred_tables: 76, gt_regions: 76, complete: 76 });
    expect(s.documents.find((d) => d.name === 'eu-009a')?.variant).toBe('eu-009a');
    const second = scoreTablesDir(data, path.join(base, 'second-reading'), 'eu');
    expect(second.documents.find((d) => d.name === 'eu-009a')?.variant).toBe('eu-009b');
  });

  it('runs as a command with the Python\'s options', () => {
    const dir = path.join(base, 'split-tables');
    const cli = path.join(root, 'pipeline/eval/score-tables.ts');
    const out = execFileSync(process.execPath, ['--import', 'tsx', cli, dir, '--subset', 'eu', '--data', data], { cwd: root, encoding: 'utf8' });
    expect(out).toBe(python([dir, '--subset', 'eu']));
  });
});

// A small made-up collection with what the EU truth lacks: a table over two pages (row
// increments), entities, CDATA, comments and CRLF, cells without text or box, a region
// without box, a NAMEa/NAMEb pair, pages turned by /Rotate 90 and -270, and a US folder.
describe.skipIf(!hasPython || !existsSync(scorer))('score-tables.ts agrees with score-tables.py on made-up truth', () => {
  const syn = path.join(tmp, 'syn');
  const cell = (sr: number, sc: number, text: string, bbox?: Box, er?: number, ec?: number) =>
    `<cell id="1" start-row="${sr}" start-col="${sc}"${er !== undefined ? ` end-row="${er}"` : ''}${ec !== undefined ? ` end-col="${ec}"` : ''}>` +
    `${bbox ? `<bounding-box x1="${bbox[0]}" y1="${bbox[1]}" x2="${bbox[2]}" y2="${bbox[3]}"/>` : ''}<content>${text}</content></cell>\n`;
  const region = (page: number, cells: string, extra = '') => `<region id="1" page="${page}"${extra}>\n${cells}</region>\n`;
  const table = (regions: string) => `<table id="1">\n${regions}</table>\n`;
  const str = (tables: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<document filename="x">\n${tables}</document>\n`;
  const regBox = (page: number, b: Box | null) => `<region id="1" page="${page}">${b ? `<bounding-box x1='${b[0]}' y1='${b[1]}' x2='${b[2]}' y2='${b[3]}'/>` : ''}</region>\n`;
  const grid = (x0: number, y0: number, rows: string[][]): string =>
    rows.map((r, i) => r.map((t, j) => cell(i, j, t, [x0 + j * 60, y0 - i * 20, x0 + j * 60 + 50, y0 - i * 20 + 15])).join('')).join('');

  function writeSyn() {
    const eu = path.join(syn, 'eu');
    const us = path.join(syn, 'us');
    mkdirSync(eu, { recursive: true });
    mkdirSync(us, { recursive: true });
    const put = (dir: string, name: string, s: string) => writeFileSync(path.join(dir, name), s);
    // syn-001: a table over pages 1 and 2, and a second table on page 2
    put(eu, 'syn-001.pdf', '');
    put(
      eu,
      'syn-001-str.xml',
      str(
        table(
          region(1, cell(0, 0, 'Country', [100, 700, 150, 715]) + cell(0, 1, 'Q1 &amp; Q2', [160, 700, 260, 715], 0, 2) + grid(100, 680, [['BE', '1&#160;000', '2'], ['DE', '<![CDATA[x < y]]>', '4']]).replace(/start-row="(\d)"/g, (_, r) => `start-row="${Number(r) + 1}"`)) +
            region(2, grid(100, 760, [['FR', '5', '6'], ['IT', '<!-- a comment -->7', '8']]), ' row-increment="3" col-increment="0"'),
        ) + table(region(2, cell(0, 0, 'Total', [100, 500, 150, 515]) + cell(0, 1, '', [160, 500, 210, 515]) + cell(0, 2, '9') + cell(1, 0, 'x', [100, 480, 150, 495], 0) + cell(1, 1, 'y', [160, 480, 210, 495]))),
      ).replace(/\n/g, '\r\n'),
    );
    put(eu, 'syn-001-reg.xml', str(table(regBox(1, [95, 620, 300, 720]) + regBox(2, [95, 735, 300, 780])) + table(regBox(2, [95, 475, 300, 520]) + regBox(2, null))));
    // syn-002a / syn-002b: two readings of one table
    put(eu, 'syn-002a.pdf', '');
    const rows = [['Item', 'Value', 'Note'], ['a', '1', 'n1'], ['b', '2', ''], ['c', '3', 'n3']];
    put(eu, 'syn-002a-str.xml', str(table(region(1, grid(72, 600, rows)))));
    put(eu, 'syn-002a-reg.xml', str(table(regBox(1, [70, 530, 250, 620]))));
    put(eu, 'syn-002b-str.xml', str(table(region(1, grid(72, 600, rows.slice(0, 2)))) + table(region(1, grid(72, 560, rows.slice(2))))));
    put(eu, 'syn-002b-reg.xml', str(table(regBox(1, [70, 575, 250, 620])) + table(regBox(1, [70, 530, 250, 575]))));
    // syn-003: both pages turned (Rotate 90 and -270), truth in display coordinates
    put(eu, 'syn-003.pdf', '');
    put(eu, 'syn-003-str.xml', str(table(region(1, grid(100, 400, [['h1', 'h2'], ['1', '2']]))) + table(region(2, grid(300, 200, [['k', 'v'], ['3', '4'], ['5', '6']])))));
    put(eu, 'syn-003-reg.xml', str(table(regBox(1, [95, 180, 220, 420])) + table(regBox(2, [295, -30, 420, 220]))));
    // us/syn-101: no pages.json entry
    put(us, 'syn-101.pdf', '');
    put(us, 'syn-101-str.xml', str(table(region(1, grid(50, 300, [['A', 'B'], ['C', 'D'], ['E', '']])))));
    put(us, 'syn-101-reg.xml', str(table(regBox(1, [45, 250, 170, 320]))));
    const page = (rotate: number) => ({ mediabox: [0, 0, 595, 842], cropbox: [0, 0, 595, 842], rotate });
    put(syn, 'pages.json', JSON.stringify({ 'syn-001': { collection: 'eu', pages: [page(0), page(0)] }, 'syn-003': { collection: 'eu', pages: [page(90), page(-270)] } }));
  }

  it('reads and scores the made-up truth as the Python does', () => {
    writeSyn();
    const truth = readTruth(syn, 'all');
    expect(truth.map((d) => d.name)).toEqual(['syn-001', 'syn-002a', 'syn-003', 'syn-101']);
    expect(truth[0]!.variants[0]!.tables[0]!.page).toBe(2); // the page of its last region
    expect(truth[0]!.variants[0]!.regions).toHaveLength(3); // the region without a box is left out
    const base = path.join(tmp, 'syn-pred');
    for (const scenario of scenarios) {
      const dir = build(base, truth, scenario);
      for (const args of [[], ['--norm', 'unicode'], ['--iou', '0.3']]) {
        const theirs = JSON.parse(python([dir, '--subset', 'all', '--data', syn, '--json', ...args]));
        const opts = { ...(args[0] === '--norm' ? { norm: 'unicode' as const } : {}), ...(args[0] === '--iou' ? { iou: 0.3 } : {}) };
        expectSame(JSON.parse(JSON.stringify(scoreTablesDir(syn, dir, 'all', opts))), theirs, `${scenario[0]} ${args.join(' ')}`);
      }
      expect(formatTablesReport(scoreTablesDir(syn, dir, 'us')), scenario[0]).toBe(python([dir, '--subset', 'us', '--data', syn]));
    }
  });
});
