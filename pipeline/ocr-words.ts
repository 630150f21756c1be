// Repairs of what OCR gets wrong in ways a reader would not: a word split where a wide
// glyph leaves a gap ("J oint", "Co mmissioning"), and one letter shape read as another
// ("govemance", "concem"). Only words that are not English are touched, and only into
// words that are, by one of the well-known confusions; refs, numbers and codes are left
// alone. The word list is a general English one (an-array-of-english-words), not the
// documents'.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let words: Set<string> | null = null;

/** The English word list, loaded on first use (about 275,000 words). */
export function englishWords(): Set<string> {
  words ??= new Set(require('an-array-of-english-words') as string[]);
  return words;
}

export interface RepairSettings {
  /** Two words this close (in font sizes) may be one word split by the reader. */
  joinGap: number;
  /** Words tesseract is less sure of than this (0-100) may be respelt; surer ones are left as read. */
  respellBelow: number;
  /** A respelling costs at most this (one likely glyph confusion costs 1, any other edit 2). */
  respellMaxCost: number;
  /** A word that is English is respelt only below this confidence... */
  realWordBelow: number;
  /** ...by one likely confusion, into a word at least this many times more common. */
  realWordRatio: number;
  /** A word rarer than this rank (or not ranked) that one confusion makes a word... */
  rareWordRank: number;
  /** ...this many times commoner is respelt whatever tesseract's confidence ("leaming" for learning). */
  rareWordRatio: number;
  /** A short word (under four letters) read surely but in no list is respelt only into a word of at least this rank ("hy" for by). */
  shortWordMaxRank: number;
  /** A word read surely, in no list, of at least this many letters is respelt as an unsure one is. */
  sureLongWordMinLength: number;
}

export const DEFAULT_REPAIR_SETTINGS: RepairSettings = { joinGap: 0.45, respellBelow: 80, respellMaxCost: 3, realWordBelow: 76, realWordRatio: 20, rareWordRank: 20000, rareWordRatio: 50, shortWordMaxRank: 100, sureLongWordMinLength: 7 };

let ranks: Map<string, number> | null = null;

/**
 * How common each word is: its rank in Norvig's list of 97,565 English words by frequency
 * in books (norvig-frequencies), loaded on first use. Respellings are chosen among these
 * words only, the more common the likelier.
 */
export function wordRanks(): Map<string, number> {
  ranks ??= new Map((require('norvig-frequencies') as string[]).map((w, i) => [w.toLowerCase(), i + 1]));
  return ranks;
}

/** Letter shapes OCR mistakes for one another, each way as listed. */
const CONFUSIONS: [string, string][] = [
  ['m', 'rn'],
  ['rn', 'm'],
  ['cl', 'd'],
  ['d', 'cl'],
  ['c', 'e'],
  ['e', 'c'],
  ['li', 'h'],
  ['vv', 'w'],
  ['ii', 'u'],
  ['l', 'i'],
  ['i', 'l'],
  ['1', 'l'],
  // A faint r or i keeps only its stem: "1outine", "1isks".
  ['1', 'r'],
  ['1', 'i'],
  ['0', 'o'],
  ['f', 't'],
  ['t', 'f'],
  ['w', 'ur'],
  ['w', 'ro'],
  ['m', 'in'],
  ['n', 'ri'],
  ['h', 'li'],
  ['m', 'n'],
  ['q', 'g'],
];
/** A word cut in two by a ruling also loses a stem where it was cut: an m's last to the line, leaving an n. */
const CUT_CONFUSIONS: [string, string][] = [...CONFUSIONS, ['n', 'm']];
/** Glyphs a capital J or I at the head of a word is read as. */
const HEAD_GLYPHS: Record<string, string[]> = { '[': ['J', 'I'], '|': ['I', 'J', 'l'], '(': ['C'], '{': ['J'] };

const LETTERS = /^[A-Za-z]+$/;

/** Is this (without its punctuation around it) an English word, or no word at all to judge? */
function known(token: string, dict: Set<string>): boolean {
  const core = token.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
  if (!core || !LETTERS.test(core)) return true; // numbers, refs, codes: not ours to judge
  if (core.length === 1) return /^[aAI]$/.test(core);
  // Capitals inside make an acronym or a code (SLEs, CwD, IAMs, HTs), not a word misread.
  if (/[A-Z]/.test(core.slice(1))) return true;
  // All-capital words are acronyms (SEND, EHC, CQC) more often than not.
  if (core.length <= 5 && core === core.toUpperCase()) return true;
  return dict.has(core.toLowerCase());
}

/** `w` with one confusion of `pairs` (read -> printed) undone, at each place it can be, every way. */
function confused(w: string, pairs: [string, string][]): string[] {
  const out: string[] = [];
  for (const [from, to] of pairs) for (let i = w.indexOf(from); i >= 0; i = w.indexOf(from, i + 1)) out.push(w.slice(0, i) + to + w.slice(i + from.length));
  return out;
}

function split(token: string): [string, string, string] {
  const m = /^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/u.exec(token)!;
  return [m[1]!, m[2]!, m[3]!];
}

/** The word with one confusion undone, when exactly that makes it English; else null. */
export function unconfuse(token: string, dict: Set<string> = englishWords(), confusions: [string, string][] = CONFUSIONS): string | null {
  // A capital read as a bracket or bar stuck to the rest of its word: "[oint", "|nclusion".
  const head = /^([[|({])([a-z]{2,})([^\p{L}\p{N}]*)$/u.exec(token);
  // A bracket before a word is punctuation ("(link"), not a capital misread.
  if (head && !(head[1] === '(' && dict.has(head[2]!)))
    for (const cap of HEAD_GLYPHS[head[1]!] ?? []) {
      const word = cap + head[2]!;
      if (dict.has(word.toLowerCase())) return word + head[3]!;
    }
  // The stem of an i or l a rule crossed, its dot left, is read as a hyphen ("equ-ty"): a hyphen between pieces
  // that are not both words, where one of those letters makes the whole a word.
  const cut = /^([^\p{L}\p{N}]*)([A-Za-z]{2,})-([A-Za-z]+)([^\p{L}\p{N}]*)$/u.exec(token);
  if (cut && !(dict.has(cut[2]!.toLowerCase()) && dict.has(cut[3]!.toLowerCase()))) {
    const whole = ['i', 'l'].map((g) => cut[2]! + g + cut[3]!).filter((w) => dict.has(w.toLowerCase()));
    if (whole.length === 1) return cut[1]! + whole[0]! + cut[4]!;
  }
  const [lead, core, tail] = split(token);
  // A word with a 1 or 0 among its letters is judged too ("1outine"); a code of letters and digits ("Y10") is not a word.
  const glyphDigit = /^[A-Za-z]*[01][A-Za-z]*$/.test(core) && /[A-Za-z]{2}/.test(core);
  if (!core || core.length < 3 || !/^[A-Za-z01]+$/.test(core) || (glyphDigit ? false : known(core, dict))) return null;
  const found = new Set<string>();
  const lower = core.toLowerCase();
  for (const candidate of confused(lower, confusions)) if (dict.has(candidate)) found.add(candidate);
  if (!found.size) return null;
  // Two confusions may each make a word ("leaming": learning, leaning): the far commoner one, or none.
  const rank = wordRanks();
  const byCommon = [...found].sort((a, b) => (rank.get(a) ?? Infinity) - (rank.get(b) ?? Infinity));
  if (byCommon.length > 1 && !((rank.get(byCommon[0]!) ?? Infinity) * 5 <= (rank.get(byCommon[1]!) ?? Infinity))) return null;
  const fixed = byCommon[0];
  // Keep the reader's capitalisation of the first letter.
  const cased = core[0] === core[0]!.toUpperCase() && /[A-Z]/.test(core[0]!) ? fixed![0]!.toUpperCase() + fixed!.slice(1) : fixed!;
  return lead + cased + tail;
}

/**
 * Glyph confusions of a tesseract reading (read -> printed), each costing 1 where any other
 * substitution costs 2: shapes that touch or break apart at scan resolution ("rn" and "m"),
 * letters told apart by one stroke ("e" and "c", "h" and "b"), thin letters.
 */
const GLYPH_EDITS: [string, string][] = [
  ['m', 'rn'], ['rn', 'm'], ['m', 'in'], ['in', 'm'], ['m', 'ni'], ['n', 'ri'], ['n', 'rn'], ['n', 'rm'], ['n', 'ru'], ['m', 'nn'], ['nn', 'm'],
  ['u', 'n'], ['n', 'u'], ['ii', 'u'], ['u', 'ii'], ['h', 'li'], ['li', 'h'], ['h', 'lu'], ['h', 'b'], ['b', 'h'], ['cl', 'd'], ['d', 'cl'],
  ['c', 'e'], ['e', 'c'], ['e', 'a'], ['a', 'e'], ['o', 'a'], ['a', 'o'], ['o', 'e'], ['e', 'o'], ['c', 'o'], ['o', 'c'], ['o', 'u'], ['u', 'o'],
  ['l', 'i'], ['i', 'l'], ['1', 'l'], ['0', 'o'], ['f', 't'], ['t', 'f'], ['i', 't'], ['t', 'i'], ['t', 'r'], ['r', 't'], ['r', 'n'], ['n', 'r'],
  ['vv', 'w'], ['w', 'vv'], ['w', 'ur'], ['w', 'ro'], ['q', 'g'], ['g', 'q'], ['y', 'v'], ['v', 'y'], ['s', 'e'], ['i', 'j'], ['j', 'i'],
  ['ri', 'n'], ['rr', 'm'], ['u', 'v'], ['v', 'u'], ['n', 'm'], ['i', 'r'], ['wv', 'ur'],
  // Strokes lost in a faint scan: "tr" as h ("haining"), "rr" as n ("conect"), "d" as ch ("echication"), "u" as i.
  ['h', 'tr'], ['n', 'rr'], ['ch', 'd'], ['i', 'u'],
];
/** Glyphs thin or faint enough to vanish from a reading: putting one back costs 1.5. */
const THIN = 'iltfrj';
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';

/** Every word one edit from `w`, with the edit's cost. */
function editsOf(w: string): [string, number][] {
  const out: [string, number][] = [];
  for (const c of confused(w, GLYPH_EDITS)) out.push([c, 1]);
  for (let i = 0; i <= w.length; i++) {
    for (const c of ALPHABET) {
      // A thin letter, or one of a double letter, is easily lost.
      out.push([w.slice(0, i) + c + w.slice(i), THIN.includes(c) || c === w[i] || c === w[i - 1] ? 1.5 : 2.5]);
      if (i < w.length && c !== w[i]) out.push([w.slice(0, i) + c + w.slice(i + 1), 2]);
    }
    // A letter read twice over costs less to drop than any other.
    if (i < w.length) out.push([w.slice(0, i) + w.slice(i + 1), w[i] === w[i + 1] || w[i] === w[i - 1] ? 1.5 : 2.5]);
  }
  return out;
}

/**
 * What it costs to have read `printed` as `read` (both lower case): a glyph confusion of
 * `GLYPH_EDITS`, either way (shapes alike are alike both ways: "ur" read as w, w as "ur"), costs 1, any other substitution 2, a glyph lost from the reading 1.5 when
 * thin or one of a pair (2.5 otherwise), a glyph too many 1.5 when doubled or thin (2.5
 * otherwise). Infinity once the cost passes `max`.
 */
export function glyphCost(read: string, printed: string, max = Infinity): number {
  if (Math.abs(read.length - printed.length) > max) return Infinity;
  const n = read.length;
  const m = printed.length;
  // cost[i][j]: reading read[0..i) for printed[0..j).
  const cost: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(Infinity));
  cost[0]![0] = 0;
  for (let i = 0; i <= n; i++)
    for (let j = 0; j <= m; j++) {
      const here = cost[i]![j]!;
      if (here === Infinity || here > max) continue;
      const step = (di: number, dj: number, c: number) => {
        if (here + c < cost[i + di]![j + dj]!) cost[i + di]![j + dj] = here + c;
      };
      if (i < n && j < m) step(1, 1, read[i] === printed[j] ? 0 : PAIRS.has(read[i]! + '>' + printed[j]!) ? 1 : 2);
      for (const [r, p] of MULTI_GLYPH) if (read.startsWith(r, i) && printed.startsWith(p, j)) step(r.length, p.length, 1);
      if (j < m) step(0, 1, THIN.includes(printed[j]!) || printed[j] === printed[j - 1] || printed[j] === printed[j + 1] ? 1.5 : 2.5);
      if (i < n) step(1, 0, THIN.includes(read[i]!) || read[i] === read[i - 1] || read[i] === read[i + 1] ? 1.5 : 2.5);
    }
  const total = cost[n]![m]!;
  return total > max ? Infinity : total;
}
/** The confusions of GLYPH_EDITS each way: one glyph for one as "read>printed", the rest as pairs. */
const BOTH_WAYS = GLYPH_EDITS.flatMap(([r, p]) => [[r, p], [p, r]] as [string, string][]);
const PAIRS = new Set(BOTH_WAYS.filter(([r, p]) => r.length === 1 && p.length === 1).map(([r, p]) => r + '>' + p));
const MULTI_GLYPH = [...new Map(BOTH_WAYS.filter(([r, p]) => r.length > 1 || p.length > 1).map((e) => [e.join('>'), e])).values()];

/** Cost of a word's commonness: 0 for the commonest, 2.5 for the rarest of the list. */
const rarity = (rank: number) => Math.log10(rank) / 2;
const RAREST = 2.75;

/**
 * A word tesseract was unsure of, respelt as the likeliest common English word it may
 * have been printed as: the fewest and likeliest glyph edits (at most two, one of them a
 * confusion of `GLYPH_EDITS`), then the commonest. An English word is only respelt by
 * one confusion into a much commoner word ("tens" for terms). Null when the reading
 * stands: sure, not a plain word, an acronym, or no clear better spelling.
 */
export function respell(token: string, confidence: number, s: RepairSettings = DEFAULT_REPAIR_SETTINGS, dict: Set<string> = englishWords(), rank: Map<string, number> = wordRanks()): string | null {
  const [lead, core, tail] = split(token);
  if (core.length < 2 || !/^[A-Za-z]+$/.test(core)) return null;
  // Acronyms and words with capitals inside (SENDIB, EHCPs, SENDCo): names, not words to respell.
  if (/[A-Z]/.test(core.slice(1))) return null;
  // No vowel: an abbreviation (Cllr, Ltd), not a word misread.
  if (!/[aeiouy]/i.test(core)) return null;
  // A capital may start a name: only common words replace one.
  const capital = /^[A-Z]/.test(core);
  const lower = core.toLowerCase();
  // The frequency list holds abbreviations and OCR slips of books too: a short token only it holds, read surely
  // ("hy"), is no word. (Read unsurely it stays one: it is read again, as unsure words are, not guessed at.)
  const isWord = dict.has(lower) || (rank.has(lower) && (lower.length >= 4 || ROMAN.test(lower) || confidence < s.respellBelow));
  // A rare word one confusion from a far commoner one is a misreading however sure tesseract was (books it learnt from hold OCR errors too).
  const rare = isWord && (rank.get(lower) ?? Infinity) > s.rareWordRank;
  // Sure of a word no list holds, tesseract may still have merged or split glyphs of a common one
  // ("conect", "huilt" in a faint scan): one confusion, to a common word, and no other as near.
  const sureOfNonWord = !isWord && confidence >= s.respellBelow;
  if (!rare && !sureOfNonWord && (confidence >= s.respellBelow || (isWord && confidence >= s.realWordBelow))) return null;
  const best = new Map<string, number>();
  const note = (w: string, cost: number) => {
    // Only words of the English list: the frequency list also holds names and abbreviations ("sandia", "dlr").
    if (w !== lower && dict.has(w) && (!capital || rank.has(w)) && cost < (best.get(w) ?? Infinity)) best.set(w, cost);
  };
  // Sure of a rare word, tesseract is wrong only where glyphs merge or split ("rn" read as "m"), not in a vowel.
  const sureOfRare = rare && confidence >= s.realWordBelow;
  // A long word tesseract was sure of and no list holds is as misread as an unsure one when one confusion does not
  // explain it ("opportimities", "benchmerks"): it is respelt as one, its letters enough to go on.
  const sureOfLong = sureOfNonWord && lower.length >= s.sureLongWordMinLength;
  const first = sureOfRare ? editsOf(lower).filter(([w, c]) => c === 1 && w.length !== lower.length) : sureOfNonWord && !sureOfLong ? editsOf(lower).filter(([, c]) => c === 1) : editsOf(lower);
  for (const [w, c] of first) note(w, c);
  if (sureOfNonWord) {
    const near = [...best].filter(([w, c]) => c === 1 && (rank.get(w) ?? Infinity) <= s.rareWordRank);
    if (near.length === 1 && lower.length >= 4) return lead + casedLike(core, near[0]![0]) + tail;
    if (!sureOfLong) {
      if (lower.length >= 4) return null;
      // A short one only into a word among the commonest, far commoner than any other as near ("hy": by, not try).
      const [top, next] = near.map(([w]) => ({ w, r: rank.get(w) ?? Infinity })).sort((a, b) => a.r - b.r);
      if (!top || top.r > s.shortWordMaxRank || (next && next.r < s.realWordRatio * top.r)) return null;
      return lead + casedLike(core, top.w) + tail;
    }
  }
  if (!isWord)
    for (const [w1, c1] of first) {
      if (c1 + 1 > s.respellMaxCost) continue;
      // The second edit: a confusion after any edit, or any edit after a confusion.
      for (const [w2, c2] of editsOf(w1)) if ((c1 === 1 || c2 === 1) && c1 + c2 <= s.respellMaxCost) note(w2, c1 + c2);
    }
  const scored = [...best]
    // Two letters leave too little to go on for more than one confusion ("hy" for by).
    .filter(([, c]) => c <= (isWord || lower.length < 3 ? 1 : s.respellMaxCost))
    // Words of the long list that are not among the common ones rank as the rarest, and a little past them.
    .map(([w, c]) => ({ w, c, total: c + (rank.has(w) ? rarity(rank.get(w)!) : RAREST) }))
    .sort((a, b) => a.total - b.total);
  const top = scored[0];
  if (!top) return null;
  if (isWord) {
    const own = rank.get(lower);
    const theirs = rank.get(top.w);
    // Short words are many and alike: only a far commoner one ("hy" for by) replaces one.
    const ratio = lower.length < 4 ? 10 * s.realWordRatio : sureOfRare ? s.rareWordRatio : s.realWordRatio;
    if (theirs === undefined || (own ?? Infinity) < ratio * theirs) return null;
  } else if (scored[1] && scored[1].total - top.total < 0.3) return null; // two spellings as likely: leave it
  return lead + casedLike(core, top.w) + tail;
}

/** A word respelt in the case it was read in: all capitals, a capital first, or lower case. */
export const casedLike = (read: string, word: string) => (read === read.toUpperCase() ? word.toUpperCase() : /^[A-Z]/.test(read) ? word[0]!.toUpperCase() + word.slice(1) : word);

/** Short words OCR runs into the next ("orin", "ofthe"). */
export const GLUE = new Set(['a', 'an', 'and', 'as', 'at', 'be', 'by', 'for', 'in', 'is', 'of', 'on', 'or', 'the', 'to', 'we', 'with']);

/** A run-together pair or triple split at its spaces, when all but one part are short function words and every part is English. */
export function unglued(token: string, dict: Set<string> = englishWords()): string[] | null {
  const [lead, core, tail] = split(token);
  if (!/^[a-z]{4,}$/.test(core) || dict.has(core)) return null;
  const word = (w: string) => w.length >= 2 && dict.has(w);
  const glue = (w: string) => GLUE.has(w) || w === 'a';
  const dress = (parts: string[]) => parts.map((p, i) => (i === 0 ? lead : '') + p + (i === parts.length - 1 ? tail : ''));
  for (let i = 1; i < core.length; i++) {
    const [a, b] = [core.slice(0, i), core.slice(i)];
    if ((glue(a) && glue(b)) || (GLUE.has(a) && b.length >= 3 && word(b)) || (GLUE.has(b) && a.length >= 3 && word(a))) return dress([a, b]);
  }
  // A function word both run on and misread by one glyph confusion ("schoolsend": schools and), beside a longer word.
  for (let i = 1; i < core.length; i++) {
    const [a, b] = [core.slice(0, i), core.slice(i)];
    const [ga, gb] = [misreadGlue(a), misreadGlue(b)];
    if (gb && a.length >= 4 && word(a)) return dress([a, gb]);
    if (ga && b.length >= 4 && word(b)) return dress([ga, b]);
  }
  for (let i = 1; i < core.length - 1; i++)
    for (let j = i + 1; j < core.length; j++) {
      const parts = [core.slice(0, i), core.slice(i, j), core.slice(j)];
      const big = parts.filter((p) => !glue(p));
      if (big.length === 1 && big[0]!.length >= 4 && word(big[0]!)) return dress(parts);
    }
  return null;
}

/** The function word of three letters or more a token is one glyph confusion from ("end" for and), when only one: two letters are too few to go on ("ta" for to in "tagets"). */
function misreadGlue(token: string): string | null {
  if (token.length < 3 || GLUE.has(token)) return null;
  const near = new Set(confused(token, GLYPH_EDITS).filter((w) => GLUE.has(w) && w.length >= 2));
  return near.size === 1 ? [...near][0]! : null;
}

/** The two words as one, when together (a head glyph read as a bracket restored) they make an English word and apart they do not. */
export function joined(a: string, b: string, dict: Set<string> = englishWords()): string | null {
  // A lone capital (not the words A and I) against an acronym: the acronym's first letter set wide ("J SNA").
  if (/^[([]?[B-HJ-Z]$/.test(a) && /^[A-Z]{2,}[^\p{L}\p{N}]*$/u.test(b)) return a + b;
  if (!/^[a-z]/.test(b) || (!HEAD_GLYPHS[a] && /[^\p{L}]$/u.test(a))) return null;
  const heads = HEAD_GLYPHS[a] ?? (LETTERS.test(a) ? [a] : []);
  if (!heads.length) return null;
  if (!HEAD_GLYPHS[a] && known(a, dict) && known(b, dict)) return null;
  const [, core, tail] = split(b);
  for (const head of heads) {
    const word = head + core;
    if (dict.has(word.toLowerCase())) return word + tail;
  }
  // Neither piece a word, and one confusion makes them one ("alignn" "ent": a ruling cut the word, and an m in it to an n).
  if (!HEAD_GLYPHS[a] && !known(a, dict) && !known(b, dict)) return unconfuse(a + core, dict, CUT_CONFUSIONS)?.concat(tail) ?? null;
  return null;
}

export interface LineWord {
  text: string;
  /** [left, top, right, bottom]. */
  box: [number, number, number, number];
  confidence: number;
  size?: number;
}

/** Words that name what the reference after them numbers ("Objective A1", "Action 2"). */
const REF_NOUNS = /^(objective|action|priority|area|outcome|recommendation|workstream|theme)s?$/i;
/** A code whose digits were read as letters ("Al" for A1, "B2l" for B21, "AO" for A0): the letters after its first one that look like digits. */
const CODE_WITH_CONFUSED_DIGIT = /^([A-Z])([0-9lI|O]*[lI|O][0-9lI|O]*)([.:,)]?)$/;

/** "Al" -> "A1" when the word is a code, as its context says: a noun that numbers before it, or a column of such codes. */
export function codeDigits(token: string): string | null {
  const m = CODE_WITH_CONFUSED_DIGIT.exec(token);
  if (!m) return null;
  return m[1]! + m[2]!.replace(/[lI|]/g, '1').replace(/O/g, '0') + m[3]!;
}

const ROMAN = /^(x{0,3})(ix|iv|v?i{0,3})$/;

/**
 * A roman-numeral item number with its i's read as l, I or | ("il." for ii., "ili)" for
 * iii), "1ii." for iii.): given back when the result is a roman numeral. Needs its closing dot or bracket:
 * a bare "Il" may be a name.
 */
export function romanNumeral(token: string): string | null {
  const m = /^\(?([ivxlI|1]{1,6})([.)])$/.exec(token);
  // An English word with its full stop ("ill.") ends a sentence.
  if (!m || !/[lI|1]/.test(m[1]!) || englishWords().has(m[1]!.toLowerCase())) return null;
  // A "1" is a roman i only beside true numeral letters ("1ii." for iii.): "1." and "11." are numbers.
  if (/1/.test(m[1]!) && !/[ivx]/.test(m[1]!)) return null;
  const roman = m[1]!.replace(/[lI|1]/g, 'i');
  if (!roman || !ROMAN.test(roman)) return null;
  return token.replace(m[1]!, roman);
}

/** One line's words, repaired: split words joined, confused letters undone. Boxes are kept (joined boxes united). */
export function repairLine<W extends LineWord>(line: W[], s: RepairSettings = DEFAULT_REPAIR_SETTINGS, dict: Set<string> = englishWords()): W[] {
  const out: W[] = [];
  for (const w of line) {
    const prev = out[out.length - 1];
    if (prev) {
      const size = w.size ?? prev.size ?? w.box[3] - w.box[1];
      const gap = w.box[0] - prev.box[2];
      const word = gap >= -1 && gap <= s.joinGap * size ? joined(prev.text, w.text, dict) : null;
      if (word) {
        out[out.length - 1] = {
          ...prev,
          text: word,
          box: [prev.box[0], Math.min(prev.box[1], w.box[1]), w.box[2], Math.max(prev.box[3], w.box[3])],
          confidence: Math.min(prev.confidence, w.confidence),
        };
        continue;
      }
    }
    out.push(w);
  }
  // A code after the noun it numbers has digits, not letters, after its first letter.
  for (let i = 1; i < out.length; i++) {
    if (!REF_NOUNS.test(out[i - 1]!.text)) continue;
    const code = codeDigits(out[i]!.text);
    if (code) out[i] = { ...out[i]!, text: code };
  }
  return out.flatMap((w) => {
    const parts = unglued(w.text, dict);
    if (parts) {
      // The box is shared out by letters.
      const per = (w.box[2] - w.box[0]) / (parts.join(' ').length);
      let x = w.box[0];
      return parts.map((text) => {
        const box: [number, number, number, number] = [x, w.box[1], x + per * text.length, w.box[3]];
        x += per * (text.length + 1);
        return { ...w, text, box };
      });
    }
    const fixed = romanNumeral(w.text) ?? unconfuse(w.text, dict) ?? respell(w.text, w.confidence, s, dict);
    return [fixed ? { ...w, text: fixed } : w];
  });
}

/** Every way to cut a run of digits into `parts` numbers that keep the dots already read (no part with a leading zero). */
function cuts(token: string, parts: number): string[][] {
  const groups = token.split('.');
  const out: string[][] = [];
  const walk = (gi: number, acc: string[]) => {
    if (gi === groups.length) {
      if (acc.length === parts) out.push([...acc]);
      return;
    }
    const g = groups[gi]!;
    // Split this group into 1..n pieces.
    const split = (rest: string, pieces: string[]) => {
      if (!rest) return walk(gi + 1, [...acc, ...pieces]);
      for (let i = 1; i <= rest.length; i++) {
        const head = rest.slice(0, i);
        if (head.length > 1 && head.startsWith('0')) continue;
        split(rest.slice(i), [...pieces, head]);
      }
    };
    split(g, []);
  };
  walk(0, []);
  return out;
}

const DOTTED = /^\d+(\.\d+)+$/;

/**
 * Dots OCR lost in dotted references ("121" for 1.2.1, "1.34" for 1.3.4), put back where a
 * column of references (words starting their line at one left edge) is read with dots:
 * the cut that has as many parts as its neighbours and best continues the one above.
 */
export function restoreRefDots<W extends { text: string; box: [number, number, number, number] }>(words: W[], tolerance = 3): W[] {
  return restoreCodeDigits(restoreDots(joinRefPieces(words), tolerance), tolerance);
}

/**
 * Pieces of one dotted reference read apart ("2.1." "1", "2." "1.3", from different passes
 * of the reader), joined where they sit on one line close together. Two-part results
 * only where nothing else is on the line near them (a reference cell, not "2. 1" in a sentence).
 */
export function joinRefPieces<W extends { text: string; box: [number, number, number, number] }>(words: W[]): W[] {
  const h = (w: W) => w.box[3] - w.box[1];
  const sameLine = (a: W, b: W) => Math.abs(a.box[3] - b.box[3]) <= 0.35 * Math.max(h(a), h(b));
  // A piece is digits and dots, or a digit read as its look-alike letter with its dot ("A." for 4.).
  const piece = (w: W) => /^[\d.]+$/.test(w.text) || /^[AOlISBZ]\.$/.test(w.text);
  const DIGIT_FOR: Record<string, string> = { A: '4', O: '0', l: '1', I: '1', S: '5', B: '8', Z: '2' };
  const order = words.map((w, i) => ({ w, i })).sort((a, b) => a.w.box[0] - b.w.box[0]);
  const gone = new Set<number>();
  const out = [...words];
  for (const { w: first, i } of order) {
    if (gone.has(i) || !piece(first)) continue;
    // The chain of pieces after it on its line, each starting at most a little past the last one's end.
    const chain = [{ w: first, i }];
    for (;;) {
      const last = chain[chain.length - 1]!.w;
      const next = order.find(({ w, i: j }) => !gone.has(j) && !chain.some((c) => c.i === j) && piece(w) && sameLine(last, w) && w.box[0] > last.box[0] && w.box[0] >= last.box[2] - 0.5 * h(last) && w.box[0] - last.box[2] <= 0.6 * Math.max(h(last), h(w)));
      if (!next) break;
      chain.push(next);
    }
    if (chain.length < 2) continue;
    const text = chain.map((c) => c.w.text.replace(/^[AOlISBZ](?=\.$)/, (ch) => DIGIT_FOR[ch]!)).join('');
    // Look-alike letters only between digit pieces: a reference has to have started with a real one.
    if (!/^\d/.test(chain[0]!.w.text)) continue;
    if (!/^\d+(\.\d+)+\.?$/.test(text)) continue;
    const end = chain[chain.length - 1]!.w;
    const parts = text.replace(/\.$/, '').split('.').length;
    const near = words.some((c, j) => !chain.some((x) => x.i === j) && sameLine(first, c) && c.box[2] >= first.box[0] - 2 * h(first) && c.box[0] <= end.box[2] + 2 * h(first));
    if (parts < 3 && near) continue;
    out[i] = { ...first, text, box: [first.box[0], Math.min(...chain.map((c) => c.w.box[1])), Math.max(...chain.map((c) => c.w.box[2])), Math.max(...chain.map((c) => c.w.box[3]))] };
    for (const c of chain.slice(1)) gone.add(c.i);
  }
  return out.filter((_, i) => !gone.has(i));
}

/** Codes in a column of codes ("A2", "A3") whose digit was read as a letter ("Al"), given their digits back. */
function restoreCodeDigits<W extends { text: string; box: [number, number, number, number] }>(words: W[], tolerance: number): W[] {
  const CODE = /^[A-Z]\d+[.:]?$/;
  return words.map((w) => {
    const code = codeDigits(w.text);
    if (!code) return w;
    const column = words.filter((c) => c !== w && Math.abs(c.box[0] - w.box[0]) <= tolerance && CODE.test(c.text));
    return column.length >= 2 ? { ...w, text: code } : w;
  });
}

function restoreDots<W extends { text: string; box: [number, number, number, number] }>(words: W[], tolerance: number): W[] {
  const refLike = (t: string) => /^\d[\d.]*\d\.?$|^\d$/.test(t);
  const out = [...words];
  const candidates = out.map((w, i) => ({ w, i })).filter(({ w }) => refLike(w.text));
  for (const { w, i } of candidates) {
    const text = w.text.replace(/\.$/, '');
    // In the column: starting where it starts, or lying within its references (a piece lost at its start moves its left edge).
    const inColumn = (c: W) => Math.abs(c.box[0] - w.box[0]) <= tolerance || Math.min(c.box[2], w.box[2]) - Math.max(c.box[0], w.box[0]) >= 0.8 * (w.box[2] - w.box[0]);
    const column = candidates.filter((c) => c.w !== w && inColumn(c.w) && DOTTED.test(c.w.text.replace(/\.$/, '')));
    if (column.length < 2) continue;
    const depths = column.map((c) => c.w.text.replace(/\.$/, '').split('.').length);
    const depth = depths.sort((a, b) => depths.filter((d) => d === b).length - depths.filter((d) => d === a).length)[0]!;
    if (text.split('.').length >= depth) continue;
    // The nearest reference above (the page's y grows downwards).
    const above = column.filter((c) => c.w.box[1] < w.box[1]).sort((a, b) => b.w.box[1] - a.w.box[1])[0];
    const prev = above ? above.w.text.replace(/\.$/, '').split('.').map(Number) : null;
    // A piece of a reference lost ("1.2" of 2.1.2, "2.4" of 2.4.4): the next one after the reference above, when it ends or starts so.
    if (prev && prev.length === depth) {
      const next = [...prev.slice(0, -1), prev[prev.length - 1]! + 1].join('.');
      if (next.endsWith('.' + text) || next.startsWith(text + '.')) {
        out[i] = { ...w, text: next + (w.text.endsWith('.') ? '.' : '') };
        continue;
      }
    }
    if (text.replace(/\./g, '').length < depth) continue;
    const options = cuts(text, depth);
    if (!options.length) continue;
    const score = (parts: string[]) => {
      if (!prev) return 0;
      const n = parts.map(Number);
      let same = 0;
      while (same < n.length && same < prev.length && n[same] === prev[same]) same++;
      // Next sibling, or first child of a next parent, beats anything else; small parts beat large.
      const next = same === n.length - 1 && n[same]! === prev[same]! + 1 ? 10 : same < n.length - 1 && n[same]! === prev[same]! + 1 && n.slice(same + 1).every((v) => v === 1) ? 8 : 0;
      return next + same - n.reduce((a, v) => a + (v > 20 ? 5 : 0), 0);
    };
    const best = options.sort((a, b) => score(b) - score(a))[0]!;
    out[i] = { ...w, text: best.join('.') + (w.text.endsWith('.') ? '.' : '') };
  }
  return out;
}
