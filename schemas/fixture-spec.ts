import { z } from 'zod';
import { ChangeKind } from './diff.js';
import { DocumentKind, RatingLegendEntry, StatedCount } from './document.js';
import { IsoDate, RatingColumn, RatingValue, RecordKind, Ref } from './common.js';

/**
 * A fixture spec: a seed plan transcribed by hand, its extraction damage repaired by
 * careful reading. It is the truth the expected records are generated from and the
 * source the fixture PDFs are rendered from; it is never produced by the parser.
 *
 * `reconstructed` on a node names the fields whose printed value the seed lost and
 * that were restored by reading (e.g. a cut-off word); `note` says how.
 */
const Reconstruction = {
  reconstructed: z.array(z.string()).optional(),
  note: z.string().optional(),
};

/** A due date transcribed by hand: the printed text and the days it means. */
export const SpecDue = z
  .object({ text: z.string().min(1), start: IsoDate.nullable(), end: IsoDate.nullable() })
  .strict();
export type SpecDue = z.infer<typeof SpecDue>;

const SpecRatings = z.partialRecord(RatingColumn, RatingValue.nullable());

/** Rendering quirks the seed shows for this node, reproduced in the PDF. */
export const RenderQuirk = z.enum([
  /** the last line of the cell runs on into the next columns instead of wrapping (000 "CME, NEET and YOT") */
  'overflow-into-next-column',
  /** the objective number prints a second time on the next row (000: 1.5, 1.6) */
  'number-printed-twice',
  /** the number of the objective prints on the row of its Nth action (000: "1.3" on the row of 1.3.3) */
  'number-on-action-row',
  /** long words at a line end are cut with a hyphen, as a word processor with hyphenation on does (002 "multi-" / "agency") */
  'hyphenated-line-breaks',
]);

export const SpecMeasure = z
  .object({
    displayRef: z.string(),
    ref: Ref,
    text: z.string(),
    due: SpecDue.nullable(),
    ratings: SpecRatings,
    ...Reconstruction,
  })
  .strict();
export type SpecMeasure = z.infer<typeof SpecMeasure>;

export const SpecAction = z
  .object({
    displayRef: z.string(),
    ref: Ref,
    text: z.string().min(1),
    /** The lead cell as printed ("JD/SL", "PeRi SEND GM"), null where the layout has no lead column. */
    leadsText: z.string().nullable(),
    /** Lead codes (or names where no code is printed), split by hand. */
    leads: z.array(z.string().min(1)),
    partnersText: z.string().nullable(),
    partners: z.array(z.string().min(1)),
    due: SpecDue.nullable(),
    ratings: SpecRatings,
    /** Free-text progress as printed ("On track", "Audit and tracking tool in place"). */
    progressNote: z.string().nullable(),
    /** Labelled fields with no slot in the model ("What we want", "Senior responsible officer"), label -> text. */
    fields: z.record(z.string(), z.string()).optional(),
    measures: z.array(SpecMeasure),
    quirks: z.array(RenderQuirk).optional(),
    ...Reconstruction,
  })
  .strict();
export type SpecAction = z.infer<typeof SpecAction>;

export const SpecObjective = z
  .object({
    displayRef: z.string(),
    ref: Ref,
    /** Empty where the document prints no title for it (001's actions 1.1, 1.2 exist only through their sub-action refs). */
    title: z.string(),
    /** Printed reference cell on the objective's own row, if any (000 prints "1" beside focus 1.1). */
    printedReference: z.string().optional(),
    actions: z.array(SpecAction),
    /** Milestones printed under the objective (004), with their dates. */
    milestones: z.array(SpecMeasure).optional(),
    quirks: z.array(RenderQuirk).optional(),
    ...Reconstruction,
  })
  .strict();
export type SpecObjective = z.infer<typeof SpecObjective>;

/** Free blocks of text printed around the plan: cover pages, purpose, legends, glossaries. */
export const SpecBlock: z.ZodType<SpecBlockT> = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('title'), text: z.string().min(1) }).strict(),
    z.object({ type: z.literal('heading'), text: z.string().min(1) }).strict(),
    z.object({ type: z.literal('paragraph'), text: z.string().min(1) }).strict(),
    z.object({ type: z.literal('bullets'), items: z.array(z.string().min(1)).min(1) }).strict(),
    z.object({ type: z.literal('numbered'), items: z.array(z.string().min(1)).min(1) }).strict(),
    z
      .object({
        type: z.literal('table'),
        header: z.array(z.string()).nullable(),
        rows: z.array(z.array(z.string())),
        ruled: z.boolean().optional(),
      })
      .strict(),
    /** The rating legend (ratingScheme) drawn as the document prints it. */
    z.object({ type: z.literal('legend'), caption: z.string().optional() }).strict(),
    /** The owners / initials table (owners), drawn here. */
    z.object({ type: z.literal('owners'), header: z.array(z.string()).optional() }).strict(),
    z.object({ type: z.literal('pageBreak') }).strict(),
  ]),
);
export type SpecBlockT =
  | { type: 'title'; text: string }
  | { type: 'heading'; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'bullets'; items: string[] }
  | { type: 'numbered'; items: string[] }
  | { type: 'table'; header: string[] | null; rows: string[][]; ruled?: boolean | undefined }
  | { type: 'legend'; caption?: string | undefined }
  | { type: 'owners'; header?: string[] | undefined }
  | { type: 'pageBreak' };

export const SpecArea = z
  .object({
    displayRef: z.string(),
    ref: Ref,
    title: z.string().min(1),
    /** The label exactly as the document prints it ("AREA 1- Absence of a Joint Commissioning Strategy"). */
    label: z.string().min(1),
    /** Text printed between the area heading and its action table (004: leads, key concerns, objective list). */
    intro: z.array(SpecBlock).optional(),
    /** Impact indicators printed for the whole area (004 OUTCOME / IMPACT INDICATORS). */
    impactIndicators: z.array(SpecMeasure).optional(),
    outcome: z.string().optional(),
    objectives: z.array(SpecObjective),
    ...Reconstruction,
  })
  .strict();
export type SpecArea = z.infer<typeof SpecArea>;

export const SpecOwner = z
  .object({ code: z.string().min(1), name: z.string().min(1), role: z.string(), organisation: z.string() })
  .strict();
export type SpecOwner = z.infer<typeof SpecOwner>;

export const PlanLayout = z.enum([
  'summary-table',
  'brag-on-a-page',
  'sub-finding-plan',
  'objective-activity-plan',
  /** A table whose header names its columns in words of its own, areas as full-width rows. */
  'header-mapped-table',
  /** Actions as repeated blocks: a heading, then labelled fields as paragraphs, bullets or label/value tables. */
  'field-structured',
  /** A priority or progress page: numbered priorities, what we are doing, dated progress items. */
  'priority-page',
  /** A committee report in prose: a title block, headings, numbered paragraphs; no plan table (002). */
  'narrative-report',
]);
export type PlanLayout = z.infer<typeof PlanLayout>;

/** A plan record a report paragraph speaks about, linked by hand, with why in one line. */
export const SpecParagraphLink = z.object({ ref: Ref, why: z.string().min(1) }).strict();
export type SpecParagraphLink = z.infer<typeof SpecParagraphLink>;

/**
 * A numbered paragraph of a narrative report ("12. The mandate for ..."), transcribed by
 * hand. `heading` is the heading of the section the paragraph is in (the nearest heading
 * printed above it), null before the first heading. `links` are the plan actions the
 * paragraph reports on, in the plan the spec names in `reportsOn`: only links a careful
 * reader of both documents makes.
 */
export const SpecParagraph = z
  .object({
    number: z.string().regex(/^[0-9]+$/),
    heading: z.string().min(1).nullable(),
    /** The paragraph's own sentences, one string with single spaces, line-break hyphens healed. */
    text: z.string().min(1),
    /** A list printed under the paragraph's sentences, as part of it (002 paragraphs 8 and 34). */
    items: z.array(z.string().min(1)).optional(),
    listStyle: z.enum(['bullet', 'dash']).optional(),
    /** Unnumbered matter printed between the previous paragraph and this one's heading (a section heading over a sub-heading, background papers, contacts). */
    before: z.array(SpecBlock).optional(),
    quirks: z.array(RenderQuirk).optional(),
    links: z.array(SpecParagraphLink),
    ...Reconstruction,
  })
  .strict();
export type SpecParagraph = z.infer<typeof SpecParagraph>;

export const FixtureSpec = z
  .object({
    name: z.string().regex(/^[0-9]{3}-[a-z0-9-]+(\.v[0-9]+)?$/),
    seed: z.string().min(1),
    council: z.string().min(1),
    title: z.string().min(1),
    documentKind: DocumentKind,
    versionDate: IsoDate.nullable(),
    versionDateText: z.string().nullable(),
    layout: PlanLayout,
    /** Rating columns of the plan table, in printed order, with their printed headers. */
    ratingColumns: z.array(z.object({ key: RatingColumn, header: z.string().min(1) }).strict()),
    /** How ratings appear in the rating columns: coloured fills with no text, or words. */
    ratingStyle: z.enum(['fill', 'word', 'none']),
    ratingScheme: z.array(RatingLegendEntry),
    statedTotals: z.array(StatedCount),
    owners: z.array(SpecOwner),
    /** Everything printed before the plan table (cover, agenda pack pages, purpose, legend, totals). */
    front: z.array(SpecBlock),
    /** The plan's areas; a narrative report has none (its paragraphs are in `paragraphs`). */
    areas: z.array(SpecArea),
    /** Everything printed after the plan (monitoring, glossary, appendices). */
    back: z.array(SpecBlock),
    /** A narrative report's numbered paragraphs, in printed order. */
    paragraphs: z.array(SpecParagraph).optional(),
    /** The name of the plan's spec a report's paragraph links refer to ("000-leicestershire"). */
    reportsOn: z.string().optional(),
    ...Reconstruction,
  })
  .strict()
  .superRefine((spec, ctx) => {
    if (spec.layout !== 'narrative-report' && spec.areas.length === 0)
      ctx.addIssue({ code: 'custom', path: ['areas'], message: `a ${spec.layout} spec needs at least one area` });
    if (spec.paragraphs?.some((p) => p.links.length) && !spec.reportsOn)
      ctx.addIssue({ code: 'custom', path: ['reportsOn'], message: 'paragraph links need the plan they refer to (reportsOn)' });
  });
export type FixtureSpec = z.infer<typeof FixtureSpec>;

/** One change between two versions of a plan, written by hand with the v2 spec. */
export const SpecChange = z
  .object({
    kind: RecordKind,
    oldRef: z.string().nullable(),
    newRef: z.string().nullable(),
    changes: z.array(ChangeKind).min(1),
    why: z.string().min(1),
  })
  .strict();
export const SpecChangeList = z
  .object({ from: z.string(), to: z.string(), changes: z.array(SpecChange).min(1) })
  .strict();
export type SpecChangeList = z.infer<typeof SpecChangeList>;
