export interface MicroBatcherOptions {
  /** Largest number of rows in one run. */
  maxBatch: number;
  /**
   * How long the oldest queued row may wait for company before a free runner takes a partial batch
   * (Triton's max_queue_delay). Small keeps latency low; larger fills batches when rows trickle in
   * under load, and a fuller batch costs less compute per row.
   */
  maxWaitMs: number;
  /** Runs allowed at once (one per session that can execute a batch); 1 by default. */
  concurrency?: number;
}

interface Request<R> {
  results: R[];
  remaining: number;
  failed: boolean;
  resolve: (rows: R[]) => void;
  reject: (err: unknown) => void;
}

interface Row<T, R> {
  item: T;
  /** performance.now() when the row was queued. */
  queuedAt: number;
  index: number;
  request: Request<R>;
}

/**
 * Coalesces concurrent calls into batched runs and hands each caller its own rows, in order.
 * At most `concurrency` runs at a time. A free runner takes a batch once `maxBatch` rows are queued
 * or the oldest has waited `maxWaitMs`, whether the runner has just finished a run or was idle.
 */
export class MicroBatcher<T, R> {
  private queue: Row<T, R>[] = [];
  private running = 0;
  private timer: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly runBatch: (items: T[]) => Promise<R[]>,
    private readonly options: MicroBatcherOptions,
    private readonly onBatch?: (size: number, ms: number) => void,
  ) {}

  submit(items: readonly T[]): Promise<R[]> {
    if (items.length === 0) return Promise.resolve([]);
    return new Promise<R[]>((resolve, reject) => {
      const request: Request<R> = {
        results: new Array<R>(items.length),
        remaining: items.length,
        failed: false,
        resolve,
        reject,
      };
      const queuedAt = performance.now();
      items.forEach((item, index) => this.queue.push({ item, queuedAt, index, request }));
      this.schedule();
    });
  }

  get pendingRows(): number {
    return this.queue.length;
  }

  /** Resolves once nothing is queued or running. */
  drain(): Promise<void> {
    if (this.running === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private get concurrency(): number {
    return Math.max(1, this.options.concurrency ?? 1);
  }

  private schedule(): void {
    if (this.running >= this.concurrency || this.queue.length === 0) return;
    const waited = performance.now() - this.queue[0].queuedAt;
    if (this.queue.length >= this.options.maxBatch || waited >= this.options.maxWaitMs) {
      this.flush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.schedule();
      }, this.options.maxWaitMs - waited);
    }
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = this.queue.filter((row) => !row.request.failed);
    if (this.running >= this.concurrency || this.queue.length === 0) {
      if (this.running === 0) this.notifyIdle();
      return;
    }
    const rows = this.queue.splice(0, this.options.maxBatch);
    this.running++;
    const started = performance.now();
    this.runBatch(rows.map((r) => r.item))
      .then((results) => {
        if (results.length !== rows.length)
          throw new Error(`batch returned ${results.length} rows for ${rows.length}`);
        this.onBatch?.(rows.length, performance.now() - started);
        rows.forEach((row, i) => {
          const req = row.request;
          if (req.failed) return;
          req.results[row.index] = results[i];
          if (--req.remaining === 0) req.resolve(req.results);
        });
      })
      .catch((err: unknown) => {
        for (const row of rows) {
          if (!row.request.failed) {
            row.request.failed = true;
            row.request.reject(err);
          }
        }
      })
      .finally(() => {
        this.running--;
        if (this.queue.length > 0) this.schedule();
        else if (this.running === 0) this.notifyIdle();
      });
    // Another runner may be free for what is still queued.
    if (this.queue.length > 0) this.schedule();
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    waiters.forEach((w) => w());
  }
}
