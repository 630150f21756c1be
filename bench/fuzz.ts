// `npm run fuzz -- --runs 1000 --seed S`: mutates the fixture PDFs (byte flips, truncation
// at random offsets, chunks duplicated or deleted, stream /Length lies, object numbers
// swapped) and runs every mutant through `wsoa extract --json` and `wsoa tables --json`
// (the CLI's own entry point, in this process; reading happens in the isolated reader
// under the limits). Each must end with exit 0 and valid JSON, or exit 3 and one line.
// Failing mutants are saved under output/fuzz/ with the command that reproduces them.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Document } from '../schemas/index.js';
import { main as cli } from '../pipeline/cli.js';
import { readManifest } from '../pipeline/fixture-check.js';
import { prng } from '../pipeline/prng.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface FuzzOptions {
  runs: number;
  seed: number;
  /** Limits passed to the commands, so that a hanging mutant costs little. */
  pageTimeoutS: number;
  docTimeoutS: number;
  concurrency: number;
  outDir: string;
  /** Only fixtures of at most this many pages (short runs in CI). */
  maxSourcePages?: number;
  log?: (s: string) => void;
}

export interface FuzzResult {
  mutants: number;
  runs: number;
  exit0: number;
  exit3: number;
  failures: { mutant: string; command: string; why: string }[];
  byMutation: Record<string, number>;
  seconds: number;
}


type Mutation = (b: Buffer, r: () => number) => Buffer;
const int = (r: () => number, n: number) => Math.floor(r() * n);

export const MUTATIONS: Record<string, Mutation> = {
  'byte-flips': (b, r) => {
    const out = Buffer.from(b);
    const n = 1 + int(r, 20);
    for (let i = 0; i < n; i++) out[int(r, out.length)] = int(r, 256);
    return out;
  },
  truncation: (b, r) => b.subarray(0, int(r, b.length)),
  'chunk-duplicated': (b, r) => {
    const at = int(r, b.length);
    const len = 1 + int(r, Math.min(4096, b.length - at));
    return Buffer.concat([b.subarray(0, at + len), b.subarray(at, at + len), b.subarray(at + len)]);
  },
  'chunk-deleted': (b, r) => {
    const at = int(r, b.length);
    const len = 1 + int(r, Math.min(4096, b.length - at));
    return Buffer.concat([b.subarray(0, at), b.subarray(at + len)]);
  },
  'length-lie': (b, r) => {
    const text = b.toString('latin1');
    const hits = [...text.matchAll(/\/Length (\d+)/g)];
    if (!hits.length) return b;
    const h = hits[int(r, hits.length)]!;
    const lie = [0, 1, Number(h[1]) * 1000 + 7, Math.max(0, Number(h[1]) - 1 - int(r, 50)), 2 ** 31][int(r, 5)]!;
    return Buffer.from(text.slice(0, h.index) + `/Length ${lie}` + text.slice(h.index! + h[0].length), 'latin1');
  },
  'object-numbers-swapped': (b, r) => {
    const text = b.toString('latin1');
    const objs = [...text.matchAll(/(\d+) 0 obj/g)];
    if (objs.length < 2) return b;
    const a = objs[int(r, objs.length)]!;
    const c = objs[int(r, objs.length)]!;
    const swap = (s: string) => s.replace(new RegExp(`\\b(${a[1]}|${c[1]}) 0 (obj|R)\\b`, 'g'), (_m, n: string, k: string) => `${n === a[1] ? c[1] : a[1]} 0 ${k}`);
    return Buffer.from(swap(text), 'latin1');
  },
};

async function runCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await cli(['node', 'wsoa', ...args], { out: (s) => void out.push(s), err: (s) => void err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** What is wrong with a command's outcome, or null when it is one of the two allowed ones. */
export function outcomeProblem(r: { code: number; out: string; err: string }, kind: 'extract' | 'tables'): string | null {
  if (/\n\s+at .+[:(]\d+/.test(r.err) || /\n\s+at .+[:(]\d+/.test(r.out)) return 'a stack trace was printed';
  if (r.code === 0) {
    try {
      const json = JSON.parse(r.out);
      if (kind === 'extract') {
        const p = Document.safeParse(json);
        if (!p.success) return `exit 0 but the JSON is not a document: ${p.error.issues[0]?.path.join('.')}: ${p.error.issues[0]?.message}`;
      } else if (!Array.isArray(json.tables)) return 'exit 0 but no tables array';
    } catch {
      return 'exit 0 but stdout is not JSON';
    }
    return null;
  }
  if (r.code === 3) {
    const lines = r.err.trim().split('\n');
    if (r.out.trim()) return 'exit 3 with output on stdout';
    if (lines.length !== 1 || !lines[0]) return `exit 3 with ${lines.length} lines on stderr`;
    return null;
  }
  return `exit ${r.code}: ${r.err.split('\n')[0]}`;
}

export async function fuzz(o: FuzzOptions): Promise<FuzzResult> {
  const started = Date.now();
  const fixtures = path.join(root, 'fixtures');
  const sources = readManifest(fixtures)
    .documents.filter((d) => !d.name.includes('.v') && d.pages <= (o.maxSourcePages ?? Infinity))
    .map((d) => ({ name: d.name, bytes: readFileSync(path.join(fixtures, d.pdf)) }));
  const rand = prng(o.seed);
  const work = path.join(o.outDir, 'mutants');
  mkdirSync(work, { recursive: true });
  const names = Object.keys(MUTATIONS);
  const result: FuzzResult = { mutants: 0, runs: 0, exit0: 0, exit3: 0, failures: [], byMutation: {}, seconds: 0 };
  const jobs = Array.from({ length: o.runs }, (_, i) => {
    const src = sources[int(rand, sources.length)]!;
    const mutation = names[int(rand, names.length)]!;
    const mutantSeed = int(rand, 2 ** 31);
    return { i, src, mutation, bytes: MUTATIONS[mutation]!(src.bytes, prng(mutantSeed)) };
  });
  const limits = ['--page-timeout', String(o.pageTimeoutS), '--doc-timeout', String(o.docTimeoutS)];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      const file = path.join(work, `${String(job.i).padStart(5, '0')}-${job.src.name}-${job.mutation}.pdf`);
      writeFileSync(file, job.bytes);
      result.mutants++;
      result.byMutation[job.mutation] = (result.byMutation[job.mutation] ?? 0) + 1;
      for (const kind of ['extract', 'tables'] as const) {
        const args = [kind, file, '--json', ...limits];
        const r = await runCli(args);
        result.runs++;
        if (r.code === 0) result.exit0++;
        if (r.code === 3) result.exit3++;
        const why = outcomeProblem(r, kind);
        if (why) {
          const failDir = path.join(o.outDir, 'failures');
          mkdirSync(failDir, { recursive: true });
          const kept = path.join(failDir, path.basename(file));
          writeFileSync(kept, job.bytes);
          const command = `node bin/wsoa.mjs ${kind} ${path.relative(root, kept)} --json ${limits.join(' ')}`;
          writeFileSync(`${kept}.${kind}.txt`, `${command}\n${why}\n--- stderr\n${r.err}\n`);
          result.failures.push({ mutant: kept, command, why });
          o.log?.(`FAIL ${command}: ${why}`);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  result.seconds = (Date.now() - started) / 1000;
  return result;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const arg = (name: string, def: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : def);
  const outDir = path.join(root, 'output', 'fuzz');
  fuzz({ runs: arg('--runs', 100), seed: arg('--seed', 1), pageTimeoutS: arg('--page-timeout', 10), docTimeoutS: arg('--doc-timeout', 60), concurrency: arg('--concurrency', 2), maxSourcePages: arg('--max-source-pages', Infinity), outDir, log: (s) => console.log(s) })
    .then((r) => {
      console.log(`fuzz: ${r.mutants} mutants, ${r.runs} runs (extract + tables): ${r.exit0} exit 0, ${r.exit3} exit 3, ${r.failures.length} failures, ${r.seconds.toFixed(0)} s`);
      console.log(`mutations: ${Object.entries(r.byMutation).map(([k, v]) => `${k} ${v}`).join(', ')}`);
      if (r.failures.length) {
        console.log(`failing mutants and how to rerun them: ${path.join(outDir, 'failures')}`);
        process.exit(1);
      }
    })
    .catch((err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
