// One raw ONNX Runtime session in its own thread: runs one prepared batch in a loop, nothing else.
import { parentPort, workerData } from 'node:worker_threads';
import { InferenceSession, Tensor } from 'onnxruntime-node';

export interface LimitWorkerData {
  modelPath: string;
  threads: number;
  batch: number;
  imageSize: number;
  durationMs: number;
}

export interface LimitWorkerResult {
  images: number;
  ms: number;
}

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
  const pixels = Float32Array.from({ length: d.batch * plane }, (_, i) => Math.sin(i) * 1.5);
  const feeds = { pixel_values: new Tensor('float32', pixels, [d.batch, 3, d.imageSize, d.imageSize]) };
  await session.run(feeds);
  // Every session of a layout starts timing together, after all of them have warmed up.
  port.postMessage('ready');
  await new Promise((resolve) => port.once('message', resolve));
  const started = performance.now();
  let images = 0;
  while (images === 0 || performance.now() - started < d.durationMs) {
    await session.run(feeds);
    images += d.batch;
  }
  const result: LimitWorkerResult = { images, ms: performance.now() - started };
  port.postMessage(result);
  await session.release();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
