import type { Command } from 'commander';
import { Option } from 'commander';
import { listSupportedBackends } from 'onnxruntime-node';
import { ClipEngine, fetchModel, MODEL_VARIANTS } from '@clipguard/clip';
import { loadEnv, type ModelVariant } from '@clipguard/config';
import { engineConfig } from '../engine-options';
import { EXIT_CODES_HELP } from '../errors';
import { helpEpilogue, numberIn } from '../options';
import type { CliIo } from '../output';
import { progress } from '../progress';
import { modelSummary } from './model-summary';

interface FetchFlags {
  repo: string;
  variant: ModelVariant;
  dir?: string;
  baseUrl?: string;
  revision: string;
  logitScale: number;
}

export function registerModel(program: Command, io: CliIo): void {
  const model = program.command('model').description('fetch and inspect CLIP model directories');
  model
    .command('fetch')
    .description('download a CLIP ONNX export from the Hugging Face hub (resumable, sha256-verified)')
    .option('--repo <repo>', 'hub repository', 'Xenova/clip-vit-base-patch32')
    .addOption(new Option('--variant <variant>', 'weights variant').choices(MODEL_VARIANTS).default('fp32'))
    .option('--dir <dir>', 'target directory (default: models/<repo name>)')
    .option('--base-url <url>', 'hub or mirror URL (default: $HF_ENDPOINT or https://huggingface.co)')
    .option('--revision <rev>', 'branch, tag or commit', 'main')
    .option(
      '--logit-scale <n>',
      "the trained exp(logit_scale), 1-1000; 100 for OpenAI's models",
      numberIn(1, 1000),
      100,
    )
    .addHelpText(
      'after',
      helpEpilogue(
        ['clipguard model fetch', 'clipguard model fetch --variant int8 --dir models/clip-int8'],
        EXIT_CODES_HELP,
      ),
    )
    .action(async (opts: FetchFlags) => {
      const dir = opts.dir ?? `models/${opts.repo.split('/').pop() ?? 'model'}`;
      let bar: ReturnType<typeof progress> | undefined;
      let current = '';
      const env = loadEnv();
      const manifest = await fetchModel({
        ...opts,
        baseUrl: (opts.baseUrl ?? env.HF_ENDPOINT).replace(/\/+$/, ''),
        dir,
        token: env.HF_TOKEN,
        onProgress: ({ file, received, total }) => {
          if (file !== current) {
            bar?.stop();
            current = file;
            io.err(`downloading ${file}`);
            bar = progress(io, total, file, 'bytes');
          }
          bar?.update(received);
        },
      });
      bar?.stop();
      io.out(
        JSON.stringify(
          { dir, name: manifest.name, embed_dim: manifest.embed_dim, files: manifest.files },
          null,
          2,
        ),
      );
    });
  model
    .command('info')
    .description(
      'what a model directory holds: name, variant, embedding size, files and sizes, graphs, providers',
    )
    .argument('[dir]', 'model directory (default: $CLIPGUARD_MODEL_DIR)')
    .addOption(
      new Option('--variant <variant>', 'weights variant (default: $CLIPGUARD_MODEL_VARIANT)').choices(
        MODEL_VARIANTS,
      ),
    )
    .option('--json', 'everything as JSON: manifest, model id, graph inputs and outputs, hashes')
    .addHelpText(
      'after',
      helpEpilogue(
        ['clipguard model info test/fixtures/models/tiny-clip', 'clipguard model info --json'],
        EXIT_CODES_HELP,
      ),
    )
    .action(async (dir: string | undefined, opts: { variant?: ModelVariant; json?: boolean }) => {
      const engine = await ClipEngine.open(engineConfig({ model: dir, variant: opts.variant }));
      try {
        if (opts.json) {
          io.out(
            JSON.stringify(
              { ...engine.info, manifest: engine.model.manifest, graphs: engine.graphs() },
              null,
              2,
            ),
          );
        } else {
          io.out(modelSummary(engine, listSupportedBackends()));
        }
      } finally {
        await engine.close();
      }
    });
}
