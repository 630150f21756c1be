import { z } from 'zod';
import { BBox, RecordKind, Ref } from './common.js';

/**
 * Narrative progress reports (a committee report on a plan) and their links to the plan.
 *
 * A report paragraph is one numbered paragraph as read from the PDF ("12. The mandate
 * for ..."): its printed number, the heading of the section it is in, its text with
 * line-break hyphens healed and page furniture left out, and where it starts.
 */
export const ReportParagraph = z
  .object({
    /** The printed number without its full stop: "12". */
    number: z.string().regex(/^[0-9]+$/),
    /** The nearest heading printed above the paragraph, null before the first heading. */
    heading: z.string().min(1).nullable(),
    text: z.string().min(1),
    /** The page the paragraph starts on, and its box there (PDF user space). */
    page: z.number().int().min(1),
    bbox: BBox,
    /** Every page the paragraph has lines on (a paragraph may run on over a page break). */
    pages: z.array(z.number().int().min(1)).min(1),
  })
  .strict();
export type ReportParagraph = z.infer<typeof ReportParagraph>;

/** A plan record a report paragraph speaks about, as found by the linker, with its evidence. */
export const Link = z
  .object({
    /** The paragraph's number. */
    paragraph: z.string().regex(/^[0-9]+$/),
    ref: Ref,
    kind: RecordKind,
    score: z.number().min(0).max(1),
    /** What made the link, strongest first: "tfidf 0.31", "acronym ND", "phrase annual review", "objective 2.5 0.42". */
    signals: z.array(z.string().min(1)),
  })
  .strict();
export type Link = z.infer<typeof Link>;

/** fixtures/expected/<report>.links.json: the links written by hand in the report's spec. */
export const ExpectedLinks = z
  .object({
    report: z.string().min(1),
    plan: z.string().min(1),
    links: z.array(z.object({ paragraph: z.string().regex(/^[0-9]+$/), ref: Ref, why: z.string().min(1) }).strict()),
  })
  .strict();
export type ExpectedLinks = z.infer<typeof ExpectedLinks>;
