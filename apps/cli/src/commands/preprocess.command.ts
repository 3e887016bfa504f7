import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { isInputError, preprocessImage, readPreprocessConfig } from '@clipguard/clip';
import { resolveModelDir } from '../engine-options';
import { EXIT_CODES_HELP, EXIT_PARTIAL, formatError } from '../errors';
import { helpEpilogue } from '../options';
import type { CliIo } from '../output';

export function registerPreprocess(program: Command, io: CliIo): void {
  program
    .command('preprocess')
    .description('write the float32 little-endian CHW tensor of an image (first frame) as the model sees it')
    .option(
      '--model <dir>',
      'model directory, for its preprocessor_config.json (default: $CLIPGUARD_MODEL_DIR)',
    )
    .requiredOption('--out <file>', 'output file (required)')
    .argument('<image>', 'image file')
    .addHelpText(
      'after',
      helpEpilogue(
        ['clipguard preprocess chelsea.png --out /tmp/chelsea.f32 --model test/fixtures/models/tiny-clip'],
        EXIT_CODES_HELP,
      ),
    )
    .action(async (image: string, opts: { model?: string; out: string }) => {
      const config = readPreprocessConfig(resolveModelDir(opts.model));
      let preprocessed: Awaited<ReturnType<typeof preprocessImage>>;
      try {
        preprocessed = await preprocessImage(readFileSync(image), config);
      } catch (err) {
        if (!isInputError(err)) throw err;
        io.err(`${image}: ${formatError(err)}`);
        io.setExitCode(EXIT_PARTIAL);
        return;
      }
      const { pixels, width, height, format } = preprocessed;
      const tensor = pixels[0];
      // Float32Array is host-endian; every platform Node supports for this is little-endian.
      writeFileSync(opts.out, Buffer.from(tensor.buffer, tensor.byteOffset, tensor.byteLength));
      io.err(
        `${image}: ${format} ${width}x${height} -> 3x${config.cropHeight}x${config.cropWidth} float32 in ${opts.out}`,
      );
    });
}
