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
}

export const DEFAULT_REPAIR_SETTINGS: RepairSettings = { joinGap: 0.45 };

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
/** Glyphs a capital J or I at the head of a word is read as. */
const HEAD_GLYPHS: Record<string, string[]> = { '[': ['J', 'I'], '|': ['I', 'J', 'l'], '(': ['C'], '{': ['J'] };

const LETTERS = /^[A-Za-z]+$/;

/** Is this (without its punctuation around it) an English word, or no word at all to judge? */
function known(token: string, dict: Set<string>): boolean {
  const core = token.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
  if (!core || !LETTERS.test(core)) return true; // numbers, refs, codes: not ours to judge
  if (core.length === 1) return /^[aAI]$/.test(core);
  // All-capital words are acronyms (SEND, EHC, CQC) more often than not.
  if (core.length <= 5 && core === core.toUpperCase()) return true;
  return dict.has(core.toLowerCase());
}

function split(token: string): [string, string, string] {
  const m = /^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/u.exec(token)!;
  return [m[1]!, m[2]!, m[3]!];
}

/** The word with one confusion undone, when exactly that makes it English; else null. */
export function unconfuse(token: string, dict: Set<string> = englishWords()): string | null {
  // A capital read as a bracket or bar stuck to the rest of its word: "[oint", "|nclusion".
  const head = /^([[|({])([a-z]{2,})([^\p{L}\p{N}]*)$/u.exec(token);
  if (head)
    for (const cap of HEAD_GLYPHS[head[1]!] ?? []) {
      const word = cap + head[2]!;
      if (dict.has(word.toLowerCase())) return word + head[3]!;
    }
  const [lead, core, tail] = split(token);
  if (!core || core.length < 3 || !/^[A-Za-z01]+$/.test(core) || known(core, dict)) return null;
  const found = new Set<string>();
  const lower = core.toLowerCase();
  for (const [from, to] of CONFUSIONS) {
    for (let i = lower.indexOf(from); i >= 0; i = lower.indexOf(from, i + 1)) {
      const candidate = lower.slice(0, i) + to + lower.slice(i + from.length);
      if (dict.has(candidate)) found.add(candidate);
    }
  }
  if (found.size !== 1) return null;
  const [fixed] = [...found];
  // Keep the reader's capitalisation of the first letter.
  const cased = core[0] === core[0]!.toUpperCase() && /[A-Z]/.test(core[0]!) ? fixed![0]!.toUpperCase() + fixed!.slice(1) : fixed!;
  return lead + cased + tail;
}

/** Short words OCR runs into the next ("orin", "ofthe"). */
const GLUE = new Set(['a', 'an', 'and', 'as', 'at', 'be', 'by', 'for', 'in', 'is', 'of', 'on', 'or', 'the', 'to', 'we', 'with']);

/** A run-together pair split at its space, when one side is a short function word and both are English. */
export function unglued(token: string, dict: Set<string> = englishWords()): [string, string] | null {
  const [lead, core, tail] = split(token);
  if (!/^[a-z]{4,}$/.test(core) || dict.has(core)) return null;
  for (let i = 1; i < core.length; i++) {
    const [a, b] = [core.slice(0, i), core.slice(i)];
    if ((GLUE.has(a) && dict.has(b) && b.length >= 2) || (GLUE.has(b) && dict.has(a) && a.length >= 2)) return [lead + a, b + tail];
  }
  return null;
}

/** The two words as one, when together (a head glyph read as a bracket restored) they make an English word and apart they do not. */
export function joined(a: string, b: string, dict: Set<string> = englishWords()): string | null {
  // A lone capital (not the words A and I) against an acronym: the acronym's first letter set wide ("J SNA").
  if (/^[B-HJ-Z]$/.test(a) && /^[A-Z]{2,}[^\p{L}\p{N}]*$/u.test(b)) return a + b;
  if (!/^[a-z]/.test(b) || (!HEAD_GLYPHS[a] && /[^\p{L}]$/u.test(a))) return null;
  const heads = HEAD_GLYPHS[a] ?? (LETTERS.test(a) ? [a] : []);
  if (!heads.length) return null;
  if (!HEAD_GLYPHS[a] && known(a, dict) && known(b, dict)) return null;
  const [, core, tail] = split(b);
  for (const head of heads) {
    const word = head + core;
    if (dict.has(word.toLowerCase())) return word + tail;
  }
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
      const per = (w.box[2] - w.box[0]) / (parts[0].length + parts[1].length + 1);
      const cut = w.box[0] + per * parts[0].length;
      return [
        { ...w, text: parts[0], box: [w.box[0], w.box[1], cut, w.box[3]] as [number, number, number, number] },
        { ...w, text: parts[1], box: [cut + per, w.box[1], w.box[2], w.box[3]] as [number, number, number, number] },
      ];
    }
    const fixed = unconfuse(w.text, dict);
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
  return restoreCodeDigits(restoreDots(words, tolerance), tolerance);
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
    const column = candidates.filter((c) => c.w !== w && Math.abs(c.w.box[0] - w.box[0]) <= tolerance && DOTTED.test(c.w.text.replace(/\.$/, '')));
    if (column.length < 2) continue;
    const depths = column.map((c) => c.w.text.replace(/\.$/, '').split('.').length);
    const depth = depths.sort((a, b) => depths.filter((d) => d === b).length - depths.filter((d) => d === a).length)[0]!;
    if (text.split('.').length >= depth || text.replace(/\./g, '').length < depth) continue;
    // The nearest reference above (the page's y grows downwards).
    const above = column.filter((c) => c.w.box[1] < w.box[1]).sort((a, b) => b.w.box[1] - a.w.box[1])[0];
    const prev = above ? above.w.text.replace(/\.$/, '').split('.').map(Number) : null;
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
