import type { Due } from '../../../schemas/index.js';
import { parseDue } from '../../normalise.js';

export function dueOf(text: string): Due | null {
  const t = text.replace(/\s+/g, ' ').trim();
  return t ? parseDue(t) : null;
}

/** Several printed dates of one action: their texts joined by "; ", earliest start to latest end. */
export function joinDues(dues: (Due | null)[]): Due | null {
  const ds = dues.filter((d): d is Due => !!d);
  if (!ds.length) return null;
  if (ds.length === 1) return ds[0]!;
  return parseDue(ds.map((d) => d.text).join('; '));
}
