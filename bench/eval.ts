// `npm run eval`: extraction accuracy on every text-layer fixture against the expected
// records written from the hand-made specs: precision, recall and F1 per record kind,
// ratings / due / leads accuracy, area titles exact. The metric is
// ../shared/tools/score-records.mjs's (pipeline/eval/score-records.ts; a test keeps
// the two in agreement). Predictions are written to output/eval/<name>.jsonl so the
// official scorer can be run on them too. Usage: npm run eval [-- --json]
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractFile } from '../pipeline/extract.js';
import { readExpected, readManifest } from '../pipeline/fixture-check.js';
import { KINDS, scoreRecords, type RecordScore } from '../pipeline/eval/score-records.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = path.join(root, 'fixtures');
const outDir = path.join(root, 'output', 'eval');
const json = process.argv.includes('--json');

interface Row {
  name: string;
  score: RecordScore;
  areaTitlesExact: boolean;
  warnings: number;
}

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const rows: Row[] = [];
  for (const m of readManifest(fixtures).documents) {
    const truth = readExpected(fixtures, m.expected);
    const { records, document } = await extractFile(path.join(fixtures, m.pdf));
    writeFileSync(path.join(outDir, `${m.name}.jsonl`), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const score = scoreRecords(truth as never[], records as never[]);
    const truthAreas = truth.filter((r) => r.kind === 'area');
    const areaTitlesExact = truthAreas.every((t) => records.some((r) => r.kind === 'area' && r.ref === t.ref && r.text === t.text));
    rows.push({ name: m.name, score, areaTitlesExact, warnings: document.warnings.length });
  }
  if (json) {
    console.log(JSON.stringify(rows, null, 2));
    return;
  }
  const pct = (o: { correct: number; total: number }) => (o.total ? (o.correct / o.total).toFixed(3) : '  -  ');
  console.log(`${'fixture'.padEnd(24)} ${KINDS.map((k) => `${k} F1`.padStart(13)).join('')}  ratings    due  range  leads  areas`);
  for (const r of rows) {
    const f1s = KINDS.map((k) => {
      const s = r.score.kinds[k]!;
      return (s.truth || s.predicted ? s.f1.toFixed(3) : '  -  ').padStart(13);
    }).join('');
    console.log(`${r.name.padEnd(24)} ${f1s}  ${pct(r.score.ratings).padStart(7)} ${pct(r.score.due).padStart(6)} ${pct(r.score.dueRange).padStart(6)} ${pct(r.score.leads).padStart(6)}  ${r.areaTitlesExact ? 'exact' : 'DIFF '}`);
    for (const k of KINDS) for (const miss of r.score.kinds[k]!.misses.slice(0, 3)) console.log(`    miss ${k} ${String(miss.ref)}: "${miss.text}" got ${miss.got === null ? 'nothing' : `"${miss.got}"`}`);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
