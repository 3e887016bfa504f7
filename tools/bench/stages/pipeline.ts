import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Stack, signWebhook, testSecret } from '@clipguard/testing';
import { steadyRate, summarizeLatencies, type LatencySummary } from '../stats';
import { engineLayout, layoutEnv, type EngineLayout, type LimitPoint } from './limit';

export interface LoadPoint {
  submissions: number;
  imagesPerSecond: number;
  latencyMs: LatencySummary;
}

export interface PipelineResult {
  config: EngineLayout & {
    workerConcurrency: number;
    inFlightAtSaturation: number;
    upload: string;
  };
  saturation: LoadPoint;
  half: LoadPoint & { offeredPerSecond: number };
  meanEncoderBatch: number;
}

/**
 * Signed webhooks through the running stack (API, Redis, clip-worker, decision service, Postgres, and
 * the callback back to a local platform that also serves the uploads by URL). Latency is what the
 * platform sees: from sending the webhook to receiving the signed callback with the decision.
 */
export async function measurePipeline(options: {
  repoRoot: string;
  modelDir: string;
  policyCacheDir: string;
  layout: LimitPoint;
  uploads: string[];
  saturationCount: number;
  halfCount: number;
  log: (line: string) => void;
}): Promise<PipelineResult> {
  const { layout } = options;
  const workerConcurrency = 2 * layout.batch * layout.sessions;
  const inFlight = 2 * workerConcurrency;
  const warmup = layout.batch * layout.sessions;
  const needed = warmup + options.saturationCount + options.halfCount;
  // Every submission gets its own image: a repeated one would reuse its stored embedding.
  if (options.uploads.length < needed)
    throw new Error(
      `the pipeline stage needs ${needed} distinct uploads, the corpus has ${options.uploads.length}`,
    );
  const stack = new Stack({
    env: {
      CLIPGUARD_MODEL_DIR: options.modelDir,
      CLIPGUARD_POLICIES_DIR: join(options.repoRoot, 'policies'),
      CLIPGUARD_POLICY_CACHE_DIR: options.policyCacheDir,
      ...layoutEnv(layout),
      CLIPGUARD_WORKER_CONCURRENCY: String(workerConcurrency),
      CLIPGUARD_RATE_LIMIT_PER_MINUTE: '1000000',
      CLIPGUARD_MAX_IMAGE_BYTES: String(32 * 1024 * 1024),
      BENCH_WEBHOOK_SECRET: testSecret('bench'),
      BENCH_CALLBACK_SECRET: testSecret('bench-callback'),
    },
    tenants: (platformUrl) => [
      'tenants:',
      '  bench:',
      '    name: Benchmark platform',
      '    policy: { id: default, version: 1 }',
      '    webhook_secret_envs: [BENCH_WEBHOOK_SECRET]',
      `    callback_url: ${platformUrl}/callback`,
      '    callback_secret_env: BENCH_CALLBACK_SECRET',
    ],
  });
  const names = options.uploads.slice(0, needed).map((path) => {
    stack.platform.uploads.set(basename(path), readFileSync(path));
    return basename(path);
  });
  const waiting = new Map<string, (at: number) => void>();
  const arrived = new Map<string, number>();
  stack.platform.onCallback = (cb) => {
    const at = performance.now();
    const resolve = waiting.get(cb.body.data.id);
    if (resolve) resolve(at);
    else arrived.set(cb.body.data.id, at);
  };
  const secret = testSecret('bench');
  let next = 0;
  /** One upload webhook; resolves with (sent, decided) times once its callback arrives. */
  const submit = async (): Promise<{ sent: number; done: number }> => {
    const name = names[next++];
    const body = JSON.stringify({
      event_id: `bench-${name}-${Date.now()}`,
      content: { url: `${stack.platform.url}/uploads/${encodeURIComponent(name)}` },
    });
    const sent = performance.now();
    const res = await fetch(`${stack.apiUrl}/v1/webhooks/bench`, {
      method: 'POST',
      headers: signWebhook(secret, body),
      body,
    });
    const reply = (await res.json()) as { submission_id?: string; code?: string };
    if (res.status !== 202 || !reply.submission_id)
      throw new Error(`webhook refused: ${res.status} ${JSON.stringify(reply)}`);
    const id = reply.submission_id;
    const early = arrived.get(id);
    const done =
      early ??
      (await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no callback for ${id} in 120 s; logs in ${stack.dir}/logs`)),
          120_000,
        );
        waiting.set(id, (at) => {
          clearTimeout(timer);
          resolve(at);
        });
      }));
    return { sent, done };
  };
  const point = (runs: { sent: number; done: number }[]) => ({
    submissions: runs.length,
    imagesPerSecond: steadyRate(runs.map((r) => r.done)),
    latencyMs: summarizeLatencies(runs.map((r) => r.done - r.sent)),
  });

  await stack.start();
  try {
    await Promise.all(Array.from({ length: warmup }, submit));
    options.log(`  pipeline: stack up, ${warmup} warm-up submissions decided`);

    // Saturation: a closed loop that keeps `inFlight` submissions in the pipeline at all times.
    const saturated: { sent: number; done: number }[] = [];
    let remaining = options.saturationCount;
    const lane = async () => {
      while (remaining-- > 0) saturated.push(await submit());
    };
    await Promise.all(Array.from({ length: inFlight }, lane));
    const saturation = point(saturated);
    options.log(`  pipeline: saturation ${saturation.imagesPerSecond.toFixed(1)} images/s`);

    // Half load: an open loop sending at half the saturated rate, evenly spaced.
    const offered = saturation.imagesPerSecond / 2;
    const started = performance.now();
    const halfRuns = await Promise.all(
      Array.from({ length: options.halfCount }, async (_, i) => {
        const at = started + (i * 1000) / offered;
        await new Promise((r) => setTimeout(r, Math.max(0, at - performance.now())));
        return submit();
      }),
    );
    const half = { ...point(halfRuns), offeredPerSecond: offered };
    options.log(`  pipeline: half load p50 ${half.latencyMs.p50.toFixed(0)} ms`);

    return {
      config: {
        ...engineLayout(layout),
        workerConcurrency,
        inFlightAtSaturation: inFlight,
        upload: 'JPEG by URL from the platform (1–4 MP)',
      },
      saturation,
      half,
      meanEncoderBatch: await meanBatch(stack.metricsPorts.worker),
    };
  } finally {
    await stack.stop();
  }
}

/** The worker's mean encoder batch size, from its Prometheus histogram. */
async function meanBatch(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1]);
  return value('clipguard_encoder_batch_size_sum') / value('clipguard_encoder_batch_size_count');
}
