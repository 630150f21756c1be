// The sub finding plan (Leicester City): Sub finding | Action (roman numerals) | Lead |
// Evidence of success | Target date | Evidence of progress | status column. Several
// measures per action, their target dates aligned beside them; rows split by a page
// break continue at the top of the next page.
import type { Action, Objective } from '../../../schemas/index.js';
import { parseDue, splitLeads } from '../../normalise.js';
import { provenanceOf } from '../builder.js';
import { boxOfLines, cellRaw, cellText, paragraphText, paragraphsOf } from '../cells.js';
import { leadingRef, nextRomanNumeral, romanLookalikeRef, type ParseContext } from '../context.js';
import type { LogicalTable, Row } from '../reading.js';
import { columnsWith, fillRatings, has, startCell, type Profile } from './profile.js';
import type { TextLine } from '../../layout/index.js';
import { dueOf, joinDues } from './dates.js';

export const subFinding: Profile = {
  name: 'sub-finding-plan',
  detect(t) {
    if (!has(t, 'objective', 'action', 'lead', 'measures', 'due')) return null;
    return `header has sub finding, action, lead, evidence and date columns (${t.header.filter(Boolean).join(' | ')})`;
  },
  read(t: LogicalTable, ctx: ParseContext) {
    const col = (r: Parameters<typeof columnsWith>[1]) => columnsWith(t, r)[0];
    const [objCol, actionCol, leadCol, measureCol, dueCol, noteCol] = [col('objective'), col('action'), col('lead'), col('measures'), col('due'), col('progressNote')];
    let objective: Objective | null = null;
    let action: Action | null = null;
    let unnumbered = 0;
    // Whether this table numbers its actions in roman numerals: then a scan's "1." is a misread "i.".
    const actionRefs = t.rows.map((row) => leadingRef(cellText(startCell(row, actionCol))));
    const romanActions = actionRefs.filter((r) => r?.kind === 'roman').length > actionRefs.filter((r) => r?.kind === 'number').length;
    // Per action: measure paragraphs and date paragraphs as printed, aligned at the end.
    const pending = new Map<Action, { measures: { lines: TextLine[]; page: number }[]; dates: { lines: TextLine[]; page: number }[]; notes: string[] }>();
    const collect = (a: Action, row: Row, continued: boolean) => {
      const p = pending.get(a) ?? { measures: [], dates: [], notes: [] };
      pending.set(a, p);
      const m = row.cells[measureCol!];
      const d = row.cells[dueCol!];
      const paras = m ? paragraphsOf(m.lines) : [];
      // A measure cut by the page break goes on with the first paragraph of the next page.
      if (continued && paras.length && p.measures.length && !/^[A-Z]/.test(paragraphText(paras[0]!))) {
        p.measures[p.measures.length - 1]!.lines.push(...paras.shift()!);
      }
      for (const lines of paras) p.measures.push({ lines, page: row.page });
      const dates = d ? paragraphsOf(d.lines) : [];
      // A date cut by the page break ("First report in Jan" / "2019") goes on with the next page's first line.
      const lastDate = p.dates[p.dates.length - 1];
      if (continued && dates.length && lastDate && !dueOf(paragraphText(lastDate.lines))?.end) lastDate.lines.push(...dates.shift()!);
      for (const lines of dates) p.dates.push({ lines, page: row.page });
      const note = cellText(noteCol === undefined ? null : row.cells[noteCol]);
      if (note) p.notes.push(note);
    };
    for (const row of t.rows) {
      const area = ctx.currentArea();
      if (!area) continue;
      const objCell = startCell(row, objCol);
      const objText = cellText(objCell);
      if (objCell && objText) {
        const r = leadingRef(objText);
        const n = r && (r.kind === 'number' || r.kind === 'dotted') ? r.value.split('.').pop()! : String(area.objectives.length + 1);
        objective = ctx.b.objective(area, `${area.ref}.${n}`, r?.printed ?? '', r ? r.rest : objText, cellRaw(objCell), provenanceOf(row.page, objCell.bbox));
        unnumbered = 0;
      }
      if (!objective) continue;
      const actionCell = startCell(row, actionCol);
      const text = cellText(actionCell);
      const leadText = cellText(startCell(row, leadCol));
      // The top row of a page whose action cell is empty continues the action a page break split.
      if (!text && row.continued && action) {
        collect(action, row, true);
        continue;
      }
      if (!text) {
        if (action) collect(action, row, false);
        continue;
      }
      const r = leadingRef(text);
      const printed = r && (r.kind === 'roman' || r.kind === 'letter') ? r : null;
      const lookalike = !printed && romanActions ? romanLookalikeRef(text) : null;
      let numeral = printed ?? lookalike;
      if (lookalike) ctx.b.warn('misread-numeral', `page ${row.page}: action number "${lookalike.printed}" read as ${lookalike.value}. (the column numbers its actions in roman numerals)`, row.page, `${objective.ref}.${lookalike.value}`);
      // A scan that drops one stroke of a numeral repeats the one before ("ii." after ii.): take the next.
      const previous = action && action.parent === objective.ref ? /\.([ivx]+)$/.exec(action.ref)?.[1] : undefined;
      if (numeral?.kind === 'roman' && previous === numeral.value && nextRomanNumeral(previous) === `${previous}i`) {
        ctx.b.warn('misread-numeral', `page ${row.page}: action number "${numeral.printed}" follows ${objective.ref}.${previous}; read as ${previous}i.`, row.page, `${objective.ref}.${previous}i`);
        numeral = { ...numeral, value: `${previous}i` };
      }
      // Without a numeral, starting in lower case or without a lead of its own, the top row of a page
      // is the rest of the action the page break split.
      if (row.continued && action && !numeral && (/^[a-z]/.test(text) || !leadText)) {
        action.text = `${action.text} ${text}`;
        collect(action, row, true);
        continue;
      }
      const ref = numeral ? `${objective.ref}.${numeral.value}` : `${objective.ref}#${++unnumbered}`;
      const leads = leadText ? splitLeads(leadText) : [];
      action = ctx.b.action(objective, {
        ref,
        displayRef: numeral?.printed ?? '',
        text: numeral ? numeral.rest : text,
        rawText: cellRaw(actionCell),
        provenance: provenanceOf(row.page, actionCell!.bbox, numeral ? 1 : 0.8),
        leads: leads.map((code) => ({ code, name: null })),
        partners: [],
        due: null,
        ratings: fillRatings(t, row, ctx.rateFill),
        progressNote: null,
      });
      collect(action, row, false);
    }
    // Measures with the dates printed beside them.
    for (const [a, p] of pending) {
      const dates = p.dates.map((d) => ({ ...d, due: dueOf(paragraphText(d.lines)) }));
      a.progressNote = p.notes.length ? p.notes.join(' ') : null;
      p.measures.forEach((m, i) => {
        const top = Math.max(...m.lines.map((l) => l.bbox[3]));
        const beside = dates.length > 1 ? dates.find((d) => d.page === m.page && Math.abs(Math.max(...d.lines.map((l) => l.bbox[3])) - top) < 6) : undefined;
        ctx.b.measure(a, {
          ref: `${a.ref}/${i + 1}`,
          displayRef: '',
          text: paragraphText(m.lines),
          rawText: m.lines.map((l) => l.text).join(' '),
          provenance: provenanceOf(m.page, boxOfLines(m.lines)),
          due: beside?.due ?? null,
          ratings: {},
        });
      });
      a.due = joinDues(dates.map((d) => d.due));
    }
    void parseDue;
  },
};
