// Stage: ocr, the document's pass. A reading tesseract was unsure of, which no list holds as
// a common word, is weighed against the words the same document prints elsewhere and was
// read surely there: a plan on neurodevelopmental pathways says so more than once, so an
// unsure "newvodevelopmental" one glyph confusion from it is that word misread, as "vear"
// is year and "Curd" the CwD the document names on other pages. General word lists lack
// a document's names, codes and jargon; the document itself has them. Common words stay
// as read however unsure ("date" and "data" are both printed), and so does a reading seen
// as often as its rival. Only OCR words (those with a confidence) are weighed.
import type { Warning } from '../schemas/index.js';
import type { PageLayout, Word } from './layout/index.js';
import type { TextLine } from './layout/lines.js';
import type { TableCell } from './layout/table.js';
import natural from './natural.js';
import { GLUE, englishWords, glyphCost, wordRanks } from './ocr-words.js';

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
  if (read === read.toUpperCase() && read.length > 1) return rival.toUpperCase();
  return /^[A-Z]/.test(read) ? rival[0]!.toUpperCase() + rival.slice(1) : rival;
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
  const decided = new Map<string, string | null>();
  const warnings: Warning[] = [];
  const out = layouts.map((layout) => {
    const changed = new Map<string, string>();
    const fix = (w: Word): Word => {
      if (w.confidence === undefined || w.confidence >= s.doubtfulBelow) return w;
      // Below the doubt threshold the confidence no longer matters: one decision a reading.
      if (!decided.has(w.text)) decided.set(w.text, settledReading(w.text, w.confidence, vocab, s, dict, rank));
      const text = decided.get(w.text);
      if (!text) return w;
      changed.set(w.text, text);
      return { ...w, text };
    };
    const words = layout.words.map(fix);
    if (!changed.size) return layout;
    const tables = layout.tables.map((t) => ({ ...t, cells: t.cells.map((c) => recelled(c, fix)) }));
    const lines = layout.lines.map((l) => relined(l, fix));
    warnings.push({
      code: 'ocr-read-by-document',
      message: `page ${layout.page}: ${changed.size} unsure OCR reading${changed.size === 1 ? '' : 's'} taken as the word${changed.size === 1 ? '' : 's'} the document prints elsewhere: ${[...changed].map(([a, b]) => `${a} -> ${b}`).join(', ')}`,
      page: layout.page,
      ref: null,
    });
    return { ...layout, words, tables, lines };
  });
  return { layouts: out, warnings };
}
