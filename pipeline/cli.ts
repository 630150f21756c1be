// The wsoa command line. Each command parses its arguments, calls pipeline stages and
// maps errors to the exit codes of ARCHITECTURE.md with a one-line message.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { EXIT, WsoaError } from './exit-codes.js';
import { checkFixture, checkPair, readManifest } from './fixture-check.js';
import { writeDebugViews } from './debug.js';
import { extractFileIsolated } from './extract.js';
import { resolveLimits, type Limits } from './limits.js';
import { ingest, summaryTable } from './commands/ingest.js';
import { exportCsv, exportRecords } from './commands/export.js';
import { defaultStorePath } from './store.js';
// diff and compare load natural (about 0.75 s): imported when those commands run, not at start-up.
import { extractTables } from './tables.js';
import { pageSvg } from './debug.js';
import { stringify } from 'csv-stringify/sync';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { PageLayout } from './layout/index.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface LimitOptions {
  ocr?: boolean;
  pageTimeout?: string;
  docTimeout?: string;
  maxMemoryMb?: string;
  maxPages?: string;
  ocrDpi?: string;
}

/** The limits options every reading command takes (defaults and environment names in pipeline/limits.ts). */
function withLimits(cmd: Command): Command {
  return cmd
    .option('--page-timeout <seconds>', 'wall-clock limit for one page (env WSOA_PAGE_TIMEOUT_MS, default 30)')
    .option('--doc-timeout <seconds>', 'wall-clock limit for one document (env WSOA_DOC_TIMEOUT_MS, default 300)')
    .option('--max-memory-mb <mb>', 'resident memory limit of the reader (env WSOA_MAX_MEMORY_MB, default 768)')
    .option('--max-pages <n>', 'read at most this many pages (env WSOA_MAX_PAGES, default 5000)')
    .option('--ocr', 'OCR pages that are scans with no text layer (tesseract.js, offline; lines, fills and sideways text found in the image)')
    .option('--ocr-dpi <dpi>', 'resolution scans are rendered at for OCR (env WSOA_OCR_DPI, default 300)');
}

function limitsOf(o: LimitOptions): Limits {
  const num = (v: string | undefined, scale = 1) => (v === undefined ? undefined : Math.round(Number(v) * scale));
  try {
    return resolveLimits({ pageTimeoutMs: num(o.pageTimeout, 1000), docTimeoutMs: num(o.docTimeout, 1000), maxMemoryMb: num(o.maxMemoryMb), maxPages: num(o.maxPages), ocrDpi: num(o.ocrDpi) });
  } catch (err) {
    throw new WsoaError((err as Error).message, EXIT.USAGE);
  }
}

function buildProgram(io: { out: (s: string) => void; err: (s: string) => void }): Command {
  const out = io.out;
  const program = new Command();
  // Set before the commands are added: subcommands inherit them, so a bad option anywhere exits 2 through main().
  program.exitOverride();
  program.configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  program
    .name('wsoa')
    .description('Reads council SEND Written Statement of Action PDFs into normalised, validated, versioned records.')
    .version('0.1.0')
    .option('--verbose', 'print stack traces of failures')
    .showHelpAfterError()
    .addHelpText(
      'after',
      '\nExit codes: 0 success, 1 the run failed, 2 bad usage, 3 bad input (unreadable, encrypted, not a PDF).',
    );

  program
    .command('check-fixtures')
    .description('check that the bundled fixture PDFs, expected records and diffs are what they claim to be')
    .argument('[dir]', 'fixtures folder', path.join(projectRoot, 'fixtures'))
    .option('--json', 'print the report as JSON')
    .action(async (dir: string, opts: { json?: boolean }) => {
      const manifest = readManifest(dir);
      const reports = [];
      for (const m of manifest.documents) reports.push(await checkFixture(dir, m));
      const pairProblems = manifest.pairs.flatMap((p) => checkPair(dir, manifest, p));
      const problems = [...reports.flatMap((r) => r.problems.map((p) => `${r.name}: ${p}`)), ...pairProblems];
      if (opts.json) out(JSON.stringify({ documents: reports, pairs: manifest.pairs, bad: manifest.bad, problems }, null, 2));
      else {
        for (const r of reports) {
          const recs = Object.entries(r.records).map(([k, v]) => `${v} ${k}`).join(', ');
          out(`${r.problems.length ? 'FAIL' : 'ok  '} ${r.name.padEnd(24)} ${r.council.padEnd(14)} ${String(r.pages).padStart(3)} pages  scanned ${r.scannedPages ?? '-'}  ${recs}`);
        }
        for (const p of manifest.pairs) out(`ok   pair ${p.name}: ${p.entries} entries ${JSON.stringify(p.changes)}`);
        out(`${manifest.bad.length} bad inputs in fixtures/bad`);
        for (const p of problems) out(`  problem: ${p}`);
      }
      if (problems.length) throw new WsoaError(`${problems.length} fixture problem(s)`, EXIT.FAILURE);
    });
  withLimits(program
    .command('tables'))
    .description('every table the layout stage finds, ruled or not: a summary, --json (../shared/tables/README.md shape) or --csv DIR')
    .argument('<file>', 'a PDF file')
    .option('--json', 'print the tables as JSON: cells with row, col, rowSpan, colSpan, text, bbox in PDF user space')
    .option('--csv <dir>', 'write one CSV per table (spanning cells repeated across their span) into DIR')
    .option('--pages <list>', 'only these pages, e.g. 1,3-5')
    .option('--debug-dir <dir>', 'write an SVG per page showing rulings, text rows, column gaps and cells')
    .action(async (file: string, opts: { json?: boolean; csv?: string; pages?: string; debugDir?: string } & LimitOptions) => {
      const layouts: PageLayout[] = [];
      const result = await extractTables(file, { ...(opts.pages ? { pages: opts.pages } : {}), onPage: (l) => void layouts.push(l), limits: limitsOf(opts), ...(opts.ocr ? { ocr: true } : {}) });
      for (const w of result.warnings ?? []) io.err(`wsoa: ${path.basename(file)}: ${w}`);
      if (opts.debugDir) {
        const d = path.join(opts.debugDir, path.basename(file, '.pdf'));
        mkdirSync(d, { recursive: true });
        for (const l of layouts) writeFileSync(path.join(d, `page-${l.page}.svg`), pageSvg(l));
      }
      if (opts.csv) {
        mkdirSync(opts.csv, { recursive: true });
        result.tables.forEach((t, i) => {
          const rows = Math.max(0, ...t.cells.map((c) => c.row + c.rowSpan));
          const cols = Math.max(0, ...t.cells.map((c) => c.col + c.colSpan));
          const grid: string[][] = Array.from({ length: rows }, () => Array.from({ length: cols }, () => ''));
          for (const c of t.cells) for (let r = c.row; r < c.row + c.rowSpan; r++) for (let k = c.col; k < c.col + c.colSpan; k++) grid[r]![k] = c.text.replace(/\n/g, ' ');
          writeFileSync(path.join(opts.csv!, `${path.basename(file, '.pdf')}-p${t.page}-t${i + 1}.csv`), stringify(grid));
        });
      }
      if (opts.json) out(JSON.stringify(result, null, 2));
      else if (!opts.csv)
        for (const [i, t] of result.tables.entries()) {
          const rows = Math.max(0, ...t.cells.map((c) => c.row + c.rowSpan));
          const cols = Math.max(0, ...t.cells.map((c) => c.col + c.colSpan));
          out(`table ${i + 1}: page ${t.page}, ${rows} rows x ${cols} columns, ${t.cells.length} cells, bbox [${t.bbox.map((v) => v.toFixed(0)).join(', ')}]`);
        }
    });

  withLimits(program
    .command('extract'))
    .description('extract the records of text-layer PDFs: a summary per file, or one file as --json / --jsonl')
    .argument('<files...>', 'PDF files')
    .option('--json', 'print the document with its nested records, warnings and reconciliation')
    .option('--jsonl', 'print the flat records, one JSON object a line, and nothing else')
    .option('--debug-dir <dir>', 'write an SVG per page showing rulings, cells, words and records')
    .action(async (files: string[], opts: { json?: boolean; jsonl?: boolean; debugDir?: string } & LimitOptions) => {
      const limits = limitsOf(opts);
      if ((opts.json || opts.jsonl) && files.length !== 1) throw new WsoaError('--json and --jsonl take exactly one file', EXIT.USAGE);
      if (opts.json && opts.jsonl) throw new WsoaError('choose one of --json and --jsonl', EXIT.USAGE);
      let failed: WsoaError | null = null;
      for (const file of files) {
        const layouts: PageLayout[] = [];
        try {
          const { document, records } = await extractFileIsolated(file, limits, { ...(opts.debugDir ? { onLayout: (l: PageLayout) => void layouts.push(l) } : {}), ...(opts.ocr ? { ocr: true } : {}) });
          if (opts.debugDir) writeDebugViews(path.join(opts.debugDir, path.basename(file, '.pdf')), layouts, document);
          if (opts.json) out(JSON.stringify(document, null, 2));
          else if (opts.jsonl) for (const r of records) out(JSON.stringify(r));
          else {
            const n = (k: string) => records.filter((r) => r.kind === k).length;
            const mismatches = document.reconciliation.filter((r) => r.difference !== 0).length;
            out(
              `${path.basename(file)}: ${document.council ?? 'council unknown'}, ${document.pageCount} pages: ${n('area')} areas, ${n('objective')} objectives, ${n('action')} actions, ${n('measure')} measures; ${document.warnings.length} warnings${document.reconciliation.length ? `, ${mismatches} of ${document.reconciliation.length} stated totals differ` : ''}`,
            );
          }
        } catch (err) {
          if (!(err instanceof WsoaError) || files.length === 1) throw err;
          io.err(`wsoa: ${path.basename(file)}: ${err.message}`);
          failed = err;
        }
      }
      if (failed) throw new WsoaError('some files could not be read', failed.exitCode === EXIT.BAD_INPUT ? EXIT.BAD_INPUT : EXIT.FAILURE);
    });
  const storeOption = (cmd: Command) => cmd.option('--db <file>', 'the SQLite store (env WSOA_DB, default output/wsoa.sqlite)');

  withLimits(storeOption(program.command('ingest')))
    .description('extract PDFs and store them, one transaction per document; a summary table at the end')
    .argument('<paths...>', 'PDF files or folders')
    .option('--council <name>', 'store the documents under this council name')
    .option('--jobs <n>', 'documents read at once, each in its own reader (stored in the order given)', '1')
    .option('--json', 'print the summary as JSON')
    .action(async (paths: string[], opts: { db?: string; council?: string; json?: boolean; jobs: string } & LimitOptions) => {
      const jobs = Number(opts.jobs);
      if (!Number.isInteger(jobs) || jobs < 1) throw new WsoaError(`--jobs: a whole number of at least 1, not ${opts.jobs}`, EXIT.USAGE);
      const summary = await ingest(paths, { store: opts.db ?? defaultStorePath(), limits: limitsOf(opts), ...(opts.council ? { council: opts.council } : {}), ...(opts.ocr ? { ocr: true } : {}), jobs, progress: !opts.json && !!process.stderr.isTTY });
      if (opts.json) out(JSON.stringify(summary, null, 2));
      else for (const line of summaryTable(summary)) out(line);
      const failed = summary.files.filter((f) => f.status === 'failed');
      if (failed.length) throw new WsoaError(`${failed.length} of ${summary.documents} files failed`, failed.every((f) => f.exitCode === EXIT.BAD_INPUT) ? EXIT.BAD_INPUT : EXIT.FAILURE);
    });

  withLimits(storeOption(program.command('diff')))
    .description('what changed between two versions: PDF files, stored document ids or sha256s, or --council NAME (its latest two)')
    .argument('[old]', 'the older version')
    .argument('[new]', 'the newer version')
    .option('--council <name>', 'diff the latest two stored versions of this council')
    .option('--json', 'print the change list as JSON (RECORDS.md)')
    .option('--markdown', 'print the change list as Markdown')
    .option('--html <file>', 'write a self-contained HTML report to FILE')
    .action(async (oldArg: string | undefined, newArg: string | undefined, opts: { db?: string; council?: string; json?: boolean; markdown?: boolean; html?: string } & LimitOptions) => {
      const { diffCommand, diffSummary } = await import('./commands/diff.js');
      const { diffHtml, diffMarkdown } = await import('./report-html.js');
      const diff = await diffCommand({ ...(oldArg ? { old: oldArg } : {}), ...(newArg ? { new: newArg } : {}), ...(opts.council ? { council: opts.council } : {}), store: opts.db ?? defaultStorePath(), limits: limitsOf(opts) });
      if (opts.html) writeFileSync(opts.html, diffHtml(diff));
      if (opts.json) out(JSON.stringify(diff, null, 2));
      else if (opts.markdown) out(diffMarkdown(diff));
      else for (const line of diffSummary(diff)) out(line);
    });

  withLimits(storeOption(program.command('link')))
    .description('match the numbered paragraphs of a narrative progress report to the plan actions they speak about')
    .argument('<report>', 'the progress report (PDF)')
    .argument('<plan>', 'the plan: a PDF, or a stored document id or sha256')
    .option('--json', 'print paragraphs and links as JSON')
    .action(async (report: string, plan: string, opts: { db?: string; json?: boolean } & LimitOptions) => {
      const { linkCommand } = await import('./commands/link.js');
      const { paragraphs, links } = await linkCommand(report, plan, { store: opts.db ?? defaultStorePath(), limits: limitsOf(opts) });
      if (opts.json) out(JSON.stringify({ paragraphs, links }, null, 2));
      else
        for (const p of paragraphs) {
          const mine = links.filter((l) => l.paragraph === p.number);
          if (mine.length) out(`${p.number}. ${(p.heading ?? '').slice(0, 40).padEnd(40)} -> ${mine.map((l) => `${l.ref} (${l.score.toFixed(2)})`).join(', ')}`);
        }
    });

  storeOption(program.command('export'))
    .description('the records of the latest stored version of each document, or of one document')
    .requiredOption('--format <format>', 'csv, jsonl or json')
    .option('--council <name>', 'only this council')
    .option('--kind <kind>', 'only this kind of record: area, objective, action, measure')
    .option('--document <id>', 'one stored document (id or sha256)')
    .action(async (opts: { db?: string; format: string; council?: string; kind?: string; document?: string }) => {
      if (!['csv', 'jsonl', 'json'].includes(opts.format)) throw new WsoaError(`--format must be csv, jsonl or json, not ${opts.format}`, EXIT.USAGE);
      if (opts.kind && !['area', 'objective', 'action', 'measure'].includes(opts.kind)) throw new WsoaError(`--kind must be area, objective, action or measure`, EXIT.USAGE);
      const rows = await exportRecords({ store: opts.db ?? defaultStorePath(), ...(opts.council ? { council: opts.council } : {}), ...(opts.kind ? { kind: opts.kind } : {}), ...(opts.document ? { document: opts.document } : {}) });
      if (opts.format === 'csv') out(exportCsv(rows).trimEnd());
      else if (opts.format === 'jsonl') for (const r of rows) out(JSON.stringify({ council: r.council, documentId: r.documentId, ...r.record }));
      else out(JSON.stringify(rows.map((r) => ({ council: r.council, documentId: r.documentId, fileName: r.fileName, versionDate: r.versionDate, record: r.record })), null, 2));
    });

  storeOption(program.command('compare'))
    .description('group similar actions of the councils stored into themes: which councils have each')
    .option('--council <names...>', 'only these councils')
    .option('--format <format>', 'text, csv or json', 'text')
    .action(async (opts: { db?: string; council?: string[]; format: string }) => {
      const { compareCommand } = await import('./commands/compare.js');
      const { themesCsv } = await import('./compare.js');
      const themes = await compareCommand({ store: opts.db ?? defaultStorePath(), ...(opts.council ? { councils: opts.council } : {}) });
      if (opts.format === 'json') out(JSON.stringify(themes, null, 2));
      else if (opts.format === 'csv') out(themesCsv(themes).trimEnd());
      else
        for (const t of themes.slice(0, 30)) out(`${String(t.councils.length).padStart(2)} councils, ${String(t.count).padStart(3)} actions  ${t.label}: ${t.councils.join(', ')}`);
    });
  addQueueCommands(program, out, limitsOf);
  return program;
}

/** Queue mode (README "Queue mode"; workers/): enqueue, worker, schedule, status, dashboard. Loaded when one runs. */
function addQueueCommands(program: Command, out: (s: string) => void, limitsOf: (o: LimitOptions) => Limits): void {
  const storeOption = (cmd: Command) => cmd.option('--db <file>', 'the SQLite store the store step writes (env WSOA_DB, default output/wsoa.sqlite)');
  const positive = (name: string, v: string | undefined, fallback: number): number => {
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new WsoaError(`${name} must be a positive number, not ${v}`, EXIT.USAGE);
    return n;
  };
  withLimits(program.command('enqueue'))
    .description('queue mode (REDIS_URL): add one flow per document (page jobs, parse, store, diff) for `wsoa worker` to run')
    .argument('<paths...>', 'PDF files or folders')
    .option('--council <name>', 'store the documents under this council name')
    .option('--json', 'print what was queued as JSON')
    .action(async (paths: string[], opts: { council?: string; json?: boolean } & LimitOptions) => {
      const { enqueueCommand, enqueueLine } = await import('./commands/queue.js');
      const queued = await enqueueCommand(paths, { ocr: !!opts.ocr, limits: limitsOf(opts), council: opts.council ?? null });
      if (opts.json) out(JSON.stringify(queued, null, 2));
      else for (const e of queued) out(enqueueLine(e));
      const bad = queued.filter((e) => e.status === 'unreadable');
      if (bad.length) throw new WsoaError(`${bad.length} of ${queued.length} files could not be read`, EXIT.BAD_INPUT);
    });
  storeOption(program.command('worker'))
    .description('queue mode (REDIS_URL): run the processors of the queues until SIGTERM/SIGINT (or, with --exit-when-idle, until no work is left)')
    .option('--concurrency <n>', 'jobs at once per queue (default: the number of cores; the store step runs one at a time)')
    .option('--exit-when-idle', 'exit 0 once no job is waiting, active or delayed in the queues it runs (batch runs, tests)')
    .option('--queues <list>', 'only these queues: pages, parse, store, inbox (the store and inbox queues belong on the host with the SQLite file and the inbox)')
    .option('--grace <seconds>', 'on SIGTERM/SIGINT, wait this long for active jobs', '30')
    .option('--lock-duration <seconds>', 'job lock: a dead worker\'s jobs run again this long after it died (env WSOA_LOCK_MS, default 30)')
    .option('--max-memory-mb <mb>', 'heap limit of a sandboxed page process (env WSOA_MAX_MEMORY_MB, default 768)')
    .action(async (opts: { db?: string; concurrency?: string; exitWhenIdle?: boolean; queues?: string; grace: string; lockDuration?: string; maxMemoryMb?: string }) => {
      const { workerCommand, parseQueues } = await import('./commands/queue.js');
      const { defaultConcurrency } = await import('../workers/run.js');
      const lockMs = opts.lockDuration !== undefined ? positive('--lock-duration', opts.lockDuration, 30) * 1000 : positive('WSOA_LOCK_MS', process.env.WSOA_LOCK_MS || undefined, 30_000);
      const code = await workerCommand({
        concurrency: Math.round(positive('--concurrency', opts.concurrency, defaultConcurrency())),
        queues: parseQueues(opts.queues),
        db: opts.db ?? defaultStorePath(),
        exitWhenIdle: !!opts.exitWhenIdle,
        graceMs: positive('--grace', opts.grace, 30) * 1000,
        lockMs: Math.round(lockMs),
        maxMemoryMb: limitsOf({ ...(opts.maxMemoryMb ? { maxMemoryMb: opts.maxMemoryMb } : {}) }).maxMemoryMb,
        log: (line) => void process.stderr.write(`${new Date().toISOString()} ${line}\n`),
      });
      if (code !== EXIT.OK) throw new WsoaError('the worker stopped with an error', EXIT.FAILURE);
    });
  withLimits(program.command('schedule'))
    .description('queue mode (REDIS_URL): one job scheduler that sweeps an inbox (run by `wsoa worker`): new files enqueued, then moved to processed/ or failed/, and a morning report written')
    .option('--inbox <dir>', 'the folder new PDFs are dropped into')
    .option('--cron <pattern>', 'when to sweep (cron, BullMQ\'s parser; a sixth leading field is seconds)', '0 2 * * *')
    .option('--tz <zone>', 'time zone of the cron pattern, e.g. Europe/London')
    .option('--reports <dir>', 'where the morning reports go', path.join(projectRoot, 'output', 'reports'))
    .option('--now', 'also sweep once now')
    .option('--remove', 'remove the scheduler instead')
    .action(async (opts: { inbox?: string; cron: string; tz?: string; reports: string; now?: boolean; remove?: boolean } & LimitOptions) => {
      const { scheduleCommand, unscheduleCommand } = await import('./commands/queue.js');
      if (opts.remove) {
        out((await unscheduleCommand()) ? 'inbox scheduler removed' : 'no inbox scheduler to remove');
        return;
      }
      if (!opts.inbox) throw new WsoaError('schedule needs --inbox DIR (or --remove)', EXIT.USAGE);
      const r = await scheduleCommand({ inbox: opts.inbox, cron: opts.cron, ...(opts.tz ? { tz: opts.tz } : {}), reports: opts.reports, ocr: !!opts.ocr, limits: limitsOf(opts), now: !!opts.now });
      out(`inbox ${path.resolve(opts.inbox)} swept on "${opts.cron}"${r.next ? `; next sweep ${r.next.toISOString()}` : ''}${r.now ? '; one sweep queued now' : ''}; reports in ${path.resolve(opts.reports)}`);
    });
  program
    .command('status')
    .description('queue mode (REDIS_URL): jobs per queue and state, and the failed jobs with their reasons')
    .option('--json', 'print the status as JSON')
    .action(async (opts: { json?: boolean }) => {
      const { statusCommand } = await import('./commands/queue.js');
      const { statusLines } = await import('../workers/status.js');
      const status = await statusCommand();
      if (opts.json) out(JSON.stringify(status, null, 2));
      else for (const line of statusLines(status)) out(line);
    });
  program
    .command('dashboard')
    .description('queue mode (REDIS_URL): bull-board for the same queues, on localhost, until SIGTERM/SIGINT')
    .option('--port <n>', 'port (0: any free one)', '3000')
    .option('--host <address>', 'address to listen on (a loopback one unless the page is meant to be reached from elsewhere)', '127.0.0.1')
    .action(async (opts: { port: string; host: string }) => {
      const { checkedRedisUrl } = await import('./commands/queue.js');
      const { startDashboard } = await import('../workers/dashboard.js');
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new WsoaError(`--port must be a port number, not ${opts.port}`, EXIT.USAGE);
      const board = await startDashboard(await checkedRedisUrl(), { host: opts.host, port });
      out(`dashboard on ${board.url} (Ctrl-C to stop)`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      await board.close();
    });
}

/** Runs the CLI on argv; returns the exit code rather than exiting, so tests can call it. */
export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

export async function main(argv: string[], io: CliIo = { out: (s) => void process.stdout.write(`${s}\n`), err: (s) => void process.stderr.write(`${s}\n`) }): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv);
    return EXIT.OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through here with code 0.
      return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    if (err instanceof WsoaError) {
      io.err(`wsoa: ${err.message}`);
      return err.exitCode;
    }
    const verbose = argv.includes('--verbose');
    io.err(`wsoa: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    if (verbose && err instanceof Error && err.stack) io.err(err.stack);
    return EXIT.FAILURE;
  }
}
