// The diff reports a person reads: Markdown and one self-contained HTML page, rendered from
// the fixtures' expected diffs, then opened in a real (headless) browser.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { DiffDocument } from '../schemas/index.js';
import { readManifest } from '../pipeline/fixture-check.js';
import { CHANGE_ORDER, RATING_COLOURS, areaOf, diffCounts, diffHtml, diffMarkdown, slipText } from '../pipeline/report-html.js';

const dir = path.resolve(import.meta.dirname, '../fixtures');
const manifest = readManifest(dir);
const pair = (name: string) => manifest.pairs.find((p) => p.name === name)!;
const diffOf = (name: string) => DiffDocument.parse(JSON.parse(readFileSync(path.join(dir, pair(name).diff), 'utf8')));

const cases = [
  {
    name: '001-warwickshire--v2',
    unchanged: 61,
    // 2.3.3 -> 2.3.2: "Develop an agreement for scoring ..." became "Develop an agreed process for scoring ...".
    redline: 'Develop an <del>agreement</del><ins>agreed process</ins> for scoring commissioned services',
    reworded: { ref: '2.3.3 → 2.3.2', before: 'agreement', after: 'agreed process' },
  },
  {
    name: '003-leicester-city--v2',
    unchanged: 157,
    redline: 'Where Early Help is leading the social care input<del> we will</del><ins>,</ins> develop a process',
    reworded: { ref: '3.3#2 → 3.3.iv', before: 'we will', after: 'the' },
  },
] as const;

describe.each(cases)('reports of $name', (c) => {
  const diff = diffOf(c.name);
  const expected = pair(c.name);
  const md = diffMarkdown(diff);
  const html = diffHtml(diff);

  it('count what the manifest counts, overall and summed over areas', () => {
    const counts = diffCounts(diff);
    expect(counts.entries).toBe(expected.entries);
    expect(counts.unchanged).toBe(c.unchanged);
    for (const k of CHANGE_ORDER) {
      expect(counts.changes[k]).toBe(expected.changes[k] ?? 0);
      expect(counts.areas.reduce((n, a) => n + a.changes[k], 0)).toBe(counts.changes[k]);
    }
    expect(counts.areas.map((a) => a.area)).toEqual([...new Set(diff.entries.map((e) => areaOf(e.newRef ?? e.oldRef!)))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })));
  });

  it('Markdown holds the counts by change and a redline of a reworded entry', () => {
    expect(md).toContain(`${expected.entries} records compared, ${c.unchanged} unchanged`);
    expect(md).toContain(`| unchanged | ${c.unchanged} |`);
    for (const k of CHANGE_ORDER) expect(md).toContain(`| ${k} | ${expected.changes[k] ?? 0} |`);
    expect(md).toContain(c.redline);
    expect(md).toContain(`**${c.reworded.ref}**`);
  });

  it('HTML holds the counts by change and area and a redline of a reworded entry', () => {
    const foot = html.match(/<tfoot>([\s\S]*?)<\/tfoot>/)![1]!;
    expect(foot).toContain(`data-count="records">${expected.entries}<`);
    expect(foot).toContain(`data-count="unchanged">${c.unchanged}<`);
    for (const k of CHANGE_ORDER) {
      expect(foot).toContain(`data-count="${k}">${expected.changes[k] ?? 0}<`);
      expect(html).toContain(`data-change="${k}"`);
    }
    for (const a of diffCounts(diff).areas) expect(html).toContain(`<th>Area ${a.area}</th>`);
    expect(html).toContain(c.redline);
  });

  it('HTML is self-contained: no scripts, no external assets', () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<(script|link|img|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/\b(src|srcset)=|url\(|@import|https?:\/\//i);
  });
});

describe('report escaping and slips', () => {
  const base = diffOf('001-warwickshire--v2');
  const hostile: DiffDocument = {
    ...base,
    from: { ...base.from, fileName: '<b>old</b>.pdf' },
    entries: [
      {
        kind: 'action',
        oldRef: '1.1.1',
        newRef: '1.1.1',
        changes: ['reworded'],
        score: null,
        signals: [],
        details: { text: { from: 'A & B', to: '<script>alert("x")</script> & co', words: [{ op: '-', text: 'A & B' }, { op: '+', text: '<script>alert("x")</script> & co|*' }] } },
      },
    ],
  };

  it('escapes every text in HTML and Markdown', () => {
    const html = diffHtml(hostile, { title: 'Plan <x> & "y"' });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>old</b>');
    expect(html).toContain('<ins>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co|*</ins>');
    expect(html).toContain('<title>Plan &lt;x&gt; &amp; &quot;y&quot;</title>');
    const md = diffMarkdown(hostile);
    expect(md).not.toContain('<script>');
    expect(md).toContain('<del>A &amp; B</del><ins>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co\\|\\*</ins>');
  });

  it('says which way a due date slipped', () => {
    expect(slipText(90)).toBe('+90 days (later)');
    expect(slipText(-1)).toBe('-1 day (earlier)');
    expect(slipText(0)).toBe('same end date');
    expect(slipText(null)).toBe('days unknown');
  });
});

const CHROMIUM = '/usr/bin/chromium';

// Needs the Debian chromium package (.ci/run installs it); skipped only where it is absent.
describe.skipIf(!existsSync(CHROMIUM))('the HTML report in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  let work: string;
  const requests: string[] = [];

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('request', (r) => requests.push(r.url()));
    work = mkdtempSync(path.join(tmpdir(), 'wsoa-report-'));
  });

  afterAll(async () => {
    await browser?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  // The test project compiles without the DOM lib: the page's getComputedStyle, typed here.
  type Styles = { getComputedStyle(el: unknown): Record<string, string> };
  const style = (l: Locator, prop: string) => l.evaluate((el, p) => (globalThis as unknown as Styles).getComputedStyle(el)[p]!, prop);
  const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

  it.each(cases)('shows the changes of $name', async (c) => {
    const diff = diffOf(c.name);
    const file = path.join(work, `${c.name}.html`);
    writeFileSync(file, diffHtml(diff));
    const url = pathToFileURL(file).href;
    requests.length = 0;
    await page.goto(url);

    const text = await page.locator('body').innerText();
    expect(text).toContain(`${pair(c.name).entries} records compared: ${c.unchanged} unchanged`);
    expect(text).toContain(c.reworded.ref);
    for (const h of ['Reworded', 'Ratings changed', 'Due dates changed', 'Leads changed', 'Renumbered or moved', 'Added', 'Removed']) expect(text).toContain(h);

    // The redline: the old words struck through, the new ones marked as inserted.
    const entry = page.locator('ol.redlines li', { hasText: c.reworded.ref });
    const del = entry.locator('del', { hasText: c.reworded.before }).first();
    expect(await style(del, 'textDecorationLine')).toContain('line-through');
    expect(await entry.locator('ins', { hasText: c.reworded.after }).count()).toBeGreaterThan(0);

    // A rating chip is drawn in its colour.
    const chip = page.locator('#ratings .chip[data-rating="amber"]').first();
    expect(await chip.innerText()).toBe('amber');
    expect(await style(chip, 'backgroundColor')).toBe(rgb(RATING_COLOURS.amber.background));

    const shot = path.join(work, `${c.name}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');

    // Nothing but the page itself was fetched.
    expect(requests).toEqual([url]);
  });

  it('shows due slips, lead changes, moves and a green chip for Leicester City', async () => {
    const file = path.join(work, '003.html');
    writeFileSync(file, diffHtml(diffOf('003-leicester-city--v2')));
    await page.goto(pathToFileURL(file).href);
    const due = await page.locator('#due').innerText();
    expect(due).toContain('+90 days (later)');
    expect(due).toContain('-123 days (earlier)');
    expect(await style(page.locator('#due td.late').first(), 'color')).toBe('rgb(166, 27, 27)');
    const leads = page.locator('#leads tr', { hasText: '4.1.i' });
    expect(await leads.locator('del').innerText()).toBe('MT');
    expect(await leads.locator('ins').innerText()).toBe('SL');
    expect(await page.locator('#renumbered').innerText()).toContain('moved from 4.2 to 4.3');
    const green = page.locator('#ratings .chip[data-rating="green"]').first();
    expect(await style(green, 'backgroundColor')).toBe(rgb(RATING_COLOURS.green.background));
    expect(await page.locator('#added li').count()).toBe(4);
  });
});
