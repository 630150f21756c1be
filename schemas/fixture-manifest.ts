import { z } from 'zod';
import { ChangeKind } from './diff.js';
import { PlanLayout } from './fixture-spec.js';
import { RecordKind, Sha256 } from './common.js';

/** fixtures/manifest.json: what `npm run fixtures` built, read by the tests and `wsoa check-fixtures`. */
export const ManifestDocument = z.object({
  name: z.string(),
  spec: z.string(),
  council: z.string(),
  layout: PlanLayout,
  pdf: z.string(),
  sha256: Sha256,
  pages: z.number().int().min(1),
  scanned: z.string().nullable(),
  scannedSha256: Sha256.nullable(),
  expected: z.string(),
  records: z.partialRecord(RecordKind, z.number().int()),
  /** A narrative report's hand-made links to the plan it reports on (expected/<name>.links.json). */
  links: z.string().optional(),
});
export type ManifestDocument = z.infer<typeof ManifestDocument>;

export const ManifestPair = z.object({
  name: z.string(),
  from: z.string(),
  to: z.string(),
  diff: z.string(),
  entries: z.number().int(),
  changes: z.partialRecord(ChangeKind, z.number().int()),
});
export type ManifestPair = z.infer<typeof ManifestPair>;

export const FixtureManifest = z.object({
  documents: z.array(ManifestDocument),
  pairs: z.array(ManifestPair),
  bad: z.array(z.object({ file: z.string(), what: z.string(), sha256: Sha256 })),
});
export type FixtureManifest = z.infer<typeof FixtureManifest>;

/** fixtures/bad/hostile/manifest.json: each hostile file and the outcome it must have. */
export const HostileEntry = z.object({
  file: z.string(),
  what: z.string(),
  expect: z.enum(['opens', 'refused']),
  why: z.string(),
  /** For "opens": the pages that must be named in warnings (stopped, unreadable or blank). */
  damagedPages: z.array(z.number().int()).optional(),
  /** For "opens": the page count wsoa must report, and the title read from the text page (proof it was read). */
  pageCount: z.number().int().optional(),
  title: z.string().optional(),
  /** For "opens": warning codes the document must carry besides those naming damaged pages. */
  warningCodes: z.array(z.string()).optional(),
  /** For "refused": a pattern the one stderr line must match. */
  error: z.string().optional(),
});
export type HostileEntry = z.infer<typeof HostileEntry>;
export const HostileManifest = z.object({ files: z.array(HostileEntry) });
