// A header-mapped action table: any table whose header names its columns in words
// the synonym table knows (settings.HEADER_ROLES: "What we will do", "Who", "By when",
// "What does success look like", "RAG"...). Areas and objectives are full-width rows
// inside the table ("Improvement area 1: ...", "Objective 1.1 ...") or headings above
// it; status words become ratings through settings.RATING_WORDS.
import type { Action, BBox, Objective } from '../../../schemas/index.js';
import { splitLeads, splitPartners } from '../../normalise.js';
import { provenanceOf } from '../builder.js';
import { cellRaw, cellText, ratingOfWords } from '../cells.js';
import { depthOf, leadingRef, parentRefOf, undottedRef, type ParseContext } from '../context.js';
import type { LogicalTable, Row } from '../reading.js';
import { isAreaHeading, ratingColumnOf } from '../settings.js';
import { dueOf } from './dates.js';
import { columnsWith, has, type Profile } from './profile.js';

/** Items of a cell that lists them with bullets (or one item a line when every line is short). */
export function listItems(text: string): string[] {
  const parts = text.split(/\s*(?:^|\s)[\u2022\u25cf\u25aa\u2023\u2043\u25e6]\s+/).map((s) => s.trim()).filter(Boolean);
  return parts;
}

/** The box of a row's cell in a column, or of the row's first cell when that column has none (damaged tables). */
function boxOf(row: Row, col: number | undefined): BBox {
  const cell = (col === undefined ? null : row.cells[col]) ?? row.cells.find((c) => c) ?? null;
  return cell ? cell.bbox : [0, 0, 0, 0];
}

export const headerMapped: Profile = {
  name: 'header-mapped-table',
  detect(t) {
    if (!has(t, 'action') || !(has(t, 'lead') || has(t, 'due')) || !(has(t, 'ref') || has(t, 'measures') || has(t, 'rating') || has(t, 'progressNote'))) return null;
    const named = t.header.map((h, i) => (t.roles[i] ? `${h} -> ${t.roles[i]}` : null)).filter(Boolean);
    return `header names its columns: ${named.join('; ')}`;
  },
  read(t: LogicalTable, ctx: ParseContext) {
    const col = (r: Parameters<typeof columnsWith>[1]) => columnsWith(t, r)[0];
    const [refCol, actionCol, leadCol, partnerCol, dueCol, measureCol, noteCol] = [col('ref'), col('action'), col('lead'), col('partners'), col('due'), col('measures'), col('progressNote')];
    const ratingCols = columnsWith(t, 'rating');
    let objective: Objective | null = null;
    let action: Action | null = null;
    let unnumbered = 0;
    const text = (row: Row, c: number | undefined) => (c === undefined || !row.starts[c] ? '' : cellText(row.cells[c] ?? null));
    for (const row of t.rows) {
      // Columns whose cell starts here and has text, one entry per cell (a spanning cell covers several columns).
      const filled = row.cells.map((c, i) => (c && row.starts[i] && cellText(c) && row.cells.indexOf(c) === i ? i : -1)).filter((i) => i >= 0);
      const firstCell = row.cells[filled[0] ?? 0] ?? null;
      const firstText = cellText(firstCell);
      // A full-width row: one text across the table, an area or an objective heading.
      if (filled.length === 1 && firstCell && (firstCell.colSpan >= 2 || filled[0] === 0) && !leadingRef(firstText)?.kind.startsWith('dotted')) {
        if (isAreaHeading(firstText)) {
          ctx.openArea(firstText, row.page, firstCell.bbox);
          ctx.currentArea();
          objective = null;
          continue;
        }
        const r = leadingRef(firstText);
        if (r?.kind === 'objective') {
          const area = ctx.currentArea(r.value);
          if (!area) continue;
          const ref = r.value.includes('.') || /^[A-Z]/.test(r.value) ? r.value : `${area.ref}.${r.value}`;
          objective = ctx.b.objective(area, ref, r.printed, r.rest, cellRaw(firstCell).slice(r.printed.length).trim(), provenanceOf(row.page, firstCell.bbox));
          unnumbered = 0;
          continue;
        }
      }
      const refText = text(row, refCol);
      const actText = text(row, actionCol);
      const printed = leadingRef(refText || actText);
      // The objective a dotless reference may belong to: this table's, or the last one read (a table continued on a new page).
      const ref = printed?.kind === 'dotted' ? printed.value : undottedRef(refText, (objective ?? ctx.currentArea()?.objectives.at(-1))?.ref);
      // A row with a number of objective depth and a title, and nothing else, is an objective.
      if (ref && depthOf(ref) === 2 && !text(row, leadCol) && !text(row, dueCol) && !text(row, measureCol)) {
        const area = ctx.currentArea(ref);
        if (!area) continue;
        objective = ctx.b.objective(area, ref, printed!.printed, refText ? actText : printed!.rest, actText, provenanceOf(row.page, boxOf(row, actionCol)));
        continue;
      }
      if (!actText && !refText) {
        // Cells a page break split: the rest of the action above.
        if (row.continued && action) {
          for (const m of listItems(text(row, measureCol))) ctx.b.measure(action, { ref: `${action.ref}/${action.measures.length + 1}`, displayRef: '', text: m, rawText: m, provenance: provenanceOf(row.page, boxOf(row, measureCol)), due: null, ratings: {} });
        }
        continue;
      }
      if (row.continued && action && !ref && /^[a-z]/.test(actText)) {
        action.text = `${action.text} ${actText}`;
        continue;
      }
      const area = ctx.currentArea(ref ?? undefined);
      if (!area) {
        ctx.b.warn('no-area', `page ${row.page}: an action ("${actText.slice(0, 50)}") comes before any area heading`, row.page);
        continue;
      }
      if (ref && (!objective || parentRefOf(ref) !== objective.ref)) {
        const objRef = parentRefOf(ref);
        objective = ctx.b.findObjective(objRef) ?? ctx.b.objective(area, objRef, '', '', '', provenanceOf(row.page, boxOf(row, actionCol), 0.8));
      }
      objective ??= ctx.b.objective(area, `${area.ref}.1`, '', '', '', provenanceOf(row.page, boxOf(row, actionCol), 0.6));
      const ratings: Action['ratings'] = {};
      let note: string | null = text(row, noteCol) || null;
      for (const rc of ratingCols) {
        const cell = row.cells[rc];
        const words = text(row, rc);
        const key = ratingColumnOf(t.header[rc] ?? '');
        const byWords = words ? ratingOfWords(words) : null;
        const byFill = ctx.rateFill(cell?.fill ?? null);
        if (byWords) ratings[key] = { value: byWords, source: `word ${words}` };
        else if (byFill && !words) ratings[key] = { value: byFill, source: `fill ${cell!.fill}` };
        // The status words are the progress the document reports.
        if (words && !note) note = words;
      }
      const leads = text(row, leadCol);
      const partners = text(row, partnerCol);
      const due = text(row, dueCol);
      action = ctx.b.action(objective, {
        ref: ref ?? `${objective.ref}#${++unnumbered}`,
        displayRef: ref ? (refText || printed!.printed) : '',
        text: refText ? actText : ref ? printed!.rest : actText,
        rawText: cellRaw(row.cells[actionCol!] ?? null),
        provenance: provenanceOf(row.page, boxOf(row, actionCol), ref ? 1 : 0.8),
        leads: (leads ? splitLeads(leads) : []).map((code) => ({ code, name: null })),
        partners: partners ? splitPartners(partners) : [],
        due: due ? dueOf(due) : null,
        ratings,
        progressNote: note,
      });
      if (measureCol !== undefined && row.starts[measureCol]) {
        for (const m of listItems(text(row, measureCol)))
          ctx.b.measure(action, { ref: `${action.ref}/${action.measures.length + 1}`, displayRef: '', text: m, rawText: m, provenance: provenanceOf(row.page, boxOf(row, measureCol)), due: null, ratings: {} });
      }
    }
  },
};
