// Tolerances of the layout stage, in one place, as pdfplumber keeps its table settings:
// named, with defaults and a reason, validated when a caller overrides them.
import { z } from 'zod';

export const LayoutSettings = z
  .object({
    /** Rulings this close (pt) across their length are one line: producers draw a cell border per cell. */
    snapTolerance: z.number().min(0).default(3),
    /** Collinear rulings with a gap this small (pt) join into one edge. */
    joinTolerance: z.number().min(0).default(3),
    /** An edge and a crossing edge this close (pt) to touching still intersect. */
    intersectionTolerance: z.number().min(0).default(3),
    /** Edges shorter than this (pt) are not table lines (underlines of short words, glyph parts). */
    edgeMinLength: z.number().min(0).default(8),
    /** Smallest cell side (pt): narrower gaps between lines are double rules, not cells. */
    cellMinSize: z.number().min(0).default(4),
    /** Words whose baselines are this many font sizes apart or less are on one line. */
    lineTolerance: z.number().min(0).default(0.35),
    /** Inside a line, a gap wider than this many font sizes separates two runs of text. */
    runGapRatio: z.number().min(0).default(0.45),
    /** A line that ran on over a column border ends, and its continuation begins, within this many font sizes of the border. */
    runOnGap: z.number().min(0).default(1),
    /** A fill covering this share of a cell colours the cell. */
    fillCoverage: z.number().min(0).max(1).default(0.6),
    /** Tables on consecutive pages continue one another when their column edges agree within this (pt). */
    continuationTolerance: z.number().min(0).default(4),
    /** Unruled tables: a gap between words this many font sizes wide separates two cells of a line. */
    columnGapRatio: z.number().min(0).default(0.9),
    /** Unruled tables: a column gap must be at least this wide (pt) over the table's rows. */
    columnGapMin: z.number().min(0).default(2),
    /** Unruled tables: at least this many lines with two or more cells make a table. */
    streamMinRows: z.number().int().min(2).default(3),
    /** Unruled tables: lines further apart than this many font sizes are not in one table. */
    streamMaxLineGap: z.number().min(0).default(2.6),
    /** Unruled tables: a column gap may be crossed by this share of lines (spanning headers, long labels). */
    gapCrossingShare: z.number().min(0).max(1).default(0.12),
    /** Unruled tables: up to this many lines above the first aligned line may be header rows. */
    streamMaxHeaderLines: z.number().int().min(0).default(4),
    /**
     * A ruled row is split into stacked rows only when most of its cells hold at least this many
     * lines on shared baselines (fewer are more often a header wrapped in narrow columns).
     */
    stackedRowsMin: z.number().int().min(2).default(5),
    /** A line whose words are this close (font sizes) below the previous may continue its cells. */
    continuationGap: z.number().min(0).default(0.45),
  })
  .strict();
export type LayoutSettings = z.infer<typeof LayoutSettings>;

/** Fills in defaults; rejects unknown settings and negative values with a message naming the setting. */
export function resolveLayoutSettings(overrides: Partial<LayoutSettings> = {}): LayoutSettings {
  const parsed = LayoutSettings.safeParse(overrides);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`layout setting ${issue.path.join('.') || '(unknown)'}: ${issue.message}`);
  }
  return parsed.data;
}

export const DEFAULT_LAYOUT_SETTINGS: LayoutSettings = resolveLayoutSettings();
