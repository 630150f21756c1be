// Limits on the work one document may cost, in one place: named, with defaults, from
// the command line or the environment (for nightly batch runs). A breach stops the
// work on that page or document and is reported; it never takes the run down.
import { z } from 'zod';

export const Limits = z
  .object({
    /** Wall-clock limit for reading one page (ms). */
    pageTimeoutMs: z.number().int().positive().default(30_000),
    /** Wall-clock limit for one document (ms). */
    docTimeoutMs: z.number().int().positive().default(300_000),
    /** Resident memory of the process reading a document (MB), native memory included. */
    maxMemoryMb: z.number().int().positive().default(768),
    /** Wall-clock limit for one document when its pages are OCR'd (ms): 5-10 s a scanned page. */
    ocrDocTimeoutMs: z.number().int().positive().default(1_800_000),
    /**
     * Wall-clock limit for reading one page when pages are OCR'd (ms): a scanned page takes 3-7 s
     * alone on two cores, and several times that on a machine busy with other work (a batch box, CI).
     */
    ocrPageTimeoutMs: z.number().int().positive().default(120_000),
    /** Memory added to maxMemoryMb when pages are OCR'd (MB): tesseract's WebAssembly heap and a 300 dpi page image. */
    ocrMemoryMb: z.number().int().nonnegative().default(768),
    /** Pages read at most; the rest are reported, not read. */
    maxPages: z.number().int().positive().default(5000),
    /** Text items read on one page at most. */
    maxItemsPerPage: z.number().int().positive().default(200_000),
    /** Resolution scanned pages are rendered at for OCR (dpi); lowered where maxRenderPixels caps it. */
    ocrDpi: z.number().int().min(72).max(1200).default(300),
    /** Pixels one page may be rendered to for OCR. */
    maxRenderPixels: z.number().int().positive().default(60_000_000),
  })
  .strict();
export type Limits = z.infer<typeof Limits>;

/** Environment variables that set the limits, for batch runs. */
export const LIMIT_ENV: Record<keyof Limits, string> = {
  pageTimeoutMs: 'WSOA_PAGE_TIMEOUT_MS',
  docTimeoutMs: 'WSOA_DOC_TIMEOUT_MS',
  maxMemoryMb: 'WSOA_MAX_MEMORY_MB',
  ocrMemoryMb: 'WSOA_OCR_MEMORY_MB',
  ocrDocTimeoutMs: 'WSOA_OCR_DOC_TIMEOUT_MS',
  ocrPageTimeoutMs: 'WSOA_OCR_PAGE_TIMEOUT_MS',
  maxPages: 'WSOA_MAX_PAGES',
  maxItemsPerPage: 'WSOA_MAX_ITEMS_PER_PAGE',
  maxRenderPixels: 'WSOA_MAX_RENDER_PIXELS',
  ocrDpi: 'WSOA_OCR_DPI',
};

/** Defaults, overridden by the environment, overridden by explicit options; a bad value names its setting. */
export function resolveLimits(overrides: Partial<Record<keyof Limits, number | undefined>> = {}, env: NodeJS.ProcessEnv = process.env): Limits {
  const fromEnv: Partial<Limits> = {};
  for (const [key, name] of Object.entries(LIMIT_ENV) as [keyof Limits, string][]) {
    const v = env[name];
    if (v !== undefined && v !== '') fromEnv[key] = Number(v);
  }
  const given = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const parsed = Limits.safeParse({ ...fromEnv, ...given });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0] ?? '');
    const source = key in given ? 'option' : LIMIT_ENV[key as keyof Limits] ?? 'setting';
    throw new Error(`limit ${key} (${source}): ${issue.message}`);
  }
  return parsed.data;
}

export const DEFAULT_LIMITS: Limits = Limits.parse({});
