import { z } from 'zod';
import { IsoDate, RatingColumn, RatingValue, RecordKind, SCHEMA_VERSION } from './common.js';
import { DocumentRef } from './document.js';

export const ChangeKind = z.enum([
  'reworded',
  'renumbered',
  'moved',
  'rating-changed',
  'due-changed',
  'lead-changed',
  'added',
  'removed',
]);
export type ChangeKind = z.infer<typeof ChangeKind>;

export const MatchSignal = z.enum(['ref', 'text', 'parent', 'position']);
export type MatchSignal = z.infer<typeof MatchSignal>;

const FromTo = <T extends z.ZodTypeAny>(t: T) => z.object({ from: t, to: t });

/** A word of a word-level diff: kept, inserted or deleted. */
export const WordOp = z.object({ op: z.enum(['=', '+', '-']), text: z.string() });

export const DiffDetails = z
  .object({
    text: z.object({ from: z.string(), to: z.string(), words: z.array(WordOp) }),
    ratings: z.partialRecord(RatingColumn, FromTo(RatingValue.nullable())),
    due: z.object({
      from: z.string().nullable(),
      to: z.string().nullable(),
      /** Signed days between the old and new end dates: positive means it slipped. */
      days: z.number().int().nullable(),
      fromEnd: IsoDate.nullable().optional(),
      toEnd: IsoDate.nullable().optional(),
    }),
    leads: FromTo(z.array(z.string())),
    ref: FromTo(z.string()),
    parent: FromTo(z.string().nullable()),
  })
  .partial();
export type DiffDetails = z.infer<typeof DiffDetails>;

export const DiffEntry = z
  .object({
    kind: RecordKind,
    oldRef: z.string().nullable(),
    newRef: z.string().nullable(),
    /** Empty when the pair is unchanged. */
    changes: z.array(ChangeKind),
    score: z.number().min(0).max(1).nullable(),
    signals: z.array(MatchSignal),
    details: DiffDetails,
  })
  .refine((e) => e.oldRef !== null || e.newRef !== null, { message: 'an entry needs an oldRef or a newRef' })
  .refine((e) => (e.oldRef === null) === e.changes.includes('added'), { message: "an entry without oldRef must be 'added', and only such an entry", path: ['changes'] })
  .refine((e) => (e.newRef === null) === e.changes.includes('removed'), { message: "an entry without newRef must be 'removed', and only such an entry", path: ['changes'] });
export type DiffEntry = z.infer<typeof DiffEntry>;

export const DiffDocument = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  from: DocumentRef,
  to: DocumentRef,
  entries: z.array(DiffEntry),
});
export type DiffDocument = z.infer<typeof DiffDocument>;
