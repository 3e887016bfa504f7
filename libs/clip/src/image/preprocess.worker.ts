// A thread of the preprocessing pool (preprocess-pool.ts): decoding runs in libvips' threads either way,
// but the Pillow-exact resamplers and the tensor packing are JavaScript and would otherwise hold the event
// loop of a process that must keep renewing its job locks.
import sharp from 'sharp';
import { ClipError } from '../errors';
import { preprocessImage } from './preprocess';
import type { PreprocessTask, PreprocessTaskResult } from './preprocess-task';

// Loading sharp in a thread resets libvips' process-wide operation cache to its defaults; put back
// hardenSharp()'s "no cache" (the loader blocks are process-wide and untouched).
sharp.cache(false);

export default async function preprocessTask(task: PreprocessTask): Promise<PreprocessTaskResult> {
  try {
    const image = await preprocessImage(task.bytes, task.config, task.limits, task.options);
    return { ok: true, image };
  } catch (err) {
    if (err instanceof ClipError) return { ok: false, code: err.code, message: err.message };
    return { ok: false, code: 'IMAGE_CORRUPT', message: err instanceof Error ? err.message : String(err) };
  }
}
