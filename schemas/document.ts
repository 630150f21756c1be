import { z } from 'zod';
import { IsoDate, RatingValue, SCHEMA_VERSION, Sha256 } from './common.js';
import { Area } from './records.js';

export const DocumentKind = z.enum(['plan', 'progress-summary', 'progress-report', 'other']);
export type DocumentKind = z.infer<typeof DocumentKind>;

/** One entry of the legend a document prints: which colour or word means which rating. */
export const RatingLegendEntry = z.object({
  value: RatingValue,
  label: z.string().min(1),
  /** Fill colour as printed, #rrggbb; null where the legend is words only. */
  fill: z.string().regex(/^#[0-9a-fA-F]{6}$/).nullable(),
});
export type RatingLegendEntry = z.infer<typeof RatingLegendEntry>;

/** Counts a document states about itself (001: "10 actions, 19 sub actions, 71 measures"). */
export const StatedCount = z.object({
  /** Ref of the area the count is about, null for the whole document. */
  scope: z.string().nullable(),
  /** What is counted: a record kind, or a rating value for status counts. */
  counts: z.enum(['objective', 'action', 'measure', 'rating']),
  rating: RatingValue.nullable(),
  label: z.string().min(1),
  value: z.number().int().min(0),
});
export type StatedCount = z.infer<typeof StatedCount>;

export const ReconciliationEntry = z.object({
  scope: z.string().nullable(),
  label: z.string(),
  stated: z.number().int(),
  extracted: z.number().int(),
  difference: z.number().int(),
});
export type ReconciliationEntry = z.infer<typeof ReconciliationEntry>;

export const Warning = z.object({
  code: z.string().min(1),
  message: z.string().min(1),
  page: z.number().int().min(1).nullable(),
  ref: z.string().nullable(),
});
export type Warning = z.infer<typeof Warning>;

/** Which layout profile read which pages, and the evidence that chose it (header words, headings). */
export const ProfileUse = z.object({
  profile: z.string().min(1),
  pages: z.array(z.number().int().min(1)),
  evidence: z.string(),
});
export type ProfileUse = z.infer<typeof ProfileUse>;

export const Document = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  sha256: Sha256,
  fileName: z.string().min(1),
  council: z.string().nullable(),
  title: z.string().nullable(),
  kind: DocumentKind,
  versionDate: IsoDate.nullable(),
  pageCount: z.number().int().min(0),
  ratingScheme: z.array(RatingLegendEntry),
  statedTotals: z.array(StatedCount),
  reconciliation: z.array(ReconciliationEntry),
  warnings: z.array(Warning),
  /** Additive within schemaVersion 1: absent in documents written before it existed. */
  readBy: z.array(ProfileUse).optional(),
  areas: z.array(Area),
});
export type Document = z.infer<typeof Document>;

/** What a diff says about a document: enough to find it again. */
export const DocumentRef = z.object({
  sha256: Sha256.nullable(),
  fileName: z.string(),
  council: z.string().nullable(),
  versionDate: IsoDate.nullable(),
});
export type DocumentRef = z.infer<typeof DocumentRef>;
