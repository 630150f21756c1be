// Stage: parse. Page layouts -> the nested document of schemas/: areas, objectives,
// actions and measures with provenance, read by the profile each table's header
// fits; the legend, stated totals and owners the document prints; warnings for
// every table that fits no layout we know.
import type { Document, ProfileUse } from '../../schemas/index.js';
import { SCHEMA_VERSION } from '../../schemas/index.js';
import type { PageLayout } from '../layout/index.js';
import { resolveLeads } from '../normalise.js';
import { ParseContext } from './context.js';
import { fillReadingOf } from './shades.js';
import { councilOf, kindOf, ownersOf, statedTotalsOf, titleOf, versionDateOf } from './document.js';
import { brag } from './profiles/brag.js';
import { headerMapped } from './profiles/header-mapped.js';
import { fieldEvidence, itemsOf, readFields } from './profiles/fields.js';
import { objectiveActivity } from './profiles/objective-activity.js';
import { outcomeTable } from './profiles/outcome.js';
import type { Profile } from './profiles/profile.js';
import { subFinding } from './profiles/sub-finding.js';
import { summaryTable } from './profiles/summary-table.js';
import { logicalTables, readingOrder } from './reading.js';
import { isAreaHeading } from './settings.js';

export const PROFILES: Profile[] = [outcomeTable, summaryTable, brag, subFinding, objectiveActivity, headerMapped];

export interface ParseSettings {
  /** A heading is a line at least this many times the body text size. */
  headingScale: number;
  /** A section heading with no number (e.g. "Safeguarding Actions") must be this much larger. */
  sectionHeadingScale: number;
}
export const DEFAULT_PARSE_SETTINGS: ParseSettings = { headingScale: 1.08, sectionHeadingScale: 1.3 };

export interface ParseMeta {
  sha256: string;
  fileName: string;
  pageCount: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : 0;
}

export function parseDocument(pages: PageLayout[], meta: ParseMeta, settings: ParseSettings = DEFAULT_PARSE_SETTINGS): Document {
  const blocks = readingOrder(pages);
  const tables = logicalTables(blocks);
  const allLines = blocks.flatMap((b) => (b.kind === 'line' ? [b.line] : []));
  const body = median(pages.flatMap((p) => p.words.filter((w) => w.angle === 0).map((w) => w.fontSize)));
  const ctx = new ParseContext();
  const fillReading = fillReadingOf(tables);
  const legend = fillReading.legend;
  ctx.rateFill = fillReading.rate;
  // A greyscale scan with no legend: its fills' shades cannot be told apart as ratings, so none is guessed.
  if (fillReading.greyscale && !legend.length) ctx.b.warn('uncalibrated-shades', 'the fills are greyscale (a scan) and the document prints no legend to match their shades against: fills were not read as ratings', null);
  let sectionCandidate: { text: string; page: number; bbox: [number, number, number, number] } | null = null;
  let lastOpened = -1;
  // The size of the last numbered area heading: a smaller heading after it is a subheading of that area.
  let openedSize = 0;
  // Large lines printed more than once ("Key Concerns", "Action Plan") are a template's subheadings, never a section's title.
  const largeTexts = new Map<string, number>();
  for (const t of tables)
    for (const l of t.before)
      if (l.fontSize >= body * settings.sectionHeadingScale) largeTexts.set(l.text.trim().toLowerCase(), (largeTexts.get(l.text.trim().toLowerCase()) ?? 0) + 1);
  let seq = 0;
  let candidateSeq = -1;
  const used = new Set<string>();
  const readBy: ProfileUse[] = [];
  for (const t of tables) {
    for (const l of t.before) {
      seq++;
      if (l.angle !== 0) continue;
      if (isAreaHeading(l.text) && l.fontSize >= body * settings.headingScale) {
        ctx.openArea(l.text, t.pages[0]!, l.bbox);
        lastOpened = seq;
        openedSize = l.fontSize;
      } else if (l.fontSize >= body * settings.sectionHeadingScale && l.text.length > 3 && largeTexts.get(l.text.trim().toLowerCase())! < 2 && l.fontSize >= openedSize * 0.95) {
        sectionCandidate = { text: l.text, page: t.pages[0]!, bbox: l.bbox };
        candidateSeq = seq;
      }
    }
    const profile = PROFILES.find((p) => p.detect(t));
    if (!profile) {
      if (t.roles.filter(Boolean).length >= 3)
        ctx.b.warn('unknown-table', `page ${t.pages[0]}: a table headed "${t.header.filter(Boolean).join(' | ').slice(0, 80)}" fits no plan layout I know; its rows were not read`, t.pages[0]!);
      continue;
    }
    // A large unnumbered heading after the last numbered one opens a section (e.g. "Safeguarding Actions").
    if (profile !== summaryTable && profile !== brag && sectionCandidate && candidateSeq > lastOpened) {
      ctx.openArea(sectionCandidate.text, sectionCandidate.page, sectionCandidate.bbox);
      lastOpened = candidateSeq;
    }
    used.add(profile.name);
    const evidence = profile.detect(t)!;
    const use = readBy.find((r) => r.profile === profile.name && r.evidence === evidence);
    if (use) use.pages.push(...t.pages.filter((p) => !use.pages.includes(p)));
    else readBy.push({ profile: profile.name, pages: [...t.pages], evidence });
    try {
      profile.read(t, ctx);
    } catch (err) {
      // A damaged table must not cost the rest of the document: say which table, and go on.
      ctx.b.warn('profile-failed', `page ${t.pages[0]}: the ${profile.name} profile could not read this table (${(err as Error).message})`, t.pages[0]!);
    }
  }
  if (!used.size) {
    // No plan table: a field-structured plan or priority page reads from its headings and labels.
    const items = itemsOf(blocks, body, settings.headingScale);
    const evidence = fieldEvidence(items);
    if (evidence) {
      readBy.push({ profile: 'field-structured', pages: [...new Set(items.map((i) => i.page))], evidence });
      try {
        readFields(items, ctx);
      } catch (err) {
        ctx.b.warn('profile-failed', `the field-structured profile stopped (${(err as Error).message})`, null);
      }
    } else ctx.b.warn('no-plan-layout', 'no page fits a plan layout I know (no plan table, no labelled fields under area headings); no records were read', null);
  }

  const owners = ownersOf(tables);
  for (const a of ctx.b.areas)
    for (const o of a.objectives)
      for (const act of o.actions) {
        const names = resolveLeads(act.leads.map((l) => l.code), owners);
        act.leads = act.leads.map((l, i) => ({ code: l.code, name: names[i] ?? null }));
      }
  const firstLines = allLines.filter((l) => pages.length && blocks.find((b) => b.kind === 'line' && b.line === l)!.page <= 2);
  const title = titleOf(firstLines.filter((l) => l.angle === 0));
  return {
    schemaVersion: SCHEMA_VERSION,
    sha256: meta.sha256,
    fileName: meta.fileName,
    council: councilOf(firstLines.filter((l) => l.angle === 0), [...allLines.map((l) => l.text), ...tables.flatMap((t) => t.first.cells.map((c) => c.text))]),
    title,
    kind: kindOf(`${title ?? ''} ${firstLines.map((l) => l.text).join(' ')}`),
    versionDate: versionDateOf(firstLines),
    pageCount: meta.pageCount,
    ratingScheme: legend,
    statedTotals: statedTotalsOf(allLines, tables, legend),
    reconciliation: [],
    warnings: ctx.b.warnings,
    readBy,
    areas: ctx.b.areas,
  };
}
