// Field-structured plans and priority pages (Southend, Kent, Hertfordshire): actions
// as repeated blocks under area headings ("Recommendation 3", "Area of weakness 1"),
// each a set of labelled fields ("What we will do:", "Lead:", "By when:", "What we
// will see:") printed as paragraphs and bullets or as two-column label/value tables.
// A label that repeats starts the next block; an action label followed by a bullet
// list makes each bullet an action; "Progress:" under a bullet is that action's note.
// Plans that print no objectives get one per area, `<area>.1`, titled as the area.
import type { Action, BBox, Objective } from '../../../schemas/index.js';
import type { TextLine } from '../../layout/index.js';
import { splitLeads, splitPartners, normaliseText, joinLines } from '../../normalise.js';
import { provenanceOf } from '../builder.js';
import { boxOfLines, cellText } from '../cells.js';
import type { ParseContext } from '../context.js';
import type { Block } from '../reading.js';
import { isAreaHeading, BULLET, fieldRoleOf, type FieldRole } from '../settings.js';
import { dueOf } from './dates.js';
import { listItems } from './header-mapped.js';

/** One unit of a field-structured page: a heading, a labelled field, a list item or a paragraph. */
export type Item =
  | { kind: 'heading'; text: string; page: number; bbox: BBox; size: number }
  | { kind: 'field'; label: string; role: FieldRole | null; value: string; page: number; bbox: BBox; x: number }
  | { kind: 'bullet'; text: string; page: number; bbox: BBox; x: number }
  | { kind: 'text'; text: string; page: number; bbox: BBox; x: number; size: number };

const LABEL_AT_START = /^([A-Z][A-Za-z' ]{1,40}?):\s*(.*)$/;
/** Lines of one heading differ in size by less than this share. */
const HEADING_SIZE_TOLERANCE = 0.06;

/** Lines outside tables and label/value tables, turned into items in reading order. */
export function itemsOf(blocks: Block[], body: number, headingScale: number): Item[] {
  const items: Item[] = [];
  let prev: TextLine | null = null;
  let prevPage = 0;
  const append = (l: TextLine) => {
    const last = items[items.length - 1];
    if (last && last.kind !== 'heading') {
      if (last.kind === 'field') last.value = `${last.value}\n${l.text}`;
      else last.text = `${last.text}\n${l.text}`;
      last.bbox = boxOfLines([{ bbox: last.bbox } as TextLine, l]);
    }
  };
  for (const b of blocks) {
    if (b.kind === 'table') {
      // A label/value table: each row whose left cell is a field label is a field.
      const t = b.table;
      if (t.cols !== 2) continue;
      for (let r = 0; r < t.rows; r++) {
        const label = t.cells.find((c) => c.row === r && c.col === 0);
        const value = t.cells.find((c) => c.row === r && c.col === 1);
        const labelText = cellText(label);
        if (!label || !fieldRoleOf(labelText)) continue;
        items.push({ kind: 'field', label: labelText.replace(/:$/, ''), role: fieldRoleOf(labelText), value: value ? value.lines.map((l) => l.text).join('\n') : '', page: b.page, bbox: label.bbox, x: label.bbox[0] });
      }
      prev = null;
      continue;
    }
    const l = b.line;
    if (l.angle !== 0) continue;
    const text = l.text.trim();
    const gap = prev && prevPage === b.page ? prev.bbox[1] - l.bbox[3] : Infinity;
    const close = gap < 0.6 * l.fontSize;
    const lastItem = items[items.length - 1];
    // A heading that wraps continues on the next line at the same size (a scan's sizes vary by a few percent from line to line).
    if (lastItem?.kind === 'heading' && close && Math.abs(lastItem.size - l.fontSize) < HEADING_SIZE_TOLERANCE * lastItem.size) {
      lastItem.text = `${lastItem.text} ${text}`;
    } else if (l.fontSize >= body * headingScale) {
      items.push({ kind: 'heading', text, page: b.page, bbox: l.bbox, size: l.fontSize });
    } else if (BULLET.test(text) && /^[\u2022\u25cf\u25aa\u2023\u2043\u25e6]/.test(text)) {
      items.push({ kind: 'bullet', text: text.replace(BULLET, ''), page: b.page, bbox: l.bbox, x: l.bbox[0] });
    } else {
      const m = LABEL_AT_START.exec(text);
      const role = m ? fieldRoleOf(m[1]!) : fieldRoleOf(text);
      if (m && role) items.push({ kind: 'field', label: m[1]!, role, value: m[2]!, page: b.page, bbox: l.bbox, x: l.bbox[0] });
      else if (!m && role) items.push({ kind: 'field', label: text.replace(/:$/, ''), role, value: '', page: b.page, bbox: l.bbox, x: l.bbox[0] });
      else {
        const last = items[items.length - 1];
        // A line close under the one before, not starting a bullet or a field, continues it.
        if (close && last && last.kind !== 'heading' && l.bbox[0] >= last.bbox[0] - 2) append(l);
        else items.push({ kind: 'text', text, page: b.page, bbox: l.bbox, x: l.bbox[0], size: l.fontSize });
      }
    }
    prev = l;
    prevPage = b.page;
  }
  return items;
}

const clean = (s: string) => normaliseText(joinLines(s.split('\n')));

/** Whether a page's items look field-structured: labelled fields the synonym table knows, repeated. */
export function fieldEvidence(items: Item[]): string | null {
  const fields = items.flatMap((i) => (i.kind === 'field' && i.role ? [{ label: i.label, role: i.role }] : i.kind === 'heading' && fieldRoleOf(i.text) ? [{ label: i.text, role: fieldRoleOf(i.text)! }] : []));
  const labels = new Set(fields.map((f) => f.label.toLowerCase()));
  const hasAction = fields.some((f) => f.role === 'action');
  const areas = items.filter((i) => i.kind === 'heading' && isAreaHeading(i.text)).length;
  if (!hasAction || labels.size < 1 || !areas) return null;
  return `${areas} area headings and labelled fields (${[...labels].slice(0, 6).join(', ')})`;
}

export function readFields(items: Item[], ctx: ParseContext): void {
  let objective: Objective | null = null;
  let block: { action: Action | null; seen: Set<string>; pendingTitle: boolean } = { action: null, seen: new Set(), pendingTitle: false };
  let startLabel: string | null = null;
  // What a bullet list under the last label holds (kept in an object: handleField below changes it).
  const list: { target: { kind: 'actions' } | { kind: 'measures'; of: 'action' | 'objective' } | null } = { target: null };
  let lastBulletAction: Action | null = null;
  let unnumbered = 0;
  let areaTitlePending = false;
  let areaTitleAt: { page: number; bbox: BBox } | null = null;

  const ensureObjective = (page: number, bbox: BBox): Objective | null => {
    const area = ctx.currentArea();
    if (!area) return null;
    if (!objective || objective.parent !== area.ref) {
      objective = ctx.b.findObjective(`${area.ref}.1`) ?? ctx.b.objective(area, `${area.ref}.1`, '', area.text, area.rawText, provenanceOf(page, bbox, 0.8));
      unnumbered = 0;
    }
    return objective;
  };
  const newAction = (text: string, page: number, bbox: BBox): Action | null => {
    const obj = ensureObjective(page, bbox);
    if (!obj) return null;
    return ctx.b.action(obj, { ref: `${obj.ref}#${++unnumbered}`, displayRef: '', text, rawText: text, provenance: provenanceOf(page, bbox, 0.9), leads: [], partners: [], due: null, ratings: {}, progressNote: null });
  };
  const blockAction = (page: number, bbox: BBox): Action | null => {
    if (!block.action) block.action = newAction('', page, bbox);
    return block.action;
  };
  const addMeasure = (owner: Action | Objective, text: string, page: number, bbox: BBox) =>
    ctx.b.measure(owner, { ref: `${owner.ref}/${owner.measures.length + 1}`, displayRef: '', text, rawText: text, provenance: provenanceOf(page, bbox), due: null, ratings: {} });

  for (const item of items) {
    if (item.kind === 'heading') {
      if (isAreaHeading(item.text)) {
        ctx.openArea(item.text, item.page, item.bbox);
        const area = ctx.currentArea();
        objective = null;
        block = { action: null, seen: new Set(), pendingTitle: false };
        list.target = null;
        lastBulletAction = null;
        // "Recommendation 1" alone: its statement is the paragraph that follows.
        areaTitlePending = !!area && !area.text;
        areaTitleAt = { page: item.page, bbox: item.bbox };
      } else if (areaTitlePending && ctx.currentArea()) {
        // The area's statement, set large under its number.
        const area = ctx.currentArea()!;
        area.text = clean(item.text);
        area.rawText = `${area.rawText} ${item.text}`.trim();
        areaTitlePending = false;
      } else if (fieldRoleOf(item.text)) {
        // A field label set as a heading ("What we are doing").
        handleField({ kind: 'field', label: item.text, role: fieldRoleOf(item.text), value: '', page: item.page, bbox: item.bbox, x: item.bbox[0] });
      } else list.target = null;
      continue;
    }
    if (item.kind === 'text') {
      const area = ctx.currentArea();
      if (areaTitlePending && area) {
        area.text = clean(item.text);
        area.rawText = `${area.rawText} ${item.text.replace(/\n/g, ' ')}`.trim();
        areaTitlePending = false;
        void areaTitleAt;
        continue;
      }
      // A paragraph under a measures list with no bullets is a single measure.
      if (list.target?.kind === 'measures' && block.action && list.target.of === 'action' && !block.action.measures.length) addMeasure(block.action, clean(item.text), item.page, item.bbox);
      continue;
    }
    if (item.kind === 'bullet') {
      areaTitlePending = false;
      const text = clean(item.text);
      if (list.target?.kind === 'actions') lastBulletAction = newAction(text, item.page, item.bbox);
      else if (list.target?.kind === 'measures') {
        const owner = list.target.of === 'action' ? block.action : ensureObjective(item.page, item.bbox);
        if (owner) addMeasure(owner, text, item.page, item.bbox);
      }
      continue;
    }
    handleField(item);
  }

  function handleField(item: Extract<Item, { kind: 'field' }>): void {
    areaTitlePending = false;
    const key = item.label.toLowerCase();
    const value = clean(item.value);
    // Indented "Progress:" under a bullet action: that action's note.
    if (item.role === 'progressNote' && value && lastBulletAction && list.target?.kind === 'actions') {
      lastBulletAction.progressNote = value;
      return;
    }
    if (block.seen.has(key) || (startLabel !== null && key === startLabel && block.seen.size > 0)) {
      block = { action: null, seen: new Set(), pendingTitle: false };
    }
    if (!block.seen.size && startLabel === null) startLabel = key;
    block.seen.add(key);
    list.target = null;
    switch (item.role) {
      case 'action':
        if (value) {
          const a = blockAction(item.page, item.bbox);
          if (a) {
            a.text = a.text ? `${a.text} ${value}` : value;
            a.rawText = a.text;
            a.provenance = provenanceOf(item.page, item.bbox, 0.9);
          }
        } else {
          list.target = { kind: 'actions' };
          lastBulletAction = null;
        }
        break;
      case 'progressNote':
        if (value) {
          const a = blockAction(item.page, item.bbox);
          if (a) a.progressNote = value;
        } else list.target = { kind: 'measures', of: 'objective' };
        break;
      case 'measures': {
        const a = blockAction(item.page, item.bbox);
        // A value that lists items with bullets (a label/value table cell) gives a measure per item.
        if (value && a) for (const m of listItems(value)) addMeasure(a, m, item.page, item.bbox);
        else list.target = { kind: 'measures', of: 'action' };
        break;
      }
      case 'lead': {
        const a = blockAction(item.page, item.bbox);
        if (a && value) a.leads = splitLeads(value).map((code) => ({ code, name: null }));
        break;
      }
      case 'partners': {
        const a = blockAction(item.page, item.bbox);
        if (a && value) a.partners = splitPartners(value);
        break;
      }
      case 'due': {
        const a = blockAction(item.page, item.bbox);
        if (a && value) a.due = dueOf(value);
        break;
      }
      default: {
        const a = blockAction(item.page, item.bbox);
        if (a && value) a.fields = { ...(a.fields ?? {}), [item.label]: value };
      }
    }
  }
}
