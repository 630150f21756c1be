// `npm run eval` must agree with ../shared/tools/score-records.mjs, the scorer the
// project is judged by: both are run on the same truth and the same predictions,
// good and deliberately damaged, and must give the same figures.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractFile } from '../pipeline/extract.js';
import { readExpected, readManifest } from '../pipeline/fixture-check.js';
import { scoreRecords } from '../pipeline/eval/score-records.js';

const dir = path.resolve(import.meta.dirname, '../fixtures');
const official = path.resolve(import.meta.dirname, '../../shared/tools/score-records.mjs');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'wsoa-eval-'));

/** A prediction with realistic damage: records lost, texts cut, ratings flipped, refs garbled. */
function damaged(records: Record<string, unknown>[]): Record<string, unknown>[] {
  return records
    .filter((_, i) => i % 7 !== 3)
    .map((r, i) => {
      const c = { ...r };
      if (i % 5 === 0) c.text = String(c.text).split(' ').slice(0, 3).join(' ');
      if (i % 6 === 1 && c.ratings) c.ratings = Object.fromEntries(Object.entries(c.ratings as object).map(([k, v]) => [k, v === 'green' ? 'amber' : v]));
      if (i % 11 === 2) c.ref = `${c.ref}.`;
      if (i % 13 === 4 && typeof c.due === 'string') c.due = `${c.due} (revised)`;
      return c;
    });
}

// The official scorer lives in the shared folder beside the repository; without it there is nothing to agree with.
describe.skipIf(!existsSync(official))('npm run eval agrees with score-records.mjs', () => {
  const docs = readManifest(dir).documents.filter((d) => !d.name.includes('.v'));
  it.each(docs.map((d) => [d.name, d] as const))('%s: same figures on the extraction and on a damaged copy', async (name, m) => {
    const truthPath = path.join(dir, m.expected);
    const truth = readExpected(dir, m.expected);
    const { records } = await extractFile(path.join(dir, m.pdf));
    for (const [label, pred] of [['extracted', records as unknown as Record<string, unknown>[]], ['damaged', damaged(records as unknown as Record<string, unknown>[])]] as const) {
      const predPath = path.join(tmp, `${name}.${label}.jsonl`);
      writeFileSync(predPath, pred.map((r) => JSON.stringify(r)).join('\n') + '\n');
      const theirs = JSON.parse(execFileSync(process.execPath, [official, truthPath, predPath, '--json'], { encoding: 'utf8' }));
      const ours = scoreRecords(truth as never[], pred as never[]);
      expect(JSON.parse(JSON.stringify(ours)), `${name} ${label}`).toEqual(theirs);
    }
  });
});

const tablesDir = path.resolve(import.meta.dirname, '../../shared/tables/icdar2013');
const officialTables = path.resolve(import.meta.dirname, '../../shared/tools/score-tables.py');
// The shared tables and python3 scorer live beside the repository; without them there is nothing to agree with.
describe.skipIf(!existsSync(path.join(tablesDir, 'eu')) || !existsSync(officialTables))('the tables part of npm run eval agrees with score-tables.py', () => {
  it('on the output of wsoa tables over the EU half, to three decimals', async () => {
    const { extractTables } = await import('../pipeline/tables.js');
    const { scoreTablesDir } = await import('../pipeline/eval/score-tables.js');
    const { readdirSync } = await import('node:fs');
    const pred = mkdtempSync(path.join(os.tmpdir(), 'wsoa-tables-eval-'));
    for (const f of readdirSync(path.join(tablesDir, 'eu')).filter((x) => x.endsWith('.pdf')))
      writeFileSync(path.join(pred, f.replace(/\.pdf$/, '.json')), JSON.stringify(await extractTables(path.join(tablesDir, 'eu', f))));
    const theirs = JSON.parse(execFileSync('python3', [officialTables, pred, '--subset', 'eu', '--json'], { encoding: 'utf8' }));
    const ours = scoreTablesDir(tablesDir, pred, 'eu');
    for (const part of ['structure', 'detection'] as const)
      for (const k of ['precision', 'recall', 'f1'] as const) expect(ours[part][k]!).toBeCloseTo(theirs[part][k], 3);
    // And the engine holds its targets on this half.
    expect(ours.structure.f1!).toBeGreaterThanOrEqual(0.9);
    expect(ours.detection.f1!).toBeGreaterThanOrEqual(0.95);
  }, 120_000);
});
