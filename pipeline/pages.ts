// Page selections from the command line.
import { EXIT, WsoaError } from './exit-codes.js';

/** "1,3-5" -> [1,3,4,5]; pages past the end are refused. */
export function parsePages(spec: string, pageCount: number): number[] {
  const out = new Set<number>();
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new WsoaError(`--pages: "${part}" is not a page or a range like 3-5`, EXIT.USAGE);
    const a = Number(m[1]);
    const b = m[2] ? Number(m[2]) : a;
    if (a < 1 || b < a) throw new WsoaError(`--pages: "${part}" is not a valid range`, EXIT.USAGE);
    if (b > pageCount) throw new WsoaError(`--pages: the document has ${pageCount} pages`, EXIT.USAGE);
    for (let p = a; p <= b; p++) out.add(p);
  }
  return [...out].sort((x, y) => x - y);
}
