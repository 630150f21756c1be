// The extraction metric of ../shared/tools/score-records.mjs, in the project so that
// `npm run eval` needs nothing outside it; test/eval.test.ts checks that both give the
// same figures on the same files. A predicted record is correct when its kind and
// normalised ref match a truth record and its text reaches token-F1 >= 0.9; ratings,
// due text, due range and leads are scored on the correct records.
export const TEXT_MIN = 0.9;

type Rec = Record<string, unknown> & { kind?: string; ref?: unknown; text?: unknown; title?: unknown };

const normRef = (r: unknown) => String(r ?? '').trim().toLowerCase().replace(/\s+/g, '').replace(/\.$/, '');
const fold = (s: unknown) =>
  String(s ?? '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, '-');
const tokens = (s: unknown) => fold(s).match(/[\p{L}\p{N}]+/gu) ?? [];

export function tokenF1(a: unknown, b: unknown): number {
  const ta = tokens(a);
  const tb = tokens(b);
  if (!ta.length && !tb.length) return 1;
  if (!ta.length || !tb.length) return 0;
  const bag = new Map<string, number>();
  for (const t of tb) bag.set(t, (bag.get(t) ?? 0) + 1);
  let common = 0;
  for (const t of ta) {
    const n = bag.get(t) ?? 0;
    if (n > 0) {
      common++;
      bag.set(t, n - 1);
    }
  }
  if (!common) return 0;
  const p = common / ta.length;
  const r = common / tb.length;
  return (2 * p * r) / (p + r);
}

const textOf = (r: Rec) => r.text ?? r.title ?? '';
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isoDay = (d: unknown) => (d == null ? null : String(d).trim().replace(/^(\d{4}-\d{2}-\d{2})T.*$/, '$1'));
function predRange(p: Rec) {
  const r = isObj(p.due) ? p.due : isObj(p.dueRange) ? p.dueRange : {};
  return { start: isoDay(r.start), end: isoDay(r.end) };
}

export interface KindScore {
  truth: number;
  predicted: number;
  correct: number;
  precision: number;
  recall: number;
  f1: number;
  misses: { ref: unknown; text: string; got: string | null }[];
}
export interface Ratio {
  correct: number;
  total: number;
}
export interface RecordScore {
  kinds: Record<string, KindScore>;
  ratings: Ratio;
  due: Ratio;
  dueRange: Ratio;
  leads: Ratio;
  overall: { precision: number; recall: number; f1: number };
}

export const KINDS = ['area', 'objective', 'action', 'measure'] as const;

export function scoreRecords(truth: Rec[], pred: Rec[]): RecordScore {
  const out: RecordScore = { kinds: {}, ratings: { correct: 0, total: 0 }, due: { correct: 0, total: 0 }, dueRange: { correct: 0, total: 0 }, leads: { correct: 0, total: 0 }, overall: { precision: 0, recall: 0, f1: 0 } };
  for (const kind of KINDS) {
    const T = truth.filter((r) => r.kind === kind);
    const P = pred.filter((r) => r.kind === kind);
    const byRef = new Map<string, number[]>();
    P.forEach((r, i) => {
      const k = normRef(r.ref);
      if (!byRef.has(k)) byRef.set(k, []);
      byRef.get(k)!.push(i);
    });
    const used = new Set<number>();
    let tp = 0;
    const misses: KindScore['misses'] = [];
    for (const t of T) {
      const cands = (byRef.get(normRef(t.ref)) ?? []).filter((i) => !used.has(i));
      let best = -1;
      let bestScore = -1;
      for (const i of cands) {
        const s = tokenF1(textOf(P[i]!), textOf(t));
        if (s > bestScore) {
          bestScore = s;
          best = i;
        }
      }
      if (best >= 0 && bestScore >= TEXT_MIN) {
        used.add(best);
        tp++;
        const p = P[best]!;
        if (isObj(t.ratings) && Object.keys(t.ratings).length) {
          for (const [col, v] of Object.entries(t.ratings)) {
            if (v == null) continue;
            out.ratings.total++;
            const pv = isObj(p.ratings) ? p.ratings[col] : undefined;
            const pvs = isObj(pv) ? (pv.value ?? pv.rating) : pv;
            if (String(pvs ?? '').toLowerCase() === String(v).toLowerCase()) out.ratings.correct++;
          }
        }
        if (t.due) {
          out.due.total++;
          const pd = isObj(p.due) ? p.due.text : p.due;
          if (tokenF1(pd ?? '', t.due) >= 0.99) out.due.correct++;
        }
        if (isObj(t.dueRange)) {
          out.dueRange.total++;
          const pr = predRange(p);
          if (pr.start === (t.dueRange.start ?? null) && pr.end === (t.dueRange.end ?? null)) out.dueRange.correct++;
        }
        if (Array.isArray(t.leads) && t.leads.length) {
          out.leads.total++;
          const pl = (Array.isArray(p.leads) ? p.leads : []).map((x: unknown) => fold(isObj(x) ? (x.code ?? x.name) : x).trim()).sort().join('|');
          if (pl === t.leads.map((x: unknown) => fold(x).trim()).sort().join('|')) out.leads.correct++;
        }
      } else {
        misses.push({ ref: t.ref, text: String(textOf(t)).slice(0, 80), got: best >= 0 ? String(textOf(P[best]!)).slice(0, 80) : null });
      }
    }
    const precision = P.length ? tp / P.length : T.length ? 0 : 1;
    const recall = T.length ? tp / T.length : 1;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    out.kinds[kind] = { truth: T.length, predicted: P.length, correct: tp, precision, recall, f1, misses: misses.slice(0, 5) };
  }
  const all = KINDS.reduce((a, k) => ({ t: a.t + out.kinds[k]!.truth, p: a.p + out.kinds[k]!.predicted, c: a.c + out.kinds[k]!.correct }), { t: 0, p: 0, c: 0 });
  const P = all.p ? all.c / all.p : 0;
  const R = all.t ? all.c / all.t : 0;
  out.overall = { precision: P, recall: R, f1: P + R ? (2 * P * R) / (P + R) : 0 };
  return out;
}
