// Pages with /Rotate are laid out as a reader sees them: items, rulings and fills are
// turned into display space first, and boxes turned back into the user space of the
// unrotated page when they leave the layout stage (the contract of `wsoa tables` and
// of provenance).
import type { BBox } from '../../schemas/index.js';
import type { FilledRect, LoadedPage, Ruling, TextItem } from '../load.js';

export interface PageFrame {
  rotate: number;
  /** The unrotated page box in user space: [x0, y0, x1, y1]. */
  view: [number, number, number, number];
}

type Pt = [number, number];

export function toDisplay(frame: PageFrame, [x, y]: Pt): Pt {
  const [x0, y0, x1, y1] = frame.view;
  switch (((frame.rotate % 360) + 360) % 360) {
    case 90:
      return [y - y0, x1 - x];
    case 180:
      return [x1 - x, y1 - y];
    case 270:
      return [y1 - y, x - x0];
    default:
      return [x, y];
  }
}

export function toUser(frame: PageFrame, [x, y]: Pt): Pt {
  const [x0, y0, x1, y1] = frame.view;
  switch (((frame.rotate % 360) + 360) % 360) {
    case 90:
      return [x1 - y, x + y0];
    case 180:
      return [x1 - x, y1 - y];
    case 270:
      return [y + x0, y1 - x];
    default:
      return [x, y];
  }
}

const boxVia = (f: (p: Pt) => Pt, b: BBox): BBox => {
  const a = f([b[0], b[1]]);
  const c = f([b[2], b[3]]);
  return [Math.min(a[0], c[0]), Math.min(a[1], c[1]), Math.max(a[0], c[0]), Math.max(a[1], c[1])];
};
export const userBox = (frame: PageFrame, b: BBox): BBox => (frame.rotate % 360 === 0 ? b : boxVia((p) => toUser(frame, p), b));

/** The page as displayed: width and height swapped for quarter turns, every coordinate turned. */
export function displayPage(page: LoadedPage, frame: PageFrame): LoadedPage {
  const r = ((frame.rotate % 360) + 360) % 360;
  if (r === 0) return page;
  const turn = (p: Pt) => toDisplay(frame, p);
  const items: TextItem[] = page.items.map((it) => {
    const [x, y] = turn([it.x, it.y]);
    return { ...it, x, y, angle: (((it.angle - r) % 360) + 360) % 360 };
  });
  const rulings: Ruling[] = page.rulings.map((rl) => {
    const a = turn([rl.x0, rl.y0]);
    const b = turn([rl.x1, rl.y1]);
    const horizontal = Math.abs(a[1] - b[1]) < Math.abs(a[0] - b[0]);
    return { orientation: horizontal ? 'h' : 'v', x0: Math.min(a[0], b[0]), x1: Math.max(a[0], b[0]), y0: Math.min(a[1], b[1]), y1: Math.max(a[1], b[1]), width: rl.width };
  });
  const fills: FilledRect[] = page.fills.map((f) => ({ ...f, bbox: boxVia(turn, f.bbox) }));
  const quarter = r === 90 || r === 270;
  return { ...page, width: quarter ? page.height : page.width, height: quarter ? page.width : page.height, items, rulings, fills };
}
