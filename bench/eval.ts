// `npm run eval`: extraction accuracy on every text-layer fixture against the expected
// records written from the hand-made specs: precision, recall and F1 per record kind,
// ratings / due / leads accuracy, area titles exact. The metric is
// ../shared/tools/score-records.mjs's (pipeline/eval/score-records.ts; a test keeps
// the two in agreement). Predictions are written to output/eval/<name>.jsonl so the
// official scorer can be run on them too.
// Tables part: `wsoa tables` on every PDF of ../shared/tables/icdar2013/<subset> (default
// eu), written to output/eval/tables/NAME.json and scored with the ICDAR 2013 metric
// (pipeline/eval/score-tables.ts, which agrees with ../shared/tools/score-tables.py).
// Usage: npm run eval [-- --json] [--tables-only | --records-only] [--subset eu|us|all] [--scanned | --scanned-only] [--only NAME,...]
// --scanned adds the scanned twin of every fixture, read by OCR (about 8 s a page).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractFile, extractFileIsolated } from '../pipeline/extract.js';
import { DEFAULT_LIMITS } from '../pipeline/limits.js';
import { readExpected, readManifest } from '../pipeline/fixture-check.js';
import { KINDS, scoreRecords, type RecordScore } from '../pipeline/eval/score-records.js';
import { scoreTablesDir, type TablesScore } from '../pipeline/eval/score-tables.js';
import { extractTables } from '../pipeline/tables.js';
import { diffRecords } from '../pipeline/diff.js';
import { scoreDiff } from '../pipeline/eval/score-diff.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = path.join(root, 'fixtures');
const outDir = path.join(root, 'output', 'eval');
const json = process.argv.includes('--json');
const args = process.argv.slice(2);
const subset = args.includes('--subset') ? args[args.indexOf('--subset') + 1]! : 'eu';
const tablesDir = path.resolve(root, '..', 'shared', 'tables', 'icdar2013');

/** `wsoa tables` over the ICDAR subset, scored; null when the shared tables folder is not beside the project. */
async function evalTables(): Promise<TablesScore | null> {
  const subsets = subset === 'all' ? ['eu', 'us'] : [subset];
  if (!subsets.every((s) => existsSync(path.join(tablesDir, s)))) return null;
  const predDir = path.join(outDir, 'tables');
  mkdirSync(predDir, { recursive: true });
  for (const s of subsets)
    for (const f of readdirSync(path.join(tablesDir, s)).filter((x) => x.endsWith('.pdf'))) {
      try {
        writeFileSync(path.join(predDir, f.replace(/\.pdf$/, '.json')), JSON.stringify(await extractTables(path.join(tablesDir, s, f))));
      } catch (err) {
        console.error(`${f}: ${(err as Error).message}`);
      }
    }
  return scoreTablesDir(tablesDir, predDir, subset);
}

interface Row {
  name: string;
  score: RecordScore;
  areaTitlesExact: boolean;
  warnings: number;
}

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const rows: Row[] = [];
  const tables = args.includes('--records-only') ? null : await evalTables();
  // Text-layer fixtures in-process; with --scanned their scanned twins too, OCR'd in the isolated reader, two at a time.
  const only = args.includes('--only') ? new Set(args[args.indexOf('--only') + 1]!.split(',')) : null;
  const docs = args.includes('--tables-only') ? [] : readManifest(fixtures).documents.filter((m) => !only || only.has(m.name));
  const runs: { name: string; file: string; expected: string; ocr: boolean }[] = [
    ...(args.includes('--scanned-only') ? [] : docs.map((m) => ({ name: m.name, file: m.pdf, expected: m.expected, ocr: false }))),
    ...(args.includes('--scanned') || args.includes('--scanned-only') ? docs.flatMap((m) => (m.scanned ? [{ name: `${m.name}.scanned`, file: m.scanned, expected: m.expected, ocr: true }] : [])) : []),
  ];
  const scoreRun = async (run: (typeof runs)[number]): Promise<Row> => {
    const truth = readExpected(fixtures, run.expected);
    const { records, document } = run.ocr ? await extractFileIsolated(path.join(fixtures, run.file), DEFAULT_LIMITS, { ocr: true }) : await extractFile(path.join(fixtures, run.file));
    writeFileSync(path.join(outDir, `${run.name}.jsonl`), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const score = scoreRecords(truth as never[], records as never[]);
    const truthAreas = truth.filter((r) => r.kind === 'area');
    const areaTitlesExact = truthAreas.every((t) => records.some((r) => r.kind === 'area' && r.ref === t.ref && r.text === t.text));
    return { name: run.name, score, areaTitlesExact, warnings: document.warnings.length };
  };
  for (const run of runs.filter((r) => !r.ocr)) rows.push(await scoreRun(run));
  const scans = runs.filter((r) => r.ocr);
  const scanned: Row[] = new Array(scans.length);
  let next = 0;
  await Promise.all(
    [0, 1].map(async () => {
      while (next < scans.length) {
        const i = next++;
        scanned[i] = await scoreRun(scans[i]!);
        if (!json) console.error(`  ${scans[i]!.name} read`);
      }
    }),
  );
  rows.push(...scanned);
  if (json) {
    console.log(JSON.stringify({ records: rows, tables }, null, 2));
    return;
  }
  if (tables) {
    const st = tables.structure;
    const de = tables.detection;
    console.log(`tables (${subset}, ${st.documents} documents): structure P ${st.precision!.toFixed(4)} R ${st.recall!.toFixed(4)} F1 ${st.f1!.toFixed(4)}; detection P ${de.precision!.toFixed(4)} R ${de.recall!.toFixed(4)} F1 ${de.f1!.toFixed(4)}`);
    for (const d of tables.documents.filter((x) => x.structure.f1 < 0.8)) console.log(`    weak: ${d.name} structure F1 ${d.structure.f1.toFixed(3)}, ${d.structure.correct}/${d.structure.gt} relations`);
  } else if (!args.includes('--records-only')) console.log(`tables: ${tablesDir}/${subset} not found, tables part skipped`);
  if (!rows.length) return;
  if (only || args.includes('--scanned-only')) return printRows(rows);
  // Version pairs: the change list diffRecords gives for the extracted records of both versions.
  const manifest = readManifest(fixtures);
  for (const pair of manifest.pairs) {
    const a = manifest.documents.find((d) => d.name === pair.from)!;
    const b = manifest.documents.find((d) => d.name === pair.to)!;
    const ea = await extractFile(path.join(fixtures, a.pdf));
    const eb = await extractFile(path.join(fixtures, b.pdf));
    const ref = (d: typeof a, e: typeof ea) => ({ sha256: e.document.sha256, fileName: path.basename(d.pdf), council: e.document.council, versionDate: e.document.versionDate });
    const diff = diffRecords(ea.records, eb.records, ref(a, ea), ref(b, eb));
    writeFileSync(path.join(outDir, `${pair.name}.diff.json`), JSON.stringify(diff, null, 2));
    const truth = JSON.parse(readFileSync(path.join(fixtures, pair.diff), 'utf8'));
    const s = scoreDiff(truth, diff);
    const split = truth.entries.filter((e: { changes: string[] }) => e.changes.includes('renumbered')).filter((e: { kind: string; oldRef: string; newRef: string }) =>
      diff.entries.some((d) => d.kind === e.kind && d.oldRef === e.oldRef && d.changes.includes('removed')) && diff.entries.some((d) => d.kind === e.kind && d.newRef === e.newRef && d.changes.includes('added')),
    ).length;
    console.log(`diff ${pair.name.padEnd(26)} changes P ${s.precision.toFixed(3)} R ${s.recall.toFixed(3)} F1 ${s.f1.toFixed(3)}  (${s.correct}/${s.truth}); renumbered reported as added+removed: ${split}`);
  }
  printRows(rows);
}

function printRows(rows: Row[]): void {
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
