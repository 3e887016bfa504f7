import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelVariant } from '@clipguard/config';
import type { ModelDirectory } from '@clipguard/clip';
import { REPO_ROOT, SHARED_IMAGES, TINY_CLIP_DIR } from '@clipguard/testing';
import { alternate } from './paired';
import type { Plan } from './plan';
import type { BenchReport, VariantReport } from './report';
import { measureEngine } from './stages/engine';
import { measureInt8Accuracy, verdictAgreement } from './stages/int8-accuracy';
import { LimitRunner, measureLimit, type LimitPoint, type LimitResult } from './stages/limit';
import { measurePeer, type ReferenceImage } from './stages/peer';
import { measurePipeline } from './stages/pipeline';
import { measureScan } from './stages/scan';
import { measureText } from './stages/text';

const POLICY = 'policies/default';

export interface RunContext {
  plan: Plan;
  models: Partial<Record<ModelVariant, ModelDirectory>>;
  cores: number;
  uploads: string[];
  cacheDir: string;
  references: () => ReferenceImage[];
  log: (line: string) => void;
}

async function limitOf(ctx: RunContext, model: ModelDirectory): Promise<LimitResult> {
  const { plan } = ctx;
  ctx.log(`limit ${model.variant}: raw ONNX Runtime session.run of the vision graph`);
  return measureLimit({
    modelPath: model.visionPath,
    imageSize: model.manifest.image_size,
    cores: ctx.cores,
    layouts: plan.fixed ? [plan.fixed] : undefined,
    batches: plan.fixed ? [plan.fixed.batch] : plan.sweepBatches,
    durationMs: plan.sweepWindowMs,
    repeats: plan.limitRepeats,
    log: ctx.log,
  });
}

/** Every stage of one variant, each divided by limit windows of that variant's best point. */
async function runVariant(
  ctx: RunContext,
  model: ModelDirectory,
  best: LimitPoint,
  limit: LimitRunner,
  out: VariantReport,
): Promise<Map<string, string> | undefined> {
  const { plan, log } = ctx;
  const v = model.variant;
  const want = (s: Plan['stages'][number]) => plan.stages.includes(s);
  const policyCacheDir = join(ctx.cacheDir, 'policy-cache');
  if (want('engine')) {
    log(`engine ${v}: embedImageTensors through the micro-batcher`);
    out.engine = await measureEngine({
      modelDir: model.dir,
      variant: v,
      layout: best,
      limit,
      images: ctx.uploads.slice(0, 16).map((f) => readFileSync(f)),
      callers: 4 * best.batch * best.sessions,
      windows: plan.windows,
      windowMs: plan.windowMs,
      log,
    });
  }
  let verdicts: Map<string, string> | undefined;
  if (want('scan')) {
    log(`scan ${v}: clipguard scan on ${plan.scanImages} JPEGs in ${plan.windows} processes`);
    const { result, verdictOf } = await measureScan({
      repoRoot: REPO_ROOT,
      modelDir: model.dir,
      variant: v,
      files: ctx.uploads.slice(0, plan.scanImages),
      windows: plan.windows,
      policy: POLICY,
      policyCacheDir,
      layout: best,
      limit,
      limitWindowMs: plan.windowMs,
      log,
    });
    out.scan = result;
    verdicts = verdictOf;
  }
  if (want('pipeline')) {
    log(`pipeline ${v}: signed webhooks through API, Redis, worker, decision service, Postgres`);
    out.pipeline = await measurePipeline({
      repoRoot: REPO_ROOT,
      modelDir: model.dir,
      variant: v,
      policyCacheDir,
      layout: best,
      limit,
      limitWindowMs: plan.windowMs,
      uploads: ctx.uploads,
      windows: plan.pipeline.windows,
      perWindow: v === 'fp32' ? plan.pipeline.perWindow : plan.int8PipelinePerWindow,
      halfCount: v === 'fp32' ? plan.pipeline.halfCount : 0,
      log,
    });
  }
  return verdicts;
}

export async function runBench(ctx: RunContext, report: BenchReport): Promise<void> {
  const { plan, log } = ctx;
  const variants = plan.variants.filter((v) => ctx.models[v]);
  const limits = new Map<ModelVariant, LimitResult>();
  for (const v of variants) limits.set(v, await limitOf(ctx, ctx.models[v] as ModelDirectory));
  const runners = new Map<ModelVariant, LimitRunner>();
  try {
    for (const v of variants) {
      const model = ctx.models[v] as ModelDirectory;
      const best = (limits.get(v) as LimitResult).best;
      runners.set(v, await LimitRunner.start(model.visionPath, best, model.manifest.image_size));
    }
    const fp32 = runners.get('fp32');
    const int8 = runners.get('int8');
    if (fp32 && int8) {
      log('limit int8 against fp32, each at its best point, A B A B');
      const [a, b] = [limits.get('fp32')?.best as LimitPoint, limits.get('int8')?.best as LimitPoint];
      report.int8Speedup = await alternate({
        windows: plan.windows,
        limit: () => fp32.window(a.batch, plan.windowMs),
        stage: async () => (await int8.window(b.batch, plan.windowMs)).imagesPerSecond,
        log,
        name: 'int8 limit',
      });
    }
    const verdicts = new Map<ModelVariant, Map<string, string>>();
    for (const v of variants) {
      const out: VariantReport = { limit: limits.get(v) as LimitResult };
      report.variants[v] = out;
      const best = out.limit.best;
      const got = await runVariant(
        ctx,
        ctx.models[v] as ModelDirectory,
        best,
        runners.get(v) as LimitRunner,
        out,
      );
      if (got) verdicts.set(v, got);
    }
    const [vf, vi] = [verdicts.get('fp32'), verdicts.get('int8')];
    if (vf && vi) report.int8VerdictAgreement = verdictAgreement(vf, vi);
    const model = ctx.models.fp32 as ModelDirectory;
    const best = (limits.get('fp32') as LimitResult).best;
    if (plan.stages.includes('text')) {
      log('text: compiling the default policy, cold and cached');
      report.text = await measureText({
        modelDir: model.dir,
        policy: POLICY,
        cores: ctx.cores,
        maxBatch: 32,
      });
    }
    if (plan.stages.includes('peer') && fp32) {
      log('peer: transformers.js on the same model files, between two limit windows');
      const before = await fp32.window(best.batch, plan.windowMs);
      report.peer = await measurePeer({
        modelDir: model.dir,
        policy: POLICY,
        policyCacheDir: join(ctx.cacheDir, 'policy-cache'),
        images: ctx.uploads,
        naiveImages: 8,
        tunedImages: Math.max(best.batch, Math.min(ctx.uploads.length, 8 * best.batch)),
        references: ctx.references(),
        layout: best,
        cores: ctx.cores,
        log,
      });
      const after = await fp32.window(best.batch, plan.windowMs);
      report.peerLimit = (before.imagesPerSecond + after.imagesPerSecond) / 2;
    }
  } finally {
    for (const r of runners.values()) await r.close();
  }
  if (plan.stages.includes('int8') && ctx.models.int8) {
    log('int8 accuracy: fp32 ↔ int8 cosines on the shared images, tiny CLIP zero-shot');
    report.int8Accuracy = await measureInt8Accuracy({
      modelDir: ctx.models.int8.dir,
      sharedImages: SHARED_IMAGES,
      tinyClipDir: TINY_CLIP_DIR,
    });
  }
}
