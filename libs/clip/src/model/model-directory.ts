import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelVariant } from '@clipguard/config';
import { ClipError } from '../errors';
import type { PreprocessConfig } from '../image/preprocess-config';
import { hfConfigSchema, manifestSchema, variantFileNames, type ModelManifest } from './manifest';
import { readJsonFile, readPreprocessConfig } from './read-model-files';

export interface ModelDirectory {
  dir: string;
  variant: ModelVariant;
  manifest: ModelManifest;
  visionPath: string;
  textPath: string;
  /** Derived from the two graphs' sha256: names the exact weights behind every embedding and decision. */
  modelId: string;
  preprocess: PreprocessConfig;
  projectionDim: number;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function findVariantFile(dir: string, variant: ModelVariant, tower: 'vision' | 'text'): string {
  const names = variantFileNames(variant, tower);
  const found = names.map((n) => join(dir, n)).find((p) => existsSync(p));
  if (!found) {
    throw new ClipError(
      variant === 'fp32' ? 'MODEL_FILE_MISSING' : 'MODEL_VARIANT_MISSING',
      `${join(dir, names[0])} is missing: the ${variant} ${tower} tower of the model`,
    );
  }
  return found;
}

/**
 * Reads and checks a CLIP model directory (Hugging Face / Optimum layout plus our clipguard.json) and
 * verifies the graphs against the hashes in the manifest. The graphs themselves are checked when the
 * sessions open (input/output names, ranks, embedding sizes).
 */
export async function loadModelDirectory(
  dir: string,
  variant: ModelVariant = 'fp32',
): Promise<ModelDirectory> {
  if (!existsSync(dir)) {
    throw new ClipError(
      'MODEL_FILE_MISSING',
      `model directory ${dir} does not exist; fetch one with: clipguard model fetch --dir ${dir}`,
    );
  }
  const manifest = readJsonFile(dir, 'clipguard.json', manifestSchema, "clipguard's model manifest");
  const hf = readJsonFile(dir, 'config.json', hfConfigSchema, "a CLIP config.json with 'projection_dim'");
  if (hf.projection_dim !== manifest.embed_dim) {
    throw new ClipError(
      'MODEL_INVALID',
      `${join(dir, 'config.json')}: projection_dim ${hf.projection_dim} disagrees with clipguard.json embed_dim ${manifest.embed_dim}`,
    );
  }
  const hasTokenizer =
    existsSync(join(dir, 'tokenizer.json')) ||
    (existsSync(join(dir, 'vocab.json')) && existsSync(join(dir, 'merges.txt')));
  if (!hasTokenizer) {
    throw new ClipError(
      'MODEL_FILE_MISSING',
      `${dir}: expected tokenizer.json, or vocab.json and merges.txt`,
    );
  }
  const visionPath = findVariantFile(dir, variant, 'vision');
  const textPath = findVariantFile(dir, variant, 'text');
  const hashes: string[] = [];
  for (const path of [visionPath, textPath]) {
    const actual = await sha256File(path);
    const rel = path.slice(dir.length).replace(/^[/\\]+/, '');
    const recorded = manifest.files[rel];
    if (recorded && recorded !== actual) {
      throw new ClipError(
        'MODEL_INVALID',
        `${path}: sha256 ${actual} differs from ${recorded} in clipguard.json`,
      );
    }
    hashes.push(actual);
  }
  const digest = createHash('sha256').update(hashes.join('\n')).digest('hex');
  return {
    dir,
    variant,
    manifest,
    visionPath,
    textPath,
    modelId: `${manifest.name}/${variant}@${digest.slice(0, 16)}`,
    preprocess: readPreprocessConfig(dir),
    projectionDim: hf.projection_dim,
  };
}
