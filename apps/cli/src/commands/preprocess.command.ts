import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { preprocessImage, readPreprocessConfig } from '@clipguard/clip';
import type { CliIo } from '../output';

export function registerPreprocess(program: Command, io: CliIo): void {
  program
    .command('preprocess')
    .description('write the float32 little-endian CHW tensor of an image (first frame) as the model sees it')
    .requiredOption('--model <dir>', 'model directory (its preprocessor_config.json)')
    .requiredOption('--out <file>', 'output file')
    .argument('<image>', 'image file')
    .action(async (image: string, opts: { model: string; out: string }) => {
      const config = readPreprocessConfig(opts.model);
      const { pixels, width, height, format } = await preprocessImage(readFileSync(image), config);
      const tensor = pixels[0];
      // Float32Array is host-endian; every platform Node supports for this is little-endian.
      writeFileSync(opts.out, Buffer.from(tensor.buffer, tensor.byteOffset, tensor.byteLength));
      io.err(
        `${image}: ${format} ${width}x${height} -> 3x${config.cropHeight}x${config.cropWidth} float32 in ${opts.out}`,
      );
    });
}
