// The WSOA summary table (Leicestershire): Area | Focus | Action | Reference | rating
// columns. The area label is rotated in a merged cell that may continue over a page
// break; focus numbers are centred in merged cells, so they print on an action's row
// and sometimes twice: the action refs, not the printed positions, say where each
// action belongs. A row with no reference is an objective's title row.
import { cellRaw, cellText } from '../cells.js';
import { provenanceOf } from '../builder.js';
import { depthOf, leadingRef, parentRefOf, parseAreaLabel, type ParseContext } from '../context.js';
import type { LogicalTable, Row } from '../reading.js';
import { anyCell, columnsWith, fillRatings, has, hasAnyRating, startCell, type Profile } from './profile.js';
import type { TableCell } from '../../layout/index.js';
import type { Area, Objective } from '../../../schemas/index.js';

interface Fragment {
  cell: TableCell;
  page: number;
  rows: Row[];
}

/** Joins area-label fragments: a rotated label read bottom to top starts on the later page of a split cell. */
export function areaLabels(fragments: { text: string; angle: number; page: number }[]): { text: string; members: number[] }[] {
  const labels: { text: string; members: number[] }[] = [];
  const startsLabel = (s: string) => parseAreaLabel(s).ref !== null;
  fragments.forEach((f, i) => {
    const prev = labels[labels.length - 1];
    const prevFrag = fragments[i - 1];
    if (!f.text.trim()) {
      if (prev) prev.members.push(i);
      else labels.push({ text: '', members: [i] });
      return;
    }
    if (prev && prevFrag && prevFrag.page < f.page && f.angle !== 0 && f.angle === prevFrag.angle && startsLabel(f.text) && !startsLabel(prev.text)) {
      // The label's start landed on the later page: it precedes what the earlier page showed.
      prev.text = `${f.text} ${prev.text}`.trim();
      prev.members.push(i);
    } else if (prev && !startsLabel(f.text)) {
      prev.text = `${prev.text} ${f.text}`.trim();
      prev.members.push(i);
    } else labels.push({ text: f.text, members: [i] });
  });
  return labels;
}

export const summaryTable: Profile = {
  name: 'summary-table',
  detect(t) {
    if (!has(t, 'ref', 'action', 'rating') || has(t, 'measures') || has(t, 'lead')) return null;
    return `header has reference, action and rating columns (${t.header.filter(Boolean).join(' | ')})`;
  },
  read(t, ctx) {
    const refCol = columnsWith(t, 'ref')[0]!;
    const actionCol = columnsWith(t, 'action')[0]!;
    const objCol = columnsWith(t, 'objective')[0];
    // The area label sits in the leftmost column when it has no role of its own.
    const areaCol = t.roles[0] === null || t.roles[0] === 'area' ? 0 : undefined;

    // 1. Area label fragments, one per merged cell portion.
    const fragments: Fragment[] = [];
    for (const row of t.rows) {
      const c = startCell(row, areaCol);
      if (c) fragments.push({ cell: c, page: row.page, rows: [row] });
      else fragments[fragments.length - 1]?.rows.push(row);
    }
    const labels = areaLabels(fragments.map((f) => ({ text: cellRaw(f.cell), angle: f.cell.angle, page: f.page })));
    const areaOfRow = new Map<Row, Area | null>();
    for (const label of labels) {
      const first = fragments[label.members[0]!]!;
      let area: Area | null = null;
      if (label.text.trim()) {
        ctx.openArea(label.text, first.page, first.cell.bbox);
        area = ctx.currentArea();
      } else area = ctx.currentArea();
      for (const m of label.members) for (const r of fragments[m]!.rows) areaOfRow.set(r, area);
    }

    // 2. Rows: actions where a reference of the table's action depth is printed, titles elsewhere.
    const refs = t.rows.map((r) => leadingRef(cellText(startCell(r, refCol)))).filter((r) => r?.kind === 'dotted');
    const depths = new Map<number, number>();
    for (const r of refs) depths.set(depthOf(r!.value), (depths.get(depthOf(r!.value)) ?? 0) + 1);
    const actionDepth = [...depths.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 3;

    let pendingTitle: { text: string; raw: string; row: Row; cell: TableCell } | null = null;
    let objective: Objective | null = null;
    let unnumbered = 0;
    const focusNumber = (row: Row) => {
      const r = leadingRef(cellText(anyCell(row, objCol)));
      return r?.kind === 'dotted' ? r.value : null;
    };
    const flushTitle = (ref: string | null, area: Area | null) => {
      if (!pendingTitle || !area) return;
      const p = pendingTitle;
      pendingTitle = null;
      const objRef = ref ?? focusNumber(p.row);
      if (!objRef) {
        ctx.b.warn('unplaced-title', `page ${p.row.page}: a title row ("${p.text.slice(0, 60)}") has no reference and no action under it`, p.row.page);
        return;
      }
      objective = ctx.b.objective(area, objRef, focusNumber(p.row) ?? objRef, p.text, p.raw, provenanceOf(p.row.page, p.cell.bbox));
      unnumbered = 0;
    };
    for (const row of t.rows) {
      const area = areaOfRow.get(row) ?? ctx.currentArea();
      const actionCell = startCell(row, actionCol);
      const text = cellText(actionCell);
      const refText = cellText(startCell(row, refCol));
      const ref = leadingRef(refText);
      const ratings = fillRatings(t, row, ctx.rateFill);
      if (!area) {
        if (text) ctx.b.warn('no-area', `page ${row.page}: a row ("${text.slice(0, 50)}") comes before any area label`, row.page);
        continue;
      }
      if (ref?.kind === 'dotted' && depthOf(ref.value) === actionDepth && actionCell) {
        const objRef = parentRefOf(ref.value);
        flushTitle(objRef, area);
        objective = ctx.b.findObjective(objRef) ?? ctx.b.objective(area, objRef, focusNumber(row) ?? objRef, '', '', provenanceOf(row.page, anyCell(row, objCol)?.bbox ?? actionCell.bbox));
        ctx.b.action(objective, {
          ref: ref.value,
          displayRef: refText,
          text,
          rawText: cellRaw(actionCell),
          provenance: provenanceOf(row.page, actionCell.bbox),
          leads: [],
          partners: [],
          due: null,
          ratings,
          progressNote: null,
        });
      } else if (text && hasAnyRating(ratings) && (objective || pendingTitle)) {
        // A rated row with no reference is an action the document did not number.
        flushTitle(null, area);
        const obj = objective as Objective | null;
        if (!obj) continue;
        ctx.b.action(obj, {
          ref: `${obj.ref}#${++unnumbered}`,
          displayRef: '',
          text,
          rawText: cellRaw(actionCell),
          provenance: provenanceOf(row.page, actionCell!.bbox, 0.8),
          leads: [],
          partners: [],
          due: null,
          ratings,
          progressNote: null,
        });
      } else if (text) {
        flushTitle(null, area);
        pendingTitle = { text, raw: cellRaw(actionCell), row, cell: actionCell! };
      }
    }
    flushTitle(null, ctx.currentArea());
  },
};
