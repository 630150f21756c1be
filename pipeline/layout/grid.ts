// Rulings -> edges -> intersections -> cells -> tables, the chain pdfplumber's table
// finder uses: each step a small function of plain data, so each can be drawn.
import type { BBox } from '../../schemas/index.js';
import type { Ruling } from '../load.js';
import type { LayoutSettings } from './settings.js';

export interface Edge {
  orientation: 'h' | 'v';
  /** For 'h': y; for 'v': x. */
  at: number;
  from: number;
  to: number;
}

export interface Point {
  x: number;
  y: number;
}

export interface GridCell {
  bbox: BBox;
}

/** Groups rulings of one orientation lying within `snap` of each other onto their mean position. */
export function snapEdges(rulings: Ruling[], snap: number): Edge[] {
  const edges: Edge[] = rulings.map((r) =>
    r.orientation === 'h'
      ? { orientation: 'h', at: r.y0, from: Math.min(r.x0, r.x1), to: Math.max(r.x0, r.x1) }
      : { orientation: 'v', at: r.x0, from: Math.min(r.y0, r.y1), to: Math.max(r.y0, r.y1) },
  );
  const out: Edge[] = [];
  for (const o of ['h', 'v'] as const) {
    const group = edges.filter((e) => e.orientation === o).sort((a, b) => a.at - b.at);
    let cluster: Edge[] = [];
    const flush = () => {
      if (!cluster.length) return;
      const mean = cluster.reduce((s, e) => s + e.at, 0) / cluster.length;
      for (const e of cluster) out.push({ ...e, at: mean });
      cluster = [];
    };
    for (const e of group) {
      if (cluster.length && e.at - cluster[0]!.at > snap) flush();
      cluster.push(e);
    }
    flush();
  }
  return out;
}

/** Joins collinear edges that overlap or nearly touch into one. */
export function joinEdges(edges: Edge[], tolerance: number): Edge[] {
  const out: Edge[] = [];
  const keyed = new Map<string, Edge[]>();
  for (const e of edges) {
    const k = `${e.orientation}:${e.at.toFixed(3)}`;
    if (!keyed.has(k)) keyed.set(k, []);
    keyed.get(k)!.push(e);
  }
  for (const group of keyed.values()) {
    group.sort((a, b) => a.from - b.from);
    let cur = { ...group[0]! };
    for (const e of group.slice(1)) {
      if (e.from <= cur.to + tolerance) cur.to = Math.max(cur.to, e.to);
      else {
        out.push(cur);
        cur = { ...e };
      }
    }
    out.push(cur);
  }
  return out;
}

export function edgesOf(rulings: Ruling[], s: Pick<LayoutSettings, 'snapTolerance' | 'joinTolerance' | 'edgeMinLength'>): Edge[] {
  return joinEdges(snapEdges(rulings, s.snapTolerance), s.joinTolerance).filter((e) => e.to - e.from >= s.edgeMinLength);
}

/** Where a horizontal and a vertical edge cross (or nearly do). */
export function intersectionsOf(edges: Edge[], tol: number): Point[] {
  const hs = edges.filter((e) => e.orientation === 'h');
  const vs = edges.filter((e) => e.orientation === 'v');
  const pts = new Map<string, Point>();
  for (const v of vs)
    for (const h of hs) {
      if (v.at >= h.from - tol && v.at <= h.to + tol && h.at >= v.from - tol && h.at <= v.to + tol) {
        pts.set(`${v.at.toFixed(3)},${h.at.toFixed(3)}`, { x: v.at, y: h.at });
      }
    }
  return [...pts.values()];
}

/**
 * The smallest rectangles whose four corners are intersections and whose four sides lie
 * on edges. A merged cell is simply a rectangle with no edge inside it.
 */
export function cellsOf(points: Point[], edges: Edge[], s: Pick<LayoutSettings, 'intersectionTolerance' | 'cellMinSize'>): GridCell[] {
  const tol = s.intersectionTolerance;
  const hs = edges.filter((e) => e.orientation === 'h');
  const vs = edges.filter((e) => e.orientation === 'v');
  const onH = (y: number, x0: number, x1: number) => hs.some((e) => Math.abs(e.at - y) < 1e-6 && e.from <= x0 + tol && e.to >= x1 - tol);
  const onV = (x: number, y0: number, y1: number) => vs.some((e) => Math.abs(e.at - x) < 1e-6 && e.from <= y0 + tol && e.to >= y1 - tol);
  const byX = new Map<string, Point[]>();
  const byY = new Map<string, Point[]>();
  const has = new Set<string>();
  for (const p of points) {
    const kx = p.x.toFixed(3);
    const ky = p.y.toFixed(3);
    if (!byX.has(kx)) byX.set(kx, []);
    if (!byY.has(ky)) byY.set(ky, []);
    byX.get(kx)!.push(p);
    byY.get(ky)!.push(p);
    has.add(`${kx},${ky}`);
  }
  const cells: GridCell[] = [];
  for (const p of points) {
    // Points below p in its column (PDF y grows upwards), nearest first; points right of it in its row.
    const below = byX.get(p.x.toFixed(3))!.filter((q) => q.y < p.y - s.cellMinSize).sort((a, b) => b.y - a.y);
    const right = byY.get(p.y.toFixed(3))!.filter((q) => q.x > p.x + s.cellMinSize).sort((a, b) => a.x - b.x);
    let found: GridCell | null = null;
    for (const b of below) {
      if (!onV(p.x, b.y, p.y)) break;
      for (const r of right) {
        if (!onH(p.y, p.x, r.x)) break;
        if (!has.has(`${r.x.toFixed(3)},${b.y.toFixed(3)}`)) continue;
        if (onV(r.x, b.y, p.y) && onH(b.y, p.x, r.x)) {
          found = { bbox: [p.x, b.y, r.x, p.y] };
          break;
        }
      }
      if (found) break;
    }
    if (found) cells.push(found);
  }
  return cells;
}

/** Cells that share corners belong to one table. */
export function groupCells(cells: GridCell[]): GridCell[][] {
  const parent = cells.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const corner = new Map<string, number>();
  cells.forEach((c, i) => {
    const [x0, y0, x1, y1] = c.bbox;
    for (const [x, y] of [[x0, y0], [x0, y1], [x1, y0], [x1, y1]] as const) {
      const k = `${x.toFixed(2)},${y.toFixed(2)}`;
      const j = corner.get(k);
      if (j === undefined) corner.set(k, i);
      else parent[find(i)] = find(j);
    }
  });
  const groups = new Map<number, GridCell[]>();
  cells.forEach((c, i) => {
    const r = find(i);
    if (!groups.has(r)) groups.set(r, []);
    groups.get(r)!.push(c);
  });
  return [...groups.values()];
}
