// The store stage: extractions -> one SQLite file (documents, their versions per
// council, flat records with provenance, warnings, reconciliation, diffs).
//
// One writer: every call on a Store runs after the one before it (a promise queue),
// and each ingest is one BEGIN IMMEDIATE transaction, so two processes writing the
// same file wait for each other (busy_timeout) instead of interleaving. What goes in
// is parsed through the zod schemas first and what comes out is parsed again, so a
// record read back equals the record stored. Values are always bound parameters.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sqlite3 from 'sqlite3';
import {
  DiffDocument,
  Document,
  FlatRecord,
  ReconciliationEntry,
  SCHEMA_VERSION,
  Warning,
  type DocumentKind,
  type RecordKind,
} from '../schemas/index.js';

// ---- a small promise wrapper over sqlite3's callback API ----

export type SqlValue = string | number | null;

const MAX_BOUND_VALUES = 999;

export interface RunResult {
  lastID: number;
  changes: number;
}

/** One connection, in serialized mode: calls run in the order they were made. */
export class SqliteDb {
  private constructor(
    private readonly db: sqlite3.Database,
    readonly file: string,
  ) {}

  static open(file: string): Promise<SqliteDb> {
    return new Promise((resolve, reject) => {
      const db: sqlite3.Database = new sqlite3.Database(file, (err) => {
        if (err) return reject(err);
        db.serialize();
        resolve(new SqliteDb(db, file));
      });
    });
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      this.db.run(sql, params, function (this: sqlite3.RunResult, err: Error | null) {
        if (err) reject(err);
        else resolve({ lastID: this.lastID, changes: this.changes });
      });
    });
  }

  get<T>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return new Promise((resolve, reject) => {
      this.db.get<T>(sql, params, (err, row) => (err ? reject(err) : resolve(row)));
    });
  }

  all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return new Promise((resolve, reject) => {
      this.db.all<T>(sql, params, (err, rows) => (err ? reject(err) : resolve(rows)));
    });
  }

  /** A script of several statements with no parameters: for migrations only. */
  exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.db.exec(sql, (err) => (err ? reject(err) : resolve()));
    });
  }

  prepare(sql: string): Promise<SqliteStatement> {
    return new Promise((resolve, reject) => {
      const stmt: sqlite3.Statement = this.db.prepare(sql, (err: Error | null) => (err ? reject(err) : resolve(new SqliteStatement(stmt))));
    });
  }

  /**
   * Inserts rows, many to a statement (at most 999 bound values, the smallest limit an
   * SQLite build may have). Each call crosses the thread pool; measured here, 10,000
   * rows of 23 columns in one transaction took ~0.22 s this way, ~0.26 s as one
   * prepared statement run per row, ~0.95 s as separate run() calls. Only the
   * placeholders are built into the SQL; table and column names come from this module.
   */
  async insertMany(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<void> {
    for (const name of [table, ...columns]) if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain identifier: ${JSON.stringify(name)}`);
    const perStatement = Math.max(1, Math.floor(MAX_BOUND_VALUES / columns.length));
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    const statementFor = (n: number) => `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array(n).fill(tuple).join(', ')}`;
    let full: SqliteStatement | null = null;
    try {
      for (let i = 0; i < rows.length; i += perStatement) {
        const chunk = rows.slice(i, i + perStatement);
        for (const row of chunk) if (row.length !== columns.length) throw new Error(`${table}: a row of ${row.length} values for ${columns.length} columns`);
        const values = chunk.flat();
        if (chunk.length === perStatement) {
          full ??= await this.prepare(statementFor(perStatement));
          await full.run(values);
        } else {
          await this.run(statementFor(chunk.length), values);
        }
      }
    } finally {
      await full?.finalize();
    }
  }

  /** sqlite3_busy_timeout: how long a statement waits for another connection's lock. */
  busyTimeout(ms: number): void {
    this.db.configure('busyTimeout', ms);
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.db.close((err) => (err ? reject(err) : resolve())));
  }
}

export class SqliteStatement {
  constructor(private readonly stmt: sqlite3.Statement) {}

  run(params: readonly SqlValue[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.stmt.run(params, (err: Error | null) => (err ? reject(err) : resolve()));
    });
  }

  finalize(): Promise<void> {
    return new Promise((resolve) => this.stmt.finalize(() => resolve()));
  }
}

// ---- schema, versioned ----

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Applied in order, each once, recorded in schema_migrations. Never edit one that shipped: add the next. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'councils, documents, records, warnings, reconciliation, diffs, analyst views',
    sql: `
CREATE TABLE councils (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(trim(name)) > 0)
);

CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  sha256 TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
  council_id INTEGER NOT NULL REFERENCES councils(id),
  kind TEXT NOT NULL CHECK (kind IN ('plan', 'progress-summary', 'progress-report', 'other')),
  title TEXT,
  version_date TEXT,               -- YYYY-MM-DD, from the document
  file_name TEXT NOT NULL,
  page_count INTEGER NOT NULL,
  schema_version INTEGER NOT NULL,
  stored_at TEXT NOT NULL,         -- ISO timestamp of the ingest
  document_json TEXT NOT NULL CHECK (json_valid(document_json))
);
CREATE INDEX documents_by_council_version ON documents (council_id, version_date, stored_at, id);

-- The flat records (schemas/records.ts FlatRecord), one row each, in document order.
-- JSON columns hold lists and maps; NULL where the record's kind has no such field.
CREATE TABLE records (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,        -- position in the document's record list, from 0
  kind TEXT NOT NULL CHECK (kind IN ('area', 'objective', 'action', 'measure')),
  ref TEXT NOT NULL,
  parent_ref TEXT,
  display_ref TEXT NOT NULL,
  text TEXT NOT NULL,
  raw_text TEXT NOT NULL,
  page INTEGER NOT NULL,
  bbox_json TEXT NOT NULL,
  method TEXT NOT NULL CHECK (method IN ('text', 'ocr')),
  confidence REAL NOT NULL,
  leads_json TEXT,
  lead_names_json TEXT,
  partners_json TEXT,
  due_text TEXT,
  due_start TEXT,
  due_end TEXT,
  due_range INTEGER CHECK (due_range IN (0, 1)),  -- 1 where dueRange is an object (its dates may both be null)
  ratings_json TEXT,
  rating_sources_json TEXT,
  progress_note TEXT,
  fields_json TEXT,
  UNIQUE (document_id, ordinal),
  CHECK ((kind = 'area') = (parent_ref IS NULL))
);
CREATE INDEX records_by_kind ON records (document_id, kind, ordinal);
CREATE INDEX records_by_ref ON records (document_id, kind, ref, ordinal);

CREATE TABLE warnings (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  page INTEGER,
  ref TEXT
);
CREATE INDEX warnings_by_document ON warnings (document_id, ordinal);
CREATE INDEX warnings_by_code ON warnings (code);

CREATE TABLE reconciliation (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  scope TEXT,
  label TEXT NOT NULL,
  stated INTEGER NOT NULL,
  extracted INTEGER NOT NULL,
  difference INTEGER NOT NULL
);
CREATE INDEX reconciliation_by_document ON reconciliation (document_id, ordinal);

CREATE TABLE diffs (
  id INTEGER PRIMARY KEY,
  from_document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  to_document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  diff_json TEXT NOT NULL CHECK (json_valid(diff_json))
);
CREATE INDEX diffs_by_pair ON diffs (from_document_id, to_document_id, id);
CREATE INDEX diffs_by_to ON diffs (to_document_id);

CREATE VIEW v_documents AS
SELECT d.id, d.sha256, d.council_id, c.name AS council, d.kind, d.title, d.version_date,
       d.file_name, d.page_count, d.schema_version, d.stored_at
FROM documents d JOIN councils c ON c.id = d.council_id;

-- The latest document of each council: latest version_date (undated ones count as
-- oldest), then latest stored_at, then highest id.
CREATE VIEW v_latest_documents AS
SELECT id, sha256, council_id, council, kind, title, version_date, file_name, page_count, schema_version, stored_at
FROM (
  SELECT v.*, ROW_NUMBER() OVER (
    PARTITION BY v.council_id ORDER BY v.version_date DESC NULLS LAST, v.stored_at DESC, v.id DESC
  ) AS latest_rank
  FROM v_documents v
)
WHERE latest_rank = 1;

-- Actions with the objective and area they sit under (by parent ref within the same
-- document; where a ref is duplicated, the first record with it, as validate does).
CREATE VIEW v_actions AS
SELECT a.id AS record_id, a.document_id, d.sha256, d.council, d.kind AS document_kind,
       d.version_date, d.file_name,
       ar.ref AS area_ref, ar.text AS area_title,
       o.ref AS objective_ref, o.text AS objective_title,
       a.ref, a.display_ref, a.text, a.raw_text,
       a.leads_json, a.lead_names_json, a.partners_json,
       a.due_text, a.due_start, a.due_end,
       json_extract(a.ratings_json, '$.progress') AS progress_rating,
       json_extract(a.ratings_json, '$.impact') AS impact_rating,
       json_extract(a.ratings_json, '$.sustained') AS sustained_rating,
       json_extract(a.ratings_json, '$.completed') AS completed_rating,
       a.ratings_json, a.progress_note, a.fields_json,
       a.page, a.bbox_json, a.method, a.confidence, a.ordinal
FROM records a
JOIN v_documents d ON d.id = a.document_id
LEFT JOIN records o ON o.id = (
  SELECT x.id FROM records x
  WHERE x.document_id = a.document_id AND x.kind = 'objective' AND x.ref = a.parent_ref
  ORDER BY x.ordinal LIMIT 1)
LEFT JOIN records ar ON ar.id = (
  SELECT y.id FROM records y
  WHERE y.document_id = a.document_id AND y.kind = 'area' AND y.ref = o.parent_ref
  ORDER BY y.ordinal LIMIT 1)
WHERE a.kind = 'action';
`,
  },
];

const LATEST_MIGRATION = Math.max(...MIGRATIONS.map((m) => m.version));

// ---- public shapes ----

export type RecordCounts = Record<RecordKind, number>;

/** A stored document as listed: what finds it again, and how many records of each kind it has. */
export interface StoredDocument {
  id: number;
  sha256: string;
  council: string;
  kind: DocumentKind;
  title: string | null;
  versionDate: string | null;
  fileName: string;
  pageCount: number;
  storedAt: string;
  counts: RecordCounts;
}

export interface IngestOptions {
  /** The council to file the document under; else the document's own council; else 'unknown'. */
  council?: string;
  /**
   * Called inside the transaction after everything is written, before COMMIT; if it
   * throws, the ingest is rolled back. It must not call the store (the store is busy
   * with this ingest until it returns).
   */
  beforeCommit?: (documentId: number) => void | Promise<void>;
}

export interface IngestResult {
  documentId: number;
  skipped: boolean;
  reason?: string;
}

export interface StoreOptions {
  /** How long a write waits for another process holding the file's write lock. Default 5000 ms. */
  busyTimeoutMs?: number;
  /** The clock for stored_at and created_at (tests pin it). */
  now?: () => Date;
}

export interface StoreInfo {
  file: string;
  schemaVersion: number;
  journalMode: string;
  foreignKeys: boolean;
  busyTimeoutMs: number;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;
export const UNKNOWN_COUNCIL = 'unknown';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where the database lives unless the caller says otherwise: $WSOA_DB, else output/wsoa.sqlite under the project root. */
export function defaultStorePath(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.WSOA_DB?.trim();
  return fromEnv ? fromEnv : path.join(projectRoot, 'output', 'wsoa.sqlite');
}

/** Opens (creating the folder and file if need be) and migrates the store. */
export async function openStore(file: string, opts: StoreOptions = {}): Promise<Store> {
  const inMemory = file === ':memory:' || file === '';
  if (!inMemory) await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const db = await SqliteDb.open(file);
  try {
    const busyTimeoutMs = opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    if (!Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0) throw new RangeError(`busyTimeoutMs must be a whole number of milliseconds >= 0, not ${busyTimeoutMs}`);
    db.busyTimeout(busyTimeoutMs);
    await db.run('PRAGMA foreign_keys = ON');
    await useWal(db, busyTimeoutMs);
    await migrate(db);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return new Store(db, opts.now ?? (() => new Date()));
}

/**
 * Switches the file to WAL. SQLite answers SQLITE_BUSY at once, without calling the busy
 * handler, when another connection holds the file while the mode changes (two openers
 * of a new file race here), so the switch is retried with a growing pause for as long
 * as busy_timeout would have waited. Once any opener has switched it, the mode sticks.
 */
async function useWal(db: SqliteDb, busyTimeoutMs: number): Promise<void> {
  const started = Date.now();
  for (let pause = 5; ; pause = Math.min(pause * 2, 200)) {
    try {
      // An in-memory database answers "memory"; a file system without shared memory keeps its old mode: both still work, one writer at a time.
      await db.get('PRAGMA journal_mode = WAL');
      return;
    } catch (err) {
      const busy = (err as { code?: string }).code === 'SQLITE_BUSY';
      if (!busy || Date.now() - started >= busyTimeoutMs) throw err;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

/** Applies the migrations the file lacks, all in one write transaction (a second opener waits, then finds nothing to do). */
async function migrate(db: SqliteDb): Promise<void> {
  await inTransaction(db, async () => {
    await db.run('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const row = await db.get<{ version: number | null }>('SELECT MAX(version) AS version FROM schema_migrations');
    const current = row?.version ?? 0;
    if (current > LATEST_MIGRATION) throw new Error(`${db.file} has schema version ${current}, newer than this wsoa knows (${LATEST_MIGRATION}): upgrade wsoa`);
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      await db.exec(m.sql);
      await db.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, new Date().toISOString()]);
    }
  });
}

/** BEGIN IMMEDIATE (takes the write lock now, waiting per busy_timeout) ... COMMIT, or ROLLBACK on any error. */
async function inTransaction<T>(db: SqliteDb, work: () => Promise<T>): Promise<T> {
  await db.run('BEGIN IMMEDIATE');
  try {
    const result = await work();
    await db.run('COMMIT');
    return result;
  } catch (err) {
    // SQLite may have rolled back already (some errors end the transaction): then this fails, harmlessly.
    await db.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

// ---- rows ----

interface DocumentRow {
  id: number;
  sha256: string;
  council: string;
  kind: DocumentKind;
  title: string | null;
  version_date: string | null;
  file_name: string;
  page_count: number;
  stored_at: string;
  areas: number;
  objectives: number;
  actions: number;
  measures: number;
}

interface RecordRow {
  kind: RecordKind;
  ref: string;
  parent_ref: string | null;
  display_ref: string;
  text: string;
  raw_text: string;
  page: number;
  bbox_json: string;
  method: 'text' | 'ocr';
  confidence: number;
  leads_json: string | null;
  lead_names_json: string | null;
  partners_json: string | null;
  due_text: string | null;
  due_start: string | null;
  due_end: string | null;
  due_range: number | null;
  ratings_json: string | null;
  rating_sources_json: string | null;
  progress_note: string | null;
  fields_json: string | null;
}

const DOCUMENT_SELECT = `
SELECT v.id, v.sha256, v.council, v.kind, v.title, v.version_date, v.file_name, v.page_count, v.stored_at,
  (SELECT COUNT(*) FROM records r WHERE r.document_id = v.id AND r.kind = 'area') AS areas,
  (SELECT COUNT(*) FROM records r WHERE r.document_id = v.id AND r.kind = 'objective') AS objectives,
  (SELECT COUNT(*) FROM records r WHERE r.document_id = v.id AND r.kind = 'action') AS actions,
  (SELECT COUNT(*) FROM records r WHERE r.document_id = v.id AND r.kind = 'measure') AS measures`;

const RECORD_COLUMNS = [
  'document_id', 'ordinal', 'kind', 'ref', 'parent_ref', 'display_ref', 'text', 'raw_text', 'page', 'bbox_json', 'method', 'confidence',
  'leads_json', 'lead_names_json', 'partners_json', 'due_text', 'due_start', 'due_end', 'due_range', 'ratings_json', 'rating_sources_json',
  'progress_note', 'fields_json',
] as const;
const WARNING_COLUMNS = ['document_id', 'ordinal', 'code', 'message', 'page', 'ref'] as const;
const RECONCILIATION_COLUMNS = ['document_id', 'ordinal', 'scope', 'label', 'stated', 'extracted', 'difference'] as const;

function storedDocumentOf(row: DocumentRow): StoredDocument {
  return {
    id: row.id,
    sha256: row.sha256,
    council: row.council,
    kind: row.kind,
    title: row.title,
    versionDate: row.version_date,
    fileName: row.file_name,
    pageCount: row.page_count,
    storedAt: row.stored_at,
    counts: { area: row.areas, objective: row.objectives, action: row.actions, measure: row.measures },
  };
}

const json = (v: unknown) => JSON.stringify(v);

/** One row of the records table, in RECORD_COLUMNS order. */
function recordRow(documentId: number, ordinal: number, r: FlatRecord): SqlValue[] {
  const p = r.provenance;
  const action = r.kind === 'action' ? r : null;
  const dated = r.kind === 'action' || r.kind === 'measure' ? r : null;
  return [
    documentId, ordinal, r.kind, r.ref, r.parent, r.displayRef, r.text, r.rawText, p.page, json(p.bbox), p.method, p.confidence,
    action ? json(action.leads) : null,
    action ? json(action.leadNames) : null,
    action ? json(action.partners) : null,
    dated ? dated.due : null,
    dated?.dueRange ? dated.dueRange.start : null,
    dated?.dueRange ? dated.dueRange.end : null,
    dated ? (dated.dueRange ? 1 : 0) : null,
    dated ? json(dated.ratings) : null,
    dated ? json(dated.ratingSources) : null,
    action ? action.progressNote : null,
    action?.fields !== undefined ? json(action.fields) : null,
  ];
}

/** The record a row holds, keys in the order of the schema (so it prints as it was read). */
function recordOf(row: RecordRow): FlatRecord {
  const base = {
    schemaVersion: SCHEMA_VERSION,
    ref: row.ref,
    displayRef: row.display_ref,
    text: row.text,
    rawText: row.raw_text,
    provenance: { page: row.page, bbox: JSON.parse(row.bbox_json), method: row.method, confidence: row.confidence },
    kind: row.kind,
    parent: row.parent_ref,
  };
  const dated = () => ({
    due: row.due_text,
    dueRange: row.due_range ? { start: row.due_start, end: row.due_end } : null,
    ratings: JSON.parse(row.ratings_json ?? '{}'),
    ratingSources: JSON.parse(row.rating_sources_json ?? '{}'),
  });
  let record: unknown = base;
  if (row.kind === 'measure') record = { ...base, ...dated() };
  if (row.kind === 'action') {
    const { due, dueRange, ratings, ratingSources } = dated();
    record = {
      ...base,
      leads: JSON.parse(row.leads_json ?? '[]'),
      leadNames: JSON.parse(row.lead_names_json ?? '[]'),
      partners: JSON.parse(row.partners_json ?? '[]'),
      due,
      dueRange,
      ratings,
      ratingSources,
      progressNote: row.progress_note,
      ...(row.fields_json !== null ? { fields: JSON.parse(row.fields_json) } : {}),
    };
  }
  return FlatRecord.parse(record);
}

// A lone UTF-16 surrogate cannot be written to a TEXT column as it is (it comes back as
// U+FFFD), so a record holding one would not come back equal: refuse it, saying where.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function malformedStringPath(value: unknown, at: string): string | null {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? at : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = malformedStringPath(value[i], `${at}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      const found = malformedStringPath(v, `${at}.${k}`) ?? malformedStringPath(k, `${at} key ${JSON.stringify(k)}`);
      if (found) return found;
    }
  }
  return null;
}

function councilNameOf(...candidates: (string | null | undefined)[]): string {
  for (const c of candidates) {
    const name = c?.trim();
    if (name) return name;
  }
  return UNKNOWN_COUNCIL;
}

/** The extraction parsed through the schemas, or an error naming the first bad record. */
function parsedExtraction(extraction: { document: Document; records: FlatRecord[] }): { document: Document; records: FlatRecord[] } {
  const document = Document.parse(extraction.document);
  const records = extraction.records.map((r, i) => {
    const parsed = FlatRecord.safeParse(r);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((x) => `${x.path.map(String).join('.') || '(record)'}: ${x.message}`).join('; ');
      throw new Error(`record ${i + 1} of ${document.fileName} is not a valid record: ${problems}`);
    }
    return parsed.data;
  });
  const bad = malformedStringPath(document, 'document') ?? malformedStringPath(records, 'records');
  if (bad) throw new Error(`${document.fileName}: ${bad} holds a lone UTF-16 surrogate (malformed text) and cannot be stored exactly`);
  return { document, records };
}

// ---- the store ----

export class Store {
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly db: SqliteDb,
    private readonly now: () => Date,
  ) {}

  get file(): string {
    return this.db.file;
  }

  /** Runs work after every call made before it has settled: one writer, and no read inside another call's transaction. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`the store ${this.db.file} is closed`));
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Stores a document and its records in one transaction; a document already stored (same sha256) is left as it is. */
  async ingest(extraction: { document: Document; records: FlatRecord[] }, opts: IngestOptions = {}): Promise<IngestResult> {
    const { document, records } = parsedExtraction(extraction);
    const council = councilNameOf(opts.council, document.council);
    return this.exclusive(() =>
      inTransaction(this.db, async () => {
        // Looked up inside the write transaction, so two processes ingesting one file store it once.
        const existing = await this.db.get<{ id: number }>('SELECT id FROM documents WHERE sha256 = ?', [document.sha256]);
        if (existing) return { documentId: existing.id, skipped: true, reason: `already stored as document ${existing.id}` };
        await this.db.run('INSERT INTO councils (name) VALUES (?) ON CONFLICT (name) DO NOTHING', [council]);
        const councilRow = await this.db.get<{ id: number }>('SELECT id FROM councils WHERE name = ?', [council]);
        if (!councilRow) throw new Error(`council ${JSON.stringify(council)} was not stored`);
        const { lastID: documentId } = await this.db.run(
          `INSERT INTO documents (sha256, council_id, kind, title, version_date, file_name, page_count, schema_version, stored_at, document_json)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [document.sha256, councilRow.id, document.kind, document.title, document.versionDate, document.fileName, document.pageCount, document.schemaVersion, this.now().toISOString(), json(document)],
        );
        await this.db.insertMany('records', RECORD_COLUMNS, records.map((r, i) => recordRow(documentId, i, r)));
        await this.db.insertMany('warnings', WARNING_COLUMNS, document.warnings.map((w, i) => [documentId, i, w.code, w.message, w.page, w.ref]));
        await this.db.insertMany('reconciliation', RECONCILIATION_COLUMNS, document.reconciliation.map((e, i) => [documentId, i, e.scope, e.label, e.stated, e.extracted, e.difference]));
        await opts.beforeCommit?.(documentId);
        return { documentId, skipped: false };
      }),
    );
  }

  /** Every stored document (of one council if asked), by council, then oldest version first. */
  documents(filter: { council?: string } = {}): Promise<StoredDocument[]> {
    return this.exclusive(async () => {
      const where = filter.council !== undefined ? 'WHERE v.council = ?' : '';
      const params = filter.council !== undefined ? [filter.council.trim()] : [];
      const rows = await this.db.all<DocumentRow>(`${DOCUMENT_SELECT} FROM v_documents v ${where} ORDER BY v.council, v.version_date, v.stored_at, v.id`, params);
      return rows.map(storedDocumentOf);
    });
  }

  /** One document by id or sha256: its listing and the whole document as extracted; null if not stored. */
  document(idOrSha: number | string): Promise<(StoredDocument & { document: Document }) | null> {
    return this.exclusive(async () => {
      const byId = typeof idOrSha === 'number' || /^\d{1,15}$/.test(idOrSha);
      const row = await this.db.get<DocumentRow & { document_json: string }>(
        `${DOCUMENT_SELECT}, d.document_json FROM v_documents v JOIN documents d ON d.id = v.id WHERE ${byId ? 'v.id = ?' : 'v.sha256 = ?'}`,
        [byId ? Number(idOrSha) : String(idOrSha).toLowerCase()],
      );
      return row ? { ...storedDocumentOf(row), document: Document.parse(JSON.parse(row.document_json)) } : null;
    });
  }

  /** A document's flat records in document order (of one kind if asked), equal to those ingested. */
  records(documentId: number, filter: { kind?: RecordKind } = {}): Promise<FlatRecord[]> {
    return this.exclusive(async () => {
      const cols = RECORD_COLUMNS.filter((c) => c !== 'document_id' && c !== 'ordinal').join(', ');
      const rows =
        filter.kind !== undefined
          ? await this.db.all<RecordRow>(`SELECT ${cols} FROM records WHERE document_id = ? AND kind = ? ORDER BY ordinal`, [documentId, filter.kind])
          : await this.db.all<RecordRow>(`SELECT ${cols} FROM records WHERE document_id = ? ORDER BY ordinal`, [documentId]);
      return rows.map(recordOf);
    });
  }

  /** The latest document of each council (or of the one asked for): latest version date, then latest stored. */
  latestVersions(council?: string): Promise<StoredDocument[]> {
    return this.exclusive(async () => {
      const where = council !== undefined ? 'WHERE v.council = ?' : '';
      const params = council !== undefined ? [council.trim()] : [];
      const rows = await this.db.all<DocumentRow>(`${DOCUMENT_SELECT} FROM v_latest_documents v ${where} ORDER BY v.council`, params);
      return rows.map(storedDocumentOf);
    });
  }

  /** A council's documents, oldest version first (undated ones first of all). */
  versionsOf(council: string): Promise<StoredDocument[]> {
    return this.exclusive(async () => {
      const rows = await this.db.all<DocumentRow>(
        `${DOCUMENT_SELECT} FROM v_documents v WHERE v.council = ? ORDER BY v.version_date ASC NULLS FIRST, v.stored_at, v.id`,
        [council.trim()],
      );
      return rows.map(storedDocumentOf);
    });
  }

  /** The warnings stored with a document, in the document's order. */
  warnings(documentId: number): Promise<Warning[]> {
    return this.exclusive(async () => {
      const rows = await this.db.all<Warning>('SELECT code, message, page, ref FROM warnings WHERE document_id = ? ORDER BY ordinal', [documentId]);
      return rows.map((r) => Warning.parse(r));
    });
  }

  /** Stated vs extracted counts stored with a document, in the document's order. */
  reconciliation(documentId: number): Promise<ReconciliationEntry[]> {
    return this.exclusive(async () => {
      const rows = await this.db.all<ReconciliationEntry>(
        'SELECT scope, label, stated, extracted, difference FROM reconciliation WHERE document_id = ? ORDER BY ordinal',
        [documentId],
      );
      return rows.map((r) => ReconciliationEntry.parse(r));
    });
  }

  /** Keeps a diff between two stored documents; returns its id. The diff must name the same documents (by sha256) where it names them. */
  storeDiff(fromId: number, toId: number, diff: DiffDocument): Promise<number> {
    const parsed = DiffDocument.parse(diff);
    return this.exclusive(() =>
      inTransaction(this.db, async () => {
        for (const [id, side] of [[fromId, parsed.from], [toId, parsed.to]] as const) {
          const row = await this.db.get<{ sha256: string }>('SELECT sha256 FROM documents WHERE id = ?', [id]);
          if (!row) throw new Error(`no stored document ${id}`);
          if (side.sha256 !== null && side.sha256 !== row.sha256) throw new Error(`the diff names document ${side.sha256.slice(0, 12)}…, but document ${id} is ${row.sha256.slice(0, 12)}…`);
        }
        const { lastID } = await this.db.run('INSERT INTO diffs (from_document_id, to_document_id, created_at, diff_json) VALUES (?, ?, ?, ?)', [fromId, toId, this.now().toISOString(), json(parsed)]);
        return lastID;
      }),
    );
  }

  /** The diff last stored between two documents, or null. */
  diff(fromId: number, toId: number): Promise<DiffDocument | null> {
    return this.exclusive(async () => {
      const row = await this.db.get<{ diff_json: string }>('SELECT diff_json FROM diffs WHERE from_document_id = ? AND to_document_id = ? ORDER BY id DESC LIMIT 1', [fromId, toId]);
      return row ? DiffDocument.parse(JSON.parse(row.diff_json)) : null;
    });
  }

  /** The connection's settings and the schema version: what `openStore` set up. */
  info(): Promise<StoreInfo> {
    return this.exclusive(async () => {
      const version = await this.db.get<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
      const journal = await this.db.get<{ journal_mode: string }>('PRAGMA journal_mode');
      const fk = await this.db.get<{ foreign_keys: number }>('PRAGMA foreign_keys');
      const busy = await this.db.get<{ timeout: number }>('PRAGMA busy_timeout');
      return {
        file: this.db.file,
        schemaVersion: version?.v ?? 0,
        journalMode: journal?.journal_mode ?? '',
        foreignKeys: fk?.foreign_keys === 1,
        busyTimeoutMs: busy?.timeout ?? 0,
      };
    });
  }

  /** Waits for the calls already made, then closes the connection. Closing twice is fine. */
  async close(): Promise<void> {
    if (this.closed) return;
    const pending = this.tail;
    this.closed = true;
    await pending.catch(() => undefined);
    await this.db.close();
  }
}
