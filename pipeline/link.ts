// Linking a narrative progress report to its plan: which plan actions each numbered
// paragraph speaks about, with a score in 0..1 and the signals that made it.
//
// Texts are compared as content words (lower-cased, natural's stopwords left out, Porter
// stems), weighed by TF-IDF over one corpus of every paragraph, action and objective
// (natural's TfIdf gives the document frequencies), so words every paragraph uses weigh
// little. Acronyms made of another acronym and the next word's initial are read as the
// two words ("EHCP" where the texts print "EHC plan"). The signals, each with a named
// weight; the score is their sum, capped at 1:
// - tfidf: cosine similarity of the paragraph (with its heading, headingRepeat times: a
//   heading often names the plan's item) and the action's text;
// - coverage: the share of the action's weighed words the paragraph prints (a short
//   action, "Outcomes writing training", is all there in a long paragraph on it);
// - objective, objective coverage: the same two for the action's objective title, given
//   to each of its actions (the report speaks of "the ND pathway", the plan's objective
//   is "Neurodevelopmental pathway" and its action "revised ND pathway");
// - acronym: an acronym printed in both (case kept: "IT" is not "it"), or spelled out in
//   one ("Joint Strategic Needs Assessment (JSNA)") and abbreviated in the other;
// - phrase: two content words near each other in both, in either order ("annual
//   review", "writing of SMART outcomes" / "Outcomes writing").
// Acronyms and word pairs weigh more the rarer they are in the corpus, and nothing when
// they are in more than commonShare of it. A link is kept when its score reaches the
// threshold and at least relativeCutoff of the paragraph's best, among its top k.
import type { FlatRecord, Link, RecordKind, ReportParagraph } from '../schemas/index.js';
import natural from './natural.js';

export interface LinkSettings {
  /** Record kinds a paragraph may link to. */
  kinds: RecordKind[];
  /** Weights of the signals; the score is their sum, capped at 1. */
  tfidfWeight: number;
  objectiveWeight: number;
  acronymWeight: number;
  phraseWeight: number;
  /** Weight of coverage: the share of the action's own words (weighed by idf) that the paragraph prints. */
  coverageWeight: number;
  /** The same share for the action's objective title, given to each of its actions. */
  objectiveCoverageWeight: number;
  /** How many times a paragraph's heading counts in its TF-IDF vector. */
  headingRepeat: number;
  /** Lowest score a link is kept at. */
  threshold: number;
  /** At most this many links per paragraph. */
  topK: number;
  /** A link is kept only when its score is at least this share of the paragraph's best. */
  relativeCutoff: number;
  /** Acronyms and word pairs found in more than this share of the corpus (paragraphs and records) are too common to count. */
  commonShare: number;
}

export const DEFAULT_LINK_SETTINGS: LinkSettings = {
  kinds: ['action'],
  tfidfWeight: 0.5,
  coverageWeight: 0.25,
  objectiveWeight: 0.3,
  objectiveCoverageWeight: 0.15,
  acronymWeight: 0.15,
  phraseWeight: 0.15,
  headingRepeat: 1,
  threshold: 0.4,
  topK: 2,
  relativeCutoff: 0.8,
  commonShare: 0.05,
};

/** natural's English stopwords. */
const STOPWORDS = new Set<string>(natural.stopwords);

/** Content words of a text, lower-cased and stemmed, in order; numbers and stopwords left out. */
export function contentTerms(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}][\p{L}'’]*/gu) ?? [])
    .map((w) => w.replace(/['’]s?$/u, ''))
    .filter((w) => w.length > 1 && !STOPWORDS.has(w))
    .map((w) => natural.PorterStemmer.stem(w));
}

/** Acronyms printed in a text: two to six capitals, a plural "s" allowed. */
export function acronymsOf(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/\b([A-Z]{2,6})s?\b/g)) out.add(m[1]!);
  return out;
}

/** Acronym -> its words, from "Joint Strategic Needs Assessment (JSNA)" in any of the texts. */
function definitionsOf(texts: string[]): Map<string, string[]> {
  const defs = new Map<string, string[]>();
  for (const t of texts)
    for (const m of t.matchAll(/((?:[\p{L}-]+\s+){1,8})\(([A-Z]{2,6})\)/gu)) {
      const acronym = m[2]!;
      const words = m[1]!.trim().split(/\s+/);
      // The shortest run of words before the bracket whose initials (minor words skipped) spell the acronym.
      for (let k = 1; k <= words.length; k++) {
        const run = words.slice(words.length - k);
        const initials = run.filter((w) => !/^(and|of|for|the|in|to|&)$/i.test(w)).map((w) => w[0]!.toUpperCase()).join('');
        if (initials === acronym) {
          if (!defs.has(acronym)) defs.set(acronym, run.map((w) => w.toLowerCase()));
          break;
        }
      }
    }
  return defs;
}

/** The acronyms of a text, with those whose spelled-out words it prints. */
function acronymsWithDefinitions(text: string, defs: Map<string, string[]>): Set<string> {
  const out = acronymsOf(text);
  const lower = ` ${text.toLowerCase().replace(/\s+/g, ' ')} `;
  for (const [a, words] of defs) if (lower.includes(` ${words.join(' ')} `)) out.add(a);
  return out;
}

/** Two content words near each other (within PAIR_WINDOW terms), in either order: "outcomes writing" meets "writing of SMART outcomes". */
const PAIR_WINDOW = 3;
function pairsOf(terms: string[]): Set<string> {
  const out = new Set<string>();
  terms.forEach((t, i) => {
    for (let j = i + 1; j < Math.min(terms.length, i + PAIR_WINDOW); j++) if (terms[j] !== t) out.add([t, terms[j]!].sort().join(' '));
  });
  return out;
}

type Vector = Map<string, number>;

/** The share of b's weight on terms a has too. */
function coverage(a: Vector, b: Vector): number {
  let hit = 0;
  let all = 0;
  for (const [t, w] of b) {
    all += w;
    if (a.has(t)) hit += w;
  }
  return all ? hit / all : 0;
}

function cosine(a: Vector, b: Vector): number {
  let dot = 0;
  for (const [t, w] of a) dot += w * (b.get(t) ?? 0);
  if (!dot) return 0;
  const norm = (v: Vector) => Math.sqrt([...v.values()].reduce((s, w) => s + w * w, 0));
  return dot / (norm(a) * norm(b));
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Acronyms that are another acronym and the initial of the word after it in the texts:
 * "EHCP" where the texts print "EHC plan" -> "EHC plan". Lets "EHCPs are now audited"
 * meet "New EHC plan template".
 */
function compoundAcronyms(texts: string[]): Map<string, string> {
  const all = texts.join('\n');
  const acronyms = acronymsOf(all);
  const out = new Map<string, string>();
  for (const x of acronyms)
    for (let cut = x.length - 1; cut >= 2; cut--) {
      const head = x.slice(0, cut);
      if (!acronyms.has(head)) continue;
      const tail = x.slice(cut);
      if (tail.length !== 1) continue;
      const next = new RegExp(`\\b${head}\\s+(${tail.toLowerCase()}[a-z]+)`).exec(all);
      if (next) {
        out.set(x, `${head} ${next[1]!}`);
        break;
      }
    }
  return out;
}

function expand(text: string, compounds: Map<string, string>): string {
  let out = text;
  for (const [x, words] of compounds) out = out.replace(new RegExp(`\\b${x}(s?)\\b`, 'g'), (_m, plural: string) => `${words}${plural}`);
  return out;
}

interface Doc {
  terms: string[];
  vec: Vector;
  pairs: Set<string>;
  acronyms: Set<string>;
}

export function linkReportToPlan(paragraphs: ReportParagraph[], planRecords: FlatRecord[], settings: Partial<LinkSettings> = {}): Link[] {
  const s: LinkSettings = { ...DEFAULT_LINK_SETTINGS, ...settings };
  const objectives = planRecords.filter((r) => r.kind === 'objective');
  const targets = planRecords.filter((r) => s.kinds.includes(r.kind));
  const rawTexts = [...paragraphs.flatMap((p) => [p.heading ?? '', p.text]), ...planRecords.map((r) => r.text)];
  const compounds = compoundAcronyms(rawTexts);
  const defs = definitionsOf(rawTexts);
  const paraText = (p: ReportParagraph) => expand([...Array(s.headingRepeat).fill(p.heading ?? ''), p.text].join(' \n '), compounds);

  // One corpus for the document frequencies: every paragraph, target and objective.
  const tfidf = new natural.TfIdf();
  const raw = new Map<string, { text: string; terms: string[] }>();
  const add = (key: string, text: string) => {
    const terms = contentTerms(text);
    raw.set(key, { text, terms });
    tfidf.addDocument(terms, key);
  };
  for (const p of paragraphs) add(`p ${p.number}`, paraText(p));
  for (const r of targets) add(`${r.kind} ${r.ref}`, expand(r.text, compounds));
  for (const o of objectives) if (!s.kinds.includes('objective')) add(`objective ${o.ref}`, expand(o.text, compounds));
  const corpusSize = tfidf.documents.length;

  const docs = new Map<string, Doc>();
  for (const [key, { text, terms }] of raw) {
    const counts = new Map<string, number>();
    for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
    // natural's idf is 1 + ln(N / (1 + df)): the 1 keeps words every document uses at full weight, so it goes.
    const vec: Vector = new Map([...counts].map(([t, n]) => [t, (1 + Math.log(n)) * Math.max(0, tfidf.idf(t) - 1)]));
    docs.set(key, { terms, vec, pairs: pairsOf(terms), acronyms: acronymsWithDefinitions(text, defs) });
  }
  const doc = (key: string): Doc => docs.get(key)!;

  // Rare word pairs and acronyms weigh more; those in more than commonShare of the corpus not at all.
  const corpusKeys = [...docs.keys()];
  const docFrequency = (sets: Iterable<Set<string>>) => {
    const df = new Map<string, number>();
    for (const set of sets) for (const x of set) df.set(x, (df.get(x) ?? 0) + 1);
    return df;
  };
  const pairDf = docFrequency(corpusKeys.map((k) => doc(k).pairs));
  const acronymDf = docFrequency(corpusKeys.map((k) => doc(k).acronyms));
  const maxDocs = Math.max(3, s.commonShare * corpusSize);
  /** 1 for something only one paragraph and one record share, falling to 0 at maxDocs. */
  const rarity = (df: number) => (df > maxDocs ? 0 : 1 - (Math.max(df, 2) - 2) / (maxDocs - 1));
  const pairWeight = (pair: string) => rarity(pairDf.get(pair) ?? 0);
  const acronymWeight = (a: string) => rarity(acronymDf.get(a) ?? 0);
  const parentOf = (r: FlatRecord) => (r.kind === 'action' ? objectives.find((o) => o.ref === r.parent) : undefined);

  const links: Link[] = [];
  for (const p of paragraphs) {
    const para = doc(`p ${p.number}`);
    const scored: Link[] = [];
    for (const r of targets) {
      const rec = doc(`${r.kind} ${r.ref}`);
      const parent = parentOf(r);
      const obj = parent ? doc(`objective ${parent.ref}`) : null;
      const signals: [number, string][] = [];
      const push = (weight: number, value: number, label: string) => {
        if (weight > 0 && value > 0) signals.push([weight * value, `${label} ${round(value)}`]);
      };
      push(s.tfidfWeight, cosine(para.vec, rec.vec), 'tfidf');
      push(s.coverageWeight, coverage(para.vec, rec.vec), 'coverage');
      if (parent && obj) {
        push(s.objectiveWeight, cosine(para.vec, obj.vec), `objective ${parent.ref}`);
        push(s.objectiveCoverageWeight, coverage(para.vec, obj.vec), `objective ${parent.ref} coverage`);
      }
      const acronyms = new Set([...rec.acronyms, ...(obj?.acronyms ?? [])]);
      const shared = [...acronyms].filter((a) => para.acronyms.has(a) && acronymWeight(a) > 0).sort((a, b) => acronymWeight(b) - acronymWeight(a));
      if (shared.length && s.acronymWeight > 0) signals.push([s.acronymWeight * acronymWeight(shared[0]!), `acronym ${shared.join(' ')}`]);
      const pairs = [...new Set([...rec.pairs, ...(obj?.pairs ?? [])])].filter((x) => para.pairs.has(x) && pairWeight(x) > 0).sort((a, b) => pairWeight(b) - pairWeight(a));
      if (pairs.length && s.phraseWeight > 0) signals.push([s.phraseWeight * pairWeight(pairs[0]!), `phrase ${pairs.join(', ')}`]);
      const score = Math.min(1, signals.reduce((sum, [w]) => sum + w, 0));
      if (score <= 0) continue;
      scored.push({ paragraph: p.number, ref: r.ref, kind: r.kind, score: round(score), signals: signals.sort((a, b) => b[0] - a[0]).map(([, label]) => label) });
    }
    scored.sort((a, b) => b.score - a.score);
    const best = scored[0]?.score ?? 0;
    links.push(...scored.filter((l) => l.score >= s.threshold && l.score >= best * s.relativeCutoff).slice(0, s.topK));
  }
  return links;
}
