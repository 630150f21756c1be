import { z } from 'zod';
import { Due, IsoDate, Provenance, RatingColumn, RatingValue, Ref, Rating, SCHEMA_VERSION } from './common.js';

/**
 * The flat record: one line of `wsoa extract --jsonl` and of fixtures/expected/*.jsonl.
 *
 * Departure from RECORDS.md, on purpose: the flat form keeps scalar values where the
 * scoring tools (../shared/tools/score-records.mjs) read scalars. `due` is the printed
 * text and `dueRange` its {start, end}; `ratings` maps a column to its value and
 * `ratingSources` says what each value was read from. The nested document (Document
 * below) keeps RECORDS.md's objects ({text,start,end}, {value,source}).
 */
const flatBase = {
  schemaVersion: z.literal(SCHEMA_VERSION),
  ref: Ref,
  displayRef: z.string(),
  text: z.string(),
  rawText: z.string(),
  provenance: Provenance,
};

const DueRange = z.object({ start: IsoDate.nullable(), end: IsoDate.nullable() });
const FlatRatings = z.partialRecord(RatingColumn, RatingValue.nullable());
const FlatRatingSources = z.partialRecord(RatingColumn, z.string());

export const FlatArea = z.object({ ...flatBase, kind: z.literal('area'), parent: z.null() }).strict();
export const FlatObjective = z.object({ ...flatBase, kind: z.literal('objective'), parent: Ref }).strict();
export const FlatAction = z
  .object({
    ...flatBase,
    kind: z.literal('action'),
    parent: Ref,
    leads: z.array(z.string().min(1)),
    leadNames: z.array(z.string().nullable()),
    partners: z.array(z.string().min(1)),
    due: z.string().nullable(),
    dueRange: DueRange.nullable(),
    ratings: FlatRatings,
    ratingSources: FlatRatingSources,
    progressNote: z.string().nullable(),
    fields: z.record(z.string(), z.string()).optional(),
  })
  .strict()
  .refine((a) => a.leadNames.length === a.leads.length, { message: 'leadNames must have one entry per lead', path: ['leadNames'] });
export const FlatMeasure = z
  .object({
    ...flatBase,
    kind: z.literal('measure'),
    parent: Ref,
    due: z.string().nullable(),
    dueRange: DueRange.nullable(),
    ratings: FlatRatings,
    ratingSources: FlatRatingSources,
  })
  .strict();

export const FlatRecord = z.discriminatedUnion('kind', [FlatArea, FlatObjective, FlatAction, FlatMeasure]);
export type FlatRecord = z.infer<typeof FlatRecord>;
export type FlatAction = z.infer<typeof FlatAction>;
export type FlatMeasure = z.infer<typeof FlatMeasure>;

// ---- Nested records (the document of `wsoa extract --json`) ----

const nestedBase = {
  ref: Ref,
  displayRef: z.string(),
  text: z.string(),
  rawText: z.string(),
  provenance: Provenance,
};

const Ratings = z.partialRecord(RatingColumn, Rating.nullable());

export const Lead = z.object({ code: z.string().min(1), name: z.string().nullable() });
export type Lead = z.infer<typeof Lead>;

export const Measure = z.object({
  ...nestedBase,
  kind: z.literal('measure'),
  parent: Ref,
  due: Due.nullable(),
  ratings: Ratings,
});
export type Measure = z.infer<typeof Measure>;

export const Action = z.object({
  ...nestedBase,
  kind: z.literal('action'),
  parent: Ref,
  leads: z.array(Lead),
  partners: z.array(z.string().min(1)),
  due: Due.nullable(),
  ratings: Ratings,
  progressNote: z.string().nullable(),
  /**
   * Labelled fields the document prints for the action that the model has no slot for
   * (e.g. "Senior responsible officer", "What we want"), label -> text, kept rather than
   * dropped. Optional: an additive change within schemaVersion 1.
   */
  fields: z.record(z.string(), z.string()).optional(),
  measures: z.array(Measure),
});
export type Action = z.infer<typeof Action>;

export const Objective = z.object({
  ...nestedBase,
  kind: z.literal('objective'),
  parent: Ref,
  actions: z.array(Action),
  /** Milestones printed under an objective (004) are its measures. */
  measures: z.array(Measure),
});
export type Objective = z.infer<typeof Objective>;

export const Area = z.object({
  ...nestedBase,
  kind: z.literal('area'),
  parent: z.null(),
  objectives: z.array(Objective),
  /** Impact indicators printed for a whole area or work stream (004). */
  measures: z.array(Measure),
});
export type Area = z.infer<typeof Area>;
