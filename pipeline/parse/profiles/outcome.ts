// OUTCOME / IMPACT INDICATORS tables (Worcestershire): a two-column table with no
// header whose left column names the row; the indicators, lettered or numbered, are
// the area's measures.
import { provenanceOf } from '../builder.js';
import { cellText, paragraphsOf, paragraphText, boxOfLines } from '../cells.js';
import { leadingRef, letterLookalike, type ParseContext } from '../context.js';
import type { LogicalTable } from '../reading.js';
import type { Profile } from './profile.js';

const INDICATOR_LABEL = /^(impact indicators?|success (criteria|measures)|outcome measures?)$/i;

export const outcomeTable: Profile = {
  name: 'impact-indicators',
  detect(t) {
    const labels = t.rows.map((r) => cellText(r.cells[0] ?? null));
    return labels.some((l) => INDICATOR_LABEL.test(l)) ? 'a row is labelled impact indicators' : null;
  },
  read(t: LogicalTable, ctx: ParseContext) {
    const area = ctx.currentArea();
    if (!area) return;
    for (const row of t.rows) {
      if (!INDICATOR_LABEL.test(cellText(row.cells[0] ?? null))) continue;
      const cell = row.cells[1];
      if (!cell) continue;
      let labelled: boolean | null = null;
      for (const para of paragraphsOf(cell.lines, { startsItem: (l) => /^([a-z]|\d{1,2})[.)]\s/i.test(l) })) {
        const text = paragraphText(para);
        const r = leadingRef(text);
        let label = r && (r.kind === 'letter' || r.kind === 'number') ? r : null;
        // In a lettered list, a marker read as a look-alike of the next letter is that letter.
        const previous = area.measures[area.measures.length - 1]?.ref.split('/').pop();
        const expected = label?.kind === 'letter' ? (previous && /^[a-y]$/.test(previous) ? String.fromCharCode(previous.charCodeAt(0) + 1) : 'a') : null;
        const fixed = label && expected ? letterLookalike(label.value, expected) : null;
        if (label && fixed) {
          ctx.b.warn('misread-numeral', `page ${row.page}: indicator "${label.printed}" read as ${fixed}. (it follows ${previous ?? 'nothing'})`, row.page, `${area.ref}/${fixed}`);
          label = { ...label, value: fixed };
        }
        labelled ??= label !== null;
        // In a lettered or numbered list, an unlabelled paragraph goes on with the indicator above.
        const last = area.measures[area.measures.length - 1];
        if (labelled && !label && last) {
          last.text = `${last.text} ${text}`;
          continue;
        }
        ctx.b.measure(area, {
          ref: `${area.ref}/${label ? label.value : area.measures.length + 1}`,
          displayRef: label?.printed ?? '',
          text: label ? label.rest : text,
          rawText: para.map((l) => l.text).join(' '),
          provenance: provenanceOf(row.page, boxOfLines(para)),
          due: null,
          ratings: {},
        });
      }
    }
  },
};
