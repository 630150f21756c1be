// What a scanned page's pixels say beyond its words: how much it is skewed, where its
// ruling lines and filled cells are (and how dark each fill is), and a cleaned copy for
// tesseract with the lines taken out and the fills turned to paper, so the words in
// table cells read like any other. Pure functions over a grey image; every length is
// a named setting in points, turned into pixels by the image's scale.
import type { Canvas } from '@napi-rs/canvas';

/** 8-bit grey pixels, row by row; `scale` is pixels per PDF point. */
export interface GreyImage {
  width: number;
  height: number;
  data: Uint8Array;
  scale: number;
}

/** A box in image pixels: [left, top, right, bottom], right and bottom exclusive. */
export type PixelBox = [number, number, number, number];

export interface ImageRuling {
  orientation: 'h' | 'v';
  /** Along the line: x range for 'h', y range for 'v'; across: its centre. Pixels. */
  from: number;
  to: number;
  at: number;
  thickness: number;
  /** The runs the line was joined from, each where it lies (a line a hair off level steps between rows). */
  pieces?: { from: number; to: number; at: number; thickness: number }[];
}

export interface ImageFill {
  box: PixelBox;
  /** Median grey of the fill, 0-255. */
  shade: number;
  /** The fill carries text lighter than itself (white on a dark bar). */
  lightText: boolean;
}

export interface ImageSettings {
  /** Skews up to this (degrees) are searched for; larger turns are not scanner skew. */
  maxSkewDeg: number;
  /** Step of the skew search (degrees). */
  skewStepDeg: number;
  /** Skews smaller than this (degrees) are left alone. */
  minSkewDeg: number;
  /** Resolution the lines and fills are looked for at (dpi): about a scanner's, and 4x fewer pixels than OCR's 300. */
  analysisDpi: number;
  /** A line is at most this thick (pt); thicker dark bands are fills or pictures. */
  rulingMaxThickness: number;
  /** A line is at least this long (pt); shorter dark strokes are glyph parts. */
  rulingMinLength: number;
  /** Breaks of up to this (pt) in a line (noise) are bridged; wider ones end it: glyphs' bars are short runs with gaps. */
  rulingGap: number;
  /** Lines shorter than this (pt) are kept only where they meet a line across them. */
  rulingFreeLength: number;
  /** How near (pt) a line must come to one across it to meet it. */
  rulingMeet: number;
  /** Collinear pieces of a line with a gap this small (pt) between them are one line. */
  rulingJoin: number;
  /** A line pixel is at least this much darker (0-255) than the paper or fill on both sides. */
  lineContrast: number;
  /** Fills are found on a grid of blocks this size (pt). */
  fillBlock: number;
  /** A block is filled when its median is this much darker (0-255) than the paper. */
  fillMinDepth: number;
  /** Blocks within this (0-255) of one another's shade belong to one fill. */
  fillShadeTolerance: number;
  /** Smallest fill side (pt): smaller dark patches are bold glyphs. */
  fillMinSide: number;
  /** Blocks of one fill differ from the block beside them by at most this (0-255): a fill's shade is even. */
  fillStepTolerance: number;
  /** Fills at least this light (0-255) are pale tints behind text, which breaks them into pieces. */
  paleTint: number;
  /** Share of a fill's box its blocks must cover: fills are rectangles. */
  fillMinSolidity: number;
  /** Vertical text: an ink column at least this many times taller than wide. */
  verticalMinAspect: number;
  /** Vertical text: at least this tall (pt). */
  verticalMinLength: number;
  /** Ink of a glyph stroke crossing a ruling is at least this much darker (0-255) than the paper. */
  strokeContrast: number;
  /** ...and such a crossing is at most this long (pt) along the ruling: a bowl's two sides, under an x-height. */
  strokeMaxWidth: number;
  /** Grey within this (0-255) of the paper is paper when the page is cleaned for OCR: noise, pale tints. */
  paperMargin: number;
  /** Missed words: glyphs this close (pt) side by side are one word. */
  missedWordGap: number;
  /** Missed words: a patch this close (pt) to a word read is part of it. */
  missedIsolation: number;
  /** Missed words: a patch of ink at least this tall (pt): smaller is a speck. */
  missedMinHeight: number;
  /** Missed words: at most this tall (pt): taller is a picture or a sideways column. */
  missedMaxHeight: number;
  /** Vertical text: pieces of one column this close (pt) along it are one line (a word space). */
  verticalWordGap: number;
  /** Vertical text: a column of ink at least this wide (pt): a line of small text. */
  verticalMinWidth: number;
  /** Vertical text: at most this wide (pt): two or three lines of large text. */
  verticalMaxWidth: number;
  /** Bullets tesseract passed over: a round dot at least this wide and tall (pt)... */
  bulletMinSize: number;
  /** ...and at most this (pt). */
  bulletMaxSize: number;
  /** A bullet's dot is at most this far (in the text's heights) before the first word of its line. */
  bulletMaxGap: number;
}

export const DEFAULT_IMAGE_SETTINGS: ImageSettings = {
  maxSkewDeg: 3,
  skewStepDeg: 0.05,
  minSkewDeg: 0.03,
  analysisDpi: 150,
  rulingMaxThickness: 2.5,
  rulingMinLength: 14,
  rulingGap: 0.5,
  rulingJoin: 2,
  rulingFreeLength: 60,
  rulingMeet: 3,
  lineContrast: 45,
  fillBlock: 4,
  fillMinDepth: 22,
  fillShadeTolerance: 10,
  fillStepTolerance: 6,
  paleTint: 200,
  fillMinSide: 10,
  fillMinSolidity: 0.55,
  verticalMinAspect: 2.5,
  verticalMinLength: 22,
  verticalMinWidth: 5,
  verticalWordGap: 6,
  missedWordGap: 2.5,
  missedIsolation: 2,
  paperMargin: 28,
  strokeContrast: 90,
  strokeMaxWidth: 4,
  missedMinHeight: 4,
  missedMaxHeight: 30,
  verticalMaxWidth: 60,
  bulletMinSize: 1.2,
  bulletMaxSize: 6,
  bulletMaxGap: 2.5,
};

/** Rows read from a canvas at a time: a whole page's RGBA copy would be 35 MB at 300 dpi. */
const BAND = 128;

export function greyOf(canvas: Canvas, scale: number): GreyImage {
  const { width, height } = canvas;
  const ctx = canvas.getContext('2d');
  const data = new Uint8Array(width * height);
  for (let top = 0; top < height; top += BAND) {
    const rows = Math.min(BAND, height - top);
    const rgba = ctx.getImageData(0, top, width, rows).data;
    const base = top * width;
    for (let i = 0, j = 0; j < width * rows; i += 4, j++) data[base + j] = (rgba[i]! * 299 + rgba[i + 1]! * 587 + rgba[i + 2]! * 114) / 1000;
  }
  return { width, height, data, scale };
}

/** The image as a binary PGM file: what tesseract is given (leptonica reads it as 8-bit grey, a quarter of RGBA's memory, and no encoding). */
export function pgmOf(img: GreyImage): Buffer {
  return Buffer.concat([Buffer.from(`P5\n${img.width} ${img.height}\n255\n`, 'latin1'), img.data]);
}

/** Box-averaged copy at 1/factor the size. */
export function shrink(img: GreyImage, factor: number): GreyImage {
  const f = Math.max(1, Math.floor(factor));
  if (f === 1) return img;
  const width = Math.floor(img.width / f);
  const height = Math.floor(img.height / f);
  const data = new Uint8Array(width * height);
  const n = f * f;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let dy = 0; dy < f; dy++) {
        const row = (y * f + dy) * img.width + x * f;
        for (let dx = 0; dx < f; dx++) s += img.data[row + dx]!;
      }
      data[y * width + x] = s / n;
    }
  return { width, height, data, scale: img.scale / f };
}

/** The paper's grey: the commonest level among the light ones (scans are rarely 255). */
export function paperOf(img: GreyImage): number {
  const hist = new Uint32Array(256);
  for (let i = 0; i < img.data.length; i += 3) hist[img.data[i]!]!++;
  let best = 255;
  for (let v = 128; v < 256; v++) if (hist[v]! > hist[best]!) best = v;
  return best;
}

/**
 * The page's skew (radians; positive when lines fall to the right, as the image is
 * drawn): the angle at which the dark pixels' rows line up best (projection profile).
 */
export function skewOfImage(img: GreyImage, s: ImageSettings = DEFAULT_IMAGE_SETTINGS): number {
  const paper = paperOf(img);
  const dark = paper - 90;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++)
      if (img.data[y * img.width + x]! < dark) {
        xs.push(x);
        ys.push(y);
      }
  if (xs.length < 200) return 0;
  const score = (deg: number) => {
    const t = Math.tan((deg * Math.PI) / 180);
    const off = Math.ceil(Math.abs(t) * img.width) + 1;
    const hist = new Float64Array(img.height + 2 * off + 2);
    for (let i = 0; i < xs.length; i++) hist[Math.round(ys[i]! - xs[i]! * t) + off]!++;
    let sum = 0;
    for (let i = 1; i < hist.length; i++) {
      const d = hist[i]! - hist[i - 1]!;
      sum += d * d;
    }
    return sum;
  };
  let best = 0;
  let bestScore = score(0);
  for (let d = -s.maxSkewDeg; d <= s.maxSkewDeg + 1e-9; d += s.skewStepDeg * 4) {
    const v = score(d);
    if (v > bestScore) [best, bestScore] = [d, v];
  }
  const coarse = best;
  for (let d = coarse - s.skewStepDeg * 4; d <= coarse + s.skewStepDeg * 4 + 1e-9; d += s.skewStepDeg) {
    const v = score(d);
    if (v > bestScore) [best, bestScore] = [d, v];
  }
  return Math.abs(best) < s.minSkewDeg ? 0 : (best * Math.PI) / 180;
}

/** The image turned by -angle about its centre (undoing a skew of `angle`), bilinear, paper-white where nothing maps. */
export function deskew(img: GreyImage, angle: number): GreyImage {
  if (!angle) return img;
  const { width, height, data } = img;
  const out = new Uint8Array(width * height).fill(255);
  const [c, s] = [Math.cos(angle), Math.sin(angle)];
  const [cx, cy] = [width / 2, height / 2];
  for (let y = 0; y < height; y++) {
    const dy = y - cy;
    for (let x = 0; x < width; x++) {
      // Where this pixel was before the page turned by -angle: turn it back by +angle.
      const dx = x - cx;
      const sx = cx + dx * c - dy * s;
      const sy = cy + dx * s + dy * c;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < 0 || y0 < 0 || x0 + 1 >= width || y0 + 1 >= height) continue;
      const fx = sx - x0;
      const fy = sy - y0;
      const i = y0 * width + x0;
      const top = data[i]! + (data[i + 1]! - data[i]!) * fx;
      const bottom = data[i + width]! + (data[i + width + 1]! - data[i + width]!) * fx;
      out[y * width + x] = top + (bottom - top) * fy;
    }
  }
  return { ...img, data: out };
}

function transpose(img: GreyImage): GreyImage {
  const data = new Uint8Array(img.data.length);
  for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) data[x * img.height + y] = img.data[y * img.width + x]!;
  return { width: img.height, height: img.width, data, scale: img.scale };
}

/** Horizontal lines of an image: pixels darker than what lies just above and below them, in long runs. */
function horizontalLines(img: GreyImage, paper: number, s: ImageSettings): ImageRuling[] {
  const { width, height, data } = img;
  const reach = Math.max(2, Math.ceil(s.rulingMaxThickness * img.scale) + 1);
  const minLen = s.rulingMinLength * img.scale;
  const gap = Math.max(1, Math.round(s.rulingGap * img.scale));
  const runs: { y: number; x0: number; x1: number }[] = [];
  for (let y = reach; y < height - reach; y++) {
    let start = -1;
    let last = -1;
    for (let x = 0; x <= width; x++) {
      let on = false;
      if (x < width) {
        const v = data[y * width + x]!;
        if (v < paper - s.lineContrast) {
          let above = 0;
          let below = 0;
          for (let k = 1; k <= reach; k++) {
            above = Math.max(above, data[(y - k) * width + x]!);
            below = Math.max(below, data[(y + k) * width + x]!);
          }
          // Clearly darker than the lighter side, and still darker than the darker one: a rule between
          // paper and a dark fill is far darker than the paper but only a little darker than the fill.
          on = Math.max(above, below) - v >= s.lineContrast && Math.min(above, below) - v >= s.lineContrast / 3;
        }
      }
      if (on) {
        if (start < 0 || x - last > gap + 1) {
          if (start >= 0 && last - start + 1 >= minLen) runs.push({ y, x0: start, x1: last + 1 });
          start = x;
        }
        last = x;
      } else if (x === width && start >= 0 && last - start + 1 >= minLen) runs.push({ y, x0: start, x1: last + 1 });
    }
  }
  // Runs on neighbouring rows that overlap are one line, as thick as the rows it spans.
  const lines: { y0: number; y1: number; x0: number; x1: number; weight: number; ysum: number }[] = [];
  let open: typeof lines = [];
  for (const r of runs) {
    open = open.filter((l) => l.y1 >= r.y - 1);
    const l = open.find((o) => o.y1 >= r.y - 1 && Math.min(o.x1, r.x1) - Math.max(o.x0, r.x0) > 0.5 * Math.min(o.x1 - o.x0, r.x1 - r.x0));
    if (l) {
      l.y1 = r.y;
      l.x0 = Math.min(l.x0, r.x0);
      l.x1 = Math.max(l.x1, r.x1);
      l.weight += r.x1 - r.x0;
      l.ysum += r.y * (r.x1 - r.x0);
    } else {
      const n = { y0: r.y, y1: r.y, x0: r.x0, x1: r.x1, weight: r.x1 - r.x0, ysum: r.y * (r.x1 - r.x0) };
      lines.push(n);
      open.push(n);
    }
  }
  const maxThick = s.rulingMaxThickness * img.scale + 1;
  const found = lines
    .filter((l) => l.y1 - l.y0 + 1 <= maxThick)
    .map((l) => ({ orientation: 'h' as const, from: l.x0, to: l.x1, at: l.ysum / l.weight + 0.5, thickness: l.y1 - l.y0 + 1 }));
  return joinCollinear(found, Math.max(1.5, s.rulingMaxThickness * img.scale * 0.6), s.rulingJoin * img.scale);
}

/**
 * Pieces of one line end to end: a line left a hair off level by the deskew steps
 * from one pixel row to the next, and each step starts a new run.
 */
function joinCollinear(lines: ImageRuling[], across: number, along: number): ImageRuling[] {
  const sorted = [...lines].sort((a, b) => a.from - b.from);
  const out: ImageRuling[] = [];
  for (const l of sorted) {
    const prev = out.find((o) => Math.abs(o.at - l.at) <= across && l.from - o.to <= along && l.to > o.from);
    const piece = { from: l.from, to: l.to, at: l.at, thickness: l.thickness };
    if (!prev) {
      out.push({ ...l, pieces: [piece] });
      continue;
    }
    prev.pieces!.push(piece);
    const len = (r: ImageRuling) => r.to - r.from;
    prev.at = (prev.at * len(prev) + l.at * len(l)) / (len(prev) + len(l));
    prev.thickness = Math.max(prev.thickness, l.thickness);
    prev.from = Math.min(prev.from, l.from);
    prev.to = Math.max(prev.to, l.to);
  }
  return out;
}

/** Ruling lines of the image, both ways, in its pixels. */
export function findRulings(img: GreyImage, s: ImageSettings = DEFAULT_IMAGE_SETTINGS, paper = paperOf(img)): ImageRuling[] {
  const h = horizontalLines(img, paper, s);
  const v = horizontalLines(transpose(img), paper, s).map((l) => ({ ...l, orientation: 'v' as const }));
  // A short line must meet a line across it, as a table's rules do; the stem of a big letter meets none.
  const reach = s.rulingMeet * img.scale;
  const meets = (a: ImageRuling, others: ImageRuling[]) => others.some((b) => b.from - reach <= a.at && a.at <= b.to + reach && a.from - reach <= b.at && b.at <= a.to + reach);
  const long = s.rulingFreeLength * img.scale;
  return [...h.filter((l) => l.to - l.from >= long || meets(l, v)), ...v.filter((l) => l.to - l.from >= long || meets(l, h))];
}

/** The mean of the values near the median: a fill's shade to a fraction of a level (near shades, as red and purple print in grey, are 3 or 4 levels apart), text and noise left out. */
function robustMean(values: number[], within = 12): number {
  const m = median(values);
  let sum = 0;
  let n = 0;
  for (const v of values)
    if (Math.abs(v - m) <= within) {
      sum += v;
      n++;
    }
  return n ? sum / n : m;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * Filled rectangles: blocks whose median is clearly darker than the paper, grown into
 * regions of one shade, kept when solid and large enough; edges then moved out to the
 * last row or column that still has the shade.
 */
export function findFills(img: GreyImage, s: ImageSettings = DEFAULT_IMAGE_SETTINGS, paper = paperOf(img), rulings: ImageRuling[] = []): ImageFill[] {
  const b = Math.max(2, Math.round(s.fillBlock * img.scale));
  const bw = Math.floor(img.width / b);
  const bh = Math.floor(img.height / b);
  const shade = new Int16Array(bw * bh).fill(-1);
  const sample: number[] = [];
  for (let by = 0; by < bh; by++)
    for (let bx = 0; bx < bw; bx++) {
      sample.length = 0;
      for (let y = by * b; y < by * b + b; y += 1) for (let x = bx * b; x < bx * b + b; x += 1) sample.push(img.data[y * img.width + x]!);
      const m = median(sample);
      if (m <= paper - s.fillMinDepth) shade[by * bw + bx] = m;
    }
  // A rule is a cell's border: blocks it runs through join no fill, so cells of one shade either side of it
  // stay apart (a green cell over a green cell one row down, whose L-shaped union is no rectangle).
  for (const r of rulings) {
    const half = Math.ceil(r.thickness / 2) + 1;
    const [x0, y0, x1, y1] = r.orientation === 'h' ? [r.from, r.at - half, r.to, r.at + half] : [r.at - half, r.from, r.at + half, r.to];
    for (let by = Math.max(0, Math.floor(y0 / b)); by <= Math.min(bh - 1, Math.floor(y1 / b)); by++)
      for (let bx = Math.max(0, Math.floor(x0 / b)); bx <= Math.min(bw - 1, Math.floor(x1 / b)); bx++) shade[by * bw + bx] = -1;
  }
  const seen = new Uint8Array(bw * bh);
  const fills: ImageFill[] = [];
  const minSide = s.fillMinSide * img.scale;
  for (let i = 0; i < shade.length; i++) {
    if (shade[i]! < 0 || seen[i]) continue;
    // Grow a region of blocks near the seed's shade (4-neighbours).
    const seed = shade[i]!;
    const stack = [i];
    seen[i] = 1;
    const members: number[] = [];
    while (stack.length) {
      const k = stack.pop()!;
      members.push(k);
      const x = k % bw;
      const y = (k - x) / bw;
      for (const [nx, ny] of [[x + 1, y], [x - 1, y], [x, y + 1], [x, y - 1]] as const) {
        if (nx < 0 || ny < 0 || nx >= bw || ny >= bh) continue;
        const n = ny * bw + nx;
        // Near the seed's shade, and near the block it is reached from: two fills a few levels apart that touch
        // at a corner (red beside blue) are two, not one that fails as a fill and takes both with it.
        if (seen[n] || shade[n]! < 0 || Math.abs(shade[n]! - seed) > s.fillShadeTolerance || Math.abs(shade[n]! - shade[k]!) > s.fillStepTolerance) continue;
        seen[n] = 1;
        stack.push(n);
      }
    }
    for (const piece of cellsOfRegion(members, bw, b, rulings)) {
      const [x0, x1, y0, y1] = blockBounds(piece, bw);
      if (piece.length / ((x1 - x0) * (y1 - y0)) < s.fillMinSolidity) continue;
      if ((x1 - x0) * b < minSide || (y1 - y0) * b < minSide) continue;
      const tone = median(piece.map((k) => shade[k]!));
      const box = growFill(img, [x0 * b, y0 * b, x1 * b, y1 * b], tone, s.fillShadeTolerance);
      fills.push({ box, shade: shadeInside(img, box, tone), lightText: lightTextIn(img, box, tone) });
    }
  }
  return fills;
}

/** The blocks' bounds in block units, [x0, x1, y0, y1] (x1 and y1 past the last block), blocks numbered row by row `bw` wide. */
function blockBounds(blocks: number[], bw: number): [number, number, number, number] {
  const xs = blocks.map((k) => k % bw);
  const ys = blocks.map((k) => Math.floor(k / bw));
  return [Math.min(...xs), Math.max(...xs) + 1, Math.min(...ys), Math.max(...ys) + 1];
}

/**
 * A region of one shade that is no rectangle (two cells of one shade meeting where the rule
 * between them broke over the dark fill) cut into the cells the rules crossing it mark out,
 * each rule taken across the whole region; a rectangle, or a region no rule crosses, stays whole.
 */
function cellsOfRegion(members: number[], bw: number, b: number, rulings: ImageRuling[]): number[][] {
  const [x0, x1, y0, y1] = blockBounds(members, bw);
  if (members.length === (x1 - x0) * (y1 - y0)) return [members];
  const inside = (o: 'h' | 'v', lo: number, hi: number, a0: number, a1: number) =>
    [...new Set(rulings.filter((r) => r.orientation === o && r.at > lo * b && r.at < hi * b && r.to > a0 * b && r.from < a1 * b).map((r) => Math.round(r.at / b)))].sort((p, q) => p - q);
  const xs = inside('v', x0, x1, y0, y1);
  const ys = inside('h', y0, y1, x0, x1);
  if (!xs.length && !ys.length) return [members];
  const cell = new Map<string, number[]>();
  for (const k of members) {
    const key = `${xs.filter((x) => x <= k % bw).length}:${ys.filter((y) => y <= Math.floor(k / bw)).length}`;
    cell.set(key, [...(cell.get(key) ?? []), k]);
  }
  return [...cell.values()];
}

/** The fill's shade measured over its inside, away from its edges: finer than the blocks' medians. */
function shadeInside(img: GreyImage, box: PixelBox, tone: number): number {
  const m = Math.max(1, Math.round(1.5 * img.scale));
  const sample: number[] = [];
  for (let y = box[1] + m; y < box[3] - m; y++) for (let x = box[0] + m; x < box[2] - m; x++) sample.push(img.data[y * img.width + x]!);
  return sample.length ? robustMean(sample) : tone;
}

/** Moves each edge of a fill's box outwards while the next row or column beyond it still has the fill's shade. */
function growFill(img: GreyImage, box: PixelBox, tone: number, tol: number): PixelBox {
  let [x0, y0, x1, y1] = box;
  const rowMedian = (y: number) => median(Array.from({ length: x1 - x0 }, (_, i) => img.data[y * img.width + x0 + i]!));
  const colMedian = (x: number) => median(Array.from({ length: y1 - y0 }, (_, i) => img.data[(y0 + i) * img.width + x]!));
  while (y0 > 0 && Math.abs(rowMedian(y0 - 1) - tone) <= tol) y0--;
  while (y1 < img.height && Math.abs(rowMedian(y1) - tone) <= tol) y1++;
  while (x0 > 0 && Math.abs(colMedian(x0 - 1) - tone) <= tol) x0--;
  while (x1 < img.width && Math.abs(colMedian(x1) - tone) <= tol) x1++;
  // And inwards where a block row or column straddling the edge was taken in.
  while (y1 - y0 > 2 && Math.abs(rowMedian(y0) - tone) > tol) y0++;
  while (y1 - y0 > 2 && Math.abs(rowMedian(y1 - 1) - tone) > tol) y1--;
  while (x1 - x0 > 2 && Math.abs(colMedian(x0) - tone) > tol) x0++;
  while (x1 - x0 > 2 && Math.abs(colMedian(x1 - 1) - tone) > tol) x1--;
  return [x0, y0, x1, y1];
}

function lightTextIn(img: GreyImage, box: PixelBox, tone: number): boolean {
  // Inside the edges only: a fill's box reaches into the paper and lines around it.
  const m = Math.round(2 * img.scale);
  const [x0, y0, x1, y1] = [box[0] + m, box[1] + m, box[2] - m, box[3] - m];
  if (x1 <= x0 || y1 <= y0) return false;
  let lighter = 0;
  let darker = 0;
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) {
      const v = img.data[y * img.width + x]!;
      if (v > tone + 60) lighter++;
      else if (v < tone - 60) darker++;
    }
  // Glyphs cover a small share of a cell; a box half paper is a box that took in paper, not light text.
  const area = (x1 - x0) * (y1 - y0);
  return lighter > darker * 3 && lighter > area * 0.03 && lighter < area * 0.35;
}

/**
 * Fills cut at the ruling lines that cross them: one fill region found across a row of
 * cells (the rules between them are thin) becomes one fill a cell, each with the shade
 * of its own inside, so neighbouring cells of near shades keep their own.
 */
export function splitFillsAtRulings(img: GreyImage, fills: ImageFill[], rulings: ImageRuling[], s: ImageSettings = DEFAULT_IMAGE_SETTINGS, paper = paperOf(img)): ImageFill[] {
  const margin = Math.max(1, Math.round(s.rulingMaxThickness * img.scale));
  // A rule cuts a fill when its pieces at one position cover half the fill's extent across it.
  const cutsOf = (lo: number, hi: number, across: [number, number], orientation: 'h' | 'v') => {
    const inside = rulings.filter((r) => r.orientation === orientation && r.at > lo + margin && r.at < hi - margin).sort((a, b) => a.at - b.at);
    const cuts: number[] = [];
    for (let i = 0; i < inside.length; ) {
      let j = i;
      let covered = 0;
      while (j < inside.length && inside[j]!.at - inside[i]!.at <= margin) {
        covered += Math.max(0, Math.min(inside[j]!.to, across[1]) - Math.max(inside[j]!.from, across[0]));
        j++;
      }
      if (covered >= 0.5 * (across[1] - across[0])) cuts.push(inside[i]!.at);
      i = j;
    }
    return cuts;
  };
  const out: ImageFill[] = [];
  for (const f of fills) {
    const [x0, y0, x1, y1] = f.box;
    const xs = [x0, ...cutsOf(x0, x1, [y0, y1], 'v'), x1];
    const ys = [y0, ...cutsOf(y0, y1, [x0, x1], 'h'), y1];
    if (xs.length === 2 && ys.length === 2) {
      out.push(f);
      continue;
    }
    for (let i = 0; i + 1 < xs.length; i++)
      for (let j = 0; j + 1 < ys.length; j++) {
        const box: PixelBox = [Math.round(xs[i]!), Math.round(ys[j]!), Math.round(xs[i + 1]!), Math.round(ys[j + 1]!)];
        const inner: PixelBox = [box[0] + margin, box[1] + margin, box[2] - margin, box[3] - margin];
        if (inner[2] - inner[0] < 2 || inner[3] - inner[1] < 2) continue;
        const sample: number[] = [];
        for (let y = inner[1]; y < inner[3]; y++) for (let x = inner[0]; x < inner[2]; x++) sample.push(img.data[y * img.width + x]!);
        const shade = robustMean(sample);
        if (shade > paper - s.fillMinDepth) continue;
        out.push({ box, shade, lightText: lightTextIn(img, box, shade) });
      }
  }
  return out;
}

/**
 * The edges of fills that sit in a table (touching another fill or a rule) as rules
 * where none was found: a row of abutting swatches is a row of cells even when its
 * borders print no darker than the fills.
 */
export function fillEdges(fills: ImageFill[], rulings: ImageRuling[], s: ImageSettings = DEFAULT_IMAGE_SETTINGS, scale: number): ImageRuling[] {
  const near = s.rulingMeet * scale;
  const touches = (a: PixelBox, b: PixelBox) => a[0] - near <= b[2] && b[0] - near <= a[2] && a[1] - near <= b[3] && b[1] - near <= a[3];
  const lineBox = (r: ImageRuling): PixelBox => (r.orientation === 'h' ? [r.from, r.at, r.to, r.at] : [r.at, r.from, r.at, r.to]);
  const out: ImageRuling[] = [];
  // A rule stopping short of the edge's end by more than a point leaves the corner open to the layout
  // (a rule broken where it crosses another between dark fills): the edge is drawn whole.
  const snug = scale;
  const have = (e: ImageRuling) => [...rulings, ...out].some((r) => r.orientation === e.orientation && Math.abs(r.at - e.at) <= near && r.from <= e.from + snug && r.to >= e.to - snug);
  // Where two fills abut, the line between them is a border whatever else is ruled: but only a fill lying
  // across the line counts, not one overlapping this one (the same fill broken up by its text, or found twice).
  const abuts = (f: ImageFill, e: ImageRuling) =>
    fills.some((g) => {
      // Pieces of one pale tint side by side are one fill broken up by its text (a tinted objective row);
      // darker cells of one shade side by side are rating cells, whose rule the fill hides.
      if (g === f || (Math.min(g.shade, f.shade) >= s.paleTint && Math.abs(g.shade - f.shade) <= s.fillShadeTolerance)) return false;
      const [lo, hi] = e.orientation === 'h' ? [g.box[0], g.box[2]] : [g.box[1], g.box[3]];
      const overlap = Math.min(hi, e.to) - Math.max(lo, e.from);
      const [g0, g1] = e.orientation === 'h' ? [g.box[1], g.box[3]] : [g.box[0], g.box[2]];
      const [f0, f1] = e.orientation === 'h' ? [f.box[1], f.box[3]] : [f.box[0], f.box[2]];
      // g lies across the line from f: it ends at the line on f's far side.
      const across = Math.abs(e.at - f0) <= near ? Math.abs(g1 - e.at) <= near && g0 < e.at - near : Math.abs(e.at - f1) <= near && Math.abs(g0 - e.at) <= near && g1 > e.at + near;
      return overlap >= 0.5 * (e.to - e.from) && across;
    });
  // An edge between the ends of two rules across it closes a ruled box (a table's outer border drawn no darker than its fill).
  const endsNear = (at: number, along: number, orientation: 'h' | 'v') => rulings.some((r) => r.orientation === orientation && Math.abs(r.at - at) <= near && (Math.abs(r.to - along) <= near || Math.abs(r.from - along) <= near));
  const closes = (e: ImageRuling) => {
    const across = e.orientation === 'h' ? 'v' : 'h';
    return endsNear(e.from, e.at, across) && endsNear(e.to, e.at, across);
  };
  const detected = (e: ImageRuling) => rulings.some((r) => r.orientation === e.orientation && Math.abs(r.at - e.at) <= near && r.from <= e.from + near && r.to >= e.to - near);
  for (const f of fills) {
    if (!rulings.some((r) => touches(f.box, lineBox(r))) && !fills.some((g) => g !== f && touches(f.box, g.box))) continue;
    const [x0, y0, x1, y1] = f.box;
    const edges: ImageRuling[] = [
      { orientation: 'h', from: x0, to: x1, at: y0, thickness: 1 },
      { orientation: 'h', from: x0, to: x1, at: y1, thickness: 1 },
      { orientation: 'v', from: y0, to: y1, at: x0, thickness: 1 },
      { orientation: 'v', from: y0, to: y1, at: x1, thickness: 1 },
    ];
    // A fill ruled on two sides or more is in a ruled table: its unruled edge is no border (a fill short of its cell) unless a fill abuts it there.
    const ruled = edges.filter(detected).length >= 2;
    for (const e of edges) if (!have(e) && (!ruled || abuts(f, e) || closes(e))) out.push(e);
  }
  return out;
}

/** Scales a pixel box of one image to another of `ratio` times its resolution. */
export const scaleBox = (box: PixelBox, ratio: number): PixelBox => [Math.floor(box[0] * ratio), Math.floor(box[1] * ratio), Math.ceil(box[2] * ratio), Math.ceil(box[3] * ratio)];

/**
 * The image as tesseract should see it: ruling lines painted out (they join words to
 * borders and split its lines) and every fill stretched so its shade becomes paper and
 * its text black, whatever the shade (tesseract binarises the page with one threshold).
 * Rulings and fills are in the pixels of an image `ratio` times coarser.
 */
export function cleanForOcr(img: GreyImage, rulings: ImageRuling[], fills: ImageFill[], ratio: number, paper = 255, s: ImageSettings = DEFAULT_IMAGE_SETTINGS): GreyImage {
  const { width, height } = img;
  // The paper made white and its noise and pale tints with it: tesseract binarises with one
  // threshold, and speckle on a tinted cell turns into stray points and colons between digits.
  const white = Math.max(64, paper - s.paperMargin);
  const data = new Uint8Array(img.data.length);
  for (let i = 0; i < data.length; i++) {
    const v = img.data[i]!;
    data[i] = v >= white ? 255 : Math.round((v * 255) / white);
  }
  for (const f of fills) {
    const [x0, y0, x1, y1] = scaleBox(f.box, ratio);
    const ink = f.lightText ? 255 : 0;
    const span = f.shade - ink || 1;
    const margin = (s.paperMargin * Math.abs(span)) / 255;
    for (let y = Math.max(0, y0); y < Math.min(height, y1); y++)
      for (let x = Math.max(0, x0); x < Math.min(width, x1); x++) {
        const v = img.data[y * width + x]!;
        // Shade -> 255, ink -> 0, linearly.
        const t = (v - ink) / span;
        // Speckle within the margin of the fill's shade is the fill: paper, as on the rest of the page.
        data[y * width + x] = t >= 1 - margin / Math.abs(span) ? 255 : Math.max(0, Math.min(255, Math.round(t * 255)));
      }
  }
  // Each piece where it lies: the joined line's average position misses the ends of a line a hair off level.
  const bands: { h: boolean; a: number; b: number; c0: number; c1: number }[] = [];
  for (const r of rulings)
    for (const p of r.pieces ?? [r]) {
      const half = (p.thickness / 2 + 1) * ratio + 1;
      bands.push({ h: r.orientation === 'h', a: Math.max(0, Math.floor(p.from * ratio) - ratio), b: Math.ceil(p.to * ratio) + ratio, c0: Math.max(0, Math.floor(p.at * ratio - half)), c1: Math.ceil(p.at * ratio + half) });
    }
  const onLine = new Uint8Array(width * height);
  const at = (h: boolean, along: number, across: number) => (h ? across * width + along : along * width + across);
  const inside = (h: boolean, along: number, across: number) => along >= 0 && across >= 0 && (h ? along < width && across < height : along < height && across < width);
  for (const { h, a, b, c0, c1 } of bands) for (let along = a; along < b; along++) for (let across = c0; across < c1; across++) if (inside(h, along, across)) onLine[at(h, along, across)] = 1;
  // A glyph's stroke crossing a line (a heading run on over a column's border) is kept: where ink lies just
  // beyond the band on both sides, the band there is the stroke's. Another line's band is no ink (a crossing).
  const ink = (h: boolean, along: number, across: number) => inside(h, along, across) && !onLine[at(h, along, across)] && img.data[at(h, along, across)]! <= paper - s.strokeContrast;
  // A stroke crossing is no longer than a stroke is thick: ink beside the line further along is a glyph standing on it.
  const longest = Math.max(1, Math.round(s.strokeMaxWidth * img.scale));
  for (const { h, a, b, c0, c1 } of bands) {
    const crossed = new Uint8Array(Math.max(0, b - a));
    for (let along = a; along < b; along++) crossed[along - a] = ink(h, along, c0 - 1) && ink(h, along, c1) ? 1 : 0;
    for (let i = 0; i < crossed.length; ) {
      let j = i;
      while (j < crossed.length && crossed[j] === crossed[i]) j++;
      const keep = crossed[i] === 1 && j - i <= longest;
      if (!keep) for (let along = a + i; along < a + j; along++) for (let across = c0; across < c1; across++) if (inside(h, along, across)) data[at(h, along, across)] = 255;
      i = j;
    }
  }
  return { ...img, data };
}

/** A region of an image cut out (clamped to the image). */
export function cropOf(img: GreyImage, [x0, y0, x1, y1]: PixelBox): GreyImage {
  const l = Math.max(0, x0);
  const t = Math.max(0, y0);
  const r = Math.min(img.width, x1);
  const b = Math.min(img.height, y1);
  const width = Math.max(0, r - l);
  const height = Math.max(0, b - t);
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) data.set(img.data.subarray((t + y) * img.width + l, (t + y) * img.width + l + width), y * width);
  return { width, height, data, scale: img.scale };
}

/**
 * The crop of `box` grown by `margin` on every side, the margin blank: a patch read alone, without the
 * edges of the lines above and below it that would sit in a plain crop (tesseract reads a line set
 * close under another as nothing when glyphs of the other poke into its crop).
 */
export function cropAlone(img: GreyImage, box: PixelBox, margin: number, paper = 255): GreyImage {
  const crop = cropOf(img, [box[0] - margin, box[1] - margin, box[2] + margin, box[3] + margin]);
  const [l, t] = [Math.max(0, box[0] - margin), Math.max(0, box[1] - margin)];
  for (let y = 0; y < crop.height; y++)
    for (let x = 0; x < crop.width; x++) {
      const [px, py] = [l + x, t + y];
      if (px < box[0] || px >= box[2] || py < box[1] || py >= box[3]) crop.data[y * crop.width + x] = paper;
    }
  return crop;
}

/** The image turned a quarter: 'cw' clockwise (text reading upwards becomes upright), 'ccw' the other way. */
export function quarterTurn(img: GreyImage, dir: 'cw' | 'ccw'): GreyImage {
  const { width, height } = img;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const v = img.data[y * width + x]!;
      // cw: (x, y) -> (height-1-y, x); ccw: (x, y) -> (y, width-1-x); the new width is the old height.
      if (dir === 'cw') data[x * height + (height - 1 - y)] = v;
      else data[(width - 1 - x) * height + y] = v;
    }
  return { width: height, height: width, data, scale: img.scale };
}

/**
 * Fills gaps of up to `gap` pixels between marked pixels along each of `lines` lines of
 * `length` pixels (`step` apart along a line, `stride` between lines), marking them 2.
 */
function bridgeGaps(mask: Uint8Array, length: number, lines: number, step: number, stride: number, gap: number): void {
  for (let l = 0; l < lines; l++) {
    let last = -1;
    for (let i = 0; i < length; i++) {
      if (!mask[l * stride + i * step]) continue;
      if (last >= 0 && i - last > 1 && i - last <= gap) for (let k = last + 1; k < i; k++) mask[l * stride + k * step] = 2;
      last = i;
    }
  }
}

/** A patch of ink that no word explains: its box and how many of its pixels are ink. */
export interface InkRegion {
  box: PixelBox;
  ink: number;
}

/**
 * Ink that tesseract's words do not explain, in connected patches: ink pixels outside
 * the words' boxes, smeared across gaps of up to `smear` points (along x, along y) so a
 * word's or a sideways line's glyphs make one patch.
 */
export function unexplainedInk(img: GreyImage, explained: PixelBox[], smear: [number, number], paper = paperOf(img), depth = 100): InkRegion[] {
  const { width, height } = img;
  const ink = new Uint8Array(width * height);
  // Thin strokes of small glyphs come out light at the coarse resolution: `depth` says how dark is ink.
  const dark = paper - depth;
  for (let i = 0; i < ink.length; i++) ink[i] = img.data[i]! < dark ? 1 : 0;
  for (const [x0, y0, x1, y1] of explained)
    for (let y = Math.max(0, y0); y < Math.min(height, y1); y++) ink.fill(0, y * width + Math.max(0, x0), y * width + Math.max(0, Math.min(width, x1)));
  // Down the columns, then along the rows: gaps filled are marked 2, so they join patches without counting as ink.
  bridgeGaps(ink, height, width, width, 1, Math.round(smear[1] * img.scale));
  bridgeGaps(ink, width, height, 1, width, Math.max(1, Math.round(smear[0] * img.scale)));
  const seen = new Uint8Array(width * height);
  const out: InkRegion[] = [];
  for (let i = 0; i < ink.length; i++) {
    if (!ink[i] || seen[i]) continue;
    let [x0, y0, x1, y1] = [width, height, 0, 0];
    let real = 0;
    const stack = [i];
    seen[i] = 1;
    while (stack.length) {
      const k = stack.pop()!;
      const x = k % width;
      const y = (k - x) / width;
      if (ink[k] === 1) real++;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x + 1);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y + 1);
      if (x + 1 < width && ink[k + 1] && !seen[k + 1]) (seen[k + 1] = 1), stack.push(k + 1);
      if (x > 0 && ink[k - 1] && !seen[k - 1]) (seen[k - 1] = 1), stack.push(k - 1);
      if (y + 1 < height && ink[k + width] && !seen[k + width]) (seen[k + width] = 1), stack.push(k + width);
      if (y > 0 && ink[k - width] && !seen[k - width]) (seen[k - width] = 1), stack.push(k - width);
    }
    out.push({ box: [x0, y0, x1, y1], ink: real });
  }
  return out;
}

/** Glyphs, not a stray rule or speck: some ink, not a solid bar. */
const glyphLike = (r: InkRegion) => {
  const [x0, y0, x1, y1] = r.box;
  const area = (x1 - x0) * (y1 - y0);
  return r.ink >= area * 0.05 && r.ink <= area * 0.6;
};

/**
 * Columns of ink that tesseract's words do not explain, tall and narrow: text set
 * sideways (rotated area labels, rotated header cells).
 */
export function verticalTextRegions(img: GreyImage, explained: PixelBox[], s: ImageSettings = DEFAULT_IMAGE_SETTINGS, paper = paperOf(img)): PixelBox[] {
  const minLen = s.verticalMinLength * img.scale;
  // Letters of a sideways word touch; its words are a space apart: patches in one column within a word space are one line.
  const patches = unexplainedInk(img, explained, [1.5, 3.5], paper).filter(glyphLike);
  const space = s.verticalWordGap * img.scale;
  let merged = true;
  while (merged) {
    merged = false;
    for (let i = 0; i < patches.length && !merged; i++)
      for (let j = i + 1; j < patches.length; j++) {
        const [a, b] = [patches[i]!.box, patches[j]!.box];
        const overlap = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
        const gap = Math.max(a[1], b[1]) - Math.min(a[3], b[3]);
        if (overlap < 0.5 * Math.min(a[2] - a[0], b[2] - b[0]) || gap > space) continue;
        patches[i] = { box: [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])], ink: patches[i]!.ink + patches[j]!.ink };
        patches.splice(j, 1);
        merged = true;
        break;
      }
  }
  return patches
    .filter((r) => {
      const [x0, y0, x1, y1] = r.box;
      const [w, h] = [x1 - x0, y1 - y0];
      return h >= minLen && h >= w * s.verticalMinAspect && w >= s.verticalMinWidth * img.scale && w <= s.verticalMaxWidth * img.scale && r.ink >= h * 1.5 && glyphLike(r);
    })
    .map((r) => r.box);
}

/** Upright words tesseract passed over (a lone digit in a cell, a short label): patches of unexplained ink the size of a line of text. */
export function missedWordRegions(img: GreyImage, explained: PixelBox[], s: ImageSettings = DEFAULT_IMAGE_SETTINGS, paper = paperOf(img)): PixelBox[] {
  // Ink beside a word that was read, on its line, is a piece of that word (a serif, a bold stroke past its box), not a
  // word missed. Ink under or over it is another line's: a line set close below one read ("associated Procedures."
  // two points under "iv. Update health ...") is still to read.
  const gap = s.missedIsolation * img.scale;
  const besideRead = ([x0, y0, x1, y1]: PixelBox) =>
    explained.some((b) => {
      if (!(b[0] - gap <= x1 && x0 <= b[2] + gap && b[1] - gap <= y1 && y0 <= b[3] + gap)) return false;
      const across = Math.min(b[3], y1) - Math.max(b[1], y0);
      return across >= 0.5 * Math.min(b[3] - b[1], y1 - y0);
    });
  return glyphPatches(img, explained, s, paper)
    .filter((r) => !besideRead(r));
}

/**
 * Words read short: a glyph-sized patch of unexplained ink just before or after a word on
 * its line ("1.3" read where "5.1.3" is printed: the "5." left over). Each is the word's
 * index and the box of the word with the patch, to read again whole.
 */
export function wordsCutShort(img: GreyImage, words: PixelBox[], s: ImageSettings = DEFAULT_IMAGE_SETTINGS, paper = paperOf(img)): { word: number; box: PixelBox }[] {
  const gap = s.missedIsolation * img.scale;
  const out = new Map<number, PixelBox>();
  for (const r of glyphPatches(img, words, s, paper)) {
    const h = r[3] - r[1];
    const touching = words
      .map((b, i) => ({ b, i }))
      .filter(({ b }) => (b[0] - gap <= r[2] && r[2] <= b[0] + 1) || (b[2] - 1 <= r[0] && r[0] <= b[2] + gap))
      .filter(({ b }) => Math.min(b[3], r[3]) - Math.max(b[1], r[1]) >= 0.5 * Math.min(h, b[3] - b[1]));
    if (touching.length !== 1) continue;
    const { b, i } = touching[0]!;
    const box = out.get(i) ?? b;
    out.set(i, [Math.min(box[0], r[0]), Math.min(box[1], r[1]), Math.max(box[2], r[2]), Math.max(box[3], r[3])]);
  }
  return [...out].map(([word, box]) => ({ word, box }));
}

/** Patches of unexplained ink the size and make of glyphs (not specks, not bars or rules). */
function glyphPatches(img: GreyImage, explained: PixelBox[], s: ImageSettings, paper: number): PixelBox[] {
  return joinGlyphPieces(unexplainedInk(img, explained, [s.missedWordGap, 2], paper, 60), s.missedMinHeight * img.scale)
    .filter((r) => {
      const [x0, y0, x1, y1] = r.box;
      const [w, h] = [(x1 - x0) / img.scale, (y1 - y0) / img.scale];
      // A lone "1" or "l" without serifs is a solid stroke: glyph-like enough at the height of text.
      const stroke = w <= 0.5 * h;
      return h >= s.missedMinHeight && h <= s.missedMaxHeight && w >= 1.5 && w >= h * 0.2 && (glyphLike(r) || stroke);
    })
    .map((r) => r.box);
}

/**
 * Pieces of one glyph a faint stroke cut apart (the top and foot of a "2"): patches lower
 * than `minHeight`, one over the other in one column and touching, made one.
 */
export function joinGlyphPieces(regions: InkRegion[], minHeight: number): InkRegion[] {
  const out = [...regions].sort((a, b) => a.box[1] - b.box[1]);
  for (let i = 0; i < out.length; i++)
    for (let j = i + 1; j < out.length; j++) {
      const [a, b] = [out[i]!.box, out[j]!.box];
      if (b[1] > a[3] + 1) continue;
      const overlap = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
      if (a[3] - a[1] >= minHeight || b[3] - b[1] >= minHeight || overlap < 0.5 * Math.min(a[2] - a[0], b[2] - b[0])) continue;
      out[i] = { box: [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])], ink: out[i]!.ink + out[j]!.ink };
      out.splice(j, 1);
      j = i;
    }
  return out;
}

/**
 * Bullets tesseract passed over (it often drops a lone dot): patches of unexplained ink,
 * round and solid, a dot's size, centred on the text's middle just before a word with no
 * word before them close by (a full stop sits on the baseline, after its word). Returns
 * each dot's box and the index of the word it leads.
 */
export function bulletDots(img: GreyImage, words: PixelBox[], s: ImageSettings = DEFAULT_IMAGE_SETTINGS, paper = paperOf(img)): { box: PixelBox; word: number }[] {
  const out: { box: PixelBox; word: number }[] = [];
  for (const r of unexplainedInk(img, words, [0, 0], paper, 60)) {
    const [x0, y0, x1, y1] = r.box;
    const [w, h] = [(x1 - x0) / img.scale, (y1 - y0) / img.scale];
    if (w < s.bulletMinSize || h < s.bulletMinSize || w > s.bulletMaxSize || h > s.bulletMaxSize) continue;
    if (w > 1.6 * h || h > 1.6 * w || r.ink < 0.5 * (x1 - x0) * (y1 - y0)) continue;
    const cy = (y0 + y1) / 2;
    // Words on the dot's line: their box spans its centre.
    const onLine = words.map((b, i) => ({ b, i })).filter(({ b }) => b[1] <= cy && b[3] >= cy);
    const next = onLine.filter(({ b }) => b[0] >= x1 - 1).sort((a, b) => a.b[0] - b.b[0])[0];
    if (!next) continue;
    const th = next.b[3] - next.b[1];
    // Centred on the text's middle, smaller than a capital, close before the word.
    if (cy < next.b[1] + 0.15 * th || cy > next.b[3] - 0.15 * th || y1 - y0 > 0.7 * th || y1 - y0 < 0.15 * th) continue;
    if (next.b[0] - x1 > s.bulletMaxGap * th) continue;
    // A word ending just before the dot makes it that word's punctuation, not a bullet.
    if (onLine.some(({ b }) => b[2] <= x0 + 1 && x0 - b[2] < 1.5 * th)) continue;
    out.push({ box: r.box, word: next.i });
  }
  return out;
}
