// Two synthetic versions of a large plan, built from the fixtures' texts and edited at
// random, for the diff's speed test and `npm run bench`.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FlatRecord, type FlatAction, type FlatMeasure } from '../schemas/index.js';
import { prng } from '../pipeline/prng.js';

// Small record builders (provenance is not what the diff is about).
const prov = { page: 1, bbox: [0, 0, 1, 1] as [number, number, number, number], method: 'text' as const, confidence: 1 };
const base = (ref: string, text: string) => ({ schemaVersion: 1 as const, ref, displayRef: ref, text, rawText: text, provenance: prov });
export const area = (ref: string, text: string): FlatRecord => ({ ...base(ref, text), kind: 'area', parent: null });
export const objective = (ref: string, text: string): FlatRecord => ({ ...base(ref, text), kind: 'objective', parent: ref.split('.').slice(0, -1).join('.') });
export const action = (ref: string, text: string, more: Partial<FlatAction> = {}): FlatAction => ({
  ...base(ref, text),
  kind: 'action',
  parent: ref.includes('#') ? ref.split('#')[0]! : ref.split('.').slice(0, -1).join('.'),
  leads: [],
  leadNames: [],
  partners: [],
  due: null,
  dueRange: null,
  ratings: {},
  ratingSources: {},
  progressNote: null,
  ...more,
});
export const measure = (ref: string, text: string, more: Partial<FlatMeasure> = {}): FlatMeasure => ({
  ...base(ref, text),
  kind: 'measure',
  parent: ref.split('/')[0]!,
  due: null,
  dueRange: null,
  ratings: {},
  ratingSources: {},
  ...more,
});

const expectedDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/expected');
const readRecords = (file: string): FlatRecord[] =>
  readFileSync(path.join(expectedDir, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => FlatRecord.parse(JSON.parse(l)));


interface SynthAction {
  id: number;
  text: string;
  measures: string[];
}
export interface SyntheticPair {
  from: FlatRecord[];
  to: FlatRecord[];
  /** Action pairs the generator made: old ref -> new ref. */
  truth: Map<string, string>;
  edits: { reworded: number; removed: number; inserted: number; moved: number };
}

/**
 * Two versions of a plan of 10 areas x 10 objectives x `perObjective` actions, built from
 * the fixtures' action and measure texts (each action's text made distinct with words of
 * another), then edited at random: rewords, deletions, insertions, moves to another
 * objective; every objective is renumbered afterwards, so numbers shift as in real plans.
 */
export function syntheticPlans(seed = 1, perObjective = 10): SyntheticPair {
  const rand = prng(seed);
  const all = readdirSync(expectedDir)
    .filter((f) => f.endsWith('.jsonl') && !f.includes('.v2.'))
    .flatMap((f) => readRecords(f));
  const actionPool = [...new Set(all.filter((r) => r.kind === 'action' && r.text.split(' ').length >= 4).map((r) => r.text))];
  const measurePool = [...new Set(all.filter((r) => r.kind === 'measure' && r.text).map((r) => r.text))];
  const vocabulary = [...new Set(actionPool.flatMap((t) => t.split(' ')))].filter((w) => /^[a-z]{4,}$/.test(w));
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  let nextId = 0;
  const newText = (k: number) => {
    // Pool texts repeat every pool length; a different tail for each round keeps them distinct.
    const round = Math.floor(k / actionPool.length) + 1;
    const tail = actionPool[(k + round * 97) % actionPool.length]!.split(' ').slice(-3).join(' ');
    return `${actionPool[k % actionPool.length]} with ${tail}`;
  };
  const makeAction = (k: number): SynthAction => ({
    id: nextId++,
    text: newText(k),
    measures: Array.from({ length: 1 + (k % 3 === 0 ? 1 : 0) }, (_, m) => (k % 4 === 0 ? '' : measurePool[(k * 3 + m) % measurePool.length]!)),
  });
  const areas = 10;
  const objectives: SynthAction[][] = [];
  for (let o = 0; o < areas * 10; o++) objectives.push(Array.from({ length: perObjective }, (_, a) => makeAction(o * perObjective + a)));

  const reword = (t: string) => {
    const words = t.split(' ');
    const at = Math.floor(rand() * words.length);
    if (rand() < 0.5) words[at] = pick(vocabulary);
    else words.splice(at, 0, pick(vocabulary), pick(vocabulary));
    return words.join(' ');
  };
  const edits = { reworded: 0, removed: 0, inserted: 0, moved: 0 };
  const next: SynthAction[][] = objectives.map(() => []);
  objectives.forEach((list, o) => {
    for (const a of list) {
      const r = rand();
      if (r < 0.05) {
        edits.removed++;
        continue;
      }
      let b = a;
      if (r < 0.13) {
        b = { ...a, text: reword(a.text) };
        edits.reworded++;
      }
      if (r >= 0.13 && r < 0.16) {
        next[Math.floor(rand() * next.length)]!.push(b);
        edits.moved++;
      } else next[o]!.push(b);
      if (rand() < 0.05) {
        // A new action: words drawn at random, so it is unrelated to any old one.
        next[o]!.push({ id: nextId++, text: Array.from({ length: 8 }, () => pick(vocabulary)).join(' '), measures: [''] });
        edits.inserted++;
      }
    }
  });

  const numerals = ['i', 'ii', 'iii', 'iv', 'v', 'vi', 'vii', 'viii', 'ix', 'x'];
  const build = (objs: SynthAction[][]) => {
    const recs: FlatRecord[] = [];
    const refOf = new Map<number, string>();
    for (let ar = 0; ar < areas; ar++) {
      recs.push(area(String(ar + 1), `Area ${ar + 1} ${actionPool[ar]!.split(' ').slice(0, 4).join(' ')}`));
      for (let ob = 0; ob < 10; ob++) {
        const oref = `${ar + 1}.${ob + 1}`;
        recs.push(objective(oref, measurePool[(ar * 10 + ob) % measurePool.length]!));
        objs[ar * 10 + ob]!.forEach((a, k) => {
          const ref = `${oref}.${k < numerals.length ? numerals[k] : k + 1}`;
          refOf.set(a.id, ref);
          recs.push(action(ref, a.text));
          a.measures.forEach((m, mi) => recs.push(measure(`${ref}/${mi + 1}`, m)));
        });
      }
    }
    return { recs, refOf };
  };
  const old = build(objectives);
  const neu = build(next);
  const truth = new Map<string, string>();
  for (const [id, ref] of old.refOf) {
    const to = neu.refOf.get(id);
    if (to) truth.set(ref, to);
  }
  return { from: old.recs, to: neu.recs, truth, edits };
}
