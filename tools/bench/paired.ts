import { pairRatios, type PairedRatio } from './stats';
import type { LimitWindow } from './stages/limit';

/** A stage measured in windows, each right after a limit window: A B A B …, divided pair by pair. */
export interface PairedRun {
  /** The stage's rate in each window (images/s). */
  stage: number[];
  /** The limit's rate in the window just before each stage window. */
  limit: number[];
  /** CPU per image of the limit windows (inference alone, in the same layout). */
  limitCpuMsPerImage: number[];
  ratio: PairedRatio;
}

/**
 * Alternates limit and stage windows so that each stage window is divided by a limit measured next to
 * it, not minutes earlier: the machine's speed drifts (a shared 2-core VM moves ±7 % between windows),
 * and a ratio against a limit measured once can even come out above 1.
 */
export async function alternate(options: {
  windows: number;
  limit: () => Promise<LimitWindow>;
  stage: (window: number) => Promise<number>;
  log?: (line: string) => void;
  name?: string;
}): Promise<PairedRun> {
  const stage: number[] = [];
  const limit: number[] = [];
  const limitCpuMsPerImage: number[] = [];
  for (let i = 0; i < options.windows; i++) {
    const l = await options.limit();
    const s = await options.stage(i);
    limit.push(l.imagesPerSecond);
    limitCpuMsPerImage.push(l.cpuMsPerImage);
    stage.push(s);
    options.log?.(
      `  ${options.name ?? 'stage'} window ${i + 1}/${options.windows}: limit ${l.imagesPerSecond.toFixed(1)}, stage ${s.toFixed(1)} images/s (${(s / l.imagesPerSecond).toFixed(2)}×)`,
    );
  }
  return { stage, limit, limitCpuMsPerImage, ratio: pairRatios(stage, limit) };
}
