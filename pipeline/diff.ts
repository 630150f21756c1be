// The diff stage: two versions of one council's plan (flat records) -> a DiffDocument in
// which every record of either version is in exactly one entry (RECORDS.md, Diff).
//
// A chain of small steps over plain data, one record kind at a time from the top down
// (areas, objectives, actions, measures), because whether two records' parents were
// matched to each other is itself evidence and must be known first:
//
//   records -> tree (each record's parent record and ordinal among its siblings)
//           -> text vectors (folded, stopped, stemmed words; TF-IDF with natural's idf)
//           -> candidate pairs (share a word, share a ref, or sit under matched parents)
//           -> pair scores (text, ref, parent, position; see pairScore)
//           -> edges (pairs scoring at least the threshold)
//           -> connected groups of edges -> optimal one-to-one assignment per group
//              (Hungarian algorithm, maximising the summed margin over the threshold)
//           -> entries (changes classified, details attached)
//
// Refs are not text: they never enter the TF-IDF vectors (natural's tokenizer splits
// "1.2.3" into digits and its stopwords drop them); ref equality is a signal of its own.
import { createRequire } from 'node:module';
import { diffWords } from 'diff';
import {
  DiffDocument,
  SCHEMA_VERSION,
  type ChangeKind,
  type DiffDetails,
  type DiffEntry,
  type DocumentRef,
  type FlatRecord,
  type MatchSignal,
  type RatingColumn,
  type RecordKind,
} from '../schemas/index.js';

// ---------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------

/** Weights of the context signals; a signal a pair cannot have (a root has no parent) is left out and the rest renormalised. */
export interface SignalWeights {
  ref: number;
  parent: number;
  position: number;
}

export interface DiffSettings {
  /**
   * A pair is matched only if its score reaches this; below it both records are
   * removed/added. The assignment maximises the summed margin (score - threshold), so a
   * strong pair is not broken up to make two weak ones.
   */
  threshold: number;
  /** Share of the score that comes from text similarity when both texts are non-empty; the rest is context. */
  textWeight: number;
  /**
   * Context counts in full only once the texts are at least this similar, and in
   * proportion below it. Without this gate a new record that took a freed number under
   * the same parent (same ref, same parent, same position, unrelated text) would match
   * the removed one on context alone.
   */
  contextGate: number;
  /** Context weights for pairs whose texts are both non-empty. */
  contextWeights: SignalWeights;
  /**
   * Weights for pairs whose texts are both empty (001 prints measures as a number and
   * ratings, and objectives with no title): identity then comes from the parent's match
   * and the ordinal, so the parent dominates and a bare ref alone can never pass.
   */
  emptyTextWeights: SignalWeights;
  /** Share of the text similarity that is TF-IDF cosine; the rest is rescaled Jaro-Winkler. */
  cosineWeight: number;
  /**
   * Jaro-Winkler of unrelated plan sentences is already 0.55-0.75 (measured on the
   * fixtures: median 0.63, 99th percentile 0.85), so it is rescaled from this floor to 1
   * before it counts; it then helps only text that is close letter by letter (OCR damage,
   * a word cut in two).
   */
  jaroWinklerFloor: number;
  /** A signal is listed in an entry's `signals` when its value (0..1) reaches this. */
  signalMin: number;
}

/**
 * The defaults, calibrated on the three fixture version pairs (test/diff.test.ts). They
 * sit inside a wide band: precision and recall stay 1.0 on all three for any threshold
 * from 0.3 to 0.6, contextGate from 0 to 0.8 and textWeight from 0.6 to 0.8.
 */
export const DEFAULT_DIFF_SETTINGS: Readonly<DiffSettings> = Object.freeze({
  threshold: 0.5,
  textWeight: 0.65,
  contextGate: 0.4,
  contextWeights: Object.freeze({ ref: 0.4, parent: 0.35, position: 0.25 }),
  emptyTextWeights: Object.freeze({ ref: 0.2, parent: 0.55, position: 0.25 }),
  cosineWeight: 0.8,
  jaroWinklerFloor: 0.7,
  signalMin: 0.4,
});

const UNIT_SETTINGS = ['threshold', 'textWeight', 'contextGate', 'cosineWeight', 'jaroWinklerFloor', 'signalMin'] as const;
const WEIGHT_SETTINGS = ['contextWeights', 'emptyTextWeights'] as const;

/** Fills in defaults; rejects unknown settings and bad values with a message naming the setting. */
export function resolveDiffSettings(overrides: Partial<DiffSettings> = {}): DiffSettings {
  const known = new Set<string>([...UNIT_SETTINGS, ...WEIGHT_SETTINGS]);
  for (const key of Object.keys(overrides)) if (!known.has(key)) throw new Error(`diff setting ${key}: unknown setting`);
  const s: DiffSettings = {
    ...DEFAULT_DIFF_SETTINGS,
    contextWeights: { ...DEFAULT_DIFF_SETTINGS.contextWeights },
    emptyTextWeights: { ...DEFAULT_DIFF_SETTINGS.emptyTextWeights },
  };
  for (const key of UNIT_SETTINGS) {
    const v = overrides[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) throw new Error(`diff setting ${key}: must be a number from 0 to 1, got ${String(v)}`);
    s[key] = v;
  }
  if (s.threshold === 0) throw new Error('diff setting threshold: must be above 0 (at 0 every pair would match)');
  if (s.jaroWinklerFloor === 1) throw new Error('diff setting jaroWinklerFloor: must be below 1');
  for (const key of WEIGHT_SETTINGS) {
    const w = overrides[key];
    if (w === undefined) continue;
    for (const k of Object.keys(w)) if (!['ref', 'parent', 'position'].includes(k)) throw new Error(`diff setting ${key}.${k}: unknown weight`);
    const merged = { ...s[key], ...w };
    for (const [k, v] of Object.entries(merged))
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`diff setting ${key}.${k}: must be a number >= 0, got ${String(v)}`);
    if (merged.ref + merged.parent + merged.position <= 0) throw new Error(`diff setting ${key}: weights must not all be 0`);
    s[key] = merged;
  }
  return s;
}

// ---------------------------------------------------------------------------------------
// natural, only the parts used. Its index loads mongoose, pg and dotenv (0.7 s, and
// dotenv prints to stdout); these submodules need none of that.
// ---------------------------------------------------------------------------------------

interface NaturalParts {
  jaroWinkler: (a: string, b: string) => number;
  stem: (word: string) => string;
  stopwords: ReadonlySet<string>;
}
let naturalParts: NaturalParts | undefined;
function natural(): NaturalParts {
  if (!naturalParts) {
    const require = createRequire(import.meta.url);
    const jaroWinkler = require('natural/lib/natural/distance/jaro-winkler_distance.js') as NaturalParts['jaroWinkler'];
    const porter = require('natural/lib/natural/stemmers/porter_stemmer.js') as { stem: (w: string) => string };
    const { words } = require('natural/lib/natural/util/stopwords.js') as { words: string[] };
    const stems = new Map<string, string>(); // Porter costs ~6 us a word; plans repeat their words
    const stem = (w: string) => {
      let out = stems.get(w);
      if (out === undefined) {
        out = porter.stem(w);
        if (stems.size < 100_000) stems.set(w, out);
      }
      return out;
    };
    naturalParts = { jaroWinkler, stem, stopwords: new Set(words) };
  }
  return naturalParts;
}

// ---------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------

/** Text as compared for "reworded": NFKC, typographic quotes and dashes folded, one space. Case counts. */
export function comparableText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201B\u2032]/g, "'")
    .replace(/[\u201C\u201D\u201F\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A ref as the scorer compares it (../shared/tools/score-diff.mjs): no spaces, no trailing dot, lower case. */
export function comparableRef(ref: string | null): string {
  return ref == null ? '-' : ref.trim().toLowerCase().replace(/\s+/g, '').replace(/\.$/, '');
}

/**
 * The terms of a text for TF-IDF: lower-cased words, stopwords out, Porter stems.
 * Tokens with no letter (numbers, "0-18" halves, stray refs) are left out: digits say
 * little about what an action is and would pair records by their numbering.
 */
export function textTerms(text: string): string[] {
  return termsOfLower(comparableText(text).toLowerCase());
}

/** textTerms of a text already made comparable and lower-cased. */
function termsOfLower(lower: string): string[] {
  const { stem, stopwords } = natural();
  const words = lower.match(/[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu) ?? [];
  const out: string[] = [];
  for (const w of words) {
    if (!/\p{L}/u.test(w) || stopwords.has(w)) continue;
    out.push(stem(w.replace(/'s$/, '')));
  }
  return out;
}

/** A word-level diff (the diff package's diffWords) as {op, text} runs. */
export function wordDiff(from: string, to: string): { op: '=' | '+' | '-'; text: string }[] {
  return diffWords(from, to).map((c) => ({ op: c.added ? '+' : c.removed ? '-' : '=', text: c.value }));
}

// ---------------------------------------------------------------------------------------
// Tree: parent record and ordinal among siblings
// ---------------------------------------------------------------------------------------

const KIND_ORDER: readonly RecordKind[] = ['area', 'objective', 'action', 'measure'];
/** Which kinds a record's parent may be, most specific first (as pipeline/validate.ts: a ref is unique only within its kind). */
const PARENT_KINDS: Record<RecordKind, readonly RecordKind[]> = {
  area: [],
  objective: ['area'],
  action: ['objective'],
  measure: ['action', 'objective', 'area'],
};

/** One version's records with what matching needs to know about their place in the tree. */
export interface RecordTree {
  records: FlatRecord[];
  /** Index of each record's parent record, -1 for a root or a parent that is not there. */
  parent: Int32Array;
  /** Each record's ordinal among the records of its kind under the same parent (0-based). */
  ordinal: Int32Array;
  /** Indices of the records of each kind, in document order. */
  byKind: Record<RecordKind, number[]>;
}

/**
 * The parent of a record is the record of a parent kind with its parent ref; when a ref
 * is both an objective and an action (004 prints milestones 4.1..4.20 under objective
 * 4.1), the nearest one printed before the child, most specific kind first.
 */
export function recordTree(records: FlatRecord[]): RecordTree {
  const n = records.length;
  const parent = new Int32Array(n).fill(-1);
  const ordinal = new Int32Array(n);
  const byKind: Record<RecordKind, number[]> = { area: [], objective: [], action: [], measure: [] };
  const lastSeen = new Map<string, number>(); // "kind ref" -> latest index so far
  const anywhere = new Map<string, number>();
  records.forEach((r, i) => {
    if (!anywhere.has(`${r.kind} ${r.ref}`)) anywhere.set(`${r.kind} ${r.ref}`, i);
  });
  const siblings = new Map<string, number>();
  records.forEach((r, i) => {
    byKind[r.kind].push(i);
    if (r.parent !== null) {
      let best = -1;
      for (const k of PARENT_KINDS[r.kind]) {
        const at = lastSeen.get(`${k} ${r.parent}`);
        if (at !== undefined && at > best) best = at;
      }
      if (best < 0) for (const k of PARENT_KINDS[r.kind]) if (best < 0) best = anywhere.get(`${k} ${r.parent}`) ?? -1;
      parent[i] = best;
    }
    const key = `${parent[i]} ${r.kind}`;
    const o = siblings.get(key) ?? 0;
    ordinal[i] = o;
    siblings.set(key, o + 1);
    lastSeen.set(`${r.kind} ${r.ref}`, i);
  });
  return { records, parent, ordinal, byKind };
}

// ---------------------------------------------------------------------------------------
// Optimal assignment
// ---------------------------------------------------------------------------------------

/**
 * Minimum-cost assignment of every row to a distinct column (rows <= columns), the
 * Hungarian algorithm with potentials (Kuhn-Munkres, O(rows^2 * columns)). `cost` is
 * row-major. Returns the column of each row.
 */
export function solveAssignment(cost: Float64Array, rows: number, cols: number): Int32Array {
  if (rows > cols) throw new Error(`solveAssignment: ${rows} rows > ${cols} columns; transpose first`);
  const u = new Float64Array(rows + 1);
  const v = new Float64Array(cols + 1);
  const p = new Int32Array(cols + 1); // p[j]: row (1-based) assigned to column j, 0 = none
  const way = new Int32Array(cols + 1);
  const minv = new Float64Array(cols + 1);
  const used = new Uint8Array(cols + 1);
  for (let i = 1; i <= rows; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      const base = (i0 - 1) * cols - 1;
      const ui0 = u[i0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= cols; j++) {
        if (used[j]) continue;
        const cur = cost[base + j]! - ui0 - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= cols; j++) {
        if (used[j]) {
          u[p[j]!]! += delta;
          v[j]! -= delta;
        } else minv[j]! -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const out = new Int32Array(rows).fill(-1);
  for (let j = 1; j <= cols; j++) if (p[j]! > 0) out[p[j]! - 1] = j - 1;
  return out;
}

/** A scored candidate pair: old and new index within the kind's lists. */
interface Edge {
  a: number;
  b: number;
  score: number;
}

/**
 * The one-to-one choice of edges with the largest summed margin (score - threshold).
 * Edges fall into independent groups (connected components): each group is solved
 * exactly with the Hungarian algorithm, so a plan of thousands of records costs what its
 * largest group of look-alikes costs.
 */
export function optimalMatching(edges: Edge[], nOld: number, nNew: number, threshold: number): Map<number, Edge> {
  const root = new Int32Array(nOld + nNew).map((_, i) => i);
  const find = (x: number): number => {
    while (root[x] !== x) {
      root[x] = root[root[x]!]!;
      x = root[x]!;
    }
    return x;
  };
  for (const e of edges) {
    const ra = find(e.a);
    const rb = find(nOld + e.b);
    if (ra !== rb) root[ra] = rb;
  }
  const groups = new Map<number, Edge[]>();
  for (const e of edges) {
    const g = find(e.a);
    let list = groups.get(g);
    if (!list) groups.set(g, (list = []));
    list.push(e);
  }
  const chosen = new Map<number, Edge>(); // old index -> edge
  for (const list of groups.values()) {
    if (list.length === 1) {
      chosen.set(list[0]!.a, list[0]!);
      continue;
    }
    const olds = [...new Set(list.map((e) => e.a))];
    const news = [...new Set(list.map((e) => e.b))];
    const transpose = olds.length > news.length;
    const rowsOf = transpose ? news : olds;
    const colsOf = transpose ? olds : news;
    const rowAt = new Map(rowsOf.map((x, i) => [x, i]));
    const colAt = new Map(colsOf.map((x, i) => [x, i]));
    const rows = rowsOf.length;
    const cols = colsOf.length;
    const cost = new Float64Array(rows * cols); // 0 = leave unmatched
    const edgeAt = new Map<number, Edge>();
    for (const e of list) {
      const r = rowAt.get(transpose ? e.b : e.a)!;
      const c = colAt.get(transpose ? e.a : e.b)!;
      cost[r * cols + c] = threshold - e.score; // <= 0: matching gains the margin
      edgeAt.set(r * cols + c, e);
    }
    const assigned = solveAssignment(cost, rows, cols);
    for (let r = 0; r < rows; r++) {
      const e = edgeAt.get(r * cols + assigned[r]!);
      if (e) chosen.set(e.a, e);
    }
  }
  return chosen;
}

// ---------------------------------------------------------------------------------------
// Pair scores
// ---------------------------------------------------------------------------------------

/** The signal values of a pair, each 0..1; null where the pair cannot have the signal. */
export interface PairSignals {
  /** Text similarity; null when both texts are empty. */
  text: number | null;
  ref: number;
  /** 1 when the parents were matched to each other; null for two roots. */
  parent: number | null;
  /** 1 / (1 + ordinal difference) under matched parents, else 0. */
  position: number;
}

/** Weighted mean of the context signals; parent null (two roots) is left out and the rest renormalised. */
function context(ref: number, parent: number | null, position: number, w: SignalWeights): number {
  let sum = w.ref * ref + w.position * position;
  let total = w.ref + w.position;
  if (parent !== null) {
    sum += w.parent * parent;
    total += w.parent;
  }
  return total > 0 ? sum / total : 0;
}

/** pairScore over plain numbers, for the inner loop. */
function scoreOf(text: number | null, ref: number, parent: number | null, position: number, s: DiffSettings): number {
  if (text === null) return context(ref, parent, position, s.emptyTextWeights);
  const gate = s.contextGate > 0 ? Math.min(1, text / s.contextGate) : 1;
  return s.textWeight * text + (1 - s.textWeight) * context(ref, parent, position, s.contextWeights) * gate;
}

/**
 * A pair's score, 0..1. With text on both sides: textWeight * text + the rest * context,
 * context gated by how similar the texts are (contextGate). With no text on either side:
 * context alone (emptyTextWeights). (Text on one side only is never scored: 0.)
 */
export function pairScore(sig: PairSignals, s: DiffSettings): number {
  return scoreOf(sig.text, sig.ref, sig.parent, sig.position, s);
}

/** The signals that made a match, for a reader to see why two records were paired. */
function listedSignals(sig: PairSignals, min: number): MatchSignal[] {
  const out: MatchSignal[] = [];
  if (sig.ref >= min) out.push('ref');
  if (sig.text !== null && sig.text >= min) out.push('text');
  if (sig.parent !== null && sig.parent >= min) out.push('parent');
  if (sig.position >= min) out.push('position');
  return out;
}

// ---------------------------------------------------------------------------------------
// Matching one kind
// ---------------------------------------------------------------------------------------

const IDF_FLOOR = 1;

interface TextSide {
  /** Comparable text, lower case, for Jaro-Winkler and equality. */
  lower: string[];
  /** Unit-length TF-IDF vectors as parallel term-id / weight arrays. */
  ids: Int32Array[];
  weights: Float64Array[];
}

/**
 * natural's inverse document frequency (TfIdf.idf): 1 + ln(N / (1 + df)). natural's
 * TfIdf scans every document for every term it is asked about (O(terms x documents):
 * 1.2 s for 2,000 texts of 2,600 distinct words here), so document frequencies are
 * counted here in one pass and put through its formula; test/diff.test.ts checks the two
 * agree.
 */
export function naturalIdf(documentFrequency: number, documents: number): number {
  return 1 + Math.log(documents / (1 + documentFrequency));
}

/**
 * TF-IDF vectors (raw term count x idf, unit length) of both versions' texts of one kind,
 * over one vocabulary and one corpus: the plan's distinct texts, so that a record printed
 * the same in both versions counts once (else every word it has would look twice as
 * common as it is).
 */
function textVectors(oldTexts: string[], newTexts: string[]): { old: TextSide; new: TextSide; vocabulary: number } {
  const lowerOld = oldTexts.map((t) => comparableText(t).toLowerCase());
  const lowerNew = newTexts.map((t) => comparableText(t).toLowerCase());
  const termsOld = lowerOld.map(termsOfLower);
  const termsNew = lowerNew.map(termsOfLower);
  const vocab = new Map<string, number>();
  const df: number[] = [];
  const seen = new Set<string>();
  const idsOf = (terms: string[][], lower: string[]) =>
    terms.map((list, k) => {
      const counts = new Map<number, number>();
      for (const t of list) {
        let id = vocab.get(t);
        if (id === undefined) {
          id = vocab.size;
          vocab.set(t, id);
          df.push(0);
        }
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      if (!seen.has(lower[k]!)) {
        seen.add(lower[k]!);
        for (const id of counts.keys()) df[id]!++;
      }
      return counts;
    });
  const countsOld = idsOf(termsOld, lowerOld);
  const countsNew = idsOf(termsNew, lowerNew);
  // natural's idf drops below 1 for a word in nearly every text; in a plan of a handful of
  // records that is every word two versions of a record share, the very evidence of the
  // match. Floor it at 1.
  const idf = df.map((d) => Math.max(IDF_FLOOR, naturalIdf(d, seen.size)));
  const side = (lower: string[], countsList: Map<number, number>[]): TextSide => {
    const ids: Int32Array[] = [];
    const weights: Float64Array[] = [];
    for (const counts of countsList) {
      const idArr = Int32Array.from(counts.keys());
      const w = Float64Array.from(idArr, (id) => counts.get(id)! * idf[id]!);
      let norm = 0;
      for (let k = 0; k < w.length; k++) norm += w[k]! * w[k]!;
      norm = Math.sqrt(norm);
      if (norm > 0) for (let k = 0; k < w.length; k++) w[k]! /= norm;
      ids.push(idArr);
      weights.push(w);
    }
    return { lower, ids, weights };
  };
  return { old: side(lowerOld, countsOld), new: side(lowerNew, countsNew), vocabulary: vocab.size };
}

/** How one kind's records were paired: old index (within the version) -> new index, with score and signals. */
export interface KindMatch {
  newOf: Map<number, { to: number; score: number; signals: PairSignals }>;
}

/**
 * Pairs the records of one kind. `matched` maps old record index -> new record index for
 * the kinds already done (the parents). Only candidate pairs are scored: pairs that
 * share a term, share a ref, or sit under parents matched to each other; any other pair
 * has no text in common, no ref and no parent, and scores below any threshold the
 * settings allow unless that threshold is tiny, in which case every pair is scored.
 */
function matchKind(kind: RecordKind, A: RecordTree, B: RecordTree, matched: Int32Array, s: DiffSettings): KindMatch {
  const ia = A.byKind[kind];
  const ib = B.byKind[kind];
  const newOf: KindMatch['newOf'] = new Map();
  if (!ia.length || !ib.length) return { newOf };
  const { jaroWinkler } = natural();
  const texts = textVectors(
    ia.map((i) => A.records[i]!.text),
    ib.map((j) => B.records[j]!.text),
  );
  const refA = ia.map((i) => comparableRef(A.records[i]!.ref));
  const refB = ib.map((j) => comparableRef(B.records[j]!.ref));

  // Inverted index of the new side's terms: term id -> (b, weight) pairs.
  const postB: number[][] = Array.from({ length: texts.vocabulary }, () => []);
  const postW: number[][] = Array.from({ length: texts.vocabulary }, () => []);
  texts.new.ids.forEach((ids, b) => {
    for (let k = 0; k < ids.length; k++) {
      postB[ids[k]!]!.push(b);
      postW[ids[k]!]!.push(texts.new.weights[b]![k]!);
    }
  });
  const refIndex = new Map<string, number[]>();
  refB.forEach((key, b) => {
    const list = refIndex.get(key);
    if (list) list.push(b);
    else refIndex.set(key, [b]);
  });
  const childrenOf = new Map<number, number[]>(); // new parent index (-1 root) -> b's
  ib.forEach((j, b) => {
    const list = childrenOf.get(B.parent[j]!);
    if (list) list.push(b);
    else childrenOf.set(B.parent[j]!, [b]);
  });

  // Without a shared term, ref or matched parent, text is at most the Jaro-Winkler share
  // and context is 0; only a threshold below that needs every pair looked at.
  const everyPair = s.textWeight * (1 - s.cosineWeight) >= s.threshold;
  const cw = s.cosineWeight;

  const cos = new Float64Array(ib.length);
  const touched = new Uint8Array(ib.length);
  const candidates: number[] = [];
  const touch = (b: number) => {
    if (!touched[b]) {
      touched[b] = 1;
      candidates.push(b);
    }
  };
  const edges: (Edge & { signals: PairSignals })[] = [];
  for (let a = 0; a < ia.length; a++) {
    const i = ia[a]!;
    const rootA = A.records[i]!.parent === null;
    candidates.length = 0;
    const ids = texts.old.ids[a]!;
    const ws = texts.old.weights[a]!;
    for (let k = 0; k < ids.length; k++) {
      const bs = postB[ids[k]!]!;
      const pw = postW[ids[k]!]!;
      const w = ws[k]!;
      for (let q = 0; q < bs.length; q++) {
        const b = bs[q]!;
        cos[b]! += w * pw[q]!;
        touch(b);
      }
    }
    for (const b of refIndex.get(refA[a]!) ?? []) touch(b);
    const pa = A.parent[i]!;
    if (pa < 0) for (const b of childrenOf.get(-1) ?? []) touch(b);
    else if (matched[pa]! >= 0) for (const b of childrenOf.get(matched[pa]!) ?? []) touch(b);
    if (everyPair) for (let b = 0; b < ib.length; b++) touch(b);

    const textA = texts.old.lower[a]!;
    for (const b of candidates) {
      const c = Math.min(1, cos[b]!);
      cos[b] = 0;
      touched[b] = 0;
      const textB = texts.new.lower[b]!;
      if ((textA === '') !== (textB === '')) continue; // text on one side only scores 0
      const j = ib[b]!;
      const pb = B.parent[j]!;
      const roots = rootA && pa < 0 && pb < 0 && B.records[j]!.parent === null;
      const parentsMatched = roots || (pa >= 0 && pb >= 0 && matched[pa] === pb);
      const ref = refA[a] === refB[b] ? 1 : 0;
      const parent = roots ? null : parentsMatched ? 1 : 0;
      const position = parentsMatched ? 1 / (1 + Math.abs(A.ordinal[i]! - B.ordinal[j]!)) : 0;
      let text: number | null = null;
      if (textA !== '') {
        if (textA === textB) text = 1;
        else {
          // Bound the score with a perfect Jaro-Winkler before paying for one (40 us per 120 characters).
          if (scoreOf(cw * c + (1 - cw), ref, parent, position, s) < s.threshold) continue;
          const jw = (jaroWinkler(textA, textB) - s.jaroWinklerFloor) / (1 - s.jaroWinklerFloor);
          text = cw * c + (1 - cw) * Math.max(0, Math.min(1, jw));
        }
      }
      const score = scoreOf(text, ref, parent, position, s);
      if (score >= s.threshold) edges.push({ a, b, score, signals: { text, ref, parent, position } });
    }
  }
  for (const e of optimalMatching(edges, ia.length, ib.length, s.threshold).values()) {
    const { signals } = e as Edge & { signals: PairSignals };
    newOf.set(ia[e.a]!, { to: ib[e.b]!, score: e.score, signals });
  }
  return { newOf };
}

// ---------------------------------------------------------------------------------------
// Classifying a matched pair
// ---------------------------------------------------------------------------------------

const RATING_COLUMNS: readonly RatingColumn[] = ['progress', 'impact', 'sustained', 'completed'];
const DAY_MS = 86_400_000;

/** Whole days from one ISO date to another (positive: later). */
export function daysBetween(from: string | null | undefined, to: string | null | undefined): number | null {
  if (!from || !to) return null;
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  if (Number.isNaN(a) || Number.isNaN(b)) return null;
  return Math.round((b - a) / DAY_MS);
}

type Dated = Extract<FlatRecord, { kind: 'action' | 'measure' }>;
const isDated = (r: FlatRecord): r is Dated => r.kind === 'action' || r.kind === 'measure';
const sameList = (a: readonly string[], b: readonly string[]) => {
  if (a.length !== b.length) return false;
  const x = [...a].sort();
  const y = [...b].sort();
  return x.every((v, k) => v === y[k]);
};

/**
 * The changes of a matched pair and their details, in ChangeKind order. `moved` is
 * decided by the caller: the new parent is not the match of the old parent (a child
 * whose parent was only renumbered has not moved).
 */
export function classifyPair(a: FlatRecord, b: FlatRecord, moved: boolean): { changes: ChangeKind[]; details: DiffDetails } {
  const changes: ChangeKind[] = [];
  const details: DiffDetails = {};
  if (comparableText(a.text) !== comparableText(b.text)) {
    changes.push('reworded');
    details.text = { from: a.text, to: b.text, words: wordDiff(a.text, b.text) };
  }
  if (comparableRef(a.ref) !== comparableRef(b.ref)) {
    changes.push('renumbered');
    details.ref = { from: a.ref, to: b.ref };
  }
  if (moved) {
    changes.push('moved');
    details.parent = { from: a.parent, to: b.parent };
  }
  if (isDated(a) && isDated(b)) {
    const ratings: NonNullable<DiffDetails['ratings']> = {};
    for (const col of RATING_COLUMNS) {
      const from = a.ratings[col] ?? null;
      const to = b.ratings[col] ?? null;
      if (from !== to) ratings[col] = { from, to };
    }
    if (Object.keys(ratings).length) {
      changes.push('rating-changed');
      details.ratings = ratings;
    }
    const dueText = (d: string | null) => (d === null ? null : comparableText(d).toLowerCase());
    const fromEnd = a.dueRange?.end ?? null;
    const toEnd = b.dueRange?.end ?? null;
    if (dueText(a.due) !== dueText(b.due) || (a.dueRange?.start ?? null) !== (b.dueRange?.start ?? null) || fromEnd !== toEnd) {
      changes.push('due-changed');
      details.due = { from: a.due, to: b.due, days: daysBetween(fromEnd, toEnd), fromEnd, toEnd };
    }
    if (a.kind === 'action' && b.kind === 'action' && !sameList(a.leads, b.leads)) {
      changes.push('lead-changed');
      details.leads = { from: [...a.leads], to: [...b.leads] };
    }
  }
  return { changes, details };
}

// ---------------------------------------------------------------------------------------
// The stage
// ---------------------------------------------------------------------------------------

const round = (x: number) => Math.round(Math.max(0, Math.min(1, x)) * 10_000) / 10_000;

/**
 * Diffs two versions of a plan. Every record of either version is in exactly one entry:
 * a matched pair (changes [] when unchanged), an added record or a removed one. Entries
 * follow the new version's order, each removed record after the last record matched
 * before it in the old version.
 */
export function diffRecords(oldRecs: FlatRecord[], newRecs: FlatRecord[], from: DocumentRef, to: DocumentRef, settings: Partial<DiffSettings> = {}): DiffDocument {
  const s = resolveDiffSettings(settings);
  const A = recordTree(oldRecs);
  const B = recordTree(newRecs);
  const matched = new Int32Array(oldRecs.length).fill(-1);
  const pairs = new Map<number, { to: number; score: number; signals: PairSignals }>();
  for (const kind of KIND_ORDER) {
    for (const [i, m] of matchKind(kind, A, B, matched, s).newOf) {
      matched[i] = m.to;
      pairs.set(i, m);
    }
  }

  const keyed: { key: [number, number, number]; entry: DiffEntry }[] = [];
  const matchedNew = new Set<number>();
  let lastNew = -1;
  oldRecs.forEach((a, i) => {
    const m = pairs.get(i);
    if (!m) {
      keyed.push({ key: [lastNew, 1, i], entry: { kind: a.kind, oldRef: a.ref, newRef: null, changes: ['removed'], score: null, signals: [], details: {} } });
      return;
    }
    const b = newRecs[m.to]!;
    matchedNew.add(m.to);
    lastNew = m.to;
    const pa = A.parent[i]!;
    const pb = B.parent[m.to]!;
    // Parents not found on either side (orphans): compare what they print instead.
    const moved = pa >= 0 || pb >= 0 ? pa < 0 || matched[pa] !== pb : comparableRef(a.parent) !== comparableRef(b.parent);
    const { changes, details } = classifyPair(a, b, moved);
    keyed.push({ key: [m.to, 0, 0], entry: { kind: a.kind, oldRef: a.ref, newRef: b.ref, changes, score: round(m.score), signals: listedSignals(m.signals, s.signalMin), details } });
  });
  newRecs.forEach((b, j) => {
    if (!matchedNew.has(j)) keyed.push({ key: [j, 0, 0], entry: { kind: b.kind, oldRef: null, newRef: b.ref, changes: ['added'], score: null, signals: [], details: {} } });
  });
  keyed.sort((x, y) => x.key[0] - y.key[0] || x.key[1] - y.key[1] || x.key[2] - y.key[2]);
  return { schemaVersion: SCHEMA_VERSION, from, to, entries: keyed.map((k) => k.entry) };
}

/** diffRecords, then the DiffDocument schema: for boundaries that must not emit an invalid document. */
export function diffRecordsChecked(oldRecs: FlatRecord[], newRecs: FlatRecord[], from: DocumentRef, to: DocumentRef, settings: Partial<DiffSettings> = {}): DiffDocument {
  return DiffDocument.parse(diffRecords(oldRecs, newRecs, from, to, settings));
}
