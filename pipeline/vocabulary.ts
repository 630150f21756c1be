// Stage: ocr, the document's pass. A reading tesseract was unsure of, which no list holds as
// a common word, is weighed against the words the same document prints elsewhere and was
// read surely there: a plan on neurodevelopmental pathways says so more than once, so an
// unsure "newvodevelopmental" one glyph confusion from it is that word misread, as "vear"
// is year and "Curd" the CwD the document names on other pages. General word lists lack
// a document's names, codes and jargon; the document itself has them. Common words stay
// as read however unsure ("date" and "data" are both printed), and so does a reading seen
// as often as its rival, unless its neighbours say otherwise: an unsure "finding" where the
// plan prints "funding bands" surely elsewhere and "finding bands" nowhere is funding. A
// number read with a point its box has no room for ("20.22" as wide as the plan's 2022s) is
// the number. Only OCR words (those with a confidence) are weighed.
import type { Warning } from '../schemas/index.js';
import type { PageLayout, Word } from './layout/index.js';
import type { TextLine } from './layout/lines.js';
import type { TableCell } from './layout/table.js';
import natural from './natural.js';
import { MONTH_WORDS } from './normalise.js';
import { GLUE, casedLike, englishWords, glyphCost, wordRanks } from './ocr-words.js';

export interface VocabularySettings {
  /** A reading below this confidence (0-100) that is no common word is weighed against the document's words. */
  doubtfulBelow: number;
  /**
   * Words (and names: Chris, July) up to this rank of the frequency list are common and stay as read
   * however unsure: "date" and "data", "core" and "care" are both printed, and a plan uses both.
   * Rarer ones ("hoards", "ares") are weighed as misreadings.
   */
  commonWordRank: number;
  /** A reading at or above this confidence (or a text layer's word) is a sure sighting of its word. */
  sureFrom: number;
  /** A rival must be seen surely at least this many times... */
  minSupport: number;
  /** ...and this many times as often as the reading is seen at all. */
  supportRatio: number;
  /** The most a misreading may cost (`glyphCost`: a likely glyph confusion 1, another letter 2)... */
  maxCost: number;
  /** ...and per letter read (four letters bear two confusions' worth: "ares" for area, not "Pand" for Send)... */
  maxCostPerLetter: number;
  /** ...and into a spelling with capitals inside, a code: one confusion ("Curd" for CwD, not "Defo" for DaTo). */
  codeMaxCost: number;
  /** Readings shorter than this are too many and alike to weigh... */
  minLength: number;
  /** ...and rivals shorter than this ("Curd" may be CwD). */
  rivalMinLength: number;
  /**
   * An unsure reading, common word or not, is the word its neighbour calls for when the document
   * prints that word surely beside the same neighbour elsewhere and never the reading: "New finding
   * bands" where the plan also prints "funding bands". The rival is at most this cheap a misreading...
   */
  contextMaxCost: number;
  /** ...and the pair is printed at least this many times elsewhere, both words read beyond doubt (`doubtfulBelow`). */
  contextMinSupport: number;
  /**
   * A number read with a point inside ("20.22") is the same digits without it ("2022") when the
   * document prints those digits beyond doubt `minSupport` times or more, and the reading's box is
   * no wider than their median width by more than this share (a printed point needs about an eighth
   * more: "10.00 am" keeps its point) nor narrower by more than twice it (smaller print is another line).
   */
  strayPointWidth: number;
}

export const DEFAULT_VOCABULARY_SETTINGS: VocabularySettings = {
  doubtfulBelow: 93,
  commonWordRank: 20000,
  sureFrom: 80,
  minSupport: 2,
  supportRatio: 2,
  maxCost: 3.5,
  maxCostPerLetter: 0.5,
  codeMaxCost: 1,
  minLength: 4,
  rivalMinLength: 3,
  contextMaxCost: 1,
  contextMinSupport: 1,
  strayPointWidth: 0.06,
};

/** A word's letters and the punctuation around them ("Board." -> "", "Board", "."). */
const CORE = /^([^\p{L}]*)(\p{L}+)([^\p{L}]*)$/u;

/** How often the document prints each word: sightings in all, sure sightings, and its spellings by case. */
interface Sightings {
  all: number;
  sure: number;
  cases: Map<string, number>;
}

export type Vocabulary = Map<string, Sightings>;

/** A reading cut at the slashes and hyphens between its letters ("pearents/carers"), separators kept at odd places. */
const partsOf = (text: string) => text.split(/(?<=\p{L})([/-])(?=\p{L})/u);

/** The document's words (lower case), counted over every page's words and the parts of words joined by slashes or hyphens. */
export function vocabularyOf(pages: Word[][], s: VocabularySettings = DEFAULT_VOCABULARY_SETTINGS): Vocabulary {
  const vocab: Vocabulary = new Map();
  for (const words of pages)
    for (const w of words)
      for (const part of partsOf(w.text).filter((_, i) => i % 2 === 0)) {
        const m = CORE.exec(part);
        if (!m) continue;
        const core = m[2]!;
        const key = core.toLowerCase();
        const seen = vocab.get(key) ?? { all: 0, sure: 0, cases: new Map<string, number>() };
        seen.all++;
        if (w.confidence === undefined || w.confidence >= s.sureFrom) {
          seen.sure++;
          seen.cases.set(core, (seen.cases.get(core) ?? 0) + 1);
        }
        vocab.set(key, seen);
      }
  return vocab;
}

const stem = (w: string) => natural.PorterStemmer.stem(w);

/** The reading with each part the document prints as another word replaced by it, or null when none is. */
export function settledReading(text: string, confidence: number | undefined, vocab: Vocabulary, s: VocabularySettings = DEFAULT_VOCABULARY_SETTINGS, dict: Set<string> = englishWords(), rank: Map<string, number> = wordRanks()): string | null {
  const parts = partsOf(text);
  let changed = false;
  const out = parts.map((p, i) => {
    if (i % 2) return p;
    const rival = rivalOf(p, confidence, vocab, s, dict, rank);
    if (rival) changed = true;
    return rival ?? p;
  });
  return changed ? out.join('') : null;
}

/** The rival spelt as the reading was cased; a spelling with capitals inside (DfE, CwD) as the document spells it. */
function spelt(read: string, rival: string, seen: Sightings): string {
  const usual = [...seen.cases].sort((a, b) => b[1] - a[1])[0]?.[0] ?? rival;
  if (/[A-Z]/.test(usual.slice(1)) && usual !== usual.toUpperCase()) return usual;
  return casedLike(read, rival);
}

/**
 * The word the document prints that this unsure reading most likely is, or null to keep
 * the reading: the cheapest misreading among the document's surely read words, seen
 * often enough and far more often than the reading, with no rival as cheap and as common.
 */
export function rivalOf(text: string, confidence: number | undefined, vocab: Vocabulary, s: VocabularySettings = DEFAULT_VOCABULARY_SETTINGS, dict: Set<string> = englishWords(), rank: Map<string, number> = wordRanks()): string | null {
  if (confidence === undefined || confidence >= s.doubtfulBelow) return null;
  const m = CORE.exec(text);
  if (!m || m[2]!.length < s.minLength) return null;
  const [, lead, core, tail] = m as unknown as [string, string, string, string];
  // Acronyms and codes (CQC, DPIs, LiHo) are the document's own, not words misread; so are abbreviations (mths).
  if (/[A-Z]/.test(core.slice(1)) || !/[aeiouy]/i.test(core)) return null;
  const read = core.toLowerCase();
  if ((rank.get(read) ?? Infinity) <= s.commonWordRank) return null;
  // Two words run together ("itis", "itin") are not one misread.
  if (twoWords(read, dict)) return null;
  // A word of the list the document also prints surely elsewhere is the document's word ("carer" beside care).
  if (dict.has(read) && (vocab.get(read)?.sure ?? 0) > 0) return null;
  const own = vocab.get(read)?.all ?? 1;
  const need = Math.max(s.minSupport, s.supportRatio * own);
  const capital = /^[A-Z]/.test(core);
  const rivals: { word: string; cost: number; sure: number }[] = [];
  for (const [word, seen] of vocab) {
    if (word === read || word.length < s.rivalMinLength || seen.sure < need || Math.abs(word.length - read.length) > 2) continue;
    // A name is misread as a name: a capitalised reading takes only a rival the document mostly capitalises ("Wyre" is no "were").
    if (capital && capitalised(seen) * 2 < seen.sure) continue;
    // Capitals inside make a code (CwD, DaTo): codes are alike, so only one confusion from it.
    const code = [...seen.cases.keys()].every((c) => /[A-Z]/.test(c.slice(1)));
    const cost = glyphCost(read, word, code ? s.codeMaxCost : Math.min(s.maxCost, s.maxCostPerLetter * read.length));
    if (cost === Infinity) continue;
    // "audits" is not "audit" misread.
    if (stem(word) === stem(read)) continue;
    rivals.push({ word, cost, sure: seen.sure });
  }
  if (!rivals.length) return null;
  rivals.sort((a, b) => a.cost - b.cost || b.sure - a.sure);
  const [best, next] = rivals;
  // Two rivals as cheap: only one seen far more often wins.
  if (next && next.cost === best!.cost && next.sure * s.supportRatio > best!.sure) return null;
  return lead + spelt(core, best!.word, vocab.get(best!.word)!) + tail;
}

/** Sure sightings of the word spelt with a capital first. */
const capitalised = (seen: Sightings) => [...seen.cases].filter(([c]) => /^[A-Z]/.test(c)).reduce((a, [, n]) => a + n, 0);

/** Whether the letters are two English words run together, one of them a function word ("itis", "itin"; not "pea rents"). */
function twoWords(read: string, dict: Set<string>): boolean {
  for (let i = 2; i <= read.length - 2; i++) {
    const [a, b] = [read.slice(0, i), read.slice(i)];
    if (dict.has(a) && dict.has(b) && (GLUE.has(a) || GLUE.has(b))) return true;
  }
  return false;
}

/** A page's runs of words in reading order: each table cell's lines as one, and each line outside the tables. */
export function runsOf(layout: PageLayout): Word[][] {
  return [...layout.tables.flatMap((t) => t.cells.map((c) => c.lines.flatMap((l) => l.words))), ...layout.lines.map((l) => l.words)];
}

/** How often the document prints each pair of words side by side ("funding bands"): in all, and with both read beyond doubt. */
export type Pairs = Map<string, { all: number; sure: number }>;

const termOf = (w: Word) => CORE.exec(w.text)?.[2]!.toLowerCase() ?? null;
const sureOf = (w: Word, s: VocabularySettings) => w.confidence === undefined || w.confidence >= s.sureFrom;
const doubted = (w: Word, s: VocabularySettings) => w.confidence !== undefined && w.confidence < s.doubtfulBelow;

/** The pairs of neighbouring words (lower case letters) over every run of the document. */
export function pairsOf(runs: Word[][], s: VocabularySettings = DEFAULT_VOCABULARY_SETTINGS): Pairs {
  const pairs: Pairs = new Map();
  for (const run of runs)
    for (let i = 1; i < run.length; i++) {
      const [a, b] = [termOf(run[i - 1]!), termOf(run[i]!)];
      if (!a || !b) continue;
      const seen = pairs.get(`${a} ${b}`) ?? { all: 0, sure: 0 };
      seen.all++;
      // Support is two words read beyond doubt: a pair read at 85 may itself be misread ("various hoards" beside "various boards").
      if (!doubted(run[i - 1]!, s) && !doubted(run[i]!, s)) seen.sure++;
      pairs.set(`${a} ${b}`, seen);
    }
  return pairs;
}

const STOPWORDS = new Set<string>(natural.stopwords);

/**
 * The word the document prints surely beside this unsure reading's neighbour, elsewhere, that
 * the reading most likely is, or null: a common word is misread as another as easily ("finding"
 * for funding), and only its neighbours tell which. The neighbour must be a content word read
 * surely, the reading never printed beside it elsewhere, the rival one cheap misreading away
 * (`contextMaxCost`) and alone in being so supported.
 */
export function contextRivalOf(word: Word, before: Word | undefined, after: Word | undefined, vocab: Vocabulary, pairs: Pairs, s: VocabularySettings = DEFAULT_VOCABULARY_SETTINGS): { text: string; beside: string[] } | null {
  if (word.confidence === undefined || word.confidence >= s.doubtfulBelow) return null;
  const m = CORE.exec(word.text);
  if (!m || m[2]!.length < s.minLength) return null;
  const [, lead, core, tail] = m as unknown as [string, string, string, string];
  if (/[A-Z]/.test(core.slice(1)) || !/[aeiouy]/i.test(core)) return null;
  const read = core.toLowerCase();
  const pairWith = (w: string, n: string, first: boolean) => (first ? `${w} ${n}` : `${n} ${w}`);
  // Neighbours that say something: content words read surely, beside which the reading is printed nowhere else.
  const sides = ([[after, true], [before, false]] as const).flatMap(([n, first]) => {
    const t = n && sureOf(n, s) ? termOf(n) : null;
    if (!t || t.length < 3 || STOPWORDS.has(t) || (pairs.get(pairWith(read, t, first))?.all ?? 0) > 1) return [];
    return [{ t, first }];
  });
  if (!sides.length) return null;
  const rivals: { word: string; support: number; beside: string[] }[] = [];
  for (const [w, seen] of vocab) {
    if (w === read || seen.sure < s.contextMinSupport || Math.abs(w.length - read.length) > s.contextMaxCost) continue;
    const by = sides.map(({ t, first }) => ({ t, n: pairs.get(pairWith(w, t, first))?.sure ?? 0 })).filter(({ n }) => n > 0);
    const support = by.reduce((a, { n }) => a + n, 0);
    if (support < s.contextMinSupport || glyphCost(read, w, s.contextMaxCost) === Infinity || stem(w) === stem(read)) continue;
    rivals.push({ word: w, support, beside: by.map(({ t }) => t) });
  }
  rivals.sort((a, b) => b.support - a.support);
  const [best, next] = rivals;
  if (!best || (next && next.support === best.support)) return null;
  return { text: lead + spelt(core, best.word, vocab.get(best.word)!) + tail, beside: best.beside };
}

const YEAR = /^['\u2019]?((19|20)\d\d|\d\d)[,.;:)]?$/;
/** Words that may stand between dates in a cell of dates ("Oct 2018; Dec 2019", "July to Sept 2019"). */
const BETWEEN_DATES = new Set(['to', 'and', 'or', 'by', 'from', 'until', '-', '\u2013', '/', '&']);

/**
 * A word read one glyph confusion from a month, just before a year, as that month ("Dee 2018":
 * Dec), or null; however sure the reader was, as a point with no room is no point. A reading
 * that is a common word ("Act 2014") is a month only among dates: just after one ("Oct 2018;
 * Dee 2019"), or alone with its year in a run of dates (a due cell's "Dee 2018"); a rarer one
 * ("Oet 2018") wherever a year follows it.
 */
export function monthReading(run: Word[], i: number, s: VocabularySettings = DEFAULT_VOCABULARY_SETTINGS, rank: Map<string, number> = wordRanks()): string | null {
  const word = run[i]!;
  const next = run[i + 1];
  if (word.confidence === undefined || !next || !YEAR.test(next.text)) return null;
  const m = CORE.exec(word.text);
  if (!m) return null;
  const [, lead, core, tail] = m as unknown as [string, string, string, string];
  const read = core.toLowerCase();
  if (read.length < 3 || MONTH_WORDS.includes(read)) return null;
  const months = MONTH_WORDS.filter((w) => Math.abs(w.length - read.length) <= 1 && glyphCost(read, w, 1) <= 1);
  if (months.length !== 1) return null;
  const isDate = (w: Word) => {
    const t = CORE.exec(w.text)?.[2]?.toLowerCase();
    return YEAR.test(w.text) || BETWEEN_DATES.has(w.text.toLowerCase()) || (t !== undefined && (MONTH_WORDS.includes(t) || BETWEEN_DATES.has(t)));
  };
  // A common word is a month only among dates: after one ("December 2018 Dee 2018"), or in a run of nothing else.
  const common = (rank.get(read) ?? Infinity) <= s.commonWordRank;
  if (common && !(i > 0 ? isDate(run[i - 1]!) : run.every((w, k) => k === i || isDate(w)))) return null;
  const month = months[0]!;
  return lead + casedLike(core, month) + tail;
}

/**
 * The widths of the plain numbers (digits alone) OCR read beyond doubt in the document: boxes of
 * ink, measured as a reading's box is (a text layer's boxes are its glyphs' advances, wider).
 */
export function numberWidthsOf(pages: Word[][], s: VocabularySettings = DEFAULT_VOCABULARY_SETTINGS): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const w of pages.flat())
    if (/^\d{2,}$/.test(w.text) && w.confidence !== undefined && !doubted(w, s)) {
      const widths = out.get(w.text) ?? [];
      widths.push(widthOf(w));
      out.set(w.text, widths);
    }
  return out;
}

const widthOf = (w: Word) => (Math.abs(w.angle - 90) < 1 ? w.bbox[3] - w.bbox[1] : w.bbox[2] - w.bbox[0]);

/**
 * A number OCR read with a point or comma its box has no room for ("20.22" as wide as the 2022
 * printed all over the plan) as those digits, or null: the reader split the digits, nothing was printed there.
 */
export function pointlessReading(word: Word, numbers: Map<string, number[]>, s: VocabularySettings = DEFAULT_VOCABULARY_SETTINGS): string | null {
  if (word.confidence === undefined) return null;
  // Two digits a side at least: "1.1" is a reference and "4.5" a measure, not 11 and 45 split.
  const m = /^(\d{2,})[.,](\d{2,})$/.exec(word.text);
  if (!m) return null;
  const digits = m[1]! + m[2]!;
  const widths = [...(numbers.get(digits) ?? [])].sort((a, b) => a - b);
  if (widths.length < s.minSupport) return null;
  const median = widths[Math.floor(widths.length / 2)]!;
  const width = widthOf(word);
  return width <= median * (1 + s.strayPointWidth) && width >= median * (1 - 2 * s.strayPointWidth) ? digits : null;
}

/** A line with its words' texts replaced. */
const relined = (l: TextLine, fix: (w: Word) => Word): TextLine => {
  const words = l.words.map(fix);
  return { ...l, words, text: words.map((w) => w.text).join(' ') };
};
const recelled = (c: TableCell, fix: (w: Word) => Word): TableCell => {
  const lines = c.lines.map((l) => relined(l, fix));
  return { ...c, words: c.words.map(fix), lines, text: lines.map((l) => l.text).join('\n') };
};

export interface Settled {
  layouts: PageLayout[];
  /** What was changed, one warning a page: every reading replaced, as read and as taken. */
  warnings: Warning[];
}

/**
 * The pages with each unsure OCR word that is a misreading of a word the document prints
 * elsewhere replaced by it, in every place the layout holds the word (its page words,
 * its table cell and line, its text line). Pages without OCR words come back as they were.
 */
export function settleByDocument(layouts: PageLayout[], s: VocabularySettings = DEFAULT_VOCABULARY_SETTINGS): Settled {
  if (!layouts.some((l) => l.words.some((w) => w.confidence !== undefined))) return { layouts, warnings: [] };
  const vocab = vocabularyOf(layouts.map((l) => l.words), s);
  const dict = englishWords();
  const rank = wordRanks();
  const numbers = numberWidthsOf(layouts.map((l) => l.words), s);
  const runs = layouts.map(runsOf);
  const pairs = pairsOf(runs.flat(), s);
  const decided = new Map<string, string | null>();
  const warnings: Warning[] = [];
  const out = layouts.map((layout, page) => {
    // Readings the words beside them settle, by place (a page's words and its cells' words are the same words).
    const placeOf = (w: Word) => `${w.text}@${w.bbox.join(',')}`;
    const inContext = new Map<string, { text: string; beside: string[] }>();
    const months = new Map<string, { text: string; year: string }>();
    for (const run of runs[page]!)
      run.forEach((w, i) => {
        const month = monthReading(run, i, s, rank);
        if (month) months.set(placeOf(w), { text: month, year: run[i + 1]!.text });
        const rival = contextRivalOf(w, run[i - 1], run[i + 1], vocab, pairs, s);
        if (rival) inContext.set(placeOf(w), rival);
      });
    const changed = new Map<string, string>();
    const fix = (w: Word): Word => {
      // A point with no room for it is no point, however sure the reader was.
      const digits = pointlessReading(w, numbers, s);
      if (digits) {
        changed.set(`${w.text} (no room for its point)`, digits);
        return { ...w, text: digits };
      }
      const month = months.get(placeOf(w));
      if (month) {
        changed.set(`${w.text} (before ${month.year})`, month.text);
        return { ...w, text: month.text };
      }
      if (w.confidence === undefined || w.confidence >= s.doubtfulBelow) return w;
      // Below the doubt threshold the confidence no longer matters: one decision a reading.
      if (!decided.has(w.text)) decided.set(w.text, settledReading(w.text, w.confidence, vocab, s, dict, rank));
      const alone = decided.get(w.text);
      const beside = alone ? undefined : inContext.get(placeOf(w));
      const text = alone ?? beside?.text;
      if (!text) return w;
      changed.set(beside ? `${w.text} (as beside ${beside.beside.join(', ')})` : w.text, text);
      return { ...w, text };
    };
    const words = layout.words.map(fix);
    if (!changed.size) return layout;
    const tables = layout.tables.map((t) => ({ ...t, cells: t.cells.map((c) => recelled(c, fix)) }));
    const lines = layout.lines.map((l) => relined(l, fix));
    warnings.push({
      code: 'ocr-read-by-document',
      message: `page ${layout.page}: ${changed.size} OCR reading${changed.size === 1 ? '' : 's'} corrected by the document's own words, numbers and dates: ${[...changed].map(([a, b]) => `${a} -> ${b}`).join(', ')}`,
      page: layout.page,
      ref: null,
    });
    return { ...layout, words, tables, lines };
  });
  return { layouts: out, warnings };
}
