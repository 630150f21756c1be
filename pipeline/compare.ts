// Compare councils: group similar actions of different councils' plans into themes.
//
// A chain of small steps over plain data, each kept by findThemes so a doubtful theme can be
// traced to the step that made it: records -> compared actions -> terms (folded, stopped,
// stemmed) -> TF-IDF vectors (natural's TfIdf) -> cosine similarities -> clusters (average
// linkage or leader, down to a named threshold) -> themes (label from the centroid's top
// terms, sorted by councils then actions).
import { stringify } from 'csv-stringify/sync';
import { CompareSettings, Themes, type FlatRecord, type Theme, type ThemeAction } from '../schemas/index.js';
import natural from './natural.js';

export interface CouncilRecords {
  council: string;
  records: FlatRecord[];
}

/** Fills in defaults; rejects unknown settings and bad values with a message naming the setting. */
export function resolveCompareSettings(overrides: Partial<CompareSettings> = {}): CompareSettings {
  const parsed = CompareSettings.safeParse(overrides);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`compare setting ${issue.path.join('.') || '(unknown)'}: ${issue.message}`);
  }
  return parsed.data;
}

export const DEFAULT_COMPARE_SETTINGS: CompareSettings = resolveCompareSettings();

/**
 * Words every council uses for every kind of action ("develop", "implement", "ensure",
 * "SEND" itself): kept, they join unrelated actions more than IDF can push them apart.
 * Natural's English stopwords are dropped as well.
 */
export const DOMAIN_STOPWORDS: readonly string[] = [
  'send', 'sen', 'we', 'will', 'us', 'our', 'ensure', 'make', 'sure', 'develop', 'developed', 'developing', 'development',
  'implement', 'implemented', 'implementing', 'implementation', 'agree', 'agreed', 'agreeing', 'establish', 'established',
  'deliver', 'delivered', 'delivering', 'delivery', 'use', 'using', 'used', 'include', 'includes', 'including', 'across',
  'local', 'area', 'areas', 'every', 'within', 'new', 'set', 'put', 'place', 'take', 'key', 'clear', 'clearly', 'able',
  'improve', 'improved', 'improving', 'improvement', 'identify', 'identified', 'effective', 'effectively', 'robust',
  'children', 'child', 'young', 'people', 'person', 'cyp', 'families', 'family', 'need', 'needs', 'provide', 'providing',
  'work', 'working', 'works', 'eg', 'etc', 'ie', 'per', 'via', 'also', 'still', 'actively', 'lcc', 'wcc',
];

/**
 * Spellings of one idea folded to one token before tokenising: the tokenizer would split
 * "co-produce" into "co" and "produce", and "EHCP", "ECHP" (a typo 003 prints), "EHC plan"
 * and "education, health and care plan" are one thing. A token with "_" is not stemmed and
 * is shown with "-" in labels.
 */
export const TERM_FOLDS: readonly (readonly [RegExp, string])[] = [
  [/\bco[\s-]?produc\w*/g, ' co_production '],
  [/\beducation,? health and care \(ehc\) plans?\b/g, ' ehcp '],
  [/\beducation,? health and care plans?\b/g, ' ehcp '],
  [/\b(?:ehcp|echp)(?:'?s)?\b/g, ' ehcp '],
  [/\behc plans?\b/g, ' ehcp '],
  [/\behc\b/g, ' ehcp '],
  [/\b(?:asd|autistic)\b/g, ' autism '],
  [/\bparent[\s/-]?carers?\b/g, ' parent carer '],
  [/\bpfa\b/g, ' adulthood '],
];

/** An action (or other record) taken into the comparison. */
export interface ComparedAction extends ThemeAction {
  kind: FlatRecord['kind'];
}

/** The records of the kinds compared, one per council and ref: a council given twice (two versions) keeps the first text of a ref. */
export function comparedActions(input: CouncilRecords[], settings: CompareSettings = DEFAULT_COMPARE_SETTINGS): ComparedAction[] {
  const seen = new Set<string>();
  const out: ComparedAction[] = [];
  for (const { council, records } of input) {
    for (const r of records) {
      if (!settings.kinds.includes(r.kind)) continue;
      const key = `${council}\u0000${r.ref}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ council, ref: r.ref, text: r.text, kind: r.kind });
    }
  }
  return out;
}

/** Lower case, confusables folded by NFKC, the spellings of TERM_FOLDS made one token. */
export function foldedText(text: string): string {
  let t = text.normalize('NFKC').toLowerCase().replace(/[\u2018\u2019]/g, "'");
  for (const [re, to] of TERM_FOLDS) t = t.replace(re, to);
  return t.replace(/\s+/g, ' ').trim();
}

/** The terms of one text: stems, and the word each stem was printed as. */
export interface TextTerms {
  stems: string[];
  words: string[];
}

/** Words of the folded text less stopwords, numbers and single letters, each with its Porter stem. */
export function termsOf(text: string, stopwords: ReadonlySet<string>): TextTerms {
  const stems: string[] = [];
  const words: string[] = [];
  for (const word of foldedText(text).match(/[a-z0-9_]+/g) ?? []) {
    // Digits and list letters are numbering ("a)", "1)", "2.3.7"), not content.
    if (word.length < 2 || /^\d+$/.test(word) || stopwords.has(word)) continue;
    stems.push(word.includes('_') ? word : natural.PorterStemmer.stem(word));
    words.push(word);
  }
  return { stems, words };
}

/** A sparse vector of unit length: term -> weight. Empty when a text has no terms. */
export type TermVector = Map<string, number>;

/** TF-IDF weights of each term list over all of them (natural's TfIdf), scaled to unit length. */
export function tfidfVectors(termLists: string[][]): TermVector[] {
  const tfidf = new natural.TfIdf();
  // An array is taken as already tokenised: natural applies no stopwords or tokenizer of its own.
  for (const terms of termLists) tfidf.addDocument(terms);
  return termLists.map((_, i) => {
    const v: TermVector = new Map();
    for (const t of tfidf.listTerms(i)) if (t.tfidf > 0) v.set(t.term, t.tfidf);
    const norm = Math.sqrt([...v.values()].reduce((s, w) => s + w * w, 0));
    for (const [k, w] of v) v.set(k, w / norm);
    return v;
  });
}

/** Cosine similarity of two unit vectors. */
export function cosine(a: TermVector, b: TermVector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [k, w] of small) dot += w * (large.get(k) ?? 0);
  return dot;
}

/** The n x n matrix of cosine similarities, row-major. */
export function similarityMatrix(vectors: TermVector[]): Float64Array {
  const n = vectors.length;
  const sim = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    sim[i * n + i] = 1;
    for (let j = i + 1; j < n; j++) {
      const s = cosine(vectors[i]!, vectors[j]!);
      sim[i * n + j] = s;
      sim[j * n + i] = s;
    }
  }
  return sim;
}

/**
 * Agglomerative clustering, average linkage: the two clusters whose mean pairwise similarity
 * is highest merge while it is at least the threshold. Ties go to the lower indices, so the
 * result does not depend on anything but the input order.
 */
export function averageLinkageClusters(sim: Float64Array, n: number, threshold: number): number[][] {
  const members: (number[] | null)[] = Array.from({ length: n }, (_, i) => [i]);
  // sums[a*n+b]: sum of similarities between the members of clusters a and b.
  const sums = Float64Array.from(sim);
  for (;;) {
    let best = -1;
    let ba = -1;
    let bb = -1;
    for (let a = 0; a < n; a++) {
      const ma = members[a];
      if (!ma) continue;
      for (let b = a + 1; b < n; b++) {
        const mb = members[b];
        if (!mb) continue;
        const avg = sums[a * n + b]! / (ma.length * mb.length);
        if (avg > best) [best, ba, bb] = [avg, a, b];
      }
    }
    if (ba < 0 || best < threshold) break;
    members[ba] = [...members[ba]!, ...members[bb]!];
    members[bb] = null;
    for (let k = 0; k < n; k++) {
      if (!members[k] || k === ba) continue;
      const s = sums[ba * n + k]! + sums[bb * n + k]!;
      sums[ba * n + k] = s;
      sums[k * n + ba] = s;
    }
  }
  return members.filter((m): m is number[] => m !== null);
}

/** Leader clustering: in input order, each item joins the most similar leader at or above the threshold, or leads a new cluster. */
export function leaderClusters(sim: Float64Array, n: number, threshold: number): number[][] {
  const clusters: number[][] = [];
  for (let i = 0; i < n; i++) {
    let best = -1;
    let at = -1;
    clusters.forEach((c, k) => {
      const s = sim[c[0]! * n + i]!;
      if (s >= threshold && s > best) [best, at] = [s, k];
    });
    if (at >= 0) clusters[at]!.push(i);
    else clusters.push([i]);
  }
  return clusters;
}

/** The sum of a cluster's vectors, scaled to unit length. */
function centroidOf(vectors: TermVector[]): TermVector {
  const c: TermVector = new Map();
  for (const v of vectors) for (const [k, w] of v) c.set(k, (c.get(k) ?? 0) + w);
  const norm = Math.sqrt([...c.values()].reduce((s, w) => s + w * w, 0));
  if (norm > 0) for (const [k, w] of c) c.set(k, w / norm);
  return c;
}

/** Each stem's most printed word (ties: the shorter, then the first alphabetically), for labels people read. */
export function surfaceWords(terms: TextTerms[]): Map<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const t of terms) {
    t.stems.forEach((stem, i) => {
      const byWord = counts.get(stem) ?? new Map<string, number>();
      byWord.set(t.words[i]!, (byWord.get(t.words[i]!) ?? 0) + 1);
      counts.set(stem, byWord);
    });
  }
  const out = new Map<string, string>();
  for (const [stem, byWord] of counts) {
    const [word] = [...byWord].sort((a, b) => b[1] - a[1] || a[0].length - b[0].length || a[0].localeCompare(b[0]))[0]!;
    out.set(stem, word.replace(/_/g, '-'));
  }
  return out;
}

const round3 = (x: number) => Math.round(Math.min(1, Math.max(0, x)) * 1000) / 1000;

/** Themes from clusters: members most typical first, top centroid terms as the label, sorted by councils, then actions, then label. */
export function themesOf(clusters: number[][], actions: ComparedAction[], vectors: TermVector[], surface: Map<string, string>, settings: CompareSettings): Theme[] {
  const themes = clusters.map((members) => {
    const centroid = centroidOf(members.map((i) => vectors[i]!));
    const closeness = new Map(members.map((i) => [i, cosine(vectors[i]!, centroid)]));
    const ordered = [...members].sort((a, b) => closeness.get(b)! - closeness.get(a)! || a - b);
    const terms = [...centroid]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, settings.labelTerms)
      .map(([stem]) => surface.get(stem) ?? stem);
    const cohesion = members.length === 1 ? 1 : ordered.reduce((s, i) => s + closeness.get(i)!, 0) / members.length;
    return {
      id: '',
      label: terms.length ? terms.join(' / ') : '(no terms)',
      terms,
      councils: [...new Set(members.map((i) => actions[i]!.council))].sort(),
      count: members.length,
      cohesion: round3(cohesion),
      actions: ordered.map((i) => ({ council: actions[i]!.council, ref: actions[i]!.ref, text: actions[i]!.text })),
    } satisfies Theme;
  });
  themes.sort(
    (a, b) =>
      b.councils.length - a.councils.length ||
      b.count - a.count ||
      a.label.localeCompare(b.label) ||
      `${a.actions[0]!.council} ${a.actions[0]!.ref}`.localeCompare(`${b.actions[0]!.council} ${b.actions[0]!.ref}`),
  );
  const width = Math.max(2, String(themes.length).length);
  return themes.map((t, i) => ({ ...t, id: `T${String(i + 1).padStart(width, '0')}` }));
}

/** Every intermediate of one comparison, for a person checking why a theme came out as it did. */
export interface ThemeFinding {
  settings: CompareSettings;
  actions: ComparedAction[];
  terms: TextTerms[];
  vectors: TermVector[];
  clusters: number[][];
  themes: Theme[];
}

/** The whole chain, keeping each step's output. */
export function findThemes(input: CouncilRecords[], overrides: Partial<CompareSettings> = {}): ThemeFinding {
  const settings = resolveCompareSettings(overrides);
  const stopwords = new Set([...natural.stopwords, ...DOMAIN_STOPWORDS, ...settings.extraStopwords.map((w) => w.toLowerCase())]);
  const actions = comparedActions(input, settings);
  const terms = actions.map((a) => termsOf(a.text, stopwords));
  const vectors = tfidfVectors(terms.map((t) => t.stems));
  const sim = similarityMatrix(vectors);
  const clusters =
    settings.method === 'leader'
      ? leaderClusters(sim, actions.length, settings.similarityThreshold)
      : averageLinkageClusters(sim, actions.length, settings.similarityThreshold);
  const themes = themesOf(clusters, actions, vectors, surfaceWords(terms), settings);
  return { settings, actions, terms, vectors, clusters, themes };
}

/** Similar actions across councils, as themes: most councils first, then most actions. Every action is in exactly one theme. */
export function compareCouncils(input: CouncilRecords[], settings: Partial<CompareSettings> = {}): Theme[] {
  return findThemes(input, settings).themes;
}

/** The themes as JSON, checked against the schema on the way out. */
export function themesJson(themes: Theme[]): string {
  return JSON.stringify(Themes.parse(themes), null, 2);
}

/** The columns of themesCsv, in order. */
export const THEME_CSV_COLUMNS = ['id', 'label', 'councils', 'councilCount', 'count', 'cohesion', 'actions'] as const;

/**
 * One row per theme; councils joined by "; ", actions one per line as "Council ref: text"
 * inside one quoted cell, so a spreadsheet shows a theme per row.
 */
export function themesCsv(themes: Theme[]): string {
  const rows = Themes.parse(themes).map((t) => [
    t.id,
    t.label,
    t.councils.join('; '),
    t.councils.length,
    t.count,
    t.cohesion,
    t.actions.map((a) => `${a.council} ${a.ref}: ${a.text}`).join('\n'),
  ]);
  return stringify(rows, { header: true, columns: [...THEME_CSV_COLUMNS] });
}
