// What the profiles share while reading one document: the builder, the area the
// headings have opened, and small readers for refs and area labels.
import type { Area, BBox, Provenance } from '../../schemas/index.js';
import { normaliseText } from '../normalise.js';
import { PlanBuilder, provenanceOf } from './builder.js';
import { ratingOfFill } from './cells.js';
import type { FillRater } from './shades.js';
import { areaHeading, NUMBER_WORDS, REF_PATTERNS, SECTION_TITLE_SUFFIX } from './settings.js';

export interface AreaLabel {
  ref: string | null;
  displayRef: string;
  title: string;
  raw: string;
}

/** "AREA 1- Absence of ...", "Work stream 2 – Embedding ...", "Safeguarding Actions". */
export function parseAreaLabel(raw: string): AreaLabel {
  const text = normaliseText(raw);
  const m = areaHeading(text);
  if (m) {
    const n = m[2]!;
    const ref = NUMBER_WORDS[n.toLowerCase()] ?? n.toUpperCase();
    // A heading's closing full stop is punctuation, not part of the title.
    const title = (m[3] ?? '').replace(/^[:.\-–—\s]+/, '').replace(/\.$/, '').trim();
    return { ref, displayRef: `${m[1]!.replace(/\s+/g, ' ')} ${n}`.trim(), title, raw };
  }
  const title = text.replace(SECTION_TITLE_SUFFIX, '').trim();
  return { ref: null, displayRef: title, title, raw };
}

export interface PendingArea {
  label: AreaLabel;
  provenance: Provenance;
  area: Area | null;
}

export class ParseContext {
  readonly b = new PlanBuilder();
  /** What a rating cell's fill means in this document (by hue; by the legend's shades in a greyscale scan). */
  rateFill: FillRater = ratingOfFill;
  pending: PendingArea | null = null;
  private unnamed = 0;

  openArea(raw: string, page: number, bbox: BBox): void {
    this.pending = { label: parseAreaLabel(raw), provenance: provenanceOf(page, bbox), area: null };
  }

  /** The open area as a record; an area printed with no number takes its ref from its objectives' letter ("A1" -> "A"). */
  currentArea(objectiveRef?: string): Area | null {
    const p = this.pending;
    if (!p) return null;
    if (p.area) return p.area;
    let ref = p.label.ref;
    if (!ref) {
      const letter = objectiveRef ? /^([A-Z])\d/.exec(objectiveRef)?.[1] : undefined;
      ref = letter ?? `S${++this.unnamed}`;
    }
    p.area = this.b.area(ref, p.label.displayRef, p.label.title, p.label.raw, p.provenance);
    return p.area;
  }
}

export interface LeadingRef {
  kind: 'dotted' | 'roman' | 'number' | 'letter' | 'objective';
  value: string;
  printed: string;
  rest: string;
}

/** The reference a cell's text starts with, if any ("1.2.3 Develop ...", "ii. Review ...", "Objective A1 ..."). */
export function leadingRef(text: string): LeadingRef | null {
  const t = text.trim();
  for (const kind of ['objective', 'dotted', 'roman', 'number', 'letter'] as const) {
    const m = REF_PATTERNS[kind].exec(t);
    if (!m || !m[1]) continue;
    return { kind, value: kind === 'roman' || kind === 'letter' ? m[1].toLowerCase() : m[1], printed: m[0], rest: t.slice(m[0].length).trim() };
  }
  return null;
}

const ROMAN_NUMERALS = ['i', 'ii', 'iii', 'iv', 'v', 'vi', 'vii', 'viii', 'ix', 'x', 'xi', 'xii', 'xiii', 'xiv', 'xv', 'xvi', 'xvii', 'xviii', 'xix', 'xx'];

/**
 * A roman item number a scan misread, for a column that numbers its items in roman
 * numerals: i's read as digits or look-alike letters ("1." for i., "11." for ii., "1ii."
 * for iii.), after specks read as punctuation (") } ) ii."). Null where the text starts
 * with no such token; a column of arabic numbers must not be read with this.
 */
export function romanLookalikeRef(text: string): LeadingRef | null {
  const t = text.trim();
  const m = /^((?:[^\p{L}\p{N}\s]{1,3}\s+){0,4})(\(?([1lI|ivx]{1,5})[.)])(?=\s|$)/u.exec(t);
  if (!m) return null;
  const value = m[3]!.replace(/[1lI|]/g, 'i');
  if (!ROMAN_NUMERALS.includes(value)) return null;
  return { kind: 'roman', value, printed: m[2]!, rest: t.slice(m[0].length).trim() };
}

/** The roman numeral after this one ("ii" -> "iii"); null past xx. */
export function nextRomanNumeral(value: string): string | null {
  const i = ROMAN_NUMERALS.indexOf(value.toLowerCase());
  return i >= 0 && i + 1 < ROMAN_NUMERALS.length ? ROMAN_NUMERALS[i + 1]! : null;
}

/**
 * A reference printed with dots and read without them ("414" under objective 4.1, a scan
 * lost the dots): the objective's reference and the digits after its own, when the digits
 * start with the objective's. Null for anything else.
 */
export function undottedRef(text: string, parentRef: string | null | undefined): string | null {
  const m = /^(\d{2,6})\.?$/.exec(text.trim());
  if (!m || !parentRef || !/^\d+(\.\d+)*$/.test(parentRef)) return null;
  const head = parentRef.replace(/\./g, '');
  const digits = m[1]!;
  // A year is a year; an item number has one or two digits.
  if (/^(19|20)\d\d$/.test(digits) || !digits.startsWith(head) || digits.length === head.length || digits.length - head.length > 2 || digits[head.length] === '0') return null;
  return `${parentRef}.${digits.slice(head.length)}`;
}

/**
 * An objective's number printed with its area's and read without the dot ("Objective 24"
 * for 2.4 under area 2): the dotted ref when the digits are the area's and then the next
 * objective's number, else null ("24" as the 24th objective stays 2.24).
 */
export function undottedObjectiveRef(value: string, area: Area): string | null {
  if (!/^\d{2,4}$/.test(value) || !/^\d+$/.test(area.ref) || !value.startsWith(area.ref)) return null;
  const next = String(area.objectives.length + 1);
  return value.slice(area.ref.length) === next && value !== next ? `${area.ref}.${next}` : null;
}

/** Letters a scan reads for one another in an item marker ("h." for b.). */
const LETTER_LOOKALIKES: Record<string, string> = { b: 'h6', c: 'eo', e: 'c', g: 'q9', h: 'b', i: 'l1j', l: 'i1', o: 'c0', q: 'g', s: '5', z: '2' };

/** A letter marker read as a look-alike of the one expected next ("h." where b. comes): the expected letter, else null. */
export function letterLookalike(read: string, expected: string): string | null {
  return read !== expected && (LETTER_LOOKALIKES[expected] ?? '').includes(read.toLowerCase()) ? expected : null;
}

/** Depth of a dotted ref: "1.2.3" -> 3. */
export const depthOf = (ref: string) => ref.split('.').length;
export const parentRefOf = (ref: string) => ref.split('.').slice(0, -1).join('.');
