import { z } from 'zod';

/** Version of the JSON/JSONL contracts (ARCHITECTURE.md): bump on any breaking change. */
export const SCHEMA_VERSION = 1 as const;

/** An ISO calendar date, YYYY-MM-DD. */
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected an ISO date YYYY-MM-DD');
export type IsoDate = z.infer<typeof IsoDate>;

/** [x0, y0, x1, y1] in PDF points, user space of the unrotated page, origin bottom-left. */
export const BBox = z
  .tuple([z.number(), z.number(), z.number(), z.number()])
  .refine(([x0, y0, x1, y1]) => x1 >= x0 && y1 >= y0, { message: 'bbox must be [x0, y0, x1, y1] with x1 >= x0 and y1 >= y0' });
export type BBox = z.infer<typeof BBox>;

export const ExtractionMethod = z.enum(['text', 'ocr']);
export type ExtractionMethod = z.infer<typeof ExtractionMethod>;

/** Where a value came from, so an analyst can check it against the PDF. */
export const Provenance = z.object({
  page: z.number().int().min(1),
  bbox: BBox,
  method: ExtractionMethod,
  confidence: z.number().min(0).max(1),
});
export type Provenance = z.infer<typeof Provenance>;

export const RecordKind = z.enum(['area', 'objective', 'action', 'measure']);
export type RecordKind = z.infer<typeof RecordKind>;

/** The rating values of RECORDS.md; null where a cell is empty. */
export const RatingValue = z.enum(['blue', 'green', 'amber', 'red', 'purple', 'not-due']);
export type RatingValue = z.infer<typeof RatingValue>;

/** The rating columns a plan may print (000: completed/impact/sustained; 001: progress/impact; 003: progress). */
export const RatingColumn = z.enum(['progress', 'impact', 'sustained', 'completed']);
export type RatingColumn = z.infer<typeof RatingColumn>;

/** A rating as read: the value and what it was read from (a fill colour, a printed word). */
export const Rating = z.object({
  value: RatingValue.nullable(),
  source: z.string().min(1, 'a rating must say what it was read from'),
});
export type Rating = z.infer<typeof Rating>;

/** A due date as printed and the span of days it means (month, term or range granularity). */
export const Due = z
  .object({
    text: z.string().min(1),
    start: IsoDate.nullable(),
    end: IsoDate.nullable(),
  })
  .refine((d) => d.start === null || d.end === null || d.start <= d.end, { message: 'due.start must not be after due.end' });
export type Due = z.infer<typeof Due>;

/** A reference: as normalised by RECORDS.md, no spaces, no trailing dot. */
export const Ref = z
  .string()
  .min(1, 'ref must not be empty')
  .refine((r) => !/\s/.test(r), { message: 'ref must not contain spaces' })
  .refine((r) => !r.endsWith('.'), { message: 'ref must not end with a dot' });
export type Ref = z.infer<typeof Ref>;

export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected a lowercase hex sha256');
