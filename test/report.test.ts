// A narrative progress report linked to its plan: the 002 committee report's numbered
// paragraphs read from its fixture PDF (page furniture left out, line-break hyphens
// healed), then linked to the actions of the plan it reports on (000), and the links
// scored against the ones written by hand in the report's spec.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExpectedLinks, FixtureSpec, Link, ReportParagraph, type FlatRecord } from '../schemas/index.js';
import { loadDocument } from '../pipeline/load.js';
import { layoutPage, type PageLayout } from '../pipeline/layout/index.js';
import { readNarrativeReport } from '../pipeline/report.js';
import { linkReportToPlan } from '../pipeline/link.js';
import { readExpected } from '../pipeline/fixture-check.js';
import { renderSpec } from '../fixtures/build/render.js';
import { expectedLinks } from '../fixtures/build/links.js';

const dir = path.resolve(import.meta.dirname, '../fixtures');
const REPORT = '002-leicestershire-report';
const spec = (name: string) => FixtureSpec.parse(JSON.parse(readFileSync(path.join(dir, 'specs', `${name}.json`), 'utf8')));
const report = spec(REPORT);
const plan = spec(report.reportsOn!);
const truth = ExpectedLinks.parse(JSON.parse(readFileSync(path.join(dir, 'expected', `${REPORT}.links.json`), 'utf8')));
const planRecords: FlatRecord[] = readExpected(dir, `expected/${plan.name}.jsonl`);

let layouts: PageLayout[] = [];
let paragraphs: ReportParagraph[] = [];
let links: Link[] = [];

beforeAll(async () => {
  const doc = await loadDocument(readFileSync(path.join(dir, 'pdf', `${REPORT}.pdf`)));
  try {
    for (let n = 1; n <= doc.pageCount; n++) layouts.push(layoutPage(await doc.page(n)));
  } finally {
    await doc.close();
  }
  paragraphs = readNarrativeReport(layouts);
  links = linkReportToPlan(paragraphs, planRecords);
});

const key = (l: { paragraph: string; ref: string }) => `${l.paragraph} ${l.ref}`;

/** Precision and recall of (paragraph, ref) pairs against the hand-made links. */
function score(found: { paragraph: string; ref: string }[]) {
  const want = new Set(truth.links.map(key));
  const got = new Set(found.map(key));
  const hits = [...got].filter((k) => want.has(k)).length;
  return { found: got.size, truth: want.size, hits, precision: got.size ? hits / got.size : 0, recall: hits / want.size };
}

describe('reading the report', () => {
  it('finds every numbered paragraph, in order, each valid', () => {
    expect(paragraphs.map((p) => p.number)).toEqual(report.paragraphs!.map((p) => p.number));
    for (const p of paragraphs) expect(ReportParagraph.safeParse(p).success).toBe(true);
  });

  it('gives each paragraph the heading above it and its text as the spec transcribes it', () => {
    for (const want of report.paragraphs!) {
      const got = paragraphs.find((p) => p.number === want.number)!;
      expect(got.heading, want.number).toBe(want.heading);
      expect(got.text, want.number).toBe([want.text, ...(want.items ?? [])].join(' '));
    }
  });

  it('heals line-break hyphens: the PDF cuts words over lines, the text has them whole', () => {
    const texts = paragraphs.map((p) => p.text).join(' ');
    let healed = 0;
    for (const layout of layouts) {
      const lines = [...layout.lines].sort((a, b) => b.bbox[3] - a.bbox[3]);
      lines.forEach((line, i) => {
        const cut = /(\p{L}+)-$/u.exec(line.text)?.[1];
        const next = lines[i + 1]?.words[0]?.text.match(/^\p{Ll}+/u)?.[0];
        if (!cut || !next) return;
        if (texts.includes(`${cut}${next}`) && !texts.includes(`${cut}-${next}`)) healed++;
      });
    }
    expect(healed).toBeGreaterThanOrEqual(5);
  });

  it('leaves out page furniture: the running header and "Page N"', () => {
    const lines = layouts.flatMap((l) => l.lines.map((x) => x.text));
    expect(lines).toContain('Page 2');
    expect(lines.filter((t) => t === report.title).length).toBeGreaterThanOrEqual(2);
    for (const p of paragraphs) {
      expect(p.text).not.toMatch(/\bPage [0-9]+\b/);
      expect(p.text).not.toContain(report.title);
    }
  });

  it('says where each paragraph starts: the page and box the renderer drew it in', async () => {
    const { marks } = await renderSpec(report);
    for (const p of paragraphs) {
      const mine = marks.filter((m) => m.kind === 'paragraph' && m.ref === p.number);
      expect(p.page, p.number).toBe(mine[0]!.page);
      expect(p.pages, p.number).toEqual([...new Set(mine.map((m) => m.page))]);
      const first = mine.filter((m) => m.page === p.page);
      const [x0, y0, x1, y1] = [Math.min(...first.map((m) => m.bbox[0])), Math.min(...first.map((m) => m.bbox[1])), Math.max(...first.map((m) => m.bbox[2])), Math.max(...first.map((m) => m.bbox[3]))];
      for (const [got, want] of [[p.bbox[0], x0], [p.bbox[1], y0], [p.bbox[2], x1], [p.bbox[3], y1]] as const) expect(Math.abs(got - want), p.number).toBeLessThan(4);
    }
  });
});

describe('the hand-made links', () => {
  it('are the links of the spec, every ref an action of the plan', () => {
    expect(expectedLinks(report, plan)).toEqual(truth);
    const actions = new Set(planRecords.filter((r) => r.kind === 'action').map((r) => r.ref));
    for (const l of truth.links) expect(actions.has(l.ref), l.ref).toBe(true);
  });

  it('link no paragraph to the JSNA (1.3): the report has no paragraph on it', () => {
    // The brief this was built from expected a JSNA paragraph; the seed report has none.
    expect(report.paragraphs!.filter((p) => /JSNA|Joint Strategic Needs/i.test(`${p.heading} ${p.text}`))).toEqual([]);
    expect(truth.links.filter((l) => l.ref.startsWith('1.3.'))).toEqual([]);
  });
});

describe('linking the report to its plan', () => {
  it('gives valid links, scores in 0..1, each with the signals that made it', () => {
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      expect(Link.safeParse(l).success).toBe(true);
      expect(l.signals.length).toBeGreaterThan(0);
      expect(planRecords.some((r) => r.kind === l.kind && r.ref === l.ref)).toBe(true);
    }
  });

  it('scores against the hand-made links (precision >= 0.6, recall >= 0.55)', () => {
    const s = score(links);
    console.log(`report links: ${s.found} found, ${s.truth} by hand, ${s.hits} agree; precision ${s.precision.toFixed(3)}, recall ${s.recall.toFixed(3)}`);
    expect(s.precision).toBeGreaterThanOrEqual(0.6);
    expect(s.recall).toBeGreaterThanOrEqual(0.55);
  });

  it('links the ND pathway paragraph to 1.7.1 and the SEN portal paragraph to the IT portal (1.10.1)', () => {
    const nd = report.paragraphs!.find((p) => /\(ND\)/.test(p.heading ?? ''))!;
    const portal = report.paragraphs!.find((p) => /SEN portal/.test(p.heading ?? ''))!;
    expect(links.map(key)).toContain(`${nd.number} 1.7.1`);
    expect(links.map(key)).toContain(`${portal.number} 1.10.1`);
  });

  // Known gaps, kept as failing expectations so that they show when the linker gets them.
  it.fails('known gap: recall >= 0.8 (words alone do not tie "surveys" to "evaluation process", "EHCP changes" to "new template")', () => {
    expect(score(links).recall).toBeGreaterThanOrEqual(0.8);
  });

  it.fails('known gap: the SEN portal paragraph to its IT system actions 2.5.1 / 2.5.3 (the report never says "IT")', () => {
    const portal = report.paragraphs!.find((p) => /SEN portal/.test(p.heading ?? ''))!;
    const found = links.filter((l) => l.paragraph === portal.number).map((l) => l.ref);
    expect(found.some((r) => r === '2.5.1' || r === '2.5.3')).toBe(true);
  });
});
