import { SingleBar } from 'cli-progress';
import type { CliIo } from './output';

/**
 * Throughput over a sliding window and the time left at that pace. No estimate until a few seconds of
 * results exist: the first batch pays for warm-up, and a guess from it would be wrong by far.
 */
export class RateMeter {
  private readonly samples: { at: number; done: number }[] = [];

  constructor(
    private readonly windowMs = 10_000,
    private readonly minSpanMs = 2_000,
  ) {}

  record(done: number, at: number): void {
    this.samples.push({ at, done });
    while (this.samples.length > 2 && at - this.samples[1].at >= this.windowMs) this.samples.shift();
  }

  /** Items per second over the window, once it spans minSpanMs. */
  rate(): number | undefined {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.at - first.at < this.minSpanMs || last.done === first.done) return undefined;
    return ((last.done - first.done) * 1000) / (last.at - first.at);
  }

  /** Seconds until `total` at the current rate. */
  secondsLeft(total: number): number | undefined {
    const rate = this.rate();
    const last = this.samples[this.samples.length - 1];
    return rate && last ? (total - last.done) / rate : undefined;
  }
}

export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined) return 'estimating…';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export interface Progress {
  tick: (n?: number) => void;
  update: (value: number) => void;
  /** Removes the bar, so what is printed next starts on a clean line. */
  stop: () => void;
}

const SILENT: Progress = { tick: () => undefined, update: () => undefined, stop: () => undefined };

/** A progress bar with items per second and the time left, on a terminal only (never in pipes or logs). */
export function progress(io: CliIo, total: number, label: string, unit = 'images'): Progress {
  if (!io.interactive || total < 2) return SILENT;
  const meter = new RateMeter();
  const bar = new SingleBar({
    format: `${label} [{bar}] {value}/{total} · {rate} · {left}`,
    stream: io.progressStream ?? process.stderr,
    clearOnComplete: true,
    hideCursor: true,
    barCompleteChar: '█',
    barIncompleteChar: '░',
  });
  let done = 0;
  const payload = () => {
    const rate = meter.rate();
    return {
      rate: rate === undefined ? `– ${unit}/s` : `${rate.toFixed(rate < 10 ? 1 : 0)} ${unit}/s`,
      left: done >= total ? 'done' : `${formatDuration(meter.secondsLeft(total))} left`,
    };
  };
  meter.record(0, performance.now());
  bar.start(total, 0, payload());
  const update = (value: number) => {
    done = value;
    meter.record(done, performance.now());
    bar.update(done, payload());
  };
  return { tick: (n = 1) => update(done + n), update, stop: () => bar.stop() };
}
