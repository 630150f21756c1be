import { z } from 'zod';
import { RecordKind, SCHEMA_VERSION, Sha256 } from './common.js';
import { ChangeKind } from './diff.js';

/**
 * Queue mode (workers/): what the jobs of a document's flow carry and return, and the
 * morning report of the inbox scheduler. Everything here crosses Redis as JSON, so it
 * is parsed again where it is read.
 */

/** The reading limits a job runs under (pipeline/limits.ts names and checks them). */
export const JobLimits = z.record(z.string(), z.number());

/** What every job of a document's flow knows about the document, fixed when it was enqueued. */
export const DocumentJob = z
  .object({
    sha256: Sha256,
    /** The file's name, as the store keeps it. */
    fileName: z.string().min(1),
    /** Where the file was when it was enqueued (for people; workers read the bytes from Redis). */
    file: z.string().min(1),
    /** Pages in the file; 0 when it could not be opened (its one page job then fails with the reason). */
    pageCount: z.number().int().min(0),
    xrefIntact: z.boolean(),
    ocr: z.boolean(),
    limits: JobLimits,
    /** Store under this council name instead of the one read from the document. */
    council: z.string().min(1).nullable(),
  })
  .strict();
export type DocumentJob = z.infer<typeof DocumentJob>;

/** A page job: read one page of the document (text layer, or OCR). */
export const PageJobData = DocumentJob.extend({ page: z.number().int().min(1) }).strict();
export type PageJobData = z.infer<typeof PageJobData>;

/**
 * What a page job returns: the page as read (pipeline/read-page.ts `PageRead`, encoded),
 * or why it could not be read (the page threw, or a limit stopped it). A document that
 * cannot be opened at all is not a result: the job fails (UnrecoverableError).
 */
export const PageJobResult = z.discriminatedUnion('outcome', [
  /** `read`: the PageRead, V8-serialized, gzipped, base64 (workers/queues.ts encodePageRead). */
  z.object({ outcome: z.literal('read'), page: z.number().int().min(1), read: z.string().min(1) }).strict(),
  z.object({ outcome: z.literal('error'), page: z.number().int().min(1), message: z.string() }).strict(),
  z.object({ outcome: z.literal('stopped'), page: z.number().int().min(1), kind: z.enum(['page-time', 'memory']), detail: z.string() }).strict(),
]);
export type PageJobResult = z.infer<typeof PageJobResult>;

export const RecordCounts = z.partialRecord(RecordKind, z.number().int().min(0));

/** What the store step returns: where the document went in SQLite. */
export const StoreJobResult = z
  .object({
    sha256: Sha256,
    fileName: z.string(),
    documentId: z.number().int().positive(),
    council: z.string(),
    /** The sha256 was in the store already (a re-run, or Redis forgot the first run): nothing written. */
    alreadyStored: z.boolean(),
    pages: z.number().int().min(0),
    ocrPages: z.number().int().min(0),
    records: RecordCounts,
    warnings: z.number().int().min(0),
  })
  .strict();
export type StoreJobResult = z.infer<typeof StoreJobResult>;

/** What the diff step returns: the changes against the council's previous stored version (and of the next against this one). */
export const DiffJobResult = z
  .object({
    documentId: z.number().int().positive(),
    council: z.string(),
    /** The version diffed against; null when this is the council's first. */
    previous: z.object({ documentId: z.number().int().positive(), fileName: z.string(), versionDate: z.string().nullable() }).strict().nullable(),
    /** Entries per change kind. */
    changes: z.partialRecord(ChangeKind, z.number().int().min(0)),
    /** Records with at least one change. */
    changed: z.number().int().min(0),
    /** A newer version stored before this one arrived: it was diffed against this one too. */
    next: z.object({ documentId: z.number().int().positive(), fileName: z.string(), changed: z.number().int().min(0) }).strict().nullable(),
  })
  .strict();
export type DiffJobResult = z.infer<typeof DiffJobResult>;

/** The inbox sweep the job scheduler runs. */
export const SweepJobData = z
  .object({
    inbox: z.string().min(1),
    /** Where the morning reports go. */
    reports: z.string().min(1),
    ocr: z.boolean(),
    limits: JobLimits,
  })
  .strict();
export type SweepJobData = z.infer<typeof SweepJobData>;

/** One file of a sweep and how its flow ended. */
export const ReportEntry = z
  .object({
    file: z.string(),
    sha256: Sha256.nullable(),
    /** pending: its flow had not ended when the sweep stopped waiting; the file stays in the inbox. */
    status: z.enum(['stored', 'already-stored', 'failed', 'pending']),
    /** Where the file was moved: processed/ or failed/ under the inbox. */
    movedTo: z.string().nullable(),
    store: StoreJobResult.nullable(),
    diff: DiffJobResult.nullable(),
    /** Why it failed: the failing job's one-line reason. */
    reason: z.string().nullable(),
  })
  .strict();
export type ReportEntry = z.infer<typeof ReportEntry>;

/** The morning report: output/reports/wsoa-report-<time>.json (and .md for people). */
export const MorningReport = z
  .object({
    schemaVersion: z.literal(SCHEMA_VERSION),
    generatedAt: z.string(),
    inbox: z.string(),
    totals: z.object({ files: z.number().int(), stored: z.number().int(), alreadyStored: z.number().int(), failed: z.number().int(), pending: z.number().int(), changed: z.number().int() }).strict(),
    documents: z.array(ReportEntry),
  })
  .strict();
export type MorningReport = z.infer<typeof MorningReport>;
