// `npm run bench`: speed and memory of extraction, as ratios against poppler's
// pdftotext run on the same files in the same run (these machines are noisy, so only
// same-run ratios mean anything). Figures: pages per second of `wsoa extract` (in
// process, all text-layer fixtures) and of `pdftotext -layout`, their ratio, and the
// peak resident memory of a child process extracting the largest fixture and the
// 2,000-page file; OCR against the tesseract CLI (bench/ocr.ts).
// Usage: npm run bench [-- --rounds N] [--json] [--no-ocr]
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extractFile } from '../pipeline/extract.js';
import { loadDocument } from '../pipeline/load.js';
import { extractTables } from '../pipeline/tables.js';
import { diffRecords } from '../pipeline/diff.js';
import { ingest } from '../pipeline/commands/ingest.js';
import { resolveLimits } from '../pipeline/limits.js';
import { syntheticPlans } from './synthetic-plans.js';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import { readManifest } from '../pipeline/fixture-check.js';
import { benchOcr, ocrBenchLines } from './ocr.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = path.join(root, 'fixtures');
const args = process.argv.slice(2);
const rounds = Number(args[args.indexOf('--rounds') + 1]) || 3;

function hasPdftotext(): boolean {
  return spawnSync('pdftotext', ['-v']).status === 0;
}

/** Peak RSS (MB) of a child process extracting one file, measured by the child itself. */
function childPeakRss(file: string | null): { mb: number; ok: boolean } {
  const script = `import { extractFile } from ${JSON.stringify(path.join(root, 'pipeline/extract.ts'))};
${file === null ? '' : `try { await extractFile(${JSON.stringify(file)}); } catch {}`}
process.stdout.write(String(process.resourceUsage().maxRSS / 1024));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  return { mb: Number(r.stdout.trim()), ok: r.status === 0 };
}

async function main(): Promise<void> {
  const docs = readManifest(fixtures).documents;
  const files = docs.map((d) => path.join(fixtures, d.pdf));
  const pages = docs.reduce((s, d) => s + d.pages, 0);
  await extractFile(files[0]!); // warm up the module graph and pdf.js
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) for (const f of files) await extractFile(f);
  const wsoaSec = Number(process.hrtime.bigint() - t0) / 1e9;
  let popplerSec: number | null = null;
  if (hasPdftotext()) {
    const t1 = process.hrtime.bigint();
    for (let r = 0; r < rounds; r++) for (const f of files) execFileSync('pdftotext', ['-layout', f, '-']);
    popplerSec = Number(process.hrtime.bigint() - t1) / 1e9;
  }
  // Tables: `wsoa tables` over the ICDAR 2013 EU PDFs against pdftotext -layout on the same files.
  const icdar = path.resolve(root, '..', 'shared', 'tables', 'icdar2013', 'eu');
  let tables: { files: number; pages: number; wsoaSecondsPerPage: number; pdftotextSecondsPerPage: number | null; ratio: number | null } | null = null;
  if (existsSync(icdar)) {
    const pdfs = readdirSync(icdar).filter((f) => f.endsWith('.pdf')).map((f) => path.join(icdar, f));
    let tablePages = 0;
    for (const f of pdfs) {
      const d = await loadDocument(readFileSync(f));
      tablePages += d.pageCount;
      await d.close();
    }
    await extractTables(pdfs[0]!); // warm up
    const t2 = process.hrtime.bigint();
    for (let r = 0; r < rounds; r++) for (const f of pdfs) await extractTables(f);
    const ts = Number(process.hrtime.bigint() - t2) / 1e9 / (tablePages * rounds);
    let ps: number | null = null;
    if (hasPdftotext()) {
      const t3 = process.hrtime.bigint();
      for (let r = 0; r < rounds; r++) for (const f of pdfs) execFileSync('pdftotext', ['-layout', f, '-']);
      ps = Number(process.hrtime.bigint() - t3) / 1e9 / (tablePages * rounds);
    }
    tables = { files: pdfs.length, pages: tablePages, wsoaSecondsPerPage: ts, pdftotextSecondsPerPage: ps, ratio: ps === null ? null : ts / ps };
  }
  // Diff: two synthetic plans of 1,000 actions (about 2,400 records each).
  const pair = syntheticPlans(1, 10);
  const ref = (f: string) => ({ sha256: null, fileName: f, council: 'Synthetic', versionDate: null });
  diffRecords(pair.from.slice(0, 50), pair.to.slice(0, 50), ref('a'), ref('b')); // warm up
  const t4 = process.hrtime.bigint();
  const synthDiff = diffRecords(pair.from, pair.to, ref('old.pdf'), ref('new.pdf'));
  const diffSeconds = Number(process.hrtime.bigint() - t4) / 1e9;
  // Ingest throughput: extraction in the isolated reader and the store, one transaction per document.
  const dbDir = mkdtempSync(path.join(os.tmpdir(), 'wsoa-bench-'));
  const t5 = process.hrtime.bigint();
  const ing = await ingest(files, { store: path.join(dbDir, 'bench.sqlite'), limits: resolveLimits(), progress: false });
  const ingestSeconds = Number(process.hrtime.bigint() - t5) / 1e9;
  const largest = docs.reduce((a, b) => (b.pages > a.pages ? b : a));
  const rssLargest = childPeakRss(path.join(fixtures, largest.pdf));
  const rssBlank = childPeakRss(path.join(fixtures, 'bad/blank-2000.pdf'));
  const rssBaseline = childPeakRss(null);
  const ocr = args.includes('--no-ocr') ? null : await benchOcr(path.join(fixtures, 'pdf'));
  const result = {
    files: files.length,
    pagesPerRound: pages,
    rounds,
    wsoa: { seconds: wsoaSec, pagesPerSecond: (pages * rounds) / wsoaSec, secondsPerPage: wsoaSec / (pages * rounds) },
    pdftotext: popplerSec === null ? null : { seconds: popplerSec, pagesPerSecond: (pages * rounds) / popplerSec, secondsPerPage: popplerSec / (pages * rounds) },
    ratioWsoaToPdftotext: popplerSec === null ? null : wsoaSec / popplerSec,
    tables,
    diff: { actions: pair.from.filter((r) => r.kind === 'action').length, records: [pair.from.length, pair.to.length], entries: synthDiff.entries.length, seconds: diffSeconds },
    ingest: { documents: ing.stored, pages: ing.pages, seconds: ingestSeconds, pagesPerSecond: ing.pages / ingestSeconds },
    peakRssMb: { modulesOnly: rssBaseline.mb, [largest.name]: rssLargest.mb, 'blank-2000': rssBlank.mb },
    ocr,
  };
  if (args.includes('--json')) {
    console.log(JSON.stringify(result, null, 2));
    return;
  }
  console.log(`text-layer fixtures: ${files.length} files, ${pages} pages, ${rounds} rounds`);
  console.log(`wsoa extract      ${result.wsoa.pagesPerSecond.toFixed(1)} pages/s (${(result.wsoa.secondsPerPage * 1000).toFixed(1)} ms/page)`);
  if (result.pdftotext) {
    console.log(`pdftotext -layout ${result.pdftotext.pagesPerSecond.toFixed(1)} pages/s (${(result.pdftotext.secondsPerPage * 1000).toFixed(1)} ms/page)`);
    console.log(`ratio: wsoa takes ${result.ratioWsoaToPdftotext!.toFixed(1)}x the time of pdftotext per page`);
  } else console.log('pdftotext not installed (apt-get install poppler-utils): no baseline this run');
  if (tables)
    console.log(`wsoa tables on ICDAR 2013 EU (${tables.files} files, ${tables.pages} pages): ${tables.wsoaSecondsPerPage.toFixed(4)} s/page` + (tables.pdftotextSecondsPerPage !== null ? ` against pdftotext -layout ${tables.pdftotextSecondsPerPage.toFixed(4)} s/page: ${tables.ratio!.toFixed(1)}x` : ''));
  console.log(`diff of two synthetic 1,000-action plans (${pair.from.length} and ${pair.to.length} records): ${diffSeconds.toFixed(2)} s`);
  console.log(`ingest (isolated reader + SQLite store): ${ing.stored} documents, ${ing.pages} pages in ${ingestSeconds.toFixed(1)} s: ${(ing.pages / ingestSeconds).toFixed(1)} pages/s`);
  if (ocr) for (const line of ocrBenchLines(ocr)) console.log(line);
  console.log(`peak RSS: modules loaded ${rssBaseline.mb.toFixed(0)} MB; ${largest.name} (${largest.pages} pages) ${rssLargest.mb.toFixed(0)} MB; blank-2000.pdf (2,000 pages) ${rssBlank.mb.toFixed(0)} MB`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
