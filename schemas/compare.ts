import { z } from 'zod';
import { RecordKind, Ref } from './common.js';

/**
 * How `compareCouncils` groups actions into themes: named, with defaults and a reason,
 * validated when a caller overrides them (as LayoutSettings are).
 */
export const CompareSettings = z
  .object({
    /**
     * Two groups join while their similarity (cosine of TF-IDF vectors; average over all
     * cross pairs for 'average', to the leader for 'leader') is at least this. Chosen on the
     * fixtures: at 0.2 the co-production and EHC plan quality actions of different councils
     * meet; much lower and unrelated actions chain through generic words.
     */
    similarityThreshold: z.number().min(0).max(1).default(0.2),
    /**
     * 'average': agglomerative, average linkage (order-free, O(n^3), fine for a few hundred
     * actions). 'leader': one pass, each action joins the most similar leader above the
     * threshold or leads a new theme (order-dependent, linear in themes, for large inputs).
     */
    method: z.enum(['average', 'leader']).default('average'),
    /** Record kinds compared: actions by default; measures may be added. */
    kinds: z.array(RecordKind).min(1).default(['action']),
    /** How many top terms make a theme's label. */
    labelTerms: z.number().int().min(1).default(3),
    /** Words dropped besides natural's English stopwords and the domain ones. */
    extraStopwords: z.array(z.string()).default([]),
  })
  .strict();
export type CompareSettings = z.infer<typeof CompareSettings>;

/** One action of a theme, as the council printed it. */
export const ThemeAction = z.object({
  council: z.string().min(1),
  ref: Ref,
  text: z.string(),
});
export type ThemeAction = z.infer<typeof ThemeAction>;

/** Similar actions across councils (the output of `wsoa compare`, one element per theme). */
export const Theme = z
  .object({
    /** "T01", "T02", ... in the sorted order: stable for the same input and settings. */
    id: z.string().regex(/^T\d+$/),
    /** The top terms joined, e.g. "co-production / charter / forum". */
    label: z.string(),
    /** The top terms, in the words the councils printed (not stems), strongest first. */
    terms: z.array(z.string()),
    /** Councils with at least one action in the theme, sorted. */
    councils: z.array(z.string().min(1)).min(1),
    /** Number of actions in the theme. */
    count: z.number().int().min(1),
    /** Mean cosine similarity of the actions to the theme's centroid: 1 for a single action. */
    cohesion: z.number().min(0).max(1),
    /** Every action of the theme, most typical (closest to the centroid) first. */
    actions: z.array(ThemeAction).min(1),
  })
  .refine((t) => t.count === t.actions.length, { message: 'count must equal the number of actions', path: ['count'] })
  .refine((t) => new Set(t.actions.map((a) => a.council)).size === t.councils.length, {
    message: 'councils must list each council of the actions once',
    path: ['councils'],
  });
export type Theme = z.infer<typeof Theme>;

export const Themes = z.array(Theme);
export type Themes = z.infer<typeof Themes>;
