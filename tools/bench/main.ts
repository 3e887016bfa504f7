// `npm run bench`: clipguard against the hardware limit and against transformers.js, in one run.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { loadModelDirectory } from '@clipguard/clip';
import { REPO_ROOT, SHARED_DIR, SHARED_IMAGES } from '@clipguard/testing';
import { ensureCorpus } from './corpus';
import { describeMachine } from './machine';
import { ensureBenchModel } from './model';
import { renderResults, replaceMarked, type BenchReport } from './report';
import { measureEngine } from './stages/engine';
import { measureLimit } from './stages/limit';
import { measurePeer, type ReferenceImage } from './stages/peer';
import { measurePipeline } from './stages/pipeline';
import { measureScan } from './stages/scan';
import { measureText } from './stages/text';

const STAGES = ['limit', 'engine', 'text', 'scan', 'pipeline', 'peer'] as const;
type Stage = (typeof STAGES)[number];

interface Flags {
  model?: string;
  cacheDir: string;
  images: number;
  stages: Stage[];
  seconds: number;
  docs: boolean;
  layout?: string;
}

const log = (line: string) => console.log(line);
const POLICY = 'policies/default';

function referenceImages(): ReferenceImage[] {
  const dir = join(SHARED_DIR, 'clip', 'pixels');
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {
    images: { image: string; file: string }[];
  };
  return index.images.map(({ image, file }) => {
    const bytes = readFileSync(join(dir, file));
    return {
      name: image,
      path: join(SHARED_IMAGES, image),
      pixels: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)),
    };
  });
}

async function main(flags: Flags): Promise<void> {
  const started = new Date();
  const machine = describeMachine();
  log(
    `clipguard bench on ${machine.cpu} (${machine.cores} cores, ${machine.memoryGiB} GiB), Node ${machine.node}`,
  );
  const modelDir = flags.model ?? ensureBenchModel(REPO_ROOT, join(flags.cacheDir, 'vit-b32-random'), log);
  const model = await loadModelDirectory(modelDir, 'fp32');
  log(`model ${model.modelId} (${model.manifest.source ?? modelDir})`);
  const uploads = await ensureCorpus({
    dir: join(flags.cacheDir, 'corpus'),
    count: flags.images,
    sharedImages: SHARED_IMAGES,
    log,
  });
  const policyCacheDir = join(flags.cacheDir, 'policy-cache');
  const want = (s: Stage) => flags.stages.includes(s);
  const report: BenchReport = {
    startedAt: started.toISOString(),
    durationSeconds: 0,
    machine,
    model: { dir: modelDir, id: model.modelId, source: model.manifest.source ?? '' },
  };
  const durationMs = flags.seconds * 1000;

  log('limit: raw ONNX Runtime session.run of the vision graph');
  const fixed = flags.layout ? parseLayout(flags.layout) : undefined;
  const limit = await measureLimit({
    modelPath: model.visionPath,
    imageSize: model.manifest.image_size,
    cores: machine.cores,
    layouts: fixed ? [fixed] : undefined,
    batches: fixed ? [fixed.batch] : want('limit') ? [1, 4, 8, 16, 32] : [8],
    durationMs: Math.max(2000, durationMs / 4),
    log,
  });
  report.limit = limit;
  const layout = limit.best;
  log(
    `  best: ${layout.sessions} session(s) × ${layout.threads} thread(s), batch ${layout.batch}: ${layout.imagesPerSecond.toFixed(1)} images/s`,
  );

  if (want('engine')) {
    log('engine: embedImageTensors through the micro-batcher');
    report.engine = await measureEngine({
      modelDir,
      layout,
      images: uploads.slice(0, 16).map((f) => readFileSync(f)),
      callers: 4 * layout.batch * layout.sessions,
      durationMs,
    });
    log(`  ${report.engine.imagesPerSecond.toFixed(1)} images/s`);
  }
  if (want('text')) {
    log('text: compiling the default policy, cold and cached');
    report.text = await measureText({ modelDir, policy: POLICY, cores: machine.cores, maxBatch: 32 });
    log(`  cold ${report.text.coldMs.toFixed(0)} ms, cached ${report.text.cachedMs.toFixed(0)} ms`);
  }
  if (want('scan')) {
    log(`scan: clipguard scan on ${uploads.length} JPEGs`);
    report.scan = await measureScan({
      repoRoot: REPO_ROOT,
      modelDir,
      corpusDir: join(flags.cacheDir, 'corpus'),
      policy: POLICY,
      policyCacheDir,
      layout,
    });
    log(
      `  ${report.scan.imagesPerSecond.toFixed(1)} images/s (wall ${report.scan.wallSeconds.toFixed(0)} s)`,
    );
  }
  if (want('pipeline')) {
    log('pipeline: signed webhooks through API, Redis, worker, decision service, Postgres');
    const warmup = layout.batch * layout.sessions;
    const saturationCount = Math.floor((uploads.length - warmup) * 0.6);
    report.pipeline = await measurePipeline({
      repoRoot: REPO_ROOT,
      modelDir,
      policyCacheDir,
      layout,
      uploads,
      saturationCount,
      halfCount: uploads.length - warmup - saturationCount,
      log,
    });
  }
  if (want('peer')) {
    log('peer: transformers.js on the same model files');
    report.peer = await measurePeer({
      modelDir,
      policy: POLICY,
      policyCacheDir,
      images: uploads,
      naiveImages: 8,
      tunedImages: Math.max(layout.batch, Math.min(uploads.length, 8 * layout.batch)),
      references: referenceImages(),
      layout,
      cores: machine.cores,
      log,
    });
  }
  report.durationSeconds = (Date.now() - started.getTime()) / 1000;

  const resultsDir = join(REPO_ROOT, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${started.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  const table = renderResults(report);
  if (flags.docs) {
    const docPath = join(REPO_ROOT, 'docs', 'benchmarks.md');
    writeFileSync(docPath, replaceMarked(readFileSync(docPath, 'utf8'), table));
    log(`\nwrote ${file} and docs/benchmarks.md`);
  } else {
    log(`\nwrote ${file}`);
  }
  log(`\n${table}`);
}

/** "2x1x16": sessions × threads × batch. */
function parseLayout(text: string): { sessions: number; threads: number; batch: number } {
  const [sessions, threads, batch] = text.split(/[x×]/).map(Number);
  if (![sessions, threads, batch].every((n) => Number.isInteger(n) && n > 0))
    throw new Error(`--layout ${text}: expected sessions×threads×batch, e.g. 2x1x16`);
  return { sessions, threads, batch };
}

const program = new Command('bench')
  .description('clipguard against the hardware limit and against transformers.js, side by side')
  .option(
    '--model <dir>',
    'a CLIP model directory (default: a random-weight ViT-B/32 exported into the cache)',
  )
  .option(
    '--cache-dir <dir>',
    'where the exported model and the generated JPEGs are kept',
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'clipguard', 'bench'),
  )
  .option('--images <n>', 'JPEGs generated for scan and pipeline (≥ 500 for a reported run)', Number, 500)
  .option('--seconds <n>', 'measuring time of the engine loop (each limit point gets a quarter)', Number, 20)
  .addOption(
    new Option('--stages <list>', 'stages to run (limit always runs: the rest needs its best layout)')
      .default([...STAGES])
      .argParser((v) => v.split(',').map((s) => s.trim()) as Stage[]),
  )
  .option('--layout <s×t×b>', 'skip the sweep: vision sessions × intra-op threads × batch, e.g. 1x2x16')
  .option('--no-docs', 'leave docs/benchmarks.md alone (partial or trial runs)')
  .action((flags: Flags) => main(flags));

program.parseAsync().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
