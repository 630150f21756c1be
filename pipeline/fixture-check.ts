// The checks that say the bundled fixtures are what they claim to be: every PDF opens,
// has the pages the manifest says, text-layer variants carry text (the rotated area
// labels among it) and scanned variants carry none, and the expected records and
// diffs are valid and consistent. Used by `wsoa check-fixtures` and the tests.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DiffDocument, FixtureManifest, FlatRecord, type ManifestDocument } from '../schemas/index.js';
import { openPdf, type PdfDocument } from './pdfjs.js';

export type Manifest = FixtureManifest;
export type { ManifestDocument };

export function readManifest(fixturesDir: string): Manifest {
  return FixtureManifest.parse(JSON.parse(readFileSync(path.join(fixturesDir, 'manifest.json'), 'utf8')));
}

export function readExpected(fixturesDir: string, rel: string): FlatRecord[] {
  return readFileSync(path.join(fixturesDir, rel), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const parsed = FlatRecord.safeParse(JSON.parse(l));
      if (!parsed.success) throw new Error(`${rel}:${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
      return parsed.data;
    });
}

export interface TextItemLite {
  str: string;
  /** True when the item's baseline is not horizontal (rotated text). */
  rotated: boolean;
}

/** All text items of a document, page by page. */
export async function textItems(doc: PdfDocument): Promise<TextItemLite[][]> {
  const pages: TextItemLite[][] = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const page = await doc.getPage(p);
    const content = await page.getTextContent();
    pages.push(
      content.items.flatMap((it) => ('str' in it ? [{ str: it.str, rotated: Math.abs(it.transform[1] ?? 0) > 1e-6 }] : [])),
    );
    page.cleanup();
  }
  return pages;
}

/** Problems with the records of one expected file: duplicate refs within a kind, parents that do not exist. */
export function recordProblems(records: FlatRecord[]): string[] {
  const problems: string[] = [];
  const keys = new Set<string>();
  for (const r of records) {
    const key = `${r.kind} ${r.ref}`;
    if (keys.has(key)) problems.push(`duplicate ${key}`);
    keys.add(key);
  }
  const parentKinds: Record<FlatRecord['kind'], FlatRecord['kind'][]> = {
    area: [],
    objective: ['area'],
    action: ['objective'],
    measure: ['action', 'objective', 'area'],
  };
  for (const r of records) {
    if (r.parent === null) continue;
    if (!parentKinds[r.kind].some((k) => keys.has(`${k} ${r.parent}`))) problems.push(`${r.kind} ${r.ref}: parent ${r.parent} does not exist`);
  }
  return problems;
}

/** Problems with a diff: entries that name records the two expected files do not have. */
export function diffProblems(diff: DiffDocument, from: FlatRecord[], to: FlatRecord[]): string[] {
  const has = (rs: FlatRecord[], kind: string, ref: string) => rs.some((r) => r.kind === kind && r.ref === ref);
  const problems: string[] = [];
  for (const e of diff.entries) {
    if (e.oldRef !== null && !has(from, e.kind, e.oldRef)) problems.push(`${e.kind} ${e.oldRef} is not in the old version`);
    if (e.newRef !== null && !has(to, e.kind, e.newRef)) problems.push(`${e.kind} ${e.newRef} is not in the new version`);
  }
  const covered = (rs: FlatRecord[], side: 'oldRef' | 'newRef') =>
    rs.filter((r) => diff.entries.filter((e) => e.kind === r.kind && e[side] === r.ref).length !== 1).map((r) => `${r.kind} ${r.ref} is in ${side === 'oldRef' ? 'old' : 'new'} entries other than exactly once`);
  return [...problems, ...covered(from, 'oldRef'), ...covered(to, 'newRef')];
}

export interface FixtureReport {
  name: string;
  council: string;
  pages: number;
  scannedPages: number | null;
  records: Record<string, number>;
  problems: string[];
}

export async function checkFixture(fixturesDir: string, m: ManifestDocument): Promise<FixtureReport> {
  const problems: string[] = [];
  const doc = await openPdf(readFileSync(path.join(fixturesDir, m.pdf)));
  if (doc.numPages !== m.pages) problems.push(`${m.pdf}: ${doc.numPages} pages, manifest says ${m.pages}`);
  const pages = await textItems(doc);
  await doc.destroy();
  const records = readExpected(fixturesDir, m.expected);
  problems.push(...recordProblems(records));
  const rotatedWords = new Set(pages.flat().filter((i) => i.rotated).flatMap((i) => i.str.split(/\s+/)));
  for (const area of records.filter((r) => r.kind === 'area')) {
    // An area label printed rotated must be there word for word (whichever page each part landed on).
    const onPage = pages.flat().map((i) => i.str).join(' ');
    for (const word of area.rawText.split(/\s+/)) if (!onPage.includes(word)) problems.push(`${m.pdf}: area ${area.ref} label word "${word}" is not in the text layer`);
    if (m.layout === 'summary-table' && !area.rawText.split(/\s+/).every((w) => rotatedWords.has(w))) problems.push(`${m.pdf}: area ${area.ref} label is not printed rotated`);
  }
  let scannedPages: number | null = null;
  if (m.scanned) {
    const scanned = await openPdf(readFileSync(path.join(fixturesDir, m.scanned)));
    scannedPages = scanned.numPages;
    if (scanned.numPages !== m.pages) problems.push(`${m.scanned}: ${scanned.numPages} pages, the text-layer PDF has ${m.pages}`);
    const text = (await textItems(scanned)).flat().filter((i) => i.str.trim());
    if (text.length) problems.push(`${m.scanned}: has ${text.length} text items; a scan has none`);
    await scanned.destroy();
  }
  const counts: Record<string, number> = {};
  for (const r of records) counts[r.kind] = (counts[r.kind] ?? 0) + 1;
  return { name: m.name, council: m.council, pages: doc.numPages, scannedPages, records: counts, problems };
}

export function checkPair(fixturesDir: string, manifest: Manifest, pair: Manifest['pairs'][number]): string[] {
  const diff = DiffDocument.parse(JSON.parse(readFileSync(path.join(fixturesDir, pair.diff), 'utf8')));
  const find = (name: string) => manifest.documents.find((d) => d.name === name);
  const from = find(pair.from);
  const to = find(pair.to);
  if (!from || !to) return [`${pair.name}: ${!from ? pair.from : pair.to} is not a fixture`];
  return diffProblems(diff, readExpected(fixturesDir, from.expected), readExpected(fixturesDir, to.expected)).map((p) => `${pair.name}: ${p}`);
}
