// The scanned-page image stage on pictures drawn here with known geometry: a ruled table
// with filled cells and a sideways label, turned by a known skew. Each finding is checked
// against what was drawn, not against what the code found before.
import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { DEFAULT_IMAGE_SETTINGS, bulletDots, cleanForOcr, joinGlyphPieces, splitFillsAtRulings, missedWordRegions, wordsCutShort, cropOf, cropAlone, fillEdges, deskew, findFills, findRulings, greyOf, paperOf, pgmOf, quarterTurn, shrink, skewOfImage, verticalTextRegions, type GreyImage } from '../pipeline/image.js';
import { growColumns, mergeBoxes, placeTurned } from '../pipeline/ocr.js';

const DPI = 150;
const S = DPI / 72; // pixels per point
const W = 600; // page, points
const H = 400;
const COLS = [40, 140, 360, 460, 560]; // x of the vertical rules (pt)
const ROWS = [60, 90, 130, 170, 210]; // y of the horizontal rules (pt), from the top
const FILLS = [
  { col: 2, row: 1, grey: 80 },
  { col: 3, row: 1, grey: 185 },
  { col: 2, row: 2, grey: 112 },
  { col: 3, row: 3, grey: 150 },
];

/** Draws the table (and a sideways label left of it), turned clockwise by `skewDeg` about the page centre. */
function page(skewDeg: number): GreyImage {
  const canvas = createCanvas(Math.round(W * S), Math.round(H * S));
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#f6f6f6';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.translate(canvas.width / 2, canvas.height / 2);
  ctx.rotate((skewDeg * Math.PI) / 180);
  ctx.translate(-canvas.width / 2, -canvas.height / 2);
  ctx.scale(S, S);
  for (const f of FILLS) {
    const v = f.grey;
    ctx.fillStyle = `rgb(${v},${v},${v})`;
    ctx.fillRect(COLS[f.col]!, ROWS[f.row]!, COLS[f.col + 1]! - COLS[f.col]!, ROWS[f.row + 1]! - ROWS[f.row]!);
  }
  ctx.strokeStyle = '#000';
  ctx.lineWidth = 0.8;
  for (const x of COLS) {
    ctx.beginPath();
    ctx.moveTo(x, ROWS[0]!);
    ctx.lineTo(x, ROWS.at(-1)!);
    ctx.stroke();
  }
  for (const y of ROWS) {
    ctx.beginPath();
    ctx.moveTo(COLS[0]!, y);
    ctx.lineTo(COLS.at(-1)!, y);
    ctx.stroke();
  }
  ctx.fillStyle = '#000';
  ctx.font = '9px "Liberation Sans"';
  for (let r = 0; r < ROWS.length - 1; r++) ctx.fillText(`Row ${r + 1} action text here`, COLS[1]! + 4, ROWS[r]! + 14);
  // Text on the dark fill, and a sideways label reading upwards.
  ctx.fillText('On track', COLS[2]! + 4, ROWS[1]! + 14);
  ctx.save();
  ctx.translate(20, 300);
  ctx.rotate(-Math.PI / 2);
  ctx.font = '12px "Liberation Sans"';
  ctx.fillText('Absence of a Joint Strategy', 0, 0);
  ctx.restore();
  return greyOf(canvas, S);
}

/** A white page `w` by `h` points at S pixels a point, drawn in points in black. */
function paper(w: number, h: number) {
  const canvas = createCanvas(Math.round(w * S), Math.round(h * S));
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.scale(S, S);
  ctx.fillStyle = '#000';
  return { canvas, ctx };
}

/** Rows of two fills 60 by 18 pt from (40, 20), then rules drawn by `rule(line)` in dark grey, 0.8 pt wide. */
function fillGrid(shades: number[][], rule: (line: (x0: number, y0: number, x1: number, y1: number) => void) => void) {
  const { canvas, ctx } = paper(300, 200);
  shades.forEach((row, r) =>
    row.forEach((v, c) => {
      ctx.fillStyle = `rgb(${v},${v},${v})`;
      ctx.fillRect(40 + c * 60, 20 + r * 18, 60, 18);
    }),
  );
  ctx.strokeStyle = '#1e1e1e';
  ctx.lineWidth = 0.8;
  rule((x0, y0, x1, y1) => {
    ctx.beginPath();
    ctx.moveTo(x0, y0);
    ctx.lineTo(x1, y1);
    ctx.stroke();
  });
  return greyOf(canvas, S);
}

describe('image stage', () => {
  it('finds the skew a page was turned by, to a tenth of a degree, both ways', () => {
    for (const deg of [0.6, -0.8, 1.4]) {
      const found = (skewOfImage(shrink(page(deg), 1)) * 180) / Math.PI;
      expect(Math.abs(found - deg)).toBeLessThanOrEqual(0.1);
    }
    expect(skewOfImage(page(0))).toBe(0);
  });

  it('levels a skewed page: its rules come out horizontal again', () => {
    const img = page(1.2);
    const level = deskew(img, skewOfImage(img));
    const h = findRulings(level).filter((r) => r.orientation === 'h' && r.to - r.from > 400 * S);
    expect(h.length).toBe(ROWS.length);
  });

  it('finds every drawn rule, where it was drawn, and nothing in the text', () => {
    const img = page(0);
    const rulings = findRulings(img);
    const h = rulings.filter((r) => r.orientation === 'h');
    const v = rulings.filter((r) => r.orientation === 'v');
    for (const y of ROWS) expect(h.some((r) => Math.abs(r.at / S - y) <= 1 && r.from / S <= COLS[0]! + 2 && r.to / S >= COLS.at(-1)! - 2)).toBe(true);
    for (const x of COLS) expect(v.some((r) => Math.abs(r.at / S - x) <= 1 && r.from / S <= ROWS[0]! + 2 && r.to / S >= ROWS.at(-1)! - 2)).toBe(true);
    // Every line found lies on a drawn rule: none was made from glyphs.
    for (const r of h) expect(ROWS.some((y) => Math.abs(r.at / S - y) <= 1.5)).toBe(true);
    for (const r of v) expect(COLS.some((x) => Math.abs(r.at / S - x) <= 1.5)).toBe(true);
  });

  it('finds each filled cell with its shade, and the dark cell\'s words are dark text, not light', () => {
    const img = page(0);
    const fills = findFills(img);
    expect(fills).toHaveLength(FILLS.length);
    for (const f of FILLS) {
      const got = fills.find((x) => Math.abs(x.box[0] / S - COLS[f.col]!) <= 3 && Math.abs(x.box[1] / S - ROWS[f.row]!) <= 3);
      expect(got, `fill at column ${f.col} row ${f.row}`).toBeDefined();
      expect(Math.abs(got!.shade - f.grey)).toBeLessThanOrEqual(3);
      expect(Math.abs(got!.box[2] / S - COLS[f.col + 1]!)).toBeLessThanOrEqual(3);
      expect(Math.abs(got!.box[3] / S - ROWS[f.row + 1]!)).toBeLessThanOrEqual(3);
      expect(got!.lightText).toBe(false);
    }
  });

  it('cleans the page for tesseract: rules gone, fills paper, the words on a fill black', () => {
    const img = page(0);
    const clean = cleanForOcr(img, findRulings(img), findFills(img), 1);
    const at = (x: number, y: number) => clean.data[Math.round(y * S) * clean.width + Math.round(x * S)]!;
    expect(at(250, ROWS[2]!)).toBeGreaterThan(200); // a horizontal rule
    expect(at(COLS[2]!, 150)).toBeGreaterThan(200); // a vertical rule
    expect(at(COLS[2]! + 60, ROWS[1]! + 30)).toBeGreaterThan(230); // inside the darkest fill, away from its words
    // The words on the dark fill are now the darkest thing in their cell.
    const cell = cropOf(clean, [Math.round((COLS[2]! + 2) * S), Math.round((ROWS[1]! + 4) * S), Math.round((COLS[2]! + 45) * S), Math.round((ROWS[1]! + 17) * S)]);
    expect(Math.min(...cell.data)).toBeLessThan(60);
  });

  it('keeps the strokes of a glyph a ruling crosses, and paints the ruling out beside them', () => {
    // A vertical rule 1 px wide at x = 20, 60 px tall, on paper; a bar 2 px thick crosses it at y = 30 (an E's arm),
    // and ink stands against it on both sides from y = 40 to 55 (two glyphs' stems, taller than a stroke is thick).
    const [w, h] = [40, 60];
    const data = new Uint8Array(w * h).fill(245);
    for (let y = 0; y < h; y++) data[y * w + 20] = 20;
    for (let x = 10; x < 30; x++) for (const y of [30, 31]) data[y * w + x] = 20;
    for (let y = 40; y < 56; y++) for (const x of [17, 18, 22, 23]) data[y * w + x] = 20;
    const img: GreyImage = { width: w, height: h, data, scale: 1 };
    const rule = { orientation: 'v' as const, from: 0, to: h, at: 20, thickness: 1 };
    const clean = cleanForOcr(img, [rule], [], 1, 245, { ...DEFAULT_IMAGE_SETTINGS, strokeMaxWidth: 4 });
    const at = (x: number, y: number) => clean.data[y * w + x]!;
    expect(at(20, 10)).toBe(255); // the rule, away from any glyph
    expect(at(20, 30)).toBeLessThan(60); // the bar crossing it
    expect(at(19, 31)).toBeLessThan(60);
    expect(at(20, 47)).toBe(255); // between the stems: too long a crossing to be a stroke
  });

  it('finds the sideways label as one tall column of ink', () => {
    const img = page(0);
    const regions = verticalTextRegions(img, []);
    const label = regions.filter((r) => r[2] / S < 40);
    expect(label).toHaveLength(1);
    const [x0, y0, x1, y1] = label[0]!;
    expect(x0 / S).toBeGreaterThan(5);
    expect(x1 / S).toBeLessThan(26);
    expect(y1 / S).toBeGreaterThan(290);
    expect(y0 / S).toBeLessThan(160);
  });

  it('turns an image a quarter both ways and back', () => {
    const img: GreyImage = { width: 3, height: 2, data: Uint8Array.from([1, 2, 3, 4, 5, 6]), scale: 1 };
    const cw = quarterTurn(img, 'cw');
    expect([cw.width, cw.height]).toEqual([2, 3]);
    // Clockwise: the bottom-left pixel goes to the top-left.
    expect(Array.from(cw.data)).toEqual([4, 1, 5, 2, 6, 3]);
    expect(Array.from(quarterTurn(cw, 'ccw').data)).toEqual(Array.from(img.data));
  });

  it('puts a word read from a turned crop back where it lies on the page, reading upwards', () => {
    // A crop at (10, 100) points, 20 wide and 200 tall; turned clockwise it is 200 wide and 20 tall.
    const w = placeTurned({ text: 'Absence', box: [5, 4, 60, 16], baseline: 14, confidence: 90 }, 'cw', [10, 100], [20, 200]);
    // The baseline runs up the page: from y = 100 + 200 - 5 to y = 100 + 200 - 60, at x = 10 + 14.
    expect(w.start).toEqual([24, 295]);
    expect(w.end).toEqual([24, 240]);
    expect(w.height).toBe(12);
    const down = placeTurned({ text: 'x', box: [5, 4, 60, 16], baseline: 14, confidence: 90 }, 'ccw', [10, 100], [20, 200]);
    expect(down.start).toEqual([16, 105]);
    expect(down.end).toEqual([16, 160]);
  });

  it('merges touching boxes and grows a sideways column over the short words read from its glyphs', () => {
    expect(mergeBoxes([[0, 0, 10, 10], [12, 0, 20, 10], [50, 50, 60, 60]], 3)).toEqual([[0, 0, 20, 10], [50, 50, 60, 60]]);
    const grown = growColumns([[10, 100, 22, 200]], [[11, 80, 21, 95], [11, 60, 20, 70], [200, 80, 260, 95]], 12);
    expect(grown).toEqual([[10, 60, 22, 200]]);
  });

  it('writes a PGM tesseract can read: the header and one byte a pixel', () => {
    const img: GreyImage = { width: 2, height: 2, data: Uint8Array.from([0, 255, 128, 7]), scale: 1 };
    const pgm = pgmOf(img);
    expect(pgm.subarray(0, 11).toString('latin1')).toBe('P5\n2 2\n255\n');
    expect(Array.from(pgm.subarray(11))).toEqual([0, 255, 128, 7]);
    expect(paperOf({ ...img, data: new Uint8Array(300).fill(240) })).toBe(240);
  });

  it('finds the bullets tesseract dropped: a round dot before a line\'s first word, not a full stop after a word', () => {
    const { canvas, ctx } = paper(300, 120);
    ctx.font = '10px "Liberation Serif"';
    // Two bulleted lines (dot centred on the text's middle, 8 pt before it), and a sentence ending in a full stop.
    for (const [i, text] of ['Board meets monthly', 'Attendance of partners'].entries()) {
      const base = 30 + i * 16;
      ctx.beginPath();
      ctx.arc(24, base - 3.5, 1.8, 0, 2 * Math.PI);
      ctx.fill();
      ctx.fillText(text, 34, base);
    }
    ctx.fillText('Plans are reviewed', 34, 90);
    ctx.fillRect(34 + ctx.measureText('Plans are reviewed').width + 0.5, 88.5, 1.5, 1.5);
    const img = greyOf(canvas, S);
    // The words as tesseract boxes them (cap height to descender), the full stop left out of its word.
    const box = (x0: number, x1: number, base: number) => [x0, base - 8, x1, base + 2].map((v) => Math.round(v * S)) as [number, number, number, number];
    const words = [box(34, 60, 30), box(62, 130, 30), box(34, 80, 46), box(82, 140, 46), box(34, 110, 90)];
    const dots = bulletDots(img, words);
    expect(dots.map((d) => d.word).sort()).toEqual([0, 2]);
    for (const d of dots) {
      expect(d.box[0] / S).toBeGreaterThan(20);
      expect(d.box[2] / S).toBeLessThan(28);
    }
  });

  it('finds a lone digit tesseract passed over: a serifless "1" is a solid stroke, yet a glyph', () => {
    const { canvas, ctx } = paper(200, 100);
    ctx.fillRect(40, 30, 1.8, 6.5);
    // A speck, a long rule and a solid block are not glyphs.
    ctx.fillRect(150, 30, 1, 1);
    ctx.fillRect(20, 80, 160, 1);
    ctx.fillRect(100, 30, 8, 6.5);
    const img = greyOf(canvas, S);
    const found = missedWordRegions(img, []).map((b) => b.map((v) => Math.round(v / S)));
    expect(found).toHaveLength(1);
    expect(found[0]![0]).toBeGreaterThanOrEqual(39);
    expect(found[0]![2]).toBeLessThanOrEqual(42);
  });

  it('finds a line set close under a line read as missed ink, not as a piece of the words above it', () => {
    const { canvas, ctx } = paper(300, 100);
    ctx.font = '10px serif';
    ctx.fillText('Update health transition', 20, 30);
    ctx.fillText('associated', 20, 41);
    const img = greyOf(canvas, S);
    // The upper line read (its words boxed cap height to descender), the lower one not.
    const read = [[20, 22, 52, 33], [54, 22, 84, 33], [86, 22, 130, 33]].map((b) => b.map((v) => Math.round(v * S)) as [number, number, number, number]);
    const found = missedWordRegions(img, read).map((b) => b.map((v) => v / S));
    expect(found).toHaveLength(1);
    expect(found[0]![1]).toBeGreaterThan(31);
    // Ink on the line of a word read, just past its end, is that word's.
    ctx.fillRect(131, 24, 1.5, 6);
    expect(missedWordRegions(greyOf(canvas, S), read)).toHaveLength(1);
  });

  it('crops a patch alone: the margin around it blank, whatever ink lies there', () => {
    const img: GreyImage = { width: 10, height: 10, scale: 1, data: new Uint8Array(100).fill(0) };
    const crop = cropAlone(img, [3, 3, 6, 6], 2);
    expect([crop.width, crop.height]).toEqual([7, 7]);
    const dark = [...crop.data.keys()].filter((i) => crop.data[i] === 0).map((i) => [i % 7, Math.floor(i / 7)]);
    expect(dark).toHaveLength(9);
    expect(dark.every(([x, y]) => x! >= 2 && x! < 5 && y! >= 2 && y! < 5)).toBe(true);
    // At the image's edge the crop is cut, and the box stays where it is.
    const edge = cropAlone(img, [0, 0, 2, 2], 2);
    expect([edge.width, edge.height]).toEqual([4, 4]);
    expect(edge.data[0]).toBe(0);
    expect(edge.data[3]).toBe(255);
  });

  it('joins pieces of one glyph a faint stroke cut apart, not glyphs of two lines', () => {
    // The top and foot of a "2", each lower than a glyph, one over the other.
    expect(joinGlyphPieces([{ box: [10, 0, 18, 7], ink: 20 }, { box: [10, 7, 18, 13], ink: 22 }], 8)).toEqual([{ box: [10, 0, 18, 13], ink: 42 }]);
    // Side by side, or a gap between: apart.
    expect(joinGlyphPieces([{ box: [10, 0, 18, 7], ink: 20 }, { box: [30, 7, 38, 13], ink: 22 }], 8)).toHaveLength(2);
    expect(joinGlyphPieces([{ box: [10, 0, 18, 7], ink: 20 }, { box: [10, 12, 18, 18], ink: 22 }], 8)).toHaveLength(2);
    // Each as tall as a glyph: two glyphs (two lines), not one.
    expect(joinGlyphPieces([{ box: [0, 0, 10, 20], ink: 50 }, { box: [0, 20, 10, 40], ink: 50 }], 10)).toHaveLength(2);
  });

  it('finds words read short: glyphs just before a word on its line, not ink on another line or between two words', () => {
    const { canvas, ctx } = paper(300, 100);
    ctx.font = '10px "Liberation Serif"';
    ctx.fillText('5.1.3', 40, 30);
    ctx.fillText('Develop', 120, 30);
    ctx.fillText('7', 40, 60);
    const img = greyOf(canvas, S);
    const w5 = ctx.measureText('5.').width;
    const box = (x0: number, x1: number, base: number) => [x0, base - 8, x1, base + 2].map((v) => Math.round(v * S)) as [number, number, number, number];
    // Tesseract's words: "1.3" without its "5.", "Develop" whole; the "7" a line below is a word missed, not a piece.
    const words = [box(40 + w5 + 0.3, 40 + ctx.measureText('5.1.3').width, 30), box(120, 120 + ctx.measureText('Develop').width, 30)];
    const cuts = wordsCutShort(img, words);
    expect(cuts.map((c) => c.word)).toEqual([0]);
    expect(cuts[0]!.box[0] / S).toBeLessThan(41);
    expect(cuts[0]!.box[2]).toBe(words[0]![2]);
  });

  it('makes borders of the edges where two fills meet, not of a fill broken up by its text', () => {
    // A ruled row (rules above and below, at 100 and 140 px, scale 2 px/pt) holding: two swatches side by side,
    // and further along one light fill found in pieces (the same piece twice, and one ending where it ends).
    const h = (at: number, from: number, to: number) => ({ orientation: 'h' as const, from, to, at, thickness: 2 });
    const rulings = [h(100, 0, 1000), h(140, 0, 1000)];
    const fill = (x0: number, x1: number, shade: number) => ({ box: [x0, 100, x1, 140] as [number, number, number, number], shade, lightText: false });
    const swatches = [fill(100, 200, 120), fill(200, 300, 180)];
    const pieces = [fill(436, 700, 226), fill(436, 700, 226), fill(520, 700, 227)];
    const vertical = fillEdges([...swatches, ...pieces], rulings, undefined, 2).filter((e) => e.orientation === 'v').map((e) => e.at);
    expect(vertical).toContain(200);
    for (const x of [436, 520, 700]) expect(vertical).not.toContain(x);
  });

  it('finds two dark cells of one shade side by side, and one under the right, where the rules between them broke over the fill', () => {
    // Rows of two cells (pt): [grey 186 | grey 186] over [red 77 | red 77] over [grey 186 | purple 80]; the rule between
    // the red cells is drawn only below them, and the rule under the right red cell only from its middle on.
    const shades = [[186, 186], [77, 77], [186, 80]];
    const img = fillGrid(shades, (line) => {
      for (const y of [20, 38, 74]) line(20, y, 160, y);
      line(20, 56, 100, 56);
      line(108, 56, 160, 56);
      for (const x of [20, 40, 160]) line(x, 20, x, 74);
      line(100, 20, 100, 38);
      line(100, 52, 100, 74);
    });
    const rulings = findRulings(img);
    const fills = splitFillsAtRulings(img, findFills(img, undefined, undefined, rulings), rulings);
    // The left red cell is found on its own, where it was drawn.
    const left = fills.filter((f) => Math.abs(f.box[0] / S - 40) <= 1.5 && Math.abs(f.box[1] / S - 38) <= 1.5);
    expect(left.some((f) => Math.abs(f.box[2] / S - 100) <= 1.5 && Math.abs(f.box[3] / S - 56) <= 1.5 && Math.abs(f.shade - 77) <= 3)).toBe(true);
  });

  it('draws the edge between two dark fills whole where the rule between them stops short of the corner', () => {
    // Two dark rating cells of one shade in a ruled row (100-140 px, 2 px/pt); the rule between them was
    // found only from 107 px down (broken where it crosses the rule above): the corner is left open.
    const h = (at: number, from: number, to: number) => ({ orientation: 'h' as const, from, to, at, thickness: 2 });
    const v = (at: number, from: number, to: number) => ({ orientation: 'v' as const, from, to, at, thickness: 2 });
    const fill = (x0: number, x1: number) => ({ box: [x0, 101, x1, 139] as [number, number, number, number], shade: 77, lightText: false });
    const edges = fillEdges([fill(100, 199), fill(202, 300)], [h(100, 0, 1000), h(140, 0, 1000), v(100, 0, 300), v(300, 0, 300), v(200, 107, 300)], undefined, 2);
    const between = edges.filter((e) => e.orientation === 'v' && Math.abs(e.at - 200) <= 2);
    expect(between.length).toBeGreaterThan(0);
    expect(Math.min(...between.map((e) => e.from))).toBeLessThanOrEqual(102);
  });

  it('finds each ruled cell of a grid of fills: one shade over the same shade, and shades a few levels apart meeting at a corner', () => {
    // Rows of two cells (pt): [red 76 | amber 186] over [blue 87 | green 112] over [blue 87 | green 112] over [green 112 | green 112].
    const shades = [[186, 76], [87, 112], [87, 112], [112, 112]];
    const img = fillGrid(shades, (line) => {
      for (let r = 0; r <= 4; r++) line(20, 20 + r * 18, 160, 20 + r * 18);
      for (const x of [20, 40, 100, 160]) line(x, 20, x, 92);
    });
    const rulings = findRulings(img);
    const fills = findFills(img, undefined, undefined, rulings);
    // One fill per cell, each within a point of where it was drawn, with its shade.
    expect(fills).toHaveLength(8);
    shades.forEach((row, r) =>
      row.forEach((v, c) => {
        const f = fills.find((x) => Math.abs(x.box[0] / S - (40 + c * 60)) <= 1.5 && Math.abs(x.box[1] / S - (20 + r * 18)) <= 1.5);
        expect(f, `cell ${r},${c}`).toBeDefined();
        expect(Math.abs(f!.box[3] / S - (38 + r * 18))).toBeLessThanOrEqual(1.5);
        expect(Math.abs(f!.shade - v)).toBeLessThanOrEqual(3);
      }),
    );
  });
});

