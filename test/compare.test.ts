// Comparing councils: similar actions of different councils' plans meet in one theme.
// Input: the fixtures' expected records, grouped by the manifest's council field, each
// council's latest plan: a council's two versions would put every action in twice, and a
// progress report (002) has no actions.
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { Theme, Themes, type FlatRecord } from '../schemas/index.js';
import { readExpected, readManifest } from '../pipeline/fixture-check.js';
import { compareCouncils, findThemes, foldedText, resolveCompareSettings, themesCsv, themesJson, THEME_CSV_COLUMNS, type CouncilRecords } from '../pipeline/compare.js';

const dir = path.resolve(import.meta.dirname, '../fixtures');
const manifest = readManifest(dir);

function councilInput(): CouncilRecords[] {
  const latest = new Map<string, string>();
  // The manifest lists a council's versions oldest first: the last plan with actions wins.
  for (const d of manifest.documents) if ((d.records.action ?? 0) > 0) latest.set(d.council, d.expected);
  return [...latest].map(([council, rel]) => ({ council, records: readExpected(dir, rel) }));
}

const input = councilInput();
const themes = compareCouncils(input);
const themeOf = (council: string, ref: string): Theme => {
  const t = themes.find((x) => x.actions.some((a) => a.council === council && a.ref === ref));
  if (!t) throw new Error(`no theme holds ${council} ${ref}`);
  return t;
};
const isAction = (r: FlatRecord) => r.kind === 'action';

describe('compareCouncils on the fixtures', () => {
  it('reads every council of the manifest', () => {
    expect(input.map((i) => i.council).sort()).toEqual([...new Set(manifest.documents.map((d) => d.council))].sort());
    expect(input.length).toBeGreaterThanOrEqual(7);
    for (const i of input) expect(i.records.some(isAction)).toBe(true);
  });

  it('puts the co-production charters of Southend and Bracknell Forest in one theme labelled by co-production', () => {
    const t = themeOf('Southend-on-Sea', '1.1#3');
    expect(themeOf('Bracknell Forest', '3.1.1').id).toBe(t.id);
    expect(t.terms).toContain('co-production');
    expect(t.councils.length).toBeGreaterThanOrEqual(2);
  });

  it('groups EHC plan quality actions of different councils: audits of EHC plans', () => {
    const t = themeOf('Bracknell Forest', '2.2.1'); // "... a monthly audit of EHC plans"
    expect(themeOf('Leicestershire', '2.3.1').id).toBe(t.id); // "Develop and implement an EHC plan audit"
    expect(t.terms).toEqual(expect.arrayContaining(['audit', 'ehcp']));
  });

  it('puts every action in exactly one theme', () => {
    const expected = input.flatMap((i) => i.records.filter(isAction).map((r) => `${i.council} ${r.ref}`)).sort();
    const seen = themes.flatMap((t) => t.actions.map((a) => `${a.council} ${a.ref}`)).sort();
    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(seen.length);
    expect(themes.reduce((n, t) => n + t.count, 0)).toBe(expected.length);
  });

  it('finds themes shared by two or more councils, sorted by councils then actions', () => {
    const shared = themes.filter((t) => t.councils.length >= 2);
    expect(shared.length).toBeGreaterThanOrEqual(10);
    for (let i = 1; i < themes.length; i++) {
      const [a, b] = [themes[i - 1]!, themes[i]!];
      expect(a.councils.length > b.councils.length || (a.councils.length === b.councils.length && a.count >= b.count)).toBe(true);
    }
    expect(themes.map((t) => t.id)).toEqual(themes.map((_, i) => `T${String(i + 1).padStart(3, '0')}`));
  });

  it('gives themes that parse through the schema and come out as JSON', () => {
    expect(Themes.parse(themes)).toEqual(themes);
    expect(JSON.parse(themesJson(themes))).toEqual(themes);
  });

  it('is deterministic, and the leader method also places every action once', () => {
    expect(compareCouncils(input)).toEqual(themes);
    const leader = compareCouncils(input, { method: 'leader' });
    expect(leader.reduce((n, t) => n + t.count, 0)).toBe(themes.reduce((n, t) => n + t.count, 0));
    expect(leader.some((t) => t.councils.length >= 2)).toBe(true);
  });

  it('keeps its intermediates: one term list, vector and cluster place per action', () => {
    const f = findThemes(input);
    expect(f.terms).toHaveLength(f.actions.length);
    expect(f.vectors).toHaveLength(f.actions.length);
    expect(f.clusters.flat().sort((a, b) => a - b)).toEqual(f.actions.map((_, i) => i));
  });
});

describe('themesCsv', () => {
  it('parses back: one row per theme, the header named, actions one per line', () => {
    const rows = parse(themesCsv(themes), { columns: true }) as Record<(typeof THEME_CSV_COLUMNS)[number], string>[];
    expect(rows).toHaveLength(themes.length);
    expect(Object.keys(rows[0]!)).toEqual([...THEME_CSV_COLUMNS]);
    rows.forEach((r, i) => {
      const t = themes[i]!;
      expect(r.id).toBe(t.id);
      expect(r.label).toBe(t.label);
      expect(r.councils.split('; ')).toEqual(t.councils);
      expect(Number(r.councilCount)).toBe(t.councils.length);
      expect(Number(r.count)).toBe(t.count);
      expect(r.actions.split('\n')).toEqual(t.actions.map((a) => `${a.council} ${a.ref}: ${a.text}`));
    });
  });
});

describe('compare settings and text folding', () => {
  it('rejects an unknown setting or a threshold out of range, naming it', () => {
    expect(() => resolveCompareSettings({ threshold: 0.3 } as never)).toThrow(/compare setting/);
    expect(() => resolveCompareSettings({ similarityThreshold: 1.5 })).toThrow(/similarityThreshold/);
  });

  it('folds co-production and EHC plan spellings to one token each', () => {
    expect(foldedText('Co-produce a charter; coproduction')).toBe('co_production a charter; co_production');
    for (const s of ['EHCP', "EHCP's", 'ECHP', 'EHC plans', 'education, health and care plan']) expect(foldedText(s)).toBe('ehcp');
  });
});
