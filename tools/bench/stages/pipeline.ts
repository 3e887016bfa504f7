import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { sql } from 'kysely';
import type { ModelVariant } from '@clipguard/config';
import { Stack, signWebhook, testSecret } from '@clipguard/testing';
import { addCpu, cpuDelta, snapshotCpu } from '../cpu';
import { histogramDelta, parseHistogram, type Histogram } from '../inference-cost';
import { alternate, type PairedRun } from '../paired';
import { startPrivateRedis } from '../private-redis';
import { median, steadyRate, summarizeLatencies, type LatencySummary } from '../stats';
import { engineLayout, layoutEnv, type EngineLayout, type LimitPoint, type LimitRunner } from './limit';
import { accountCpu, type PipelineCpu } from './pipeline-cpu';

export interface LoadPoint {
  submissions: number;
  imagesPerSecond: number;
  latencyMs: LatencySummary;
}

export interface PipelineResult {
  variant: ModelVariant;
  config: EngineLayout & {
    workerConcurrency: number;
    inFlightAtSaturation: number;
    upload: string;
  };
  /** Closed-loop windows, each right after a limit window; the rate is the median window's. */
  saturation: LoadPoint & { paired: PairedRun };
  half?: LoadPoint & { offeredPerSecond: number };
  meanEncoderBatch: number;
  cpu: PipelineCpu;
}

type Run = { sent: number; done: number };

/**
 * Signed webhooks through the running stack (API, Redis, clip-worker, decision service, Postgres, and
 * the callback back to a local platform that also serves the uploads by URL). Latency is what the
 * platform sees: from sending the webhook to receiving the signed callback with the decision. The
 * stack gets a Redis of its own, so that the CPU account holds only the pipeline's work.
 */
export async function measurePipeline(options: {
  repoRoot: string;
  modelDir: string;
  variant: ModelVariant;
  policyCacheDir: string;
  layout: LimitPoint;
  limit: LimitRunner;
  limitWindowMs: number;
  uploads: string[];
  windows: number;
  perWindow: number;
  /** Submissions of the half-load point; 0 leaves it out. */
  halfCount: number;
  log: (line: string) => void;
}): Promise<PipelineResult> {
  const { layout } = options;
  const workerConcurrency = 2 * layout.batch * layout.sessions;
  const inFlight = 2 * workerConcurrency;
  const warmup = layout.batch * layout.sessions;
  const needed = warmup + options.windows * options.perWindow + options.halfCount;
  // Every submission gets its own image: a repeated one would reuse its stored embedding.
  if (options.uploads.length < needed)
    throw new Error(
      `the pipeline stage needs ${needed} distinct uploads, the corpus has ${options.uploads.length}`,
    );
  const redis = await startPrivateRedis();
  const stack = new Stack({
    // A platform keeps its connections open as web servers do (nginx: 75 s), so fetches and callbacks
    // reuse them; the tests' 1 s makes undici open a connection per request.
    platformKeepAliveMs: 75_000,
    env: {
      REDIS_URL: redis.url,
      CLIPGUARD_MODEL_DIR: options.modelDir,
      CLIPGUARD_MODEL_VARIANT: options.variant,
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
  const submit = async (): Promise<Run> => {
    const name = names[next++];
    const body = JSON.stringify({
      event_id: `bench-${options.variant}-${name}-${Date.now()}`,
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
    const done =
      arrived.get(id) ??
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
  const point = (runs: Run[]) => ({
    submissions: runs.length,
    imagesPerSecond: steadyRate(runs.map((r) => r.done)),
    latencyMs: summarizeLatencies(runs.map((r) => r.done - r.sent)),
  });

  await stack.start();
  try {
    await Promise.all(Array.from({ length: warmup }, submit));
    options.log(`  pipeline ${options.variant}: stack up, ${warmup} warm-up submissions decided`);
    const pids = {
      'ingest-api': [stack.process('ingest-api')?.pid ?? 0],
      'clip-worker': [stack.process('clip-worker')?.pid ?? 0],
      'decision-service': [stack.process('decision-service')?.pid ?? 0],
      redis: [redis.pid],
    };
    // The database's backends: the apps' connection pools (and the stack's own, idle).
    const backends = async () =>
      (
        await sql<{
          pid: number;
        }>`select pid from pg_stat_activity where datname = ${stack.database}`.execute(stack.db)
      ).rows.map((r) => Number(r.pid));
    const batches = async () =>
      parseHistogram(await metrics(stack.metricsPorts.worker), 'clipguard_encoder_batch_size');

    // Saturation: closed-loop windows keeping `inFlight` submissions in the pipeline at all times.
    const saturated: Run[] = [];
    let cpu: Record<string, number> = {};
    let benchCpuMs = 0;
    let histogram: Histogram | undefined;
    const window = async () => {
      const runs: Run[] = [];
      let remaining = options.perWindow;
      const lane = async () => {
        while (remaining-- > 0) runs.push(await submit());
      };
      const groups = { ...pids, postgres: await backends() };
      const [before, beforeBatches, benchBefore] = [snapshotCpu(groups), await batches(), process.cpuUsage()];
      await Promise.all(Array.from({ length: inFlight }, lane));
      const bench = process.cpuUsage(benchBefore);
      const after = snapshotCpu({ ...groups, postgres: await backends() });
      const delta = histogramDelta(beforeBatches, await batches());
      histogram = histogram ? addHistograms(histogram, delta) : delta;
      cpu = addCpu(cpu, cpuDelta(before, after));
      benchCpuMs += (bench.user + bench.system) / 1000;
      saturated.push(...runs);
      return point(runs).imagesPerSecond;
    };
    const paired = await alternate({
      windows: options.windows,
      limit: () => options.limit.window(layout.batch, options.limitWindowMs),
      stage: window,
      log: options.log,
      name: `pipeline ${options.variant}`,
    });
    const saturation = { ...point(saturated), imagesPerSecond: median(paired.stage), paired };
    const accounted = await accountCpu({
      cpuMs: cpu,
      benchCpuMs,
      images: saturated.length,
      batches: histogram as Histogram,
      maxBatch: layout.batch,
      costAt: (batch) => options.limit.window(batch, options.limitWindowMs),
    });
    const decideBatches = parseHistogram(
      await metrics(stack.metricsPorts.decision),
      'clipguard_decide_batch_size',
    );
    options.log(
      `  pipeline ${options.variant}: ${saturation.imagesPerSecond.toFixed(1)} images/s, CPU per image outside inference ${accounted.outsideInferenceMsPerImage.toFixed(1)} ms, mean decide batch ${(decideBatches.sum / decideBatches.count).toFixed(1)}`,
    );

    let half: PipelineResult['half'];
    if (options.halfCount > 0) {
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
      half = { ...point(halfRuns), offeredPerSecond: offered };
      options.log(`  pipeline ${options.variant}: half load p50 ${half.latencyMs.p50.toFixed(0)} ms`);
    }
    const all = await batches();
    return {
      variant: options.variant,
      config: {
        ...engineLayout(layout),
        workerConcurrency,
        inFlightAtSaturation: inFlight,
        upload: 'JPEG by URL from the platform (1–4 MP)',
      },
      saturation,
      half,
      meanEncoderBatch: all.sum / all.count,
      cpu: accounted,
    };
  } finally {
    await stack.stop();
    await redis.stop();
  }
}

const metrics = async (port: number) => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();

function addHistograms(a: Histogram, b: Histogram): Histogram {
  return {
    buckets: a.buckets.map((x) => ({
      le: x.le,
      count: x.count + (b.buckets.find((y) => y.le === x.le)?.count ?? 0),
    })),
    sum: a.sum + b.sum,
    count: a.count + b.count,
  };
}
