import type { ModelVariant } from '@clipguard/config';
import type { LimitPoint } from './stages/limit';

export const STAGES = ['limit', 'engine', 'text', 'scan', 'pipeline', 'peer', 'int8'] as const;
export type Stage = (typeof STAGES)[number];

/** What one run measures and for how long: the full run, or `--quick` (the check before merging). */
export interface Plan {
  quick: boolean;
  stages: Stage[];
  variants: ModelVariant[];
  /** Sweep the layouts and batch sizes, or measure only this point (`--layout`, and `--quick`). */
  fixed?: Omit<LimitPoint, 'imagesPerSecond'>;
  sweepBatches: number[];
  sweepWindowMs: number;
  /** Fresh measurements of the sweep's best point; their median is the headline limit. */
  limitRepeats: number;
  /** Stage windows, each right after a limit window of `windowMs`. */
  windows: number;
  windowMs: number;
  scanImages: number;
  pipeline: { windows: number; perWindow: number; halfCount: number };
  /** Submissions per window for the int8 pipeline (it has no half-load point). */
  int8PipelinePerWindow: number;
}

export interface PlanFlags {
  quick: boolean;
  stages?: Stage[];
  variants?: ModelVariant[];
  layout?: string;
  images: number;
  /** Overrides the length of every window (trial runs, the sweep soak). */
  windowSeconds?: number;
}

/** "2x1x16": sessions × threads × batch. */
export function parseLayout(text: string): Omit<LimitPoint, 'imagesPerSecond'> {
  const [sessions, threads, batch] = text.split(/[x×]/).map(Number);
  if (![sessions, threads, batch].every((n) => Number.isInteger(n) && n > 0))
    throw new Error(`--layout ${text}: expected sessions×threads×batch, e.g. 2x1x16`);
  return { sessions, threads, batch };
}

const ms = (flags: PlanFlags, fallback: number) =>
  flags.windowSeconds !== undefined ? Math.round(flags.windowSeconds * 1000) : fallback;

export function makePlan(flags: PlanFlags, cores: number): Plan {
  if (flags.quick) {
    // Under two minutes on 2 cores: one layout (a single-threaded session per core, batch 4, the best
    // point of every full run so far), three short pairs per stage, 96 scans, 64 webhooks.
    return {
      quick: true,
      stages: flags.stages ?? ['limit', 'engine', 'scan', 'pipeline'],
      variants: flags.variants ?? ['fp32'],
      fixed: parseLayout(flags.layout ?? `${cores}x1x4`),
      sweepBatches: [],
      sweepWindowMs: ms(flags, 2000),
      limitRepeats: 0,
      windows: 3,
      windowMs: ms(flags, 2000),
      scanImages: 96,
      pipeline: { windows: 2, perWindow: 32, halfCount: 0 },
      int8PipelinePerWindow: 32,
    };
  }
  const fixed = flags.layout ? parseLayout(flags.layout) : undefined;
  return {
    quick: false,
    stages: flags.stages ?? [...STAGES],
    variants: flags.variants ?? ['fp32', 'int8'],
    fixed,
    sweepBatches: fixed ? [fixed.batch] : [1, 4, 8, 16, 32],
    sweepWindowMs: ms(flags, 5000),
    limitRepeats: 3,
    windows: 4,
    windowMs: ms(flags, 5000),
    scanImages: flags.images,
    pipeline: {
      windows: 4,
      perWindow: Math.floor((flags.images * 0.6) / 4),
      halfCount: Math.floor(flags.images * 0.3),
    },
    int8PipelinePerWindow: Math.floor((flags.images * 0.5) / 4),
  };
}
