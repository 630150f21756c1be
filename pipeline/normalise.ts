// The normalise stage: pure functions that turn text as extracted into the normalised
// values of RECORDS.md: clean text (NFKC, one space, confusables folded, line-break
// hyphens removed, split words joined), due dates as ISO spans, lead codes and partners
// split as fixtures/specs/README.md splits them, and lead codes resolved to names
// through the document's own owners table. No I/O here.
import type { Due } from '../schemas/common.js';

// ---------------------------------------------------------------------------------------
// Settings and word lists. Each says why it is there.
// ---------------------------------------------------------------------------------------

/**
 * Superscript and subscript digits are footnote markers in these plans (003 prints
 * "Evidence of success ¹"). NFKC would turn "¹" into "1", which then reads as part of
 * the text, so they are kept out of NFKC for a later stage to recognise and drop.
 */
/**
 * Vulgar fractions ("2 – 2½ year") read as printed; NFKC would spell "½" as "1⁄2",
 * which runs into the digit before it ("21⁄2"). They are kept as they are too.
 */
const KEPT_AS_PRINTED = /([\u00B9\u00B2\u00B3\u2070-\u209F\u00BC-\u00BE\u2150-\u215E]+)/u;

/** Invisible characters extractors leave inside words: zero-width space/joiners, word joiner, BOM. */
const INVISIBLE_CHARACTERS = /[\u200B-\u200D\u2060\uFEFF]/gu;

/** The soft hyphen: a break opportunity, never printed unless a line breaks there (joinLines). */
const SOFT_HYPHEN = /\u00AD/gu;

/** A line break inside extracted text (CR/LF pairs, lone CR, the Unicode line and paragraph separators). */
const LINE_BREAK = /\r\n|\r|\n|\u2028|\u2029/u;

/**
 * Cyrillic and Greek letters that print like a Latin letter. OCR and some PDF fonts
 * emit them inside English words (000: "а Јо" for "a Jo"; 003: lead codes "СТ", "ТВ",
 * "ЕНСР", "ТВС"). Letters that only look Latin as small capitals (т, к, м, н) are
 * left out: folding them would corrupt real Cyrillic more often than it repairs English.
 */
const LATIN_LOOKALIKES: Readonly<Record<string, string>> = {
  // Cyrillic capitals
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', У: 'Y', Х: 'X',
  Ѕ: 'S', І: 'I', Ј: 'J', Ү: 'Y', Ԛ: 'Q', Ԝ: 'W',
  // Cyrillic small letters
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', ѕ: 's', і: 'i', ј: 'j', һ: 'h', ԁ: 'd',
  ү: 'y', ԛ: 'q', ԝ: 'w',
  // Greek capitals
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T',
  Υ: 'Y', Χ: 'X',
  // Greek small letters
  α: 'a', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', υ: 'u', χ: 'x',
};

/**
 * Prefixes that keep their hyphen when a line breaks after them ("co-" + "ordination"
 * is "co-ordination", the spelling these councils use), unlike a word cut by wrapping
 * ("considera-" + "tion").
 */
const HYPHENATED_PREFIXES = new Set([
  'anti', 'co', 'cross', 'ex', 'inter', 'mid', 'multi', 'non', 'post', 'pre', 're', 'self', 'semi', 'sub', 'well',
]);

/**
 * Endings that are not English words on their own, so "considera tion" is a cut word
 * even without a vocabulary (004 prints "Under considera tion").
 */
const SUFFIXES_THAT_ARE_NOT_WORDS = new Set([
  'tion', 'tions', 'sion', 'sions', 'ation', 'ations', 'ment', 'ments', 'ness', 'ity', 'ities', 'ance', 'ances',
  'ence', 'ences', 'ible', 'ous', 'ive', 'ives', 'ies', 'ing', 'ings', 'ally', 'ically',
]);

/**
 * Endings that are also words or abbreviations ("able", "Ed", "er", "es", "Al"): a cut
 * word ending in one is joined only when the caller's vocabulary says the first half is
 * not a word, because "red ed" cannot be told from "Red Ed" otherwise.
 */
const SUFFIXES_THAT_ARE_WORDS = new Set(['able', 'al', 'ed', 'er', 'ers', 'es', 'ly', 'ate', 'ated', 'ant', 'ent']);

/** The shortest first half joined by the suffix heuristic: shorter halves are usually words ("to", "on"). */
const MIN_STEM_LENGTH = 3;

/** Short common words that are never the first half of a cut word ("the re" is not "there"). */
const FUNCTION_WORDS = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'can', 'do', 'for', 'from', 'has', 'have', 'he', 'her',
  'his', 'if', 'in', 'into', 'is', 'it', 'its', 'no', 'not', 'of', 'on', 'or', 'our', 'she', 'so', 'than', 'that',
  'the', 'their', 'them', 'then', 'there', 'these', 'they', 'this', 'to', 'up', 'was', 'we', 'were', 'what', 'when',
  'which', 'who', 'will', 'with', 'you', 'your',
]);

/** Month names and the abbreviations the seeds print ("Sept", "Sep", "Dec"). */
const MONTHS: Readonly<Record<string, number>> = {
  january: 1, jan: 1, february: 2, feb: 2, march: 3, mar: 3, april: 4, apr: 4, may: 5, june: 6, jun: 6,
  july: 7, jul: 7, august: 8, aug: 8, september: 9, sept: 9, sep: 9, october: 10, oct: 10, november: 11,
  nov: 11, december: 12, dec: 12,
};

/** The month names and abbreviations a date may use, lower case. */
export const MONTH_WORDS: readonly string[] = Object.keys(MONTHS);

/** Month names that are also English words: without a year of their own they are only read as part of a range. */
const MONTHS_THAT_ARE_WORDS = new Set(['may', 'march']);

/** School terms as fixtures/specs/README.md dates them (first and last month, inclusive). */
const TERMS: Readonly<Record<string, { first: number; last: number }>> = {
  autumn: { first: 9, last: 12 },
  spring: { first: 1, last: 4 },
  summer: { first: 4, last: 7 },
};

/** First month of the academic year (September) and of the UK financial year (April): "2018/19" starts there. */
const ACADEMIC_YEAR_FIRST_MONTH = 9;
const FINANCIAL_YEAR_FIRST_MONTH = 4;

/** Two-digit years ("Dec 18", "15.10.18") are this century. */
const TWO_DIGIT_YEAR_CENTURY = 2000;

/** Four-digit numbers read as years: plausible years for these plans, not counts ("2,000 pages"). */
const FOUR_DIGIT_YEAR = '(?:19|20)\\d{2}';

/** Words before a date that make it a deadline: start unknown, end that date ("By November 2018", "before the end of the autumn Term 2018"). */
const DEADLINE_BEFORE = /\b(?:by|before|no later than)\s+(?:the\s+)?(?:end\s+(?:of\s+)?)?(?:the\s+)?$/iu;

/** Words before a date that make it a start: end unknown ("From December 2018"), unless a range follows. */
const START_BEFORE = /\b(?:from|starting|commencing)\s+(?:the\s+)?(?:(?:start|beginning)\s+(?:of\s+)?)?(?:the\s+)?$/iu;

/** What may sit between two dates of one range, for a date without a year to take the next one's ("July to September 2018", "Nov/Dec 2018"). */
const RANGE_JOINER = /^[\s,]*(?:&|\/|-|\u2013|\u2014|to|and|or|until|till|through|thru)?[\s,]*$/iu;

/** Joiners that make "from X to Y" a closed range rather than an open start. */
const RANGE_TO = /^\s*(?:-|\u2013|\u2014|to|until|till|through|thru)\s*$/iu;

/**
 * Role nouns: the word a designation ends in ("SEND GM", "Public Health Consultant",
 * "E&S Commissioning Lead"). A lead printed as a code is followed by its designation;
 * a lead printed without a code is usually a role phrase ending in one of these.
 */
const ROLE_HEADS = new Set([
  'ad', 'adviser', 'advisers', 'advisor', 'advisors', 'board', 'commissioner', 'commissioners', 'consultant',
  'co-ordinator', 'coordinator', 'dcs', 'director', 'gm', 'head', 'lead', 'leads', 'manager', 'managers', 'mgr',
  'off', 'officer', 'officers', 'practitioner', 'team', 'teams', 'teacher', 'worker',
]);

/** Organisations printed after a lead ("PhCo (CCG)", "CaDr DCS WCC"): an employer, not a lead. */
const ORGANISATION_ACRONYMS = new Set(['WCC', 'CCG', 'CCGS', "CCG'S", 'CCG’S', 'NHS', 'LA', 'LCC']);

/**
 * A lead code in the initials style of 004's glossary ("PeRi", "LiAl", "KaCI": capital,
 * small, capital, then one letter of either case, since I and l swap in sans-serif) or
 * 003's ("SRo", "JDi"). Codes in all capitals ("JD", "SENDIB") are told from acronyms
 * only when they stand alone in a slot of the cell.
 */
const INITIALS_CODE = /^(?:[A-Z][a-z][A-Z][A-Za-z]|[A-Z]{2}[a-z])$/u;

/** A standalone code or acronym: capital first, at least two capitals, no spaces ("JD", "SRo", "SENDIB", "E&S"). */
const CODE_LIKE = /^[A-Z][A-Za-z&]{1,9}$/u;

/** Abbreviations whose full stop does not end a partner ("eg. Babcock", "St. Mary"). */
const ABBREVIATIONS = new Set(['e.g', 'eg', 'i.e', 'ie', 'inc', 'incl', 'st', 'dr', 'mr', 'mrs', 'ms', 'no', 'cllr', 'nb']);

/** Words at the end of a partners line that show the next line continues it. */
const CONTINUING_LINE_END = /(?:\b(?:and|of|for|the|with|to|in|on|by|inc|including)|[&\-\u2013\u2014/(])$/iu;

// ---------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------

/**
 * Text as RECORDS.md wants it: NFKC (ligatures such as "ﬁ" become "fi"), invisible
 * characters removed, lines joined by joinLines (line-break hyphens removed), every run
 * of whitespace one space, Latin look-alike letters folded (foldConfusables).
 */
export function normaliseText(raw: string): string {
  const lines = nfkcKeepingFootnoteMarkers(raw).replace(INVISIBLE_CHARACTERS, '').split(LINE_BREAK);
  return foldConfusables(singleSpaced(joinLines(lines).replace(SOFT_HYPHEN, '')));
}

function nfkcKeepingFootnoteMarkers(raw: string): string {
  return raw
    .split(KEPT_AS_PRINTED)
    .map((part, i) => (i % 2 === 1 ? part : part.normalize('NFKC')))
    .join('');
}

/** One space between words, no leading or trailing space. */
function singleSpaced(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

type WordScript = 'latin' | 'lookalike' | 'foreign' | 'other';

/** What a word (a run of letters) is made of, for foldConfusables. */
function wordScript(word: string): WordScript {
  let latin = false;
  let lookalike = false;
  let foreign = false;
  for (const ch of word) {
    if (/\p{Script=Latin}/u.test(ch)) latin = true;
    else if (ch in LATIN_LOOKALIKES) lookalike = true;
    else if (/[\p{Script=Cyrillic}\p{Script=Greek}]/u.test(ch)) foreign = true;
  }
  if (foreign) return 'foreign';
  if (latin) return lookalike ? 'latin' : 'other';
  return lookalike ? 'lookalike' : 'other';
}

function latinised(word: string): string {
  return [...word].map((ch) => LATIN_LOOKALIKES[ch] ?? ch).join('');
}

/**
 * Cyrillic and Greek look-alikes replaced by their Latin letter inside Latin words
 * ("Јоint" -> "Joint") and in words made only of look-alikes ("СТ" -> "CT"), unless such a
 * word sits next to a real Cyrillic or Greek word (one with a letter that has no Latin
 * look-alike, "Москва"), which is left as it is, with its neighbours.
 */
export function foldConfusables(text: string): string {
  const parts = text.split(/([\p{L}\p{M}]+)/u);
  const scripts = parts.map((p, i) => (i % 2 === 1 ? wordScript(p) : 'other'));
  const wordAt = (i: number, step: number): WordScript | null => {
    for (let j = i + step; j >= 0 && j < parts.length; j += step) if (j % 2 === 1) return scripts[j] ?? null;
    return null;
  };
  return parts
    .map((part, i) => {
      const script = scripts[i];
      if (script === 'latin') return latinised(part);
      if (script !== 'lookalike') return part;
      const amongForeign = wordAt(i, -2) === 'foreign' || wordAt(i, 2) === 'foreign';
      return amongForeign ? part : latinised(part);
    })
    .join('');
}

/** The last word fragment before a line-end hyphen: "considera" of "Under considera-". */
function fragmentBeforeHyphen(line: string): string {
  const m = /([\p{L}]+)[-\u2010\u2011]$/u.exec(line);
  return m?.[1] ?? '';
}

/**
 * The wrapped lines of one cell as one string, one space between words. A line ending
 * in a hyphen after a letter, followed by a line starting with a small letter, was cut
 * by wrapping: the hyphen goes ("considera-" + "tion" -> "consideration"), unless the
 * part before it is a prefix that keeps its hyphen ("co-" + "ordination" ->
 * "co-ordination") or the vocabulary knows the hyphenated word. A hyphen before a
 * capital or digit stays, with no space ("Post-" + "16"); a spaced dash stays spaced.
 * Hyphens inside a line are never touched ("co-produce"). A soft hyphen at a line end
 * always goes.
 */
export function joinLines(lines: string[], vocabulary?: Set<string>): string {
  let out = '';
  for (const raw of lines) {
    const line = singleSpaced(raw);
    if (!line) continue;
    if (!out) {
      out = line;
      continue;
    }
    if (out.endsWith('\u00AD')) {
      out = out.slice(0, -1) + line;
      continue;
    }
    const fragment = fragmentBeforeHyphen(out);
    if (fragment) {
      const next = /^[\p{L}]+/u.exec(line)?.[0] ?? '';
      if (/^\p{Ll}/u.test(line)) {
        const joined = `${fragment}${next}`.toLowerCase();
        const hyphenated = `${fragment}-${next}`.toLowerCase();
        const keep = vocabulary?.has(hyphenated)
          ? true
          : vocabulary?.has(joined)
            ? false
            : HYPHENATED_PREFIXES.has(fragment.toLowerCase());
        out = keep ? out + line : out.slice(0, -1) + line;
      } else out += line;
      continue;
    }
    if (/\d[-\u2010\u2011]$/u.test(out)) {
      out += line;
      continue;
    }
    out += ` ${line}`;
  }
  return out;
}

/** The words of a document, lower-cased, for repairSplitWords and joinLines to check halves and joins against. */
export function vocabularyOf(text: string): Set<string> {
  return new Set((text.match(/[\p{L}]+(?:['’-][\p{L}]+)*/gu) ?? []).map((w) => w.toLowerCase()));
}

/** Whether "a b" is one word cut in two: see repairSplitWords. */
function isCutWord(a: string, b: string, vocabulary: Set<string> | undefined): boolean {
  const first = a.toLowerCase();
  const second = b.toLowerCase();
  if (FUNCTION_WORDS.has(first)) return false;
  if (vocabulary) {
    if (vocabulary.has(first) && vocabulary.has(second)) return false;
    if (vocabulary.has(first + second)) return true;
    if (vocabulary.has(first) || vocabulary.has(second)) return false;
  }
  if (first.length < MIN_STEM_LENGTH || !/^\p{Ll}+$/u.test(b)) return false;
  if (SUFFIXES_THAT_ARE_NOT_WORDS.has(second)) return true;
  return vocabulary !== undefined && SUFFIXES_THAT_ARE_WORDS.has(second);
}

/**
 * Words cut in two by extraction joined again ("considera tion" -> "consideration").
 * Two halves are joined when the vocabulary (the document's own words, vocabularyOf)
 * knows the joined word and not both halves, or when the second half is a word ending
 * (tion, ment, ness, ...) and the first half is not a word the vocabulary knows. Two
 * real words are never joined ("on track"); without a vocabulary only endings that are
 * not words themselves count.
 */
export function repairSplitWords(text: string, vocabulary?: Set<string>): string {
  const tokens = text.split(' ');
  const out: string[] = [];
  for (const token of tokens) {
    const prev = out[out.length - 1];
    const head = /^([\p{L}]+)(\P{L}*)$/u.exec(token);
    if (prev !== undefined && head && /^[\p{L}]+$/u.test(prev) && isCutWord(prev, head[1]!, vocabulary)) {
      out[out.length - 1] = prev + token;
    } else out.push(token);
  }
  return out.join(' ');
}

// ---------------------------------------------------------------------------------------
// Due dates
// ---------------------------------------------------------------------------------------

/** Context for reading a due date: the year a month printed without one belongs to. */
export interface DueContext {
  defaultYear?: number;
}

/** How a printed year is counted: "2018" a calendar year, "2018/19" an academic year (a financial one for quarters). */
type YearSpec = { kind: 'calendar' | 'academic' | 'financial'; year: number };

type DateToken = { index: number; end: number } & (
  | { kind: 'day'; date: string }
  | { kind: 'month'; month: number; year: YearSpec | null; weak: boolean }
  | { kind: 'term'; season: string; year: YearSpec | null; weak: boolean }
  | { kind: 'quarter'; quarter: number; year: YearSpec | null }
  | { kind: 'year'; year: YearSpec }
);

interface Span {
  start: string | null;
  end: string | null;
}

const MONTH_NAMES = Object.keys(MONTHS).sort((a, b) => b.length - a.length).join('|');

/** A year after a month, term or quarter: "2018", "18", "’18", "2018/19", "2018 - 19". */
const YEAR_AFTER_NAME = `(?:[\\s,]*['’]?(?<y1>${FOUR_DIGIT_YEAR}|\\d{2})(?:\\s*[/\\-\\u2013]\\s*(?<y2>${FOUR_DIGIT_YEAR}|\\d{2}))?)?(?![\\p{L}\\p{N}])`;

function sticky(source: string): RegExp {
  return new RegExp(source, 'iuyd');
}

const DATE_PATTERNS = {
  /** 15/10/2018, 15.10.18, 15-10-2018 (UK order). */
  numericDay: sticky('(?<d>\\d{1,2})(?<sep>[/.\\-])(?<m>\\d{1,2})\\k<sep>(?<y>\\d{4}|\\d{2})(?![\\p{L}\\p{N}]|\\.\\d)'),
  /** 10/2018 */
  numericMonth: sticky(`(?<m>\\d{1,2})/(?<y>${FOUR_DIGIT_YEAR})(?![\\p{L}\\p{N}])`),
  /** 8 August 2018, 1st March 2019 */
  dayMonthYear: sticky(`(?<d>\\d{1,2})(?:st|nd|rd|th)?\\s+(?<name>${MONTH_NAMES})\\.?,?\\s+(?<y>${FOUR_DIGIT_YEAR})(?![\\p{L}\\p{N}])`),
  /** October 15, 2018 */
  monthDayYear: sticky(`(?<name>${MONTH_NAMES})\\.?\\s+(?<d>\\d{1,2})(?:st|nd|rd|th)?,?\\s+(?<y>${FOUR_DIGIT_YEAR})(?![\\p{L}\\p{N}])`),
  /** Q3 2018, Quarter 3 2018/19 */
  quarter: sticky(`(?:q|quarter\\s*)(?<q>[1-4])(?![\\p{L}\\p{N}])${YEAR_AFTER_NAME}`),
  /** Autumn Term 2018, autumn term 18, Summer 2019, Spring Terms 2018 - 19 */
  term: sticky(`(?<season>autumn|spring|summer)(?![\\p{L}])(?<term>\\s+terms?(?![\\p{L}]))?${YEAR_AFTER_NAME}`),
  /** Dec 2018, Sept 18, December, Sept. */
  month: sticky(`(?<name>${MONTH_NAMES})(?![\\p{L}])\\.?${YEAR_AFTER_NAME}`),
  /** 2019, 2018/19, 2018 - 2019 */
  year: sticky(`(?<y1>${FOUR_DIGIT_YEAR})(?:\\s*[/\\-\\u2013]\\s*(?<y2>${FOUR_DIGIT_YEAR}|\\d{2}))?(?![\\p{L}\\p{N}])`),
};

function iso(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function fullYear(digits: string): number {
  const n = Number(digits);
  return digits.length === 2 ? TWO_DIGIT_YEAR_CENTURY + n : n;
}

/** The end index of a named group (the `d` flag's indices). */
function groupEnd(m: RegExpExecArray, group: string): number | null {
  return m.indices?.groups?.[group]?.[1] ?? null;
}

/** The year a printed "2018", "18" or "2018/19" means, and where it ends (a second year that does not follow the first is not part of it). */
function yearSpecOf(m: RegExpExecArray, consecutiveKind: YearSpec['kind']): { year: YearSpec | null; end: number } {
  const end = m.index + m[0].length;
  const y1 = m.groups?.y1;
  if (!y1) return { year: null, end };
  const first = fullYear(y1);
  const y2 = m.groups?.y2;
  if (y2 !== undefined) {
    const second = y2.length === 2 ? Math.floor(first / 100) * 100 + Number(y2) : Number(y2);
    if (second === first + 1) return { year: { kind: consecutiveKind, year: first }, end };
  }
  return { year: { kind: 'calendar', year: first }, end: groupEnd(m, 'y1') ?? end };
}

function validDay(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** The date token starting at `pos`, if one does. */
function dateTokenAt(text: string, pos: number): DateToken | null {
  const at = (re: RegExp): RegExpExecArray | null => {
    re.lastIndex = pos;
    return re.exec(text);
  };
  let m = at(DATE_PATTERNS.numericDay);
  if (m?.groups) {
    const { d, m: mo, y, sep } = m.groups as Record<string, string>;
    // "1.2.10" is a reference far more often than 1 February 2010.
    const refLike = sep === '.' && d!.length === 1 && mo!.length === 1;
    const year = fullYear(y!);
    if (!refLike && validDay(year, Number(mo), Number(d)) && !/\d\.$/u.test(text.slice(0, pos)))
      return { kind: 'day', date: iso(year, Number(mo), Number(d)), index: pos, end: pos + m[0].length };
  }
  m = at(DATE_PATTERNS.numericMonth);
  if (m?.groups && Number(m.groups.m) >= 1 && Number(m.groups.m) <= 12)
    return { kind: 'month', month: Number(m.groups.m), year: { kind: 'calendar', year: Number(m.groups.y) }, weak: false, index: pos, end: pos + m[0].length };
  for (const re of [DATE_PATTERNS.dayMonthYear, DATE_PATTERNS.monthDayYear]) {
    m = at(re);
    if (m?.groups) {
      const month = MONTHS[m.groups.name!.toLowerCase()]!;
      const year = Number(m.groups.y);
      const day = Number(m.groups.d);
      if (validDay(year, month, day)) return { kind: 'day', date: iso(year, month, day), index: pos, end: pos + m[0].length };
    }
  }
  m = at(DATE_PATTERNS.quarter);
  if (m?.groups) {
    const { year, end } = yearSpecOf(m, 'financial');
    return { kind: 'quarter', quarter: Number(m.groups.q), year, index: pos, end };
  }
  m = at(DATE_PATTERNS.term);
  if (m?.groups) {
    const { year, end } = yearSpecOf(m, 'academic');
    // A bare "spring" or "summer" is a season word; it is a term only with "Term", a year, or a range.
    const weak = year === null && m.groups.term === undefined;
    return { kind: 'term', season: m.groups.season!.toLowerCase(), year, weak, index: pos, end };
  }
  m = at(DATE_PATTERNS.month);
  if (m?.groups) {
    const name = m.groups.name!;
    const { year, end } = yearSpecOf(m, 'academic');
    const weak = year === null && (MONTHS_THAT_ARE_WORDS.has(name.toLowerCase()) || name === name.toLowerCase());
    return { kind: 'month', month: MONTHS[name.toLowerCase()]!, year, weak, index: pos, end };
  }
  m = at(DATE_PATTERNS.year);
  if (m?.groups) {
    const { year, end } = yearSpecOf(m, 'academic');
    if (year) return { kind: 'year', year, index: pos, end };
  }
  return null;
}

/** Three numbers joined like a date: when they are not a valid one ("31/02/2019", "1.2.10") no part of them is read as a month or year. */
const NUMERIC_DATE_SHAPE = sticky('\\d{1,2}([/.\\-])\\d{1,2}\\1\\d{2,4}(?!\\d)');

/** Every date mention in the text, left to right, scanning from the start of each word. */
function dateTokens(text: string): DateToken[] {
  const tokens: DateToken[] = [];
  let pos = 0;
  while (pos < text.length) {
    const startsWord = /[\p{L}\p{N}]/u.test(text[pos]!) && (pos === 0 || !/[\p{L}\p{N}]/u.test(text[pos - 1]!));
    const token = startsWord ? dateTokenAt(text, pos) : null;
    if (token) {
      tokens.push(token);
      pos = token.end;
      continue;
    }
    NUMERIC_DATE_SHAPE.lastIndex = pos;
    const shape = startsWord ? NUMERIC_DATE_SHAPE.exec(text) : null;
    pos = shape ? pos + shape[0].length : pos + 1;
  }
  return tokens;
}

/** The first month a token covers, to order bare months against dated ones. */
function firstMonthOf(t: DateToken): number {
  if (t.kind === 'month') return t.month;
  if (t.kind === 'term') return TERMS[t.season]!.first;
  if (t.kind === 'quarter') return (t.quarter - 1) * 3 + 1;
  return 1;
}

/** The calendar year a month falls in under a year spec ("Spring" of 2018/19 is 2019). */
function calendarYear(spec: YearSpec, month: number): number {
  if (spec.kind === 'academic') return month >= ACADEMIC_YEAR_FIRST_MONTH ? spec.year : spec.year + 1;
  if (spec.kind === 'financial') return month >= FINANCIAL_YEAR_FIRST_MONTH ? spec.year : spec.year + 1;
  return spec.year;
}

function monthSpan(year: number, first: number, last: number): Span {
  return { start: iso(year, first, 1), end: iso(year, last, daysInMonth(year, last)) };
}

/** The days a token means once it has a year; null when it still has none. */
function tokenSpan(t: DateToken): Span | null {
  switch (t.kind) {
    case 'day':
      return { start: t.date, end: t.date };
    case 'month':
      return t.year ? monthSpan(calendarYear(t.year, t.month), t.month, t.month) : null;
    case 'term': {
      if (!t.year) return null;
      const { first, last } = TERMS[t.season]!;
      return monthSpan(calendarYear(t.year, first), first, last);
    }
    case 'quarter': {
      if (!t.year) return null;
      if (t.year.kind === 'calendar') return monthSpan(t.year.year, t.quarter * 3 - 2, t.quarter * 3);
      const first = ((FINANCIAL_YEAR_FIRST_MONTH - 1 + (t.quarter - 1) * 3) % 12) + 1;
      const y = calendarYear({ kind: 'financial', year: t.year.year }, first);
      return monthSpan(y, first, first + 2);
    }
    case 'year': {
      const { kind, year } = t.year;
      if (kind === 'calendar') return monthSpan(year, 1, 12);
      const first = kind === 'academic' ? ACADEMIC_YEAR_FIRST_MONTH : FINANCIAL_YEAR_FIRST_MONTH;
      const last = first - 1;
      return { start: iso(year, first, 1), end: iso(year + 1, last, daysInMonth(year + 1, last)) };
    }
  }
}

function withYear(t: DateToken, year: YearSpec): DateToken {
  return t.kind === 'month' || t.kind === 'term' || t.kind === 'quarter' ? { ...t, year } : t;
}

function hasYear(t: DateToken): boolean {
  return t.kind === 'day' || t.kind === 'year' || t.year !== null;
}

/**
 * Years given to dates printed without one. A date joined to the next by a range word
 * takes that one's year, a year earlier if its month comes later ("Nov/Dec 2018", "July
 * to September 2018", "Over Autumn and Spring Terms 2018 - 19"). Otherwise it takes the
 * year of the date before it, the next year if its month comes earlier ("Autumn Term 2018,
 * aiming for November"), else the context's default year. Season words and months that
 * are also words ("may") only take a year through a range.
 */
function tokensWithYears(text: string, tokens: DateToken[], ctx: DueContext): DateToken[] {
  const out = [...tokens];
  for (let i = out.length - 2; i >= 0; i--) {
    const t = out[i]!;
    const next = out[i + 1]!;
    if (hasYear(t) || next.kind === 'day' || next.kind === 'year' || !next.year) continue;
    if (!RANGE_JOINER.test(text.slice(t.end, next.index))) continue;
    const spec = next.year;
    const year = spec.kind === 'calendar' && firstMonthOf(t) > firstMonthOf(next) ? { ...spec, year: spec.year - 1 } : spec;
    out[i] = withYear(t, year);
  }
  for (let i = 0; i < out.length; i++) {
    const t = out[i]!;
    if (hasYear(t) || ('weak' in t && t.weak)) continue;
    const before = out.slice(0, i).map(tokenSpan).filter((s): s is Span => s !== null).pop();
    const anchor = before?.start ?? before?.end;
    if (anchor) {
      const [y, m] = anchor.split('-').map(Number) as [number, number];
      out[i] = withYear(t, { kind: 'calendar', year: firstMonthOf(t) >= m ? y : y + 1 });
    } else if (ctx.defaultYear !== undefined) out[i] = withYear(t, { kind: 'calendar', year: ctx.defaultYear });
  }
  return out;
}

/** A token's span with deadline and start words applied ("By November 2018" has no start). */
function boundedSpan(text: string, tokens: DateToken[], i: number): Span | null {
  const t = tokens[i]!;
  const span = tokenSpan(t);
  if (!span) return null;
  const before = text.slice(0, t.index);
  if (DEADLINE_BEFORE.test(before)) return { start: null, end: span.end };
  const next = tokens[i + 1];
  const closedByRange = next !== undefined && RANGE_TO.test(text.slice(t.end, next.index));
  if (START_BEFORE.test(before) && !closedByRange) return { start: span.start, end: null };
  return span;
}

/** Earliest start to latest end; an open bound anywhere leaves that bound open. */
function coveringSpan(spans: Span[]): Span {
  if (!spans.length) return { start: null, end: null };
  const starts = spans.map((s) => s.start);
  const ends = spans.map((s) => s.end);
  return {
    start: starts.includes(null) ? null : (starts as string[]).reduce((a, b) => (b < a ? b : a)),
    end: ends.includes(null) ? null : (ends as string[]).reduce((a, b) => (b > a ? b : a)),
  };
}

/**
 * A due date as RECORDS.md keeps it: the printed text (normalised) and the span of days
 * it means, per fixtures/specs/README.md: a month is the whole month, a day that day, a
 * term its months, a range or several dates (also several joined by "; ") the earliest
 * start to the latest end, "By November 2018" no start, a year alone the whole year,
 * "Q3 2018" a calendar quarter, "Q3 2018/19" a quarter of the financial year. Words with
 * no date ("Ongoing") keep their text with null bounds. Null for an empty cell.
 */
export function parseDue(text: string, ctx: DueContext = {}): Due | null {
  const printed = normaliseText(text);
  if (!printed) return null;
  const tokens = tokensWithYears(printed, dateTokens(printed), ctx);
  const spans = tokens.map((_, i) => boundedSpan(printed, tokens, i)).filter((s): s is Span => s !== null);
  return { text: printed, ...coveringSpan(spans) };
}

// ---------------------------------------------------------------------------------------
// Leads and partners
// ---------------------------------------------------------------------------------------

/** What separated a clause of a lead cell from the one before it. */
type Separator = 'start' | ',' | '/' | 'and' | 'with' | 'line';

interface Clause {
  text: string;
  sep: Separator;
}

const words = (text: string): string[] => text.split(' ').filter(Boolean);
const capitals = (word: string): number => (word.match(/\p{Lu}/gu) ?? []).length;

function isInitialsCode(word: string): boolean {
  return INITIALS_CODE.test(word);
}

/** An acronym such as "CCG", "GM", "E&S", "CCG's": two or more capitals, no small letters but a possessive s. */
function isAcronym(word: string): boolean {
  return /^\p{Lu}[\p{Lu}&]*(?:['’]s)?$/u.test(word) && capitals(word) >= 2;
}

function isRoleHead(word: string): boolean {
  return ROLE_HEADS.has(word.toLowerCase());
}

function isOrganisation(word: string): boolean {
  return ORGANISATION_ACRONYMS.has(word.toUpperCase());
}

/** A word that can be a code when it stands alone in its slot ("JD", "SRo", "SENDIB", "LoLe"), not an organisation. */
function isCodeLike(word: string): boolean {
  return CODE_LIKE.test(word) && capitals(word) >= 2 && !isOrganisation(word);
}

/** `text` cut at the matches of `pattern` outside parentheses that `accept` takes, each piece with the separator before it. */
function splitOutsideParentheses(text: string, pattern: RegExp, accept: (m: RegExpExecArray) => boolean): { text: string; sep: string }[] {
  const out: { text: string; sep: string }[] = [];
  let depth = 0;
  let last = 0;
  let lastSep = '';
  const depthAt: number[] = [];
  for (const ch of text) {
    if (ch === '(') depth++;
    depthAt.push(depth);
    if (ch === ')') depth = Math.max(0, depth - 1);
  }
  const re = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if ((depthAt[m.index] ?? 0) > 0 || !accept(m)) continue;
    out.push({ text: text.slice(last, m.index), sep: lastSep });
    last = m.index + m[0].length;
    lastSep = m[0];
  }
  out.push({ text: text.slice(last), sep: lastSep });
  return out;
}

/** The word touching position `i` on the left (`before`) or right of a separator. */
function wordBefore(text: string, i: number): string {
  return /(\S+)\s*$/u.exec(text.slice(0, i))?.[1] ?? '';
}
function wordAfter(text: string, i: number): string {
  return /^\s*(\S+)/u.exec(text.slice(i))?.[1] ?? '';
}

/**
 * Whether a slash separates two entries: when a side is an acronym or code ("JD/SL",
 * "Skills/CCG", "Commissioner/StLa") or when it is spaced between capitalised words
 * ("Public Health / Social Care"). Slash-joined words stay together ("Parent/carer reps",
 * "Parents/Carers", "and/or").
 */
function slashSeparates(text: string, m: RegExpExecArray): boolean {
  const left = wordBefore(text, m.index).replace(/[^\p{L}\p{N}&'’]/gu, '');
  const right = wordAfter(text, m.index + m[0].length).replace(/[^\p{L}\p{N}&'’]/gu, '');
  if (!left || !right) return true;
  const strong = (w: string) => capitals(w) >= 2;
  if (strong(left) || strong(right)) return true;
  const spaced = /\s/u.test(m[0]);
  return spaced && /^\p{Lu}/u.test(left) && /^\p{Lu}/u.test(right);
}

/** Whether " and " starts another lead: after a role noun ("SEND GM and SEND Comm Mgr") or before a code or acronym ("and GM SEND"). */
function andSeparates(text: string, m: RegExpExecArray): boolean {
  const left = wordBefore(text, m.index).replace(/[(),]/gu, '');
  const right = wordAfter(text, m.index + m[0].length).replace(/[(),]/gu, '');
  return isRoleHead(left) || isInitialsCode(right) || isAcronym(right);
}

/** A lead cell's clauses: split at commas, semicolons, separating slashes, " with " and separating " and ". */
function leadClauses(text: string, first: Separator): Clause[] {
  const pieces = splitOutsideParentheses(text, /\s*[,;]\s*|\s*\/\s*|\s+and\s+|\s+with\s+/giu, (m) => {
    const sep = m[0].trim().toLowerCase();
    if (sep === '/') return slashSeparates(text, m);
    if (sep === 'and') return andSeparates(text, m);
    return true;
  });
  return pieces.map((p, i) => {
    const s = p.sep.trim().toLowerCase();
    const sep: Separator = i === 0 ? first : s === 'and' ? 'and' : s === 'with' ? 'with' : s === '/' ? '/' : ',';
    return { text: singleSpaced(p.text), sep };
  });
}

/**
 * The clauses of a lead cell with labels removed. Before a colon, the last clause is a
 * label or lead-in, not a lead ("Public Health: LiAI"; "..., with the following leads:"),
 * unless it holds a code.
 */
function labelledClauses(text: string): Clause[] {
  const parts = splitOutsideParentheses(text, /:/gu, () => true).map((p) => p.text);
  const clauses: Clause[] = [];
  parts.forEach((part, i) => {
    const cs = leadClauses(part, i === 0 ? 'start' : 'line');
    const last = cs[cs.length - 1];
    const next = parts[i + 1];
    // What the colon introduces: codes or a list ("Public Health: LiAI") make the clause before it a label;
    // plain words make the colon part of a job title ("Assistant Director: Education and Learning").
    const introduces = next !== undefined && (words(next).some(isInitialsCode) || /\b(leads?|following)\s*$/iu.test(part));
    if (i < parts.length - 1 && last && !words(last.text).some(isInitialsCode)) {
      if (introduces) cs.pop();
      else {
        const following = leadClauses(next!, 'line');
        if (following[0]) following[0] = { ...following[0], text: `${last.text}: ${following[0].text}` };
        cs.pop();
        clauses.push(...cs);
        parts[i + 1] = following.map((c) => c.text).join(', ');
        return;
      }
    }
    clauses.push(...cs);
  });
  return clauses.filter((c) => c.text);
}

/** A clause's words with parenthesised organisations removed and parenthesised codes kept ("Babcock (HePr)" -> Babcock HePr). */
function wordsWithoutParentheses(text: string): string[] {
  return words(
    text.replace(/\(([^()]*)\)/gu, (whole, inner: string) => {
      const w = words(inner.trim());
      if (w.length === 1 && isInitialsCode(w[0]!)) return ` ${w[0]} `;
      // An organisation in brackets is dropped ("PhCo (CCG)"); other words belong to the title ("Head of Finance (Schools)").
      return w.every((x) => isAcronym(x) || /^[\p{Lu}&]+$/u.test(x)) ? ' ' : ` ${whole} `;
    }),
  );
}

/**
 * Where new leads start inside a run of role words: after a role noun, an acronym-led
 * phrase with a role noun of its own is another lead ("Public Health Consultant | CCG
 * officer", "SEN Manager | GM SEND"); "Transition Team Manager" is one role.
 */
function roleBreaks(ws: string[]): number[] {
  const breaks: number[] = [];
  for (let j = 0; j < ws.length - 2; j++) {
    if (!isRoleHead(ws[j]!) || !isAcronym(ws[j + 1]!)) continue;
    if (ws.slice(j + 1).some(isRoleHead)) breaks.push(j + 1);
  }
  return breaks;
}

function phrasesAt(ws: string[], breaks: number[]): string[] {
  const bounds = [0, ...breaks, ws.length];
  return bounds.slice(0, -1).map((b, i) => ws.slice(b, bounds[i + 1]).join(' '));
}

/** A trailing "for WCC" or "for Babcock" names the employer, not part of the lead ("GM SEND for WCC"). */
function withoutEmployer(text: string): string {
  return text.replace(/\s+for\s+\S+$/u, (m) => (/^\s+for\s+[\p{Lu}]/u.test(m) ? '' : m));
}

/** Leads of a clause that holds initials codes: the codes, and role phrases that are leads of their own. */
function leadsOfCodedClause(ws: string[]): string[] {
  const codeAt = ws.map((w, i) => (isInitialsCode(w) ? i : -1)).filter((i) => i >= 0);
  const out: string[] = [];
  const leading = ws.slice(0, codeAt[0]);
  // Text before the first code is a lead when it is a role ("Project Manager NiWi ..."), not an organisation or a lead-in.
  if (leading.length && isRoleHead(leading[leading.length - 1]!) && /^\p{Lu}/u.test(leading[0]!)) out.push(leading.join(' '));
  codeAt.forEach((at, k) => {
    out.push(ws[at]!);
    const designation = ws.slice(at + 1, codeAt[k + 1] ?? ws.length);
    out.push(...phrasesAt(designation, roleBreaks(designation)).slice(1));
  });
  return out;
}

/** A clause after a comma that opens with an acronym and a role noun continues the lead before it ("HePr Babcock, SEND Advisor Early Years & SI Teams"). */
function withoutContinuedDesignation(ws: string[]): string[] {
  let i = 0;
  while (i < ws.length && isAcronym(ws[i]!)) i++;
  if (i > 0 && i < ws.length - 1 && isRoleHead(ws[i]!)) return ws.slice(i + 1);
  return ws;
}

/**
 * Lead codes as printed in a lead cell, per fixtures/specs/README.md: codes split at
 * slashes, commas and "and"/"with" ("JD/ SRo" -> JD, SRo); a code's designation and
 * organisation dropped ("PeRi SEND GM" -> PeRi, "PhCo (CCG)" -> PhCo, "CaDr, DCS WCC" ->
 * CaDr); a lead with no code kept as printed ("E&S Commissioning Team", "M Norton",
 * "SENDIB"). Line breaks separate leads when every line is a code; otherwise they are
 * wrapping and the lines are joined first.
 */
export function splitLeads(cell: string): string[] {
  const lines = cell.split(LINE_BREAK).map((l) => normaliseText(l)).filter(Boolean);
  const eachLineACode = lines.every((l) => isCodeLike(l.replace(/[\s,;/]+$/u, '')));
  const text = eachLineACode ? lines.join(' / ') : normaliseText(joinLines(lines));
  const out: string[] = [];
  let previous: { coded: boolean; bareCode: boolean } = { coded: false, bareCode: false };
  for (const clause of labelledClauses(text)) {
    const ws = wordsWithoutParentheses(clause.text);
    if (!ws.length) continue;
    const bareCode = ws.length === 1 && !/\(/u.test(clause.text) && (isInitialsCode(ws[0]!) || isCodeLike(ws[0]!));
    if (ws.some(isInitialsCode)) {
      out.push(...leadsOfCodedClause(ws));
      previous = { coded: true, bareCode };
      continue;
    }
    if (ws.length === 1 && isCodeLike(ws[0]!)) {
      out.push(ws[0]!);
      previous = { coded: true, bareCode: true };
      continue;
    }
    // A bracketed description ("Helen Davies (Principal Learning Support Teacher) Babcock") ends the lead;
    // a one-word qualifier belongs to the title ("Head of Finance (Schools)").
    const bracket = /\(([^()]*)\)/u.exec(clause.text);
    const described = bracket !== null && words(bracket[1]!.trim()).length >= 2;
    const beforeParenthesis = described ? singleSpaced(clause.text.slice(0, bracket.index)) : '';
    let lead = words(withoutEmployer(beforeParenthesis || ws.join(' ')));
    if (clause.sep === ',' && previous.coded) {
      // After a lead: a bare code's designation ("CaDr, DCS WCC"), or the lead's organisation ("..., Babcock").
      if (previous.bareCode || lead.length === 1 || lead.every((w) => isOrganisation(w))) lead = [];
      else lead = withoutContinuedDesignation(lead);
    }
    if (lead.length) out.push(...phrasesAt(lead, roleBreaks(lead)));
    previous = { coded: false, bareCode: false };
  }
  return out;
}

/** Lines of a partners cell grouped into entries: a line that starts small or follows a line ending in "and", "&", "-", ... continues it. */
function partnerLines(cell: string): string[] {
  const groups: string[][] = [];
  for (const line of cell.split(LINE_BREAK).map(singleSpaced).filter(Boolean)) {
    const last = groups[groups.length - 1];
    const prev = last?.[last.length - 1];
    if (last && prev !== undefined && (/^\p{Ll}/u.test(line) || CONTINUING_LINE_END.test(prev))) last.push(line);
    else groups.push([line]);
  }
  return groups.map((g) => joinLines(g));
}

/**
 * A "label:" line: the label is not a partner, and dash bullets after it list entries
 * ("External support services: - Babcock Prime SEN services - Outreach"). A colon
 * followed by plain text is left alone.
 */
function bulletedEntries(line: string): string[] {
  const m = /^(.*?):\s*(.*)$/u.exec(line);
  if (!m || (m[2] && !/^[-\u2013\u2022]\s/u.test(m[2]))) return [line];
  const beforeLabel = leadClauses(m[1]!, 'start').slice(0, -1).map((c) => c.text);
  return [...beforeLabel, ...m[2]!.split(/(?:^|\s)[-\u2013\u2022]\s+/u)];
}

/** Full stops that end an entry ("Learning and Teaching Adviser. SEN services"), not those of abbreviations. */
function sentenceEntries(text: string): string[] {
  return splitOutsideParentheses(text, /\.\s+(?=\p{Lu})/gu, (m) => {
    const word = wordBefore(text, m.index).toLowerCase();
    return !ABBREVIATIONS.has(word) && !/^\p{Lu}$/u.test(wordBefore(text, m.index));
  }).map((p) => p.text);
}

/** Commas, semicolons and separating slashes; a slash after a spaced dash lists the members of what the dash describes ("Team – ToLe / SaFe"). */
function punctuatedEntries(text: string): string[] {
  const pieces = splitOutsideParentheses(text, /\s*[,;]\s*|\s*\/\s*/gu, (m) => {
    if (m[0].trim() !== '/') return true;
    const entryStart = Math.max(text.lastIndexOf(',', m.index), text.lastIndexOf(';', m.index));
    if (/\s[\u2013\u2014]\s/u.test(text.slice(entryStart + 1, m.index))) return false;
    return slashSeparates(text, m);
  });
  // "NiWi, AD Education and Skills": a bare code and its designation are one entry.
  const out: string[] = [];
  pieces.forEach((piece, i) => {
    const prev = out[out.length - 1];
    const entry = singleSpaced(piece.text);
    const ws = words(entry);
    const isCode = (ws.length === 1 && isCodeLike(ws[0]!)) || isInitialsCode(ws[0] ?? '');
    if (i > 0 && prev !== undefined && piece.sep.trim() === ',' && isInitialsCode(prev) && ws.length > 1 && !isCode) out[out.length - 1] = `${prev}, ${entry}`;
    else out.push(entry);
  });
  return out;
}

function cleanEntry(entry: string): string {
  return singleSpaced(entry.replace(/^[\s\-\u2013\u2022\u00B7]+/u, '').replace(/[\s.,;:]+$/u, ''));
}

/**
 * The partners of a partners cell as printed: split at line breaks (a line that
 * continues the one before is joined to it), commas, semicolons, separating slashes
 * (see slashSeparates: "Public Health / Social Care" splits, "Parent/carer reps" does
 * not), full stops ending an entry, and dash bullets after a "label:"; commas inside
 * parentheses do not split ("Babcock (GaSt, Ann O’Sullivan)").
 */
export function splitPartners(cell: string): string[] {
  return partnerLines(normaliseTextKeepingLines(cell))
    .flatMap(bulletedEntries)
    .flatMap(sentenceEntries)
    .flatMap(punctuatedEntries)
    .map(cleanEntry)
    .filter(Boolean);
}

/** normaliseText line by line, so line breaks survive for the splitters. */
function normaliseTextKeepingLines(cell: string): string {
  return cell
    .split(LINE_BREAK)
    .map((l) => normaliseText(l))
    .join('\n');
}

// ---------------------------------------------------------------------------------------
// Lead names
// ---------------------------------------------------------------------------------------

/** One row of a document's owners / initials table. */
export interface Owner {
  code: string;
  name: string;
}

export interface ResolveLeadsOptions {
  /**
   * Also match codes that differ only in case, confusable letters (Cyrillic "СТ"; capital
   * I, small l and digit 1 look alike in sans-serif fonts, so "KaCI" is "KaCl") or
   * spacing. Default true. The fixture expected records resolve by exact code only.
   */
  tolerant?: boolean;
}

/** How a code is compared leniently: normalised, no spaces, lower case, I/l/1 as one letter, O/0 as one. */
function lenientKey(code: string): string {
  return normaliseText(code).replace(/\s+/gu, '').toLowerCase().replace(/[il1|]/gu, 'l').replace(/0/gu, 'o');
}

/** The one name all owners matching a key share, or null when none or several differ. */
function uniqueName(owners: Owner[], key: (code: string) => string, code: string): string | null {
  const want = key(code);
  const names = new Set(owners.filter((o) => key(o.code) === want).map((o) => o.name));
  return names.size === 1 ? [...names][0]! : null;
}

/**
 * The name of each lead code through the document's owners table: the first owner with
 * exactly that code; else (tolerant) the one name of the owners whose code matches once
 * normalised (confusables folded), then case-insensitively, then with I/l/1 and O/0
 * treated as one letter; else null. Ambiguous lenient matches give null.
 */
export function resolveLeads(codes: string[], owners: Owner[], options: ResolveLeadsOptions = {}): (string | null)[] {
  const tolerant = options.tolerant ?? true;
  const keys: ((code: string) => string)[] = [
    (c) => normaliseText(c),
    (c) => normaliseText(c).toLowerCase(),
    lenientKey,
  ];
  return codes.map((code) => {
    const exact = owners.find((o) => o.code === code);
    if (exact) return exact.name;
    if (!tolerant) return null;
    for (const key of keys) {
      const name = uniqueName(owners, key, code);
      if (name !== null) return name;
    }
    return null;
  });
}
