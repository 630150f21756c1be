// The objective / activity plan (Worcestershire): Activity (or Milestones) | Lead |
// Partners | Timeframe | Progress checks. Objective rows span the table ("Objective
// 1.1" + title); a "Milestones" row lists dated milestones of the objective; activity
// rows carry a printed number or none. Progress is printed in words.
import type { Action, Objective, RatingColumn } from '../../../schemas/index.js';
import { splitLeads, splitPartners } from '../../normalise.js';
import { provenanceOf } from '../builder.js';
import { cellRaw, cellText, ratingOfWords } from '../cells.js';
import { depthOf, leadingRef, undottedObjectiveRef, type ParseContext } from '../context.js';
import type { LogicalTable, Row } from '../reading.js';
import { ratingColumnOf } from '../settings.js';
import { dueOf } from './dates.js';
import { columnsWith, has, startCell, type Profile } from './profile.js';

/** "Milestones" rows list items as bullets; each may end in a date after a dash ("... – October 2018"). */
export function milestoneItems(text: string): { text: string; due: string | null }[] {
  return text
    .split(/\s*[\u2022\u25cf\u25aa\u2023\u2043]\s*/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((item) => {
      const dash = Math.max(item.lastIndexOf(' \u2013 '), item.lastIndexOf(' \u2014 '), item.lastIndexOf(' - '));
      if (dash > 0) {
        const tail = item.slice(dash + 3).trim();
        if (dueOf(tail)?.end) return { text: item.slice(0, dash).trim(), due: tail };
      }
      return { text: item, due: null };
    });
}

export const objectiveActivity: Profile = {
  name: 'objective-activity-plan',
  detect(t) {
    if (!has(t, 'action', 'lead', 'due') || has(t, 'objective') || has(t, 'measures')) return null;
    return `header has activity, lead and timeframe columns (${t.header.filter(Boolean).join(' | ')})`;
  },
  read(t: LogicalTable, ctx: ParseContext) {
    const col = (r: Parameters<typeof columnsWith>[1]) => columnsWith(t, r)[0];
    const [actionCol, leadCol, partnerCol, dueCol, noteCol] = [col('action'), col('lead'), col('partners'), col('due'), col('progressNote')];
    const ratingKey: RatingColumn = noteCol !== undefined ? ratingColumnOf(t.header[noteCol] ?? 'progress') : 'progress';
    let objective: Objective | null = null;
    let action: Action | null = null;
    let unnumbered = 0;
    const text = (row: Row, c: number | undefined) => cellText(startCell(row, c));
    for (const row of t.rows) {
      const first = startCell(row, actionCol);
      const firstText = cellText(first);
      // A cell spanning the rest of the row: objective titles and milestone lists.
      const spanning = first && row.cells[actionCol! + 1] && row.cells[actionCol! + 1]!.colSpan >= t.roles.length - actionCol! - 1 && t.roles.length - actionCol! - 1 > 1 ? row.cells[actionCol! + 1]! : null;
      const objRef = leadingRef(firstText);
      if (objRef?.kind === 'objective') {
        const area = ctx.currentArea(objRef.value);
        if (!area) continue;
        const undotted = undottedObjectiveRef(objRef.value, area);
        if (undotted) ctx.b.warn('misread-numeral', `page ${row.page}: "${objRef.printed}" read as objective ${undotted} (its dot lost)`, row.page, undotted);
        const ref = undotted ?? (/^[A-Z]/.test(objRef.value) || objRef.value.includes('.') ? objRef.value : `${area.ref}.${objRef.value}`);
        const title = spanning ? cellText(spanning) : objRef.rest;
        objective = ctx.b.objective(area, ref, firstText.replace(/\s+/g, ' ').slice(0, objRef.printed.length), title, spanning ? cellRaw(spanning) : objRef.rest, provenanceOf(row.page, first!.bbox));
        action = null;
        unnumbered = 0;
        continue;
      }
      if (/^milestones?$/i.test(firstText) && spanning) {
        if (!objective) continue;
        for (const item of milestoneItems(cellText(spanning))) {
          ctx.b.measure(objective, {
            ref: `${objective.ref}/${objective.measures.length + 1}`,
            displayRef: '',
            text: item.text,
            rawText: item.text,
            provenance: provenanceOf(row.page, spanning.bbox),
            due: item.due ? dueOf(item.due) : null,
            ratings: {},
          });
        }
        continue;
      }
      if (!objective) continue;
      const leadText = text(row, leadCol);
      const partnerText = text(row, partnerCol);
      const dueText = text(row, dueCol);
      const note = text(row, noteCol);
      // The first row of a page goes on with the row a page break split when it has no number of its own and
      // starts in lower case, or carries no lead, partners or timeframe of its own.
      const printedRef = leadingRef(firstText);
      const noNumber = !printedRef || printedRef.kind !== 'dotted';
      if (row.continued && action && noNumber && (!firstText || /^[a-z(]/.test(firstText) || (!leadText && !partnerText && !dueText))) {
        if (firstText) action.text = `${action.text} ${firstText}`;
        if (leadText) action.leads.push(...splitLeads(leadText).map((code) => ({ code, name: null })));
        if (partnerText) action.partners.push(...splitPartners(partnerText));
        if (note) action.progressNote = action.progressNote ? `${action.progressNote} ${note}` : note;
        if (dueText) action.due = dueOf(action.due ? `${action.due.text} ${dueText}` : dueText);
        const r = ratingOfWords(action.progressNote ?? '');
        if (r) action.ratings[ratingKey] = { value: r, source: `word ${action.progressNote}` };
        continue;
      }
      if (!firstText) continue;
      const ref = leadingRef(firstText);
      const numbered = ref?.kind === 'dotted' && depthOf(ref.value) >= 2 && (ref.value.startsWith(`${objective.ref}.`) || ref.value.startsWith(`${objective.parent}.`));
      const progress = ratingOfWords(note);
      action = ctx.b.action(objective, {
        ref: numbered ? ref!.value : `${objective.ref}#${++unnumbered}`,
        displayRef: numbered ? ref!.printed : '',
        text: numbered ? ref!.rest : firstText,
        rawText: cellRaw(first),
        provenance: provenanceOf(row.page, first!.bbox, numbered ? 1 : 0.8),
        leads: (leadText ? splitLeads(leadText) : []).map((code) => ({ code, name: null })),
        partners: partnerText ? splitPartners(partnerText) : [],
        due: dueText ? dueOf(dueText) : null,
        ratings: progress ? { [ratingKey]: { value: progress, source: `word ${note}` } } : {},
        progressNote: note || null,
      });
    }
  },
};
