import { ClipError } from '../errors';
import type { WireValueMetadata } from './session-protocol';

function describe(m: WireValueMetadata): string {
  return `${m.name}[${m.shape.join(',')}]`;
}

function expectValue(
  path: string,
  values: WireValueMetadata[],
  name: string,
  rank: number,
  fixed: Record<number, number> = {},
): WireValueMetadata {
  const v = values.find((x) => x.name === name);
  if (!v) {
    throw new ClipError(
      'MODEL_INVALID',
      `${path}: expected "${name}", graph has ${values.map(describe).join(', ')}`,
    );
  }
  if (v.shape.length !== rank) {
    throw new ClipError('MODEL_INVALID', `${path}: "${name}" has rank ${v.shape.length}, expected ${rank}`);
  }
  for (const [axis, size] of Object.entries(fixed)) {
    const actual = v.shape[Number(axis)];
    if (typeof actual === 'number' && actual !== size) {
      throw new ClipError('MODEL_INVALID', `${path}: "${name}" axis ${axis} is ${actual}, expected ${size}`);
    }
  }
  return v;
}

export interface TowerShapes {
  embedDim: number;
  imageSize: number;
  contextLength: number;
}

/** pixel_values[B,3,H,W] → image_embeds[B,D] */
export function checkVisionGraph(
  path: string,
  inputs: WireValueMetadata[],
  outputs: WireValueMetadata[],
  s: TowerShapes,
): void {
  expectValue(path, inputs, 'pixel_values', 4, { 1: 3, 2: s.imageSize, 3: s.imageSize });
  expectValue(path, outputs, 'image_embeds', 2, { 1: s.embedDim });
}

export interface TextGraphInputs {
  /** The graph takes an attention_mask beside input_ids. */
  mask: boolean;
  /** The sequence axis is dynamic: batches can be cut to their longest row instead of 77 tokens. */
  dynamicLength: boolean;
}

/** input_ids[B,77 or dynamic] (+ attention_mask) → text_embeds[B,D]. */
export function checkTextGraph(
  path: string,
  inputs: WireValueMetadata[],
  outputs: WireValueMetadata[],
  s: TowerShapes,
): TextGraphInputs {
  const ids = expectValue(path, inputs, 'input_ids', 2, { 1: s.contextLength });
  expectValue(path, outputs, 'text_embeds', 2, { 1: s.embedDim });
  const mask = inputs.some((i) => i.name === 'attention_mask');
  if (mask) expectValue(path, inputs, 'attention_mask', 2, { 1: s.contextLength });
  const length = ids.shape[1];
  return { mask, dynamicLength: typeof length !== 'number' || length < 0 };
}
