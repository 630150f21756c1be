// "BRAG on a page" (Warwickshire): Area | Action Ref | Action Description | Measures |
// Progress | Impact. One row per measure; the ref and description are merged down the
// action's measure rows; ratings are bare fills, one per measure. The document's
// "actions" (1.1) print no row of their own: the sub-action refs imply them.
import type { Action, Area } from '../../../schemas/index.js';
import { provenanceOf } from '../builder.js';
import { cellRaw, cellText } from '../cells.js';
import { leadingRef, parentRefOf, type ParseContext } from '../context.js';
import type { LogicalTable } from '../reading.js';
import { columnsWith, fillRatings, has, hasAnyRating, startCell, type Profile } from './profile.js';

export const brag: Profile = {
  name: 'brag-on-a-page',
  detect(t) {
    if (!has(t, 'ref', 'action', 'measures', 'rating') || has(t, 'lead')) return null;
    return `header has ref, description, measures and rating columns (${t.header.filter(Boolean).join(' | ')})`;
  },
  read(t: LogicalTable, ctx: ParseContext) {
    const refCol = columnsWith(t, 'ref')[0]!;
    const actionCol = columnsWith(t, 'action')[0]!;
    const measureCol = columnsWith(t, 'measures')[0]!;
    const areaCol = t.roles[0] === null || t.roles[0] === 'area' ? 0 : undefined;
    let area: Area | null = null;
    let action: Action | null = null;
    for (const row of t.rows) {
      const areaCell = startCell(row, areaCol);
      const areaText = cellRaw(areaCell).trim();
      if (areaCell && areaText) {
        ctx.openArea(areaText, row.page, areaCell.bbox);
        area = ctx.currentArea();
      } else area = area ?? ctx.currentArea();
      if (!area) continue;
      const refCell = startCell(row, refCol);
      const ref = leadingRef(cellText(refCell));
      if (refCell && ref?.kind === 'dotted') {
        const objRef = parentRefOf(ref.value);
        const objective = ctx.b.findObjective(objRef) ?? ctx.b.objective(area, objRef, objRef, '', '', provenanceOf(row.page, refCell.bbox, 0.9));
        const desc = startCell(row, actionCol);
        action = ctx.b.action(objective, {
          ref: ref.value,
          displayRef: cellText(refCell),
          text: cellText(desc),
          rawText: cellRaw(desc),
          provenance: provenanceOf(row.page, desc?.bbox ?? refCell.bbox),
          leads: [],
          partners: [],
          due: null,
          ratings: {},
          progressNote: null,
        });
      } else if (refCell && cellText(refCell)) {
        ctx.b.warn('unreadable-ref', `page ${row.page}: "${cellText(refCell)}" is not a reference`, row.page);
      }
      if (!action) continue;
      const ratings = fillRatings(t, row, ctx.rateFill);
      const mCell = startCell(row, measureCol);
      const mText = cellText(mCell);
      if (mCell && mText) {
        const n = leadingRef(mText);
        const number = n && (n.kind === 'number' || n.kind === 'letter') ? n.value : /^\d+$/.test(mText) ? mText : String(action.measures.length + 1);
        const text = n && (n.kind === 'number' || n.kind === 'letter') ? n.rest : /^\d+$/.test(mText) ? '' : mText;
        ctx.b.measure(action, {
          ref: `${action.ref}/${number}`,
          displayRef: /^\d+$/.test(mText) ? mText : n?.printed ?? '',
          text,
          rawText: cellRaw(mCell),
          provenance: provenanceOf(row.page, mCell.bbox),
          due: null,
          ratings,
        });
      } else if (hasAnyRating(ratings) && !action.measures.length) action.ratings = ratings;
    }
  },
};
