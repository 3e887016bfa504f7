// One raw ONNX Runtime session in its own thread: runs a prepared batch in a loop for each window it is
// asked for, nothing else. It releases its session and exits on its own when told to stop: terminating a
// worker thread while a native session call (such as release()) is unfinished aborts the whole process
// (`terminate called after throwing an instance of 'Napi::Error'`).
import { parentPort, workerData } from 'node:worker_threads';
import { InferenceSession, Tensor } from 'onnxruntime-node';

export interface LimitWorkerData {
  modelPath: string;
  threads: number;
  imageSize: number;
}

/** warm: one run at this batch size (compiles its kernels); go: the timed loop; stop: release and exit. */
export type LimitWorkerCommand =
  { type: 'warm'; batch: number } | { type: 'go'; batch: number; durationMs: number } | { type: 'stop' };

export type LimitWorkerMessage =
  | { type: 'ready' }
  | { type: 'warm' }
  | { type: 'result'; images: number; ms: number }
  | { type: 'error'; message: string };

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('limit.worker must run in a worker thread');
  const d = workerData as LimitWorkerData;
  const session = await InferenceSession.create(d.modelPath, {
    graphOptimizationLevel: 'all',
    intraOpNumThreads: d.threads,
    interOpNumThreads: 1,
  });
  const plane = 3 * d.imageSize * d.imageSize;
  const feeds = new Map<number, Record<string, Tensor>>();
  const feedsFor = (batch: number) => {
    let f = feeds.get(batch);
    if (!f) {
      const pixels = Float32Array.from({ length: batch * plane }, (_, i) => Math.sin(i) * 1.5);
      f = { pixel_values: new Tensor('float32', pixels, [batch, 3, d.imageSize, d.imageSize]) };
      feeds.set(batch, f);
    }
    return f;
  };
  const commands: LimitWorkerCommand[] = [];
  let wake: (() => void) | undefined;
  const onMessage = (c: LimitWorkerCommand) => {
    commands.push(c);
    wake?.();
  };
  port.on('message', onMessage);
  const next = async (): Promise<LimitWorkerCommand> => {
    while (commands.length === 0) await new Promise<void>((r) => (wake = r));
    return commands.shift() as LimitWorkerCommand;
  };
  port.postMessage({ type: 'ready' } satisfies LimitWorkerMessage);
  for (;;) {
    const c = await next();
    if (c.type === 'stop') break;
    if (c.type === 'warm') {
      await session.run(feedsFor(c.batch));
      port.postMessage({ type: 'warm' } satisfies LimitWorkerMessage);
      continue;
    }
    const f = feedsFor(c.batch);
    const started = performance.now();
    let images = 0;
    while (images === 0 || performance.now() - started < c.durationMs) {
      await session.run(f);
      images += c.batch;
    }
    port.postMessage({
      type: 'result',
      images,
      ms: performance.now() - started,
    } satisfies LimitWorkerMessage);
  }
  await session.release();
  // Nothing keeps the thread alive after this: it exits by itself once the session is released.
  port.off('message', onMessage);
}

main().catch((err: unknown) => {
  parentPort?.postMessage({ type: 'error', message: String(err) } satisfies LimitWorkerMessage);
  process.exit(1);
});
