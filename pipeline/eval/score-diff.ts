// The diff metric of ../shared/tools/score-diff.mjs, in the project so that tests and
// `npm run eval` need nothing outside it; test/diff.test.ts checks that both print the
// same figures on the same files. A diff is the set of (change, kind, oldRef, newRef)
// tuples of its entries, 'unchanged' left out; refs compared without spaces, case or a
// trailing dot. Precision and recall are over those tuples.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const norm = (r: unknown) => (r == null ? '-' : String(r).trim().toLowerCase().replace(/\s+/g, '').replace(/\.$/, ''));

type Entry = { changes?: unknown; change?: unknown; kind?: unknown; oldRef?: unknown; newRef?: unknown };

/** The scored tuples of a diff: a DiffDocument, a bare list of entries, or {changes: [...]} as in fixtures/specs. */
export function diffTuples(doc: unknown): Set<string> {
  const d = doc as { entries?: Entry[]; changes?: Entry[] } | Entry[] | null;
  const entries: Entry[] = Array.isArray(d) ? d : (d?.entries ?? d?.changes ?? []);
  const out = new Set<string>();
  for (const e of entries) {
    const changes: unknown[] = Array.isArray(e.changes) ? e.changes : e.change ? [e.change] : [];
    for (const c of changes) if (c !== 'unchanged') out.add([c, e.kind, norm(e.oldRef), norm(e.newRef)].join(' '));
  }
  return out;
}

export interface DiffScore {
  truth: number;
  predicted: number;
  correct: number;
  precision: number;
  recall: number;
  f1: number;
  /** Truth tuples the prediction lacks, in truth order. */
  missed: string[];
  /** Predicted tuples the truth lacks, in prediction order. */
  extra: string[];
}

export function scoreDiff(truth: unknown, predicted: unknown): DiffScore {
  const T = diffTuples(truth);
  const P = diffTuples(predicted);
  const tp = [...P].filter((x) => T.has(x)).length;
  const precision = P.size ? tp / P.size : 0;
  const recall = T.size ? tp / T.size : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { truth: T.size, predicted: P.size, correct: tp, precision, recall, f1, missed: [...T].filter((x) => !P.has(x)), extra: [...P].filter((x) => !T.has(x)) };
}

/** The lines score-diff.mjs prints, word for word: up to 8 missed, up to 8 extra, the summary. */
export function formatDiffScore(s: DiffScore): string[] {
  return [
    ...s.missed.slice(0, 8).map((x) => `missed  ${x}`),
    ...s.extra.slice(0, 8).map((x) => `extra   ${x}`),
    `diff truth=${s.truth} predicted=${s.predicted} correct=${s.correct} P=${s.precision.toFixed(3)} R=${s.recall.toFixed(3)} F1=${s.f1.toFixed(3)}`,
  ];
}

/** As score-diff.mjs: a prediction that cannot be read or parsed scores as empty. */
export function scoreDiffFiles(truthPath: string, predPath: string): DiffScore {
  const truth: unknown = JSON.parse(readFileSync(truthPath, 'utf8'));
  let pred: unknown = [];
  try {
    pred = JSON.parse(readFileSync(predPath, 'utf8'));
  } catch {
    /* empty prediction */
  }
  return scoreDiff(truth, pred);
}

function main(argv: string[]): number {
  const [truthPath, predPath] = argv;
  if (!truthPath || !predPath) {
    process.stderr.write('usage: score-diff truth.diff.json predicted.json [--json]\n');
    return 2;
  }
  const s = scoreDiffFiles(truthPath, predPath);
  process.stdout.write(argv.includes('--json') ? `${JSON.stringify(s)}\n` : `${formatDiffScore(s).join('\n')}\n`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
