// Page rendering to pixels (for OCR, scanned fixtures and debug views).
import type { Canvas as NapiCanvas } from '@napi-rs/canvas';
import type { PdfDocument } from './pdfjs.js';

export interface RenderedPage {
  canvas: NapiCanvas;
  /** Pixels per PDF point. */
  scale: number;
  widthPt: number;
  heightPt: number;
}

/** Renders one page (1-based) at `dpi` through pdf.js's own canvas factory, so one copy of the canvas library draws it. */
export async function renderPage(doc: PdfDocument, pageNumber: number, dpi: number): Promise<RenderedPage> {
  const page = await doc.getPage(pageNumber);
  const scale = dpi / 72;
  const viewport = page.getViewport({ scale });
  const base = page.getViewport({ scale: 1 });
  const factory = (doc as unknown as { canvasFactory: { create(w: number, h: number): { canvas: NapiCanvas; context: unknown } } }).canvasFactory;
  const { canvas, context } = factory.create(Math.ceil(viewport.width), Math.ceil(viewport.height));
  const ctx = context as { fillStyle: string; fillRect(x: number, y: number, w: number, h: number): void };
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  // pdf.js's types name the DOM canvas; in Node the factory's @napi-rs/canvas stands in for it.
  type RenderParams = Parameters<typeof page.render>[0];
  await page.render({ canvasContext: ctx, canvas, viewport } as unknown as RenderParams).promise;
  page.cleanup();
  return { canvas, scale, widthPt: base.width, heightPt: base.height };
}
