// `npm run bench`: clipguard against the hardware limit and against transformers.js, in one run.
// `npm run bench -- --quick`: limit, engine, scan and the pipeline's CPU per image in under two minutes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { loadModelDirectory, type ModelDirectory } from '@clipguard/clip';
import type { ModelVariant } from '@clipguard/config';
import { REPO_ROOT, SHARED_DIR, SHARED_IMAGES } from '@clipguard/testing';
import { ensureCorpus } from './corpus';
import { describeMachine } from './machine';
import { ensureBenchModel, hasInt8 } from './model';
import { STAGES, makePlan, type Stage } from './plan';
import { renderResults, replaceMarked, type BenchReport } from './report';
import { runBench } from './run';
import type { ReferenceImage } from './stages/peer';

interface Flags {
  model?: string;
  cacheDir: string;
  images: number;
  stages?: Stage[];
  variants?: ModelVariant[];
  quick: boolean;
  docs: boolean;
  layout?: string;
  windowSeconds?: number;
}

const t0 = performance.now();
/** Progress lines carry the seconds since the start, to see where a run's time goes. */
const log = (line: string) =>
  console.log(
    line.startsWith('\n') || line.startsWith('|')
      ? line
      : `[${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${line}`,
  );

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
  const plan = makePlan(flags, machine.cores);
  log(
    `clipguard bench${plan.quick ? ' --quick' : ''} on ${machine.cpu} (${machine.cores} cores, ${machine.memoryGiB} GiB), Node ${machine.node}`,
  );
  const modelDir = flags.model ?? ensureBenchModel(REPO_ROOT, join(flags.cacheDir, 'vit-b32-random'), log);
  const models: Partial<Record<ModelVariant, ModelDirectory>> = {};
  for (const v of plan.variants) {
    if (v === 'int8' && !hasInt8(modelDir)) {
      log(
        `no int8 variant in ${modelDir}: int8 left out (make one with npm run quantize -- --model ${modelDir})`,
      );
      continue;
    }
    models[v] = await loadModelDirectory(modelDir, v);
    log(`model ${models[v]?.modelId}`);
  }
  if (!models.fp32) throw new Error('the bench divides by the fp32 limit: keep fp32 in --variants');
  const uploads = await ensureCorpus({
    dir: join(flags.cacheDir, 'corpus'),
    count: flags.images,
    sharedImages: SHARED_IMAGES,
    log,
  });
  const report: BenchReport = {
    startedAt: started.toISOString(),
    durationSeconds: 0,
    machine,
    quick: plan.quick,
    model: {
      dir: modelDir,
      source: models.fp32.manifest.source ?? '',
      ids: Object.fromEntries(Object.entries(models).map(([v, m]) => [v, m.modelId])),
    },
    variants: {},
  };
  await runBench(
    {
      plan,
      models,
      cores: machine.cores,
      uploads,
      cacheDir: flags.cacheDir,
      references: referenceImages,
      log,
    },
    report,
  );
  report.durationSeconds = (Date.now() - started.getTime()) / 1000;

  // Only a full run with docs is a result: a quick or trial run stays in the cache, out of the repository.
  const reported = flags.docs && !plan.quick;
  const resultsDir = reported ? join(REPO_ROOT, 'bench', 'results') : join(flags.cacheDir, 'trials');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${started.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  const table = renderResults(report);
  if (reported) {
    const docPath = join(REPO_ROOT, 'docs', 'benchmarks.md');
    writeFileSync(docPath, replaceMarked(readFileSync(docPath, 'utf8'), table));
    log(`\nwrote ${file} and docs/benchmarks.md`);
  } else {
    log(`\nwrote ${file}`);
  }
  console.log(`\n${table}`);
}

const program = new Command('bench')
  .description('clipguard against the hardware limit and against transformers.js, side by side')
  .option(
    '--model <dir>',
    'a CLIP model directory (default: a random-weight ViT-B/32 exported into the cache, with its int8 variant)',
  )
  .option(
    '--cache-dir <dir>',
    'where the exported model and the generated JPEGs are kept',
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'clipguard', 'bench'),
  )
  .option('--images <n>', 'JPEGs generated for scan and pipeline (≥ 500 for a reported run)', Number, 500)
  .option(
    '--quick',
    'the check before merging a change to the engine, worker or decision service: limit, engine, scan and the pipeline CPU per image, under 2 minutes',
    false,
  )
  .addOption(
    new Option('--stages <list>', `stages to run (${STAGES.join(',')}; the limit always runs)`).argParser(
      (v) => v.split(',').map((s) => s.trim()) as Stage[],
    ),
  )
  .addOption(
    new Option('--variants <list>', 'fp32,int8 (default: both; --quick: fp32)').argParser(
      (v) => v.split(',').map((s) => s.trim()) as ModelVariant[],
    ),
  )
  .option('--window-seconds <s>', 'length of every measuring window (default 5, --quick 2)', Number)
  .option('--layout <s×t×b>', 'skip the sweep: vision sessions × intra-op threads × batch, e.g. 1x2x16')
  .option(
    '--no-docs',
    'a trial run: docs/benchmarks.md and bench/results untouched (results go to the cache)',
  )
  .action((flags: Flags) => main(flags));

program.parseAsync().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
