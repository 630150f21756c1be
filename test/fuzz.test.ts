// A short fixed-seed fuzz run, as CI runs it: every mutant of the small fixtures ends
// with exit 0 and valid JSON, or exit 3 and one line, from wsoa extract and wsoa tables.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fuzz, outcomeProblem } from '../bench/fuzz.js';

describe('fuzzing', () => {
  it('the outcome check refuses what it must', () => {
    expect(outcomeProblem({ code: 0, out: '{"tables": []}', err: '' }, 'tables')).toBeNull();
    expect(outcomeProblem({ code: 3, out: '', err: 'wsoa: not a PDF: the file is a text file' }, 'extract')).toBeNull();
    expect(outcomeProblem({ code: 0, out: 'not json', err: '' }, 'tables')).toMatch(/not JSON/);
    expect(outcomeProblem({ code: 3, out: '', err: 'wsoa: a\nsecond line' }, 'extract')).toMatch(/2 lines/);
    expect(outcomeProblem({ code: 1, out: '', err: 'wsoa: boom' }, 'extract')).toMatch(/exit 1/);
    expect(outcomeProblem({ code: 3, out: '', err: 'Error: x\n    at f (file.ts:1:2)' }, 'extract')).toMatch(/stack trace/);
  });

  it('100 mutants (seed 2026) of the small fixtures: every run ends in one of the two allowed ways', async () => {
    const outDir = mkdtempSync(path.join(os.tmpdir(), 'wsoa-fuzz-'));
    const r = await fuzz({ runs: 100, seed: 2026, pageTimeoutS: 10, docTimeoutS: 60, concurrency: 2, outDir, maxSourcePages: 10 });
    expect(r.mutants).toBe(100);
    expect(r.failures).toEqual([]);
    expect(r.exit0 + r.exit3).toBe(r.runs);
    expect(Object.keys(r.byMutation).length).toBe(6);
  }, 900_000);
});
