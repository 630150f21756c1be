// Reading a narrative report (a committee report in prose): its numbered paragraphs
// ("12. The mandate for ..."), each with the heading of the section it is in, its text
// with line-break hyphens healed, and where it starts. Page furniture (running headers,
// "Page N") is left out, and so is unnumbered matter (title block, contacts).
//
// The page is read as lines of every horizontal word outside ruled tables, top to
// bottom, page after page. A numbered paragraph starts at a line whose first word is
// "N." with N the next number; it goes on over the lines below it that are indented
// at least as far as its number, until a gap, a heading or a line further left than
// its text (a paragraph set with a hanging indent). Over a page break it goes on at
// the first line of the next page when that line is indented as its text is, or when
// its last line stopped mid-sentence. A heading is a short run of lines that is no
// paragraph's: larger than the body text, or standing on its own.
import type { BBox, ReportParagraph } from '../schemas/index.js';
import { DEFAULT_LAYOUT_SETTINGS, toUserBox, type PageLayout, type TextLine } from './layout/index.js';
import { linesOf } from './layout/lines.js';
import { union, type Word } from './layout/words.js';
import { joinLines, normaliseText, vocabularyOf } from './normalise.js';

export interface ReportSettings {
  /** Lines within this share of the page height from its top or bottom edge may be page furniture. */
  furnitureBand: number;
  /** A line in that band is furniture when its text, digits masked, is in the band of this many pages or more. */
  furnitureMinPages: number;
  /** Lines further apart than this many body line pitches are in different blocks. */
  blockGap: number;
  /** Tolerance (pt) when comparing where lines start. */
  indentTolerance: number;
  /** A heading has at most this many lines and words. */
  headingMaxLines: number;
  headingMaxWords: number;
  /** A line whose font is this many times the body size or larger is set as a heading. */
  headingSizeRatio: number;
  /** The largest paragraph number accepted out of sequence (skipped numbers happen; years at a line start do not). */
  maxNumberJump: number;
}

export const DEFAULT_REPORT_SETTINGS: ReportSettings = {
  furnitureBand: 0.06,
  furnitureMinPages: 2,
  blockGap: 1.45,
  indentTolerance: 4,
  headingMaxLines: 3,
  headingMaxWords: 20,
  headingSizeRatio: 1.08,
  maxNumberJump: 3,
};

/** "Page 3", "3", "Page 3 of 12", "- 3 -" with digits masked. */
const PAGE_NUMBER = /^[-\u2013\s]*(page\s*)?#+(\s*(of|\/)\s*#+)?[-\u2013\s]*$/i;
/** A paragraph number as printed at a line start: "12." or "12)". */
const PARAGRAPH_NUMBER = /^([0-9]{1,3})[.)]$/;
/** List markers at a line start, printed as a word of their own. */
const LIST_MARKER = /^[\u2022\u25AA\u25CF\u25E6\u2023\u2043\u2219\uF0B7\uF0A7*\u2013\u2014-]$/u;
/** A line that ends a sentence (or a lead-in to a list). */
const SENTENCE_END = /[.!?:]['\u2019"\u201D)]*$/u;

interface Line {
  page: number;
  layout: PageLayout;
  line: TextLine;
  x: number;
  top: number;
  size: number;
  text: string;
  /** Same page, and further below the previous line than a block gap. */
  gapBefore: boolean;
  /** The first line on its page. */
  pageStart: boolean;
}

interface Open {
  number: string;
  heading: string | null;
  numberX: number;
  contX: number;
  hanging: boolean;
  lines: Line[];
  texts: string[];
}

const median = (xs: number[]): number => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

function mode(xs: number[]): number {
  const counts = new Map<number, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  let best = 0;
  let n = -1;
  for (const [x, c] of counts) if (c > n) [best, n] = [x, c];
  return best;
}

const maskDigits = (t: string) => t.replace(/[0-9]+/g, '#').replace(/\s+/g, ' ').trim().toLowerCase();

/** The horizontal lines of a page outside its ruled tables, top to bottom. */
function pageLines(layout: PageLayout): TextLine[] {
  const inCell = (w: Word) => {
    const cx = (w.bbox[0] + w.bbox[2]) / 2;
    const cy = (w.bbox[1] + w.bbox[3]) / 2;
    return layout.cells.some((c) => cx >= c.bbox[0] && cx <= c.bbox[2] && cy >= c.bbox[1] && cy <= c.bbox[3]);
  };
  const words = layout.words.filter((w) => Math.abs(((w.angle % 360) + 360) % 360) < 1 && !inCell(w));
  return linesOf(words, DEFAULT_LAYOUT_SETTINGS).sort((a, b) => b.bbox[3] - a.bbox[3] || a.bbox[0] - b.bbox[0]);
}

/** Lines in the top or bottom band of a page that repeat over pages, or that are page numbers. */
function furniture(pages: { layout: PageLayout; lines: TextLine[] }[], s: ReportSettings): Set<TextLine> {
  const inBand = (layout: PageLayout, l: TextLine) => l.bbox[3] > layout.height * (1 - s.furnitureBand) || l.bbox[1] < layout.height * s.furnitureBand;
  const pagesOf = new Map<string, Set<number>>();
  for (const { layout, lines } of pages)
    for (const l of lines.filter((x) => inBand(layout, x))) {
      const key = maskDigits(l.text);
      if (!pagesOf.has(key)) pagesOf.set(key, new Set());
      pagesOf.get(key)!.add(layout.page);
    }
  const out = new Set<TextLine>();
  for (const { layout, lines } of pages)
    for (const l of lines.filter((x) => inBand(layout, x))) {
      const key = maskDigits(l.text);
      if (PAGE_NUMBER.test(key) || (pages.length >= s.furnitureMinPages && pagesOf.get(key)!.size >= s.furnitureMinPages)) out.add(l);
    }
  return out;
}

export function readNarrativeReport(layouts: PageLayout[], settings: Partial<ReportSettings> = {}): ReportParagraph[] {
  const s = { ...DEFAULT_REPORT_SETTINGS, ...settings };
  const pages = layouts.map((layout) => ({ layout, lines: pageLines(layout) }));
  const drop = furniture(pages, s);
  const kept = pages.map((p) => ({ layout: p.layout, lines: p.lines.filter((l) => !drop.has(l) && l.text.trim()) }));

  const bodySize = mode(kept.flatMap((p) => p.lines.map((l) => Math.round(l.fontSize * 2) / 2)));
  const pitch =
    median(
      kept.flatMap((p) =>
        p.lines
          .slice(1)
          .map((l, i) => p.lines[i]!.bbox[3] - l.bbox[3])
          .filter((d) => d > 0 && d < bodySize * 2.5),
      ),
    ) || bodySize * 1.2;

  const lines: Line[] = [];
  for (const p of kept)
    p.lines.forEach((l, i) => {
      const prev = i > 0 ? p.lines[i - 1]! : null;
      lines.push({
        page: p.layout.page,
        layout: p.layout,
        line: l,
        x: l.bbox[0],
        top: l.bbox[3],
        size: l.fontSize,
        text: l.text,
        gapBefore: prev !== null && prev.bbox[3] - l.bbox[3] > s.blockGap * pitch,
        pageStart: i === 0,
      });
    });

  const larger = (l: Line) => l.size >= bodySize * s.headingSizeRatio;
  const vocabulary = vocabularyOf(lines.map((l) => l.text).join(' '));
  const out: ReportParagraph[] = [];
  let heading: string | null = null;
  let open: Open | null = null;
  let last = 0;
  let lastNumberX: number | null = null;

  const close = () => {
    if (!open) return;
    const first = open.lines[0]!;
    const onFirst = open.lines.filter((l) => l.page === first.page);
    const text = normaliseText(joinLines(open.texts, vocabulary));
    if (text)
      out.push({
        number: open.number,
        heading: open.heading,
        text,
        page: first.page,
        bbox: toUserBox(first.layout, union(onFirst.map((l) => l.line.bbox)) as BBox),
        pages: [...new Set(open.lines.map((l) => l.page))],
      });
    open = null;
  };

  /** The number a line starts a paragraph with, or null. */
  const numberOf = (l: Line, i: number): number | null => {
    const m = PARAGRAPH_NUMBER.exec(l.line.words[0]?.text ?? '');
    if (!m || l.line.words.length < 2) return null;
    const n = Number(m[1]);
    if (n === last + 1) return n;
    const startsBlock = l.gapBefore || l.pageStart || i === 0 || !open;
    const aligned = lastNumberX === null || Math.abs(l.x - lastNumberX) <= s.indentTolerance;
    return n > last && n - last <= s.maxNumberJump && startsBlock && aligned ? n : null;
  };

  /** Whether a line goes on with the open paragraph. */
  const continues = (o: Open, l: Line, prev: Line | undefined): boolean => {
    if (larger(l) || l.x < o.numberX - s.indentTolerance) return false;
    const indented = l.x > o.numberX + s.indentTolerance && l.x >= o.contX - s.indentTolerance;
    if (l.pageStart) return indented || !SENTENCE_END.test(prev?.text ?? '');
    if (l.gapBefore) return indented;
    return !o.hanging || l.x >= o.contX - s.indentTolerance;
  };

  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const n = numberOf(l, i);
    if (n !== null) {
      close();
      const words = l.line.words;
      const numberX = l.x;
      const textX = words[1]!.bbox[0];
      open = { number: String(n), heading, numberX, contX: textX, hanging: true, lines: [l], texts: [words.slice(1).map((w) => w.text).join(' ')] };
      last = n;
      lastNumberX = numberX;
      continue;
    }
    if (open && continues(open, l, lines[i - 1])) {
      const o: Open = open;
      // The first line under the number says whether the text hangs (indented past the number).
      if (o.lines.length === 1 && l.page === o.lines[0]!.page && !l.gapBefore) {
        o.hanging = l.x > o.numberX + s.indentTolerance;
        if (!o.hanging) o.contX = l.x;
      }
      o.lines.push(l);
      const words = l.line.words;
      const marker = words.length > 1 && LIST_MARKER.test(words[0]!.text);
      o.texts.push((marker ? words.slice(1) : words).map((w) => w.text).join(' '));
      continue;
    }
    // Not a paragraph's: a run of lines up to the next gap or numbered line. A short run is a heading.
    close();
    const run: Line[] = [l];
    while (i + 1 < lines.length) {
      const next = lines[i + 1]!;
      if (next.gapBefore || next.pageStart || next.page !== l.page || numberOf(next, i + 1) !== null || larger(next) !== larger(l)) break;
      run.push(next);
      i++;
    }
    const text = normaliseText(joinLines(run.map((r) => r.text), vocabulary));
    const words = text.split(' ').length;
    const lastText = run[run.length - 1]!.text;
    const isHeading = run.length <= s.headingMaxLines && words <= s.headingMaxWords && (larger(l) || !/[.,;]$/.test(lastText));
    if (isHeading && text) heading = text;
  }
  close();
  return out;
}
