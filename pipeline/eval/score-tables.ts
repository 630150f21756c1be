// The table metric of ../shared/tools/score-tables.py (the ICDAR 2013 Table Competition's
// "complete process" evaluation), in the project so that table scores need nothing outside
// it; test/score-tables.test.ts checks that both give the same figures on the same files.
//
// Structure: from every non-blank cell an adjacency relation goes to the nearest non-blank,
// different cell to its right (each row it occupies) and below (each column it occupies);
// a relation is (from text, to text, direction, blanks skipped), text with ASCII whitespace
// deleted and upper-cased. Truth tables are paired, in file order, with the unpaired result
// table on the same page having the most correct relations; precision and recall are per
// document, then averaged, and F1 is taken from the two means. Detection: each truth region
// is paired with the unused result table on its page that overlaps it most and is found
// when their IoU >= 0.5. The eu-009a document has a second truth (eu-009b); the better
// counts. eu-015 (/Rotate 90) has its truth in the turned page's coordinates, mapped back
// through pages.json.
//
// Same numbers as the Python on every input it accepts. Where the Python would stop with a
// traceback on a malformed prediction file (the top level not an object, "tables" or
// "cells" not a list, a table or cell not an object, a non-string text, an infinite page
// number) this port carries on instead: the file is reported as unreadable, the bad entry
// is skipped, the text is converted with String(). Python's JSON reader also takes NaN and
// Infinity literals, which JSON.parse does not (such files count as unreadable here).
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type Box = [number, number, number, number];

// ------------------------------------------------------------------- public types --

/** One cell of a truth table, as written in NAME-str.xml (region increments applied). */
export interface TruthCell {
  /** All the text inside the <cell> element, as ElementTree's itertext() gives it. */
  text: string;
  page: number;
  startRow: number;
  endRow: number;
  startCol: number;
  endCol: number;
  /** Cell box in unrotated PDF user space, or null when the cell has no usable box. */
  bbox: Box | null;
}
export interface TruthTable {
  /** The page of the table's last region (the page it is paired on). */
  page: number;
  cells: TruthCell[];
}
export interface TruthRegion {
  /** Index of the <table> in NAME-reg.xml (tables are matched to -str.xml by index). */
  table: number;
  page: number;
  bbox: Box;
}
export interface TruthVariant {
  /** NAME, or NAMEb for the second reading of a NAMEa document. */
  variant: string;
  tables: TruthTable[];
  regions: TruthRegion[];
}
export interface TruthDocument {
  collection: string;
  /** The PDF's name without .pdf; predictions are read from NAME.json. */
  name: string;
  variants: TruthVariant[];
}

export interface PredictedCell {
  row: number;
  col: number;
  rowSpan?: number;
  colSpan?: number;
  text?: string;
  bbox?: number[] | null;
}
export interface PredictedTable {
  page: number;
  bbox?: number[] | null;
  cells: PredictedCell[];
}
export interface PredictedDocument {
  file?: string;
  tables: PredictedTable[];
}
/** A prediction that exists but could not be read; `unreadable` names the reason. */
export interface UnreadablePrediction {
  unreadable: string;
}
export type PredictionEntry = PredictedDocument | UnreadablePrediction;

export type Normalisation = 'official' | 'unicode';
export interface ScoreOptions {
  /** Detection IoU threshold (the Python's --iou), default 0.5. */
  iou?: number;
  /** 'official' deletes ASCII whitespace; 'unicode' all Unicode whitespace (--norm). */
  norm?: Normalisation;
  /** Only a label in the result (the Python's subset); default from the documents' collections. */
  subset?: string;
  /** Only a label in the result (the Python's pred_dir). */
  predDir?: string;
}

export interface StructureDocScore {
  gt: number;
  detected: number;
  correct: number;
  precision: number;
  recall: number;
  f1: number;
  gt_tables: number;
  paired_tables: number;
  fp_tables: number;
  /** Per truth table: [truth relations, correct, relations of the paired table or null]. */
  tables: [number, number, number | null][];
  /** Relations of each result table left unpaired. */
  fp_relations: number[];
}
export interface DetectionDocScore {
  gt_regions: number;
  pred_tables: number;
  tp: number;
  precision: number;
  recall: number;
  f1: number;
  paired: number;
  complete: number;
  pure: number;
}
export interface DocumentScore {
  name: string;
  collection: string;
  variant: string;
  /** "ok", "missing" or "unreadable (Reason)". */
  prediction: string;
  structure: StructureDocScore;
  detection: DetectionDocScore;
}
export interface StructurePooled {
  correct: number;
  detected: number;
  gt: number;
  gt_tables: number;
  paired_tables: number;
  fp_tables: number;
  precision: number;
  recall: number;
  f1: number;
}
export interface DetectionPooled {
  tp: number;
  pred_tables: number;
  gt_regions: number;
  paired: number;
  complete: number;
  pure: number;
  precision: number;
  recall: number;
  f1: number;
}
/** Totals; with no documents only `documents: 0` is present, as in the Python. */
export interface Totals<P> {
  documents: number;
  /** Mean per-document precision (the competition's figure). */
  precision?: number;
  recall?: number;
  /** Harmonic mean of the mean precision and the mean recall. */
  f1?: number;
  mean_document_f1?: number;
  pooled?: P;
}
export interface TablesScore {
  subset: string;
  pred_dir: string;
  normalisation: Normalisation;
  missing_predictions: number;
  structure: Totals<StructurePooled>;
  detection: Totals<DetectionPooled> & { iou_threshold: number };
  documents: DocumentScore[];
}

// ------------------------------------------------------------- Python semantics --

// str.isspace() / re's \s on str: what Python's strip() and --norm unicode remove.
const PY_WS = '\\t\\n\\x0b\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const JAVA_WS_RE = /[ \t\n\x0b\f\r]/g;
const UNICODE_WS_RE = new RegExp(`[${PY_WS}]`, 'g');
const PY_STRIP_RE = new RegExp(`^[${PY_WS}]+|[${PY_WS}]+$`, 'g');

export function normalizeText(text: string, norm: Normalisation = 'official'): string {
  return (text || '').replace(norm === 'unicode' ? UNICODE_WS_RE : JAVA_WS_RE, '').toUpperCase();
}

/** Python's builtin min(a, b) / max(a, b): the first argument unless the second compares strictly better. */
const pyMin = (a: number, b: number) => (b < a ? b : a);
const pyMax = (a: number, b: number) => (b > a ? b : a);
/** Python's a % n for n > 0 (the result takes the sign of n). */
const pyMod = (a: number, n: number) => ((a % n) + n) % n;

function pyTruthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false) return false;
  if (typeof v === 'number') return v !== 0; // NaN is truthy in Python
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

const INT_RE = /^[+-]?\d(?:_?\d)*$/;
const FLOAT_RE = /^[+-]?(?:(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?)$/;
const SPECIAL_RE = /^([+-]?)(inf|infinity|nan)$/i;

/** Python's int(v) for a value from JSON or XML; null where Python raises TypeError/ValueError. */
function pyInt(v: unknown): number | null {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) + 0 : null;
  if (typeof v === 'string') {
    const s = v.replace(PY_STRIP_RE, '');
    return INT_RE.test(s) ? Number.parseInt(s.replace(/_/g, ''), 10) : null;
  }
  return null;
}

/** Python's float(v); null where Python raises TypeError/ValueError. */
function pyFloat(v: unknown): number | null {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const s = v.replace(PY_STRIP_RE, '');
    if (FLOAT_RE.test(s)) return Number(s.replace(/_/g, ''));
    const m = SPECIAL_RE.exec(s);
    if (m) return m[2]!.toLowerCase() === 'nan' ? NaN : m[1] === '-' ? -Infinity : Infinity;
  }
  return null;
}

/** Python's iteration over a JSON value; null where it is not iterable. */
function pyIter(v: unknown): unknown[] | null {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (v !== null && typeof v === 'object') return Object.keys(v);
  return null;
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Python's "%.<digits>f": correctly rounded, ties to even, on the exact binary value. */
export function pyFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const neg = x < 0 || Object.is(x, -0);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const e = Number((bits >> 52n) & 0x7ffn);
  const f = bits & ((1n << 52n) - 1n);
  const mant = e === 0 ? f : f | (1n << 52n);
  const exp = e === 0 ? -1074 : e - 1075;
  const num = mant * 10n ** BigInt(digits);
  let q: bigint;
  if (exp >= 0) q = num << BigInt(exp);
  else {
    const den = 1n << BigInt(-exp);
    q = num / den;
    const r2 = (num % den) * 2n;
    if (r2 > den || (r2 === den && q % 2n === 1n)) q += 1n;
  }
  let s = q.toString();
  if (digits > 0) {
    s = s.padStart(digits + 1, '0');
    s = `${s.slice(0, -digits)}.${s.slice(-digits)}`;
  }
  return (neg ? '-' : '') + s;
}

// ------------------------------------------------------------------------ tables --

const H = 1;
const V = 2;

interface GCell {
  id: number;
  norm: string;
}

/** A table as the evaluator sees it: a matrix of cell references. */
class Grid {
  readonly pos = new Map<string, GCell>();
  nrows = 0;
  ncols = 0;
  private rels: string[] | null = null;
  private nextId = 0;
  constructor(
    readonly page: number,
    private readonly norm: Normalisation,
  ) {}

  add(text: string, r0: number, r1: number, c0: number, c1: number): boolean {
    const cell: GCell = { id: this.nextId++, norm: normalizeText(text, this.norm) };
    if (!cell.norm) return false; // blank cells are not placed
    if (r0 < 0 || c0 < 0 || r1 < r0 || c1 < c0) return false;
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) this.pos.set(`${r},${c}`, cell); // a later cell overwrites
    this.nrows = Math.max(this.nrows, r1 + 1);
    this.ncols = Math.max(this.ncols, c1 + 1);
    this.rels = null;
    return true;
  }

  relations(): string[] {
    this.rels ??= adjacencyRelations(this);
    return this.rels;
  }
}

/** Port of Table.findAdjacencyRelations(); returns hashable keys. */
function adjacencyRelations(g: Grid): string[] {
  const get = (r: number, c: number) => g.pos.get(`${r},${c}`);
  const found: [GCell, GCell, number, number][] = [];
  for (let r = 0; r < g.nrows; r++) {
    let cFrom = 0;
    while (cFrom < g.ncols - 1) {
      let cTo = cFrom + 1;
      while (cTo < g.ncols) {
        const a = get(r, cFrom);
        const b = get(r, cTo);
        if (a && b && a !== b) {
          found.push([a, b, H, cTo - cFrom - 1]);
          break;
        }
        if (a && b && a === b) cFrom = cTo; // walk to the end of a spanning cell
        cTo++;
      }
      cFrom++;
    }
  }
  for (let c = 0; c < g.ncols; c++) {
    let rFrom = 0;
    while (rFrom < g.nrows - 1) {
      let rTo = rFrom + 1;
      while (rTo < g.nrows) {
        const a = get(rFrom, c);
        const b = get(rTo, c);
        if (a && b && a !== b) {
          found.push([a, b, V, rTo - rFrom - 1]);
          break;
        }
        if (a && b && a === b) rFrom = rTo;
        rTo++;
      }
      rFrom++;
    }
  }
  const seen = new Set<string>();
  const keys: string[] = [];
  for (const [a, b, d, blanks] of found) {
    const ident = `${a.id},${b.id},${d}`;
    if (seen.has(ident)) continue; // parallel link of a spanning cell: keep the first
    seen.add(ident);
    keys.push(JSON.stringify([a.norm, b.norm, d, blanks]));
  }
  return keys;
}

/** Size of the multiset intersection (= the Java greedy matching). */
function countCorrect(gtRels: string[], resRels: string[]): number {
  const pool = new Map<string, number>();
  for (const k of resRels) pool.set(k, (pool.get(k) ?? 0) + 1);
  let n = 0;
  for (const k of gtRels) {
    const left = pool.get(k) ?? 0;
    if (left > 0) {
      pool.set(k, left - 1);
      n++;
    }
  }
  return n;
}

// ------------------------------------------------------------------------- XML --

interface XmlElement {
  name: string;
  attrs: Map<string, string>;
  children: (XmlElement | string)[];
}

const XML_NAME = /[^\s/>=<"'!?]+/y;
const XMLNS = 'http://www.w3.org/XML/1998/namespace';

function decodeEntities(s: string, where: number): string {
  return s.replace(/&([^;&<\s]*);|&/g, (all, ent: string | undefined) => {
    if (ent === undefined) throw new Error(`XML: bare '&' near offset ${where}`);
    const known: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
    if (ent in known) return known[ent]!;
    const m = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(ent);
    if (m) {
      const cp = m[1] !== undefined ? Number.parseInt(m[1], 16) : Number.parseInt(m[2]!, 10);
      if (cp > 0x10ffff || cp === 0) throw new Error(`XML: bad character reference ${all}`);
      return String.fromCodePoint(cp);
    }
    throw new Error(`XML: undefined entity ${all} near offset ${where}`);
  });
}

/** Text of an XML file as expat decodes it (BOM or declared encoding). */
function decodeXml(buf: Buffer): string {
  if (buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder('utf-16le', { fatal: true }).decode(buf.subarray(2));
  if (buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder('utf-16be', { fatal: true }).decode(buf.subarray(2));
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(3));
  const head = buf.subarray(0, 200).toString('latin1');
  const enc = /^<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']/.exec(head)?.[1]?.toLowerCase() ?? 'utf-8';
  if (enc === 'iso-8859-1' || enc === 'latin-1' || enc === 'latin1') return buf.toString('latin1');
  if (enc === 'us-ascii' || enc === 'ascii') return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  return new TextDecoder(enc, { fatal: true }).decode(buf);
}

/**
 * Just enough of an XML parser for the competition's truth files, with the results
 * ElementTree gives: entities and character references decoded, CDATA kept as text,
 * comments and processing instructions dropped, line ends normalised, attribute
 * whitespace turned into spaces, namespaced element names written {uri}local.
 */
function parseXml(raw: string): XmlElement {
  const src = raw.replace(/\r\n?/g, '\n');
  let i = 0;
  const fail = (msg: string): never => {
    throw new Error(`XML: ${msg} at offset ${i}`);
  };
  const skipWs = () => {
    while (i < src.length && /[ \t\n]/.test(src[i]!)) i++;
  };
  const skipMisc = (allowDoctype: boolean) => {
    for (;;) {
      skipWs();
      if (src.startsWith('<?', i)) {
        const end = src.indexOf('?>', i + 2);
        if (end < 0) fail('unterminated processing instruction');
        i = end + 2;
      } else if (src.startsWith('<!--', i)) {
        const end = src.indexOf('-->', i + 4);
        if (end < 0) fail('unterminated comment');
        i = end + 3;
      } else if (allowDoctype && src.startsWith('<!DOCTYPE', i)) {
        let depth = 0;
        for (i += 9; i < src.length; i++) {
          const ch = src[i];
          if (ch === '[') depth++;
          else if (ch === ']') depth--;
          else if (ch === '>' && depth <= 0) break;
        }
        if (i >= src.length) fail('unterminated DOCTYPE');
        i++;
      } else return;
    }
  };
  const readName = (): string => {
    XML_NAME.lastIndex = i;
    const m = XML_NAME.exec(src);
    if (!m) return fail('name expected');
    i += m[0].length;
    return m[0];
  };
  type Scope = Map<string, string>;
  const resolve = (qname: string, scope: Scope, isElement: boolean): string => {
    const colon = qname.indexOf(':');
    if (colon < 0) {
      const uri = isElement ? scope.get('') : undefined;
      return uri ? `{${uri}}${qname}` : qname;
    }
    const prefix = qname.slice(0, colon);
    const uri = scope.get(prefix);
    if (uri === undefined) return fail(`unbound prefix ${prefix}`);
    return `{${uri}}${qname.slice(colon + 1)}`;
  };
  const element = (outer: Scope): XmlElement => {
    if (src[i] !== '<') fail("'<' expected");
    i++;
    const qname = readName();
    const rawAttrs: [string, string][] = [];
    let empty = false;
    for (;;) {
      const before = i;
      skipWs();
      if (src.startsWith('/>', i)) {
        i += 2;
        empty = true;
        break;
      }
      if (src[i] === '>') {
        i++;
        break;
      }
      if (i === before) fail('whitespace expected before attribute');
      const an = readName();
      skipWs();
      if (src[i] !== '=') fail("'=' expected");
      i++;
      skipWs();
      const q = src[i];
      if (q !== '"' && q !== "'") return fail('quoted attribute value expected');
      const end = src.indexOf(q, i + 1);
      if (end < 0) fail('unterminated attribute value');
      const val = src.slice(i + 1, end);
      if (val.includes('<')) fail("'<' in attribute value");
      if (rawAttrs.some(([n]) => n === an)) fail(`duplicate attribute ${an}`);
      rawAttrs.push([an, decodeEntities(val.replace(/[\t\n]/g, ' '), i)]);
      i = end + 1;
    }
    const scope: Scope = new Map(outer);
    for (const [n, v] of rawAttrs) {
      if (n === 'xmlns') scope.set('', v);
      else if (n.startsWith('xmlns:')) scope.set(n.slice(6), v);
    }
    const attrs = new Map<string, string>();
    for (const [n, v] of rawAttrs) if (n !== 'xmlns' && !n.startsWith('xmlns:')) attrs.set(resolve(n, scope, false), v);
    const el: XmlElement = { name: resolve(qname, scope, true), attrs, children: [] };
    if (empty) return el;
    for (;;) {
      if (i >= src.length) fail(`unclosed element ${qname}`);
      if (src.startsWith('</', i)) {
        i += 2;
        const close = readName();
        if (close !== qname) fail(`mismatched tag </${close}> for <${qname}>`);
        skipWs();
        if (src[i] !== '>') fail("'>' expected");
        i++;
        return el;
      }
      if (src.startsWith('<!--', i)) {
        const end = src.indexOf('-->', i + 4);
        if (end < 0) fail('unterminated comment');
        i = end + 3;
      } else if (src.startsWith('<![CDATA[', i)) {
        const end = src.indexOf(']]>', i + 9);
        if (end < 0) fail('unterminated CDATA section');
        el.children.push(src.slice(i + 9, end));
        i = end + 3;
      } else if (src.startsWith('<?', i)) {
        const end = src.indexOf('?>', i + 2);
        if (end < 0) fail('unterminated processing instruction');
        i = end + 2;
      } else if (src[i] === '<') {
        el.children.push(element(scope));
      } else {
        let end = src.indexOf('<', i);
        if (end < 0) end = src.length;
        el.children.push(decodeEntities(src.slice(i, end), i));
        i = end;
      }
    }
  };
  if (src.charCodeAt(0) === 0xfeff) i = 1;
  skipMisc(true);
  const root = element(new Map([['xml', XMLNS]]));
  skipMisc(false);
  if (i < src.length) fail('junk after document element');
  return root;
}

/** ElementTree's Element.iter(tag): the element itself and its descendants, in document order. */
function* iterTag(el: XmlElement, tag: string): Generator<XmlElement> {
  if (el.name === tag) yield el;
  for (const ch of el.children) if (typeof ch !== 'string') yield* iterTag(ch, tag);
}
/** ElementTree's itertext() joined. */
function itertext(el: XmlElement): string {
  return el.children.map((ch) => (typeof ch === 'string' ? ch : itertext(ch))).join('');
}
/** ElementTree's Element.find(tag): the first direct child with that name. */
const findChild = (el: XmlElement, tag: string) => el.children.find((ch): ch is XmlElement => typeof ch !== 'string' && ch.name === tag);

function readXmlFile(file: string): XmlElement {
  try {
    return parseXml(decodeXml(readFileSync(file)));
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
}

// ----------------------------------------------------------------------- truth --

type PagesInfo = Record<string, { pages?: { mediabox: number[]; rotate?: number }[] } | null>;

function loadPages(dataDir: string): PagesInfo {
  const file = path.join(dataDir, 'pages.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as PagesInfo) : {};
}

/**
 * Map truth coordinates of a /Rotate 90 page to unrotated user space. The -reg.xml boxes
 * use display x and y; the -str.xml cell boxes display x and display y shifted up by H - W.
 */
function gtPointFixer(pages: PagesInfo, name: string, page: number, kind: 'reg' | 'str'): ((b: Box) => Box) | null {
  const info = pages[name]?.pages || [];
  if (page < 1 || page > info.length) return null;
  const p = info[page - 1]!;
  if (pyMod(p.rotate ?? 0, 360) !== 90) return null;
  const [x0m, y0m, x1m, y1m] = p.mediabox as Box;
  const w = x1m - x0m;
  const h = y1m - y0m;
  const shift = kind === 'str' ? h - w : 0.0;
  return ([xa, ya, xb, yb]) => {
    const yaD = ya - shift;
    const ybD = yb - shift;
    return [x1m - ybD, y0m + xa, x1m - yaD, y0m + xb];
  };
}

function bboxAttr(el: XmlElement): Box | null {
  const bb = findChild(el, 'bounding-box');
  if (!bb) return null;
  const x1 = pyFloat(bb.attrs.get('x1') ?? null);
  const x2 = pyFloat(bb.attrs.get('x2') ?? null);
  const y1 = pyFloat(bb.attrs.get('y1') ?? null);
  const y2 = pyFloat(bb.attrs.get('y2') ?? null);
  if (x1 === null || x2 === null || y1 === null || y2 === null) return null;
  return [pyMin(x1, x2), pyMin(y1, y2), pyMax(x1, x2), pyMax(y1, y2)];
}

function intAttr(el: XmlElement, name: string, file: string, fallback?: number): number {
  const raw = el.attrs.get(name);
  if (raw === undefined && fallback !== undefined) return fallback;
  const v = pyInt(raw ?? null);
  if (v === null) throw new Error(`${file}: <${el.name}> has no integer ${name} (${JSON.stringify(raw ?? null)})`);
  return v;
}

function loadGtStructure(file: string, name: string, pages: PagesInfo): TruthTable[] {
  const root = readXmlFile(file);
  const tables: TruthTable[] = [];
  for (const t of iterTag(root, 'table')) {
    const regions = [...iterTag(t, 'region')];
    const page = regions.length ? intAttr(regions[regions.length - 1]!, 'page', file) : 0;
    const cells: TruthCell[] = [];
    for (const reg of regions) {
      const rpage = intAttr(reg, 'page', file);
      const ci = pyTruthy(reg.attrs.get('col-increment')) ? intAttr(reg, 'col-increment', file) : 0;
      const ri = pyTruthy(reg.attrs.get('row-increment')) ? intAttr(reg, 'row-increment', file) : 0;
      const fix = gtPointFixer(pages, name, rpage, 'str');
      for (const c of iterTag(reg, 'cell')) {
        const sc = intAttr(c, 'start-col', file);
        const ec = intAttr(c, 'end-col', file, sc);
        const sr = intAttr(c, 'start-row', file);
        const er = intAttr(c, 'end-row', file, sr);
        const b = bboxAttr(c);
        cells.push({
          text: itertext(c),
          page: rpage,
          startRow: sr + ri,
          endRow: er + ri,
          startCol: sc + ci,
          endCol: ec + ci,
          bbox: b && fix ? fix(b) : b,
        });
      }
    }
    tables.push({ page, cells });
  }
  return tables;
}

function loadGtRegions(file: string, name: string, pages: PagesInfo): TruthRegion[] {
  const root = readXmlFile(file);
  const regions: TruthRegion[] = [];
  let ti = 0;
  for (const t of iterTag(root, 'table')) {
    for (const reg of iterTag(t, 'region')) {
      const b = bboxAttr(reg);
      if (!b) continue;
      const page = intAttr(reg, 'page', file);
      const fix = gtPointFixer(pages, name, page, 'reg');
      regions.push({ table: ti, page, bbox: fix ? fix(b) : b });
    }
    ti++;
  }
  return regions;
}

const byCodePoint = (a: string, b: string) => {
  const x = [...a].map((c) => c.codePointAt(0)!);
  const y = [...b].map((c) => c.codePointAt(0)!);
  for (let k = 0; k < Math.min(x.length, y.length); k++) if (x[k] !== y[k]) return x[k]! - y[k]!;
  return x.length - y.length;
};

/** The dataset folder: `dir` itself, or `dir/icdar2013` when given ../shared/tables. */
function dataDirOf(tablesDir: string): string {
  const has = (d: string) => ['eu', 'us', 'pages.json'].some((f) => existsSync(path.join(d, f)));
  if (!has(tablesDir) && has(path.join(tablesDir, 'icdar2013'))) return path.join(tablesDir, 'icdar2013');
  return tablesDir;
}

/**
 * The truth of every PDF of a collection ('eu', 'us' or 'all'), in the Python's order:
 * collections eu then us, files sorted by name; NAMEa gets a second variant NAMEb when
 * NAMEb-str.xml exists. `tablesDir` is the dataset folder (the Python's --data, holding
 * eu/, us/ and pages.json) or its parent (../shared/tables).
 */
export function readTruth(tablesDir: string, subset: 'eu' | 'us' | 'all' | string): TruthDocument[] {
  if (!['eu', 'us', 'all'].includes(subset)) throw new Error(`subset must be eu, us or all, not ${JSON.stringify(subset)}`);
  const dataDir = dataDirOf(tablesDir);
  const pages = loadPages(dataDir);
  const docs: TruthDocument[] = [];
  for (const coll of ['eu', 'us']) {
    if (subset !== 'all' && subset !== coll) continue;
    const d = path.join(dataDir, coll);
    if (!existsSync(d)) throw new Error(`no ${coll} folder in ${dataDir}`); // the Python stops here too
    const files = new Set(readdirSync(d));
    for (const f of [...files].sort(byCodePoint)) {
      if (!f.endsWith('.pdf')) continue;
      const name = f.slice(0, -4);
      const variants = [name];
      if (name.endsWith('a') && files.has(`${name.slice(0, -1)}b-str.xml`)) variants.push(`${name.slice(0, -1)}b`);
      docs.push({
        collection: coll,
        name,
        variants: variants.map((v) => ({
          variant: v,
          tables: loadGtStructure(path.join(d, `${v}-str.xml`), name, pages),
          regions: loadGtRegions(path.join(d, `${v}-reg.xml`), name, pages),
        })),
      });
    }
  }
  return docs;
}

// ------------------------------------------------------------------ prediction --

interface PTable {
  grid: Grid;
  page: number;
  bbox: Box | null;
}

function normBox(b: unknown): Box | null {
  const items = pyIter(b);
  if (!items) return null;
  const v: number[] = [];
  for (const x of items) {
    const f = pyFloat(x);
    if (f === null) return null;
    v.push(f);
  }
  if (v.length !== 4) return null;
  const [x0, y0, x1, y1] = v as Box;
  return [pyMin(x0, x1), pyMin(y0, y1), pyMax(x0, x1), pyMax(y0, y1)];
}

/** The Python's load_prediction on an already parsed file. */
function predictionTables(obj: unknown, norm: Normalisation): PTable[] {
  const tables: PTable[] = [];
  const list = isObj(obj) ? obj.tables : null;
  if (!Array.isArray(list)) return tables;
  for (const t of list) {
    if (!isObj(t)) continue;
    const page = pyInt(t.page ?? null);
    if (page === null) continue;
    const grid = new Grid(page, norm);
    const boxes: (Box | null)[] = [];
    for (const c of Array.isArray(t.cells) ? t.cells : []) {
      if (!isObj(c)) continue;
      const r = pyInt(c.row ?? null);
      const col = pyInt(c.col ?? null);
      const rs = pyInt(pyTruthy(c.rowSpan) ? c.rowSpan : 1);
      const cs = pyInt(pyTruthy(c.colSpan) ? c.colSpan : 1);
      if (r === null || col === null || rs === null || cs === null) continue;
      const text = pyTruthy(c.text) ? (typeof c.text === 'string' ? c.text : String(c.text)) : '';
      grid.add(text, r, r + Math.max(rs, 1) - 1, col, col + Math.max(cs, 1) - 1);
      if (pyTruthy(c.bbox)) boxes.push(normBox(c.bbox));
    }
    let bbox = pyTruthy(t.bbox) ? normBox(t.bbox) : null;
    if (bbox === null && boxes.length) {
      const ok = boxes.filter((b): b is Box => b !== null);
      if (ok.length) {
        const fold = (k: 0 | 1 | 2 | 3, f: (a: number, b: number) => number) => ok.map((b) => b[k]).reduce(f);
        bbox = [fold(0, pyMin), fold(1, pyMin), fold(2, pyMax), fold(3, pyMax)];
      }
    }
    tables.push({ grid, page, bbox });
  }
  return tables;
}

const OS_ERRORS: Record<string, string> = {
  ENOENT: 'FileNotFoundError',
  EISDIR: 'IsADirectoryError',
  EACCES: 'PermissionError',
  EPERM: 'PermissionError',
  ENOTDIR: 'NotADirectoryError',
};

/**
 * Read PRED_DIR/NAME.json as the Python does: absent -> undefined ("missing"); not
 * readable, not UTF-8 or not JSON -> { unreadable: Python's exception class name }.
 */
export function loadPredictionFile(predDir: string, name: string): PredictionEntry | undefined {
  const file = path.join(predDir, `${name}.json`);
  if (!existsSync(file)) return undefined;
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    return { unreadable: OS_ERRORS[(e as NodeJS.ErrnoException).code ?? ''] ?? 'OSError' };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf);
  } catch {
    return { unreadable: 'UnicodeDecodeError' };
  }
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch {
    return { unreadable: 'JSONDecodeError' };
  }
  if (!isObj(obj)) return { unreadable: 'not a JSON object' }; // the Python stops with AttributeError
  return obj as unknown as PredictedDocument;
}

function isUnreadable(p: unknown): p is UnreadablePrediction {
  return isObj(p) && typeof p.unreadable === 'string' && !('tables' in p);
}

// --------------------------------------------------------------------- scoring --

function prf(correct: number, detected: number, gt: number): [number, number, number] {
  const p = detected ? correct / detected : 0.0;
  const r = gt ? correct / gt : !detected ? 1.0 : 0.0;
  const f = p + r ? (2 * p * r) / (p + r) : 0.0;
  return [p, r, f];
}

interface GTable {
  grid: Grid;
  page: number;
  centres: [number, [number, number]][];
}

function truthGrids(tables: TruthTable[], norm: Normalisation): GTable[] {
  return tables.map((t) => {
    const grid = new Grid(t.page, norm);
    const centres: [number, [number, number]][] = [];
    for (const c of t.cells) {
      grid.add(c.text, c.startRow, c.endRow, c.startCol, c.endCol);
      const b = c.bbox;
      if (b && normalizeText(c.text, norm)) centres.push([c.page, [(b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0]]);
    }
    return { grid, page: t.page, centres };
  });
}

function scoreStructure(gtTables: GTable[], predTables: PTable[]): StructureDocScore {
  const remaining = [...predTables];
  let nGt = 0;
  let nDet = 0;
  let nCorr = 0;
  let paired = 0;
  const perTable: [number, number, number | null][] = [];
  for (const g of gtTables) {
    const gRels = g.grid.relations();
    nGt += gRels.length;
    let best: PTable | null = null;
    let bestC = -1;
    for (const p of remaining) {
      if (p.page !== g.page) continue;
      const c = countCorrect(gRels, p.grid.relations());
      if (c > bestC) {
        best = p;
        bestC = c;
      }
    }
    if (best) {
      remaining.splice(remaining.indexOf(best), 1);
      paired++;
      nCorr += bestC;
      nDet += best.grid.relations().length;
      perTable.push([gRels.length, bestC, best.grid.relations().length]);
    } else perTable.push([gRels.length, 0, null]);
  }
  for (const p of remaining) nDet += p.grid.relations().length; // false-positive tables
  const [precision, recall, f1] = prf(nCorr, nDet, nGt);
  return {
    gt: nGt,
    detected: nDet,
    correct: nCorr,
    precision,
    recall,
    f1,
    gt_tables: gtTables.length,
    paired_tables: paired,
    fp_tables: remaining.length,
    tables: perTable,
    fp_relations: remaining.map((p) => p.grid.relations().length),
  };
}

const area = (b: Box) => pyMax(0.0, b[2] - b[0]) * pyMax(0.0, b[3] - b[1]);
const inter = (a: Box, b: Box) => area([pyMax(a[0], b[0]), pyMax(a[1], b[1]), pyMin(a[2], b[2]), pyMin(a[3], b[3])]);
const inside = (pt: [number, number], b: Box, tol = 0.5) =>
  b[0] - tol <= pt[0] && pt[0] <= b[2] + tol && b[1] - tol <= pt[1] && pt[1] <= b[3] + tol;

function scoreDetection(gtRegions: TruthRegion[], gtTables: GTable[], predTables: PTable[], iouThr: number): DetectionDocScore {
  const unused = predTables.filter((p) => p.bbox !== null) as (PTable & { bbox: Box })[];
  let tp = 0;
  let complete = 0;
  let pure = 0;
  let paired = 0;
  // centres of truth cells, tagged with the truth region they fall in
  const cellTags: [number, [number, number], number | null][] = [];
  gtTables.forEach((t, ti) => {
    for (const [page, pt] of t.centres) {
      let tag: number | null = null;
      for (let ri = 0; ri < gtRegions.length; ri++) {
        const reg = gtRegions[ri]!;
        if (reg.page === page && reg.table === ti && inside(pt, reg.bbox, 1.0)) {
          tag = ri;
          break;
        }
      }
      cellTags.push([page, pt, tag]);
    }
  });
  gtRegions.forEach((reg, ri) => {
    let best: (PTable & { bbox: Box }) | null = null;
    let bestI = 0.0;
    for (const p of unused) {
      if (p.page !== reg.page) continue;
      const i = inter(reg.bbox, p.bbox);
      if (i > bestI || (i === bestI && i > 0 && best !== null && area(p.bbox) < area(best.bbox))) {
        best = p;
        bestI = i;
      }
    }
    if (best === null) return;
    const b = best;
    unused.splice(unused.indexOf(b), 1);
    paired++;
    const union = area(reg.bbox) + area(b.bbox) - bestI;
    if (union > 0 && bestI / union >= iouThr) tp++;
    const mine = cellTags.filter(([, , tag]) => tag === ri).map(([, pt]) => pt);
    const others = cellTags.filter(([pg, , tag]) => pg === reg.page && tag !== ri).map(([, pt]) => pt);
    if (mine.length && mine.every((pt) => inside(pt, b.bbox))) complete++;
    if (!others.some((pt) => inside(pt, b.bbox))) pure++;
  });
  const nPred = predTables.length;
  const nGt = gtRegions.length;
  const [precision, recall, f1] = prf(tp, nPred, nGt);
  return { gt_regions: nGt, pred_tables: nPred, tp, precision, recall, f1, paired, complete, pure };
}

function totals<K extends string>(
  rows: DocumentScore[],
  key: 'structure' | 'detection',
  numKeys: K[],
  pooledFrom: [K, K, K],
): Totals<Record<K, number> & { precision: number; recall: number; f1: number }> {
  const n = rows.length;
  if (!n) return { documents: 0 };
  const part = (r: DocumentScore) => r[key] as unknown as Record<string, number>;
  const sum = (f: (r: DocumentScore) => number) => rows.reduce((s, r) => s + f(r), 0);
  const mp = sum((r) => part(r).precision!) / n;
  const mr = sum((r) => part(r).recall!) / n;
  const f = mp + mr ? (2 * mp * mr) / (mp + mr) : 0.0;
  const sums = Object.fromEntries(numKeys.map((k) => [k, sum((r) => part(r)[k]!)])) as Record<K, number>;
  const [pp, pr, pf] = prf(sums[pooledFrom[0]], sums[pooledFrom[1]], sums[pooledFrom[2]]);
  return {
    documents: n,
    precision: mp,
    recall: mr,
    f1: f,
    mean_document_f1: sum((r) => part(r).f1!) / n,
    pooled: { ...sums, precision: pp, recall: pr, f1: pf },
  };
}

/**
 * Score predictions (NAME -> the prediction file's contents; an absent name counts as a
 * missing file, i.e. no tables) against the truth. Same result object as the Python's --json.
 */
export function scoreTables(truth: TruthDocument[], predictions: Map<string, PredictionEntry>, opts: ScoreOptions = {}): TablesScore {
  const iou = opts.iou ?? 0.5;
  const norm = opts.norm ?? 'official';
  const colls = new Set(truth.map((d) => d.collection));
  const subset = opts.subset ?? (colls.size === 1 ? [...colls][0]! : 'all');
  const rows: DocumentScore[] = truth.map((doc) => {
    const entry = predictions.get(doc.name);
    let status = 'ok';
    let preds: PTable[] = [];
    if (entry === undefined) status = 'missing';
    else if (isUnreadable(entry)) status = `unreadable (${entry.unreadable})`;
    else preds = predictionTables(entry, norm);
    let best: DocumentScore | null = null;
    for (const v of doc.variants) {
      const gtTables = truthGrids(v.tables, norm);
      const s = scoreStructure(gtTables, preds);
      const d = scoreDetection(v.regions, gtTables, preds, iou);
      const cand: DocumentScore = { name: doc.name, collection: doc.collection, variant: v.variant, prediction: status, structure: s, detection: d };
      if (best === null || s.f1 > best.structure.f1) best = cand;
    }
    if (!best) throw new Error(`${doc.name}: no truth variant`);
    return best;
  });
  const structure = totals(rows, 'structure', ['correct', 'detected', 'gt', 'gt_tables', 'paired_tables', 'fp_tables'], ['correct', 'detected', 'gt']);
  const detection = {
    ...totals(rows, 'detection', ['tp', 'pred_tables', 'gt_regions', 'paired', 'complete', 'pure'], ['tp', 'pred_tables', 'gt_regions']),
    iou_threshold: iou,
  };
  return {
    subset,
    pred_dir: opts.predDir ?? '',
    normalisation: norm,
    missing_predictions: rows.filter((r) => r.prediction !== 'ok').length,
    structure,
    detection,
    documents: rows,
  };
}

/** Read the truth of `subset` and score PRED_DIR/NAME.json against it (the Python's evaluate()). */
export function scoreTablesDir(tablesDir: string, predDir: string, subset: 'eu' | 'us' | 'all' | string, opts: Omit<ScoreOptions, 'subset' | 'predDir'> = {}): TablesScore {
  const truth = readTruth(tablesDir, subset);
  const preds = new Map<string, PredictionEntry>();
  for (const d of truth) {
    const p = loadPredictionFile(predDir, d.name);
    if (p !== undefined) preds.set(d.name, p);
  }
  return scoreTables(truth, preds, { ...opts, subset, predDir });
}

// ---------------------------------------------------------------------- report --

const pyPct = (x: unknown, digits: number) => pyFixed(Number(x), digits);

/** The Python's text report (print_report), character for character. */
export function formatTablesReport(res: TablesScore): string {
  const out: string[] = [];
  const w = (s: string) => out.push(s);
  const L = (s: unknown, n: number) => String(s).padEnd(n);
  const R = (s: unknown, n: number) => String(s).padStart(n);
  const F = (x: number, n: number) => R(pyFixed(x, 3), n);
  w(`ICDAR 2013 complete-process scores for ${res.pred_dir} (subset ${res.subset}, normalisation ${res.normalisation})\n\n`);
  w(
    `${L('doc', 8)} ${L('var', 4)} ${R('GTtab', 5)} ${R('tabs', 5)} ${R('GTrel', 6)} ${R('det', 6)} ${R('corr', 6)} ${R('P', 6)} ${R('R', 6)} ${R('F1', 6)} | ` +
      `${R('GTrg', 4)} ${R('pred', 4)} ${R('TP', 4)} ${R('detP', 6)} ${R('detR', 6)} ${R('cmpl', 4)} ${R('pure', 4)}  pred file\n`,
  );
  for (const r of res.documents) {
    const s = r.structure;
    const d = r.detection;
    const v = r.variant !== r.name ? [...r.variant].slice(-1).join('') : '-';
    w(
      `${L(r.name, 8)} ${L(v, 4)} ${R(s.gt_tables, 5)} ${R(s.paired_tables + s.fp_tables, 5)} ${R(s.gt, 6)} ${R(s.detected, 6)} ${R(s.correct, 6)} ` +
        `${F(s.precision, 6)} ${F(s.recall, 6)} ${F(s.f1, 6)} | ${R(d.gt_regions, 4)} ${R(d.pred_tables, 4)} ${R(d.tp, 4)} ` +
        `${F(d.precision, 6)} ${F(d.recall, 6)} ${R(d.complete, 4)} ${R(d.pure, 4)}  ${r.prediction}\n`,
    );
  }
  const st = res.structure;
  const de = res.detection;
  if (!st.documents || !st.pooled || !de.pooled) {
    w('\nno documents\n');
    return out.join('');
  }
  const sp = st.pooled;
  const dp = de.pooled;
  const f4 = (x: unknown) => pyPct(x, 4);
  w(`\nSTRUCTURE (adjacency relations, complete process), ${st.documents} documents\n`);
  w(`  per-document average (competition): P ${f4(st.precision)}  R ${f4(st.recall)}  F1 ${f4(st.f1)}   (mean per-doc F1 ${f4(st.mean_document_f1)})\n`);
  w(`  pooled over relations:             P ${f4(sp.precision)}  R ${f4(sp.recall)}  F1 ${f4(sp.f1)}   (${sp.correct} correct / ${sp.detected} detected / ${sp.gt} truth)\n`);
  w(`  tables: ${sp.gt_tables} truth, ${sp.paired_tables} paired, ${sp.fp_tables} unpaired result tables\n`);
  w(`DETECTION (region bbox, IoU >= ${pyFixed(de.iou_threshold, 2)})\n`);
  w(`  per-document average: P ${f4(de.precision)}  R ${f4(de.recall)}  F1 ${f4(de.f1)}\n`);
  w(`  pooled:               P ${f4(dp.precision)}  R ${f4(dp.recall)}  F1 ${f4(dp.f1)}   (${dp.tp} detected / ${dp.pred_tables} result tables / ${dp.gt_regions} truth regions)\n`);
  w(`  complete ${dp.complete} / ${dp.gt_regions} truth regions, pure ${dp.pure} / ${dp.paired} paired\n`);
  if (res.missing_predictions) w(`  (${res.missing_predictions} documents had no readable prediction file: scored as no tables)\n`);
  return out.join('');
}

// ------------------------------------------------------------------------- CLI --

const DEFAULT_DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/tables/icdar2013');
const USAGE = 'usage: score-tables.ts PRED_DIR [--subset eu|us|all] [--json] [--data DIR] [--iou T] [--norm official|unicode]';

function main(argv: string[]): number {
  let predDir: string | undefined;
  let subset = 'all';
  let json = false;
  let data = DEFAULT_DATA;
  let iou = 0.5;
  let norm: Normalisation = 'official';
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k]!;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? argv[++k] ?? '';
    if (flag === '--json') json = true;
    else if (flag === '--subset') subset = value();
    else if (flag === '--data') data = value();
    else if (flag === '--iou') iou = Number(value());
    else if (flag === '--norm') norm = value() as Normalisation;
    else if (flag === '-h' || flag === '--help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    } else if (!flag.startsWith('-') && predDir === undefined) predDir = a;
    else {
      process.stderr.write(`${USAGE}\nunexpected argument ${a}\n`);
      return 2;
    }
  }
  if (predDir === undefined || !['eu', 'us', 'all'].includes(subset) || !['official', 'unicode'].includes(norm) || Number.isNaN(iou)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const res = scoreTablesDir(data, predDir, subset, { iou, norm });
  process.stdout.write(json ? `${JSON.stringify(res, null, 1)}\n` : formatTablesReport(res));
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
