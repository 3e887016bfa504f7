import type { Command } from 'commander';
import { Option } from 'commander';
import { ClipEngine, fetchModel, MODEL_VARIANTS } from '@clipguard/clip';
import { loadEnv, type ModelVariant } from '@clipguard/config';
import { progress, type CliIo } from '../output';

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
    .option('--logit-scale <n>', "the trained exp(logit_scale); 100 for OpenAI's models", Number, 100)
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
            bar = progress(io, total, file);
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
    .description('manifest, model id, graph inputs and outputs, file hashes')
    .argument('<dir>', 'model directory')
    .addOption(new Option('--variant <variant>', 'weights variant').choices(MODEL_VARIANTS).default('fp32'))
    .action(async (dir: string, opts: { variant: ModelVariant }) => {
      const engine = await ClipEngine.open({ modelDir: dir, variant: opts.variant });
      try {
        io.out(
          JSON.stringify(
            { ...engine.info, manifest: engine.model.manifest, graphs: engine.graphs() },
            null,
            2,
          ),
        );
      } finally {
        await engine.close();
      }
    });
}
