// The analyst's commands end to end on the fixtures, with a real SQLite file:
// ingest (and re-ingest), diff of a stored version pair and of two files, export, compare.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { DiffDocument, FlatRecord } from '../schemas/index.js';
import { scoreDiff } from '../pipeline/eval/score-diff.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'bin/wsoa.mjs');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'wsoa-cmd-'));
const db = path.join(tmp, 'wsoa.sqlite');
const pdf = (n: string) => path.join(root, 'fixtures/pdf', `${n}.pdf`);

async function wsoa(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, WSOA_DB: db } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('wsoa ingest, diff, export, compare', () => {
  let summary: { stored: number; skipped: number; failed: number; files: { documentId: number; council: string; file: string }[] };
  beforeAll(async () => {
    const r = await wsoa('ingest', pdf('001-warwickshire'), pdf('001-warwickshire.v2'), pdf('003-leicester-city'), pdf('006-bracknell-forest'), '--json');
    expect(r.code).toBe(0);
    summary = JSON.parse(r.stdout);
  }, 120_000);

  it('stores each document once, and says so when given the same bytes again', async () => {
    expect(summary.stored).toBe(4);
    const again = await wsoa('ingest', pdf('001-warwickshire'), '--json');
    expect(again.code).toBe(0);
    const s = JSON.parse(again.stdout);
    expect(s.skipped).toBe(1);
    expect(s.files[0].reason).toMatch(/already stored as document \d+/);
  });

  it('a bad file fails with its reason, after the others are stored', async () => {
    const r = await wsoa('ingest', path.join(root, 'fixtures/bad/not-a-pdf.pdf'), pdf('007-kent'), '--json');
    expect(r.code).toBe(3);
    const s = JSON.parse(r.stdout);
    expect(s.stored).toBe(1);
    expect(s.files.find((f: { status: string }) => f.status === 'failed').reason).toMatch(/not a PDF/);
  });

  it('--jobs 2 reads two documents at once and stores them in the order given, with the same records as one at a time', async () => {
    const files = [pdf('003-leicester-city'), pdf('bad-name-missing'), pdf('005-southend'), pdf('007-kent')];
    const one = JSON.parse((await run(process.execPath, [bin, 'ingest', '--json', '--db', path.join(tmp, 'one.sqlite'), ...files]).catch((e) => e)).stdout);
    const two = JSON.parse((await run(process.execPath, [bin, 'ingest', '--json', '--jobs', '2', '--db', path.join(tmp, 'two.sqlite'), ...files]).catch((e) => e)).stdout);
    const shape = (s: { files: { file: string; status: string; documentId: number | null; records: object }[] }) => s.files.map((f) => [path.basename(f.file), f.status, f.documentId, f.records]);
    expect(shape(two)).toEqual(shape(one));
    expect(two.stored).toBe(3);
    expect(two.failed).toBe(1);
    expect((await wsoa('ingest', '--jobs', '0', pdf('007-kent'))).code).toBe(2);
  }, 120_000);

  it('diff --council gives the change list of the latest two versions, as the expected diff says', async () => {
    const r = await wsoa('diff', '--council', 'Warwickshire', '--json');
    expect(r.code).toBe(0);
    const diff = DiffDocument.parse(JSON.parse(r.stdout));
    const truth = JSON.parse(readFileSync(path.join(root, 'fixtures/expected/001-warwickshire--v2.diff.json'), 'utf8'));
    const s = scoreDiff(truth, diff);
    expect(s.precision).toBeGreaterThanOrEqual(0.99);
    expect(s.recall).toBeGreaterThanOrEqual(0.99);
  });

  it('diff of two files writes an HTML report and a Markdown one', async () => {
    const html = path.join(tmp, 'report.html');
    const r = await wsoa('diff', pdf('003-leicester-city'), pdf('003-leicester-city.v2'), '--markdown', '--html', html);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/due-changed/);
    expect(readFileSync(html, 'utf8')).toMatch(/<del>|<ins>/);
  });

  it('export gives the latest records as CSV, JSONL and JSON', async () => {
    const csv = await wsoa('export', '--format', 'csv', '--council', 'Warwickshire', '--kind', 'action');
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\n')[0]).toMatch(/^council,document,file,version_date,kind,ref/);
    expect(csv.stdout.trim().split('\n').length - 1).toBe(18); // a header and the latest version's 18 actions
    const jsonl = await wsoa('export', '--format', 'jsonl', '--council', 'Leicester City');
    const lines = jsonl.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.length).toBe(182);
    const { council: _c, documentId: _d, ...record } = lines[0];
    expect(FlatRecord.safeParse(record).success).toBe(true);
    expect((await wsoa('export', '--format', 'xml')).code).toBe(2);
  });

  it('link matches the paragraphs of a progress report to the plan actions they speak about', async () => {
    const r = await wsoa('link', pdf('002-leicestershire-report'), pdf('000-leicestershire'), '--json');
    expect(r.code).toBe(0);
    const { paragraphs, links } = JSON.parse(r.stdout);
    expect(paragraphs.length).toBe(36);
    expect(links.some((l: { paragraph: string; ref: string }) => l.ref === '1.7.1')).toBe(true);
  });

  it('compare groups actions of different councils into shared themes', async () => {
    const r = await wsoa('compare', '--format', 'json');
    expect(r.code).toBe(0);
    const themes = JSON.parse(r.stdout);
    expect(themes.some((t: { councils: string[] }) => t.councils.length >= 2)).toBe(true);
  });
});
