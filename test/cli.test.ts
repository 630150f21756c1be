import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../bin/wsoa.mjs');

async function wsoa(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args]);
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('wsoa command', () => {
  it('prints help with the exit codes and exits 0', async () => {
    const r = await wsoa('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Exit codes: 0 success, 1 the run failed, 2 bad usage, 3 bad input');
  });
  it('exits 2 on an unknown command or option', async () => {
    expect((await wsoa('frobnicate')).code).toBe(2);
    expect((await wsoa('check-fixtures', '--no-such-option')).code).toBe(2);
  });
  it('checks the bundled fixtures and says what it found', async () => {
    const r = await wsoa('check-fixtures', '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.problems).toEqual([]);
    expect(report.documents.length).toBeGreaterThanOrEqual(4);
  });
  it('exits 1 with one line when the fixtures folder is not there', async () => {
    const r = await wsoa('check-fixtures', '/nonexistent/fixtures');
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
