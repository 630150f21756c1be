// Hostile and damaged PDFs (fixtures/bad/hostile, built by `npm run fixtures:hostile`):
// the real command on each, as a nightly batch would run it, with the lower limits a
// test can afford. Every run must end in time, within memory, with no stack trace, and
// either read what can be read (exit 0, the damaged pages named in warnings) or refuse
// the file with one line (exit 3), as the manifest says.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Document, HostileManifest } from '../schemas/index.js';

const root = path.resolve(import.meta.dirname, '..');
const dir = path.join(root, 'fixtures/bad/hostile');

const manifest = HostileManifest.parse(JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')));

const LIMITS = ['--json', '--max-memory-mb', '700', '--page-timeout', '15'];
const WALL_MS = 60_000;
const PEAK_KB = 1_048_576;
const TIME = '/usr/bin/time';
const hasTime = existsSync(TIME);
/** Warnings that say a page could not be read whole. */
const READING = new Set(['memory-limit', 'time-limit', 'reader-crash', 'unreadable-page', 'max-items', 'no-text-layer']);
const STACK_FRAME = '    at ';

interface Run {
  code: number | null;
  stdout: string;
  /** wsoa's own stderr, /usr/bin/time's report cut off. */
  stderr: string;
  ms: number;
  /** Largest resident set of any process of the command (the CLI or a reader), kB; null without /usr/bin/time. */
  peakKb: number | null;
}

function wsoa(command: 'extract' | 'tables', file: string): Promise<Run> {
  const args = ['bin/wsoa.mjs', command, path.join(dir, file), ...LIMITS];
  // The limits come from the options alone: no WSOA_* setting of the caller leaks in.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WSOA_')));
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(hasTime ? TIME : process.execPath, hasTime ? ['-v', process.execPath, ...args] : args, { cwd: root, env, maxBuffer: 256 * 1024 * 1024, timeout: 110_000, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      const ms = performance.now() - started;
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      let own = stderr;
      let peakKb: number | null = null;
      if (hasTime) {
        // GNU time appends its report (after "Command exited with non-zero status N" when it is not 0).
        const at = stderr.search(/^(Command exited with non-zero status \d+|Command terminated by signal \d+|\tCommand being timed:)/m);
        if (at >= 0) own = stderr.slice(0, at);
        const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
        peakKb = m ? Number(m[1]) : null;
      }
      resolve({ code, stdout, stderr: own, ms, peakKb });
    });
  });
}

/** What every run must keep to, whatever the file: no stack trace, in time, within memory. */
function bounded(r: Run): void {
  expect(r.stdout).not.toContain(STACK_FRAME);
  expect(r.stderr).not.toContain(STACK_FRAME);
  expect(r.ms).toBeLessThan(WALL_MS);
  // ru_maxrss of the children: the largest single process (the CLI or a reader), as /usr/bin/time -v reports it.
  if (r.peakKb !== null) expect(r.peakKb).toBeLessThan(PEAK_KB);
  // else: no /usr/bin/time on this machine, so peak memory is not measured here.
}

const lines = (s: string) => s.split('\n').filter((l) => l.trim() !== '');

describe('fixtures/bad/hostile', () => {
  it('holds the files the manifest lists, each under 2 MB', () => {
    const pdfs = readdirSync(dir).filter((f) => f.endsWith('.pdf')).sort();
    expect(manifest.files.map((f) => f.file).sort()).toEqual(pdfs);
    for (const f of pdfs) expect(statSync(path.join(dir, f)).size).toBeLessThan(2 * 1024 * 1024);
  });
});

describe.each(manifest.files.map((f) => [f.file, f] as const))('%s', (file, entry) => {
  it(`wsoa extract: ${entry.expect === 'opens' ? 'exit 0, damaged pages named' : 'exit 3, one line'}, < 60 s, < 1 GB`, async () => {
    const r = await wsoa('extract', file);
    bounded(r);
    if (entry.expect === 'refused') {
      expect(r.code, r.stderr).toBe(3);
      expect(r.stdout).toBe('');
      expect(lines(r.stderr)).toHaveLength(1);
      if (entry.error) expect(r.stderr.trim()).toMatch(new RegExp(entry.error));
      return;
    }
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const doc = Document.parse(JSON.parse(r.stdout));
    // Exactly the damaged pages are named by the warnings of reading: none lost silently, none blamed wrongly.
    const named = [...new Set(doc.warnings.filter((w) => READING.has(w.code)).map((w) => w.page))].sort();
    expect(named, JSON.stringify(doc.warnings)).toEqual([...(entry.damagedPages ?? [])].sort());
    for (const code of entry.warningCodes ?? []) expect(doc.warnings.map((w) => w.code)).toContain(code);
    if (entry.pageCount !== undefined) expect(doc.pageCount).toBe(entry.pageCount);
    // The text page was read (JavaScript and launch actions included: read, never run).
    if (entry.title !== undefined) expect(doc.title).toBe(entry.title);
  }, 120_000);

  it('wsoa tables: exit 0 with JSON or exit 3 with one line, < 60 s, < 1 GB', async () => {
    const r = await wsoa('tables', file);
    bounded(r);
    // A file wsoa extract opens, wsoa tables opens too.
    expect(r.code, r.stderr).toBe(entry.expect === 'opens' ? 0 : r.code === 0 ? 0 : 3);
    if (r.code === 0) {
      const json = JSON.parse(r.stdout) as { tables: unknown[]; warnings?: string[] };
      expect(Array.isArray(json.tables)).toBe(true);
      // Its warnings (pages stopped or unreadable, a damaged xref) are on stderr, one "wsoa: <file>: ..." line each.
      for (const l of lines(r.stderr)) expect(l.startsWith(`wsoa: ${file}: `), l).toBe(true);
      expect(lines(r.stderr)).toHaveLength(json.warnings?.length ?? 0);
    } else {
      expect(r.stdout).toBe('');
      expect(lines(r.stderr)).toHaveLength(1);
      expect(r.stderr).toMatch(/^wsoa: /);
    }
  }, 120_000);
});
