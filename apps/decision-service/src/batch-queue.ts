/** One item's outcome in a batch: the others are settled on their own. */
export type Settled = { ok: true } | { ok: false; error: unknown };

export interface BatchQueueOptions {
  /** Largest batch handed to the writer. */
  maxBatch: number;
  /** How long the first item waits for company when nothing is being written. */
  maxWaitMs: number;
}

interface Waiting<T> {
  item: T;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Collects items for a few milliseconds and hands them to `write` together, one batch at a time: while a
 * batch is written the next one fills, so batches grow with the load and an idle service adds only the
 * wait. Each caller gets its own item's outcome. (libs/clip's MicroBatcher coalesces the encoder's rows
 * the same way, but importing that lib loads ONNX Runtime and sharp, which the decision service never uses.)
 */
export class BatchQueue<T> {
  private waiting: Waiting<T>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing = false;

  constructor(
    private readonly write: (items: T[]) => Promise<Settled[]>,
    private readonly options: BatchQueueOptions,
  ) {}

  /** Resolves once the item's batch is written, or rejects with its own error (or the batch's). */
  submit(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.writing || this.waiting.length === 0) return;
    if (this.waiting.length >= this.options.maxBatch) this.flush();
    else
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, this.options.maxWaitMs);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.writing || this.waiting.length === 0) return;
    const batch = this.waiting.splice(0, this.options.maxBatch);
    this.writing = true;
    this.write(batch.map((w) => w.item))
      .then(
        (results) =>
          batch.forEach((w, i) => {
            const r = results[i];
            if (!r) w.reject(new Error(`batch writer settled ${results.length} of ${batch.length} items`));
            else if (r.ok) w.resolve();
            else w.reject(r.error);
          }),
        (err: unknown) => batch.forEach((w) => w.reject(err)),
      )
      .finally(() => {
        this.writing = false;
        // What arrived during the write has waited as long as a batch takes: it goes at once.
        this.flush();
      });
  }
}
