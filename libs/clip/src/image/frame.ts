import type { ImageLimits } from '@clipguard/config';
import { premultiply, unpremultiply } from './alpha';
import { decodeWindow, libvipsReduceCrop } from './decode';
import { centreCrop, resizedSize, type Box, type Size } from './geometry';
import { gifColour, type GifFirstFrame } from './gif-header';
import { bicubicSourceBox, pilBicubicCrop, type PixelWindow } from './pil-bicubic';
import { pilNearestIndices } from './pil-nearest';
import { resamplingOf, type FrameMode } from './pillow-mode';
import type { PreprocessConfig } from './preprocess-config';
import type { RawFrame } from './tensor';

export interface FrameJob {
  bytes: Uint8Array;
  page: number;
  limits: ImageLimits;
  /** The frame's size after EXIF orientation. */
  source: Size;
  mode: FrameMode;
  /** libvips decodes the frame with an alpha channel (which Pillow's mode may not have). */
  decodedAlpha: boolean;
  config: PreprocessConfig;
}

export interface FrameOutput {
  /** The centre crop as interleaved RGB (or RGBA whose alpha is ignored). */
  frame: RawFrame;
  /** Samples computed by the JavaScript resamplers (0 when libvips resized). */
  samples: number;
}

/**
 * One frame → its centre crop, resized as Pillow resizes the frame's mode: nearest-neighbour for "P" and
 * "1", bicubic otherwise (premultiplied for LA/RGBA). Only the crop's rows and columns are computed, and only
 * the source rectangle they read is decoded.
 */
export async function preprocessFrame(job: FrameJob): Promise<FrameOutput> {
  const { source, config } = job;
  const target = resizedSize(source.width, source.height, config.shortestEdge);
  const crop = centreCrop(target, { width: config.cropWidth, height: config.cropHeight });
  const resampling = resamplingOf(job.mode.mode);
  if (resampling === 'nearest') return nearestCrop(job, target, crop);
  const reduction = target.width <= source.width && target.height <= source.height;
  if (reduction && !job.mode.gifFirstFrame) {
    const dropAlpha = resampling === 'bicubic' && job.decodedAlpha;
    const { data, channels } = await libvipsReduceCrop(
      job.bytes,
      job.page,
      job.limits,
      target,
      crop,
      dropAlpha,
    );
    return { frame: { data, width: crop.width, height: crop.height, channels }, samples: 0 };
  }
  return bicubicCrop(job, target, crop, resampling === 'bicubic-premultiplied');
}

function emptyCrop(crop: Box): FrameOutput {
  const data = new Uint8Array(crop.width * crop.height * 3);
  return { frame: { data, width: crop.width, height: crop.height, channels: 3 }, samples: 0 };
}

async function nearestCrop(job: FrameJob, target: Size, crop: Box): Promise<FrameOutput> {
  const xs = pilNearestIndices(job.source.width, target.width, crop.left, crop.width);
  const ys = pilNearestIndices(job.source.height, target.height, crop.top, crop.height);
  const bx = bounds(xs);
  const by = bounds(ys);
  if (!bx || !by) return emptyCrop(crop);
  const box = { left: bx.first, top: by.first, width: bx.end - bx.first, height: by.end - by.first };
  const window = await decodeWindow(job.bytes, job.page, job.limits, job.source, box);
  if (job.mode.gifFirstFrame) restoreGifTransparent(window, job.mode.gifFirstFrame);
  const { channels } = window;
  const out = new Uint8Array(crop.width * crop.height * 3);
  for (let y = 0; y < crop.height; y++) {
    if (ys[y] < 0) continue;
    const row = (ys[y] - box.top) * box.width;
    for (let x = 0; x < crop.width; x++) {
      if (xs[x] < 0) continue;
      const from = (row + xs[x] - box.left) * channels;
      const to = (y * crop.width + x) * 3;
      out[to] = window.data[from];
      out[to + 1] = window.data[from + 1];
      out[to + 2] = window.data[from + 2];
    }
  }
  const frame = { data: out, width: crop.width, height: crop.height, channels: 3 };
  return { frame, samples: crop.width * crop.height * 3 };
}

async function bicubicCrop(job: FrameJob, target: Size, crop: Box, alpha: boolean): Promise<FrameOutput> {
  const box = bicubicSourceBox(job.source, target, crop);
  if (!box) return emptyCrop(crop);
  const window = await decodeWindow(job.bytes, job.page, job.limits, job.source, box);
  if (job.mode.gifFirstFrame) restoreGifTransparent(window, job.mode.gifFirstFrame);
  const { channels } = window;
  const premultiplied = alpha && (channels === 2 || channels === 4);
  const data = premultiplied ? premultiply(window.data, channels) : window.data;
  const resized = pilBicubicCrop({ data, box, channels }, job.source, target, crop);
  if (premultiplied) unpremultiply(resized.data, channels);
  const frame = { data: resized.data, width: crop.width, height: crop.height, channels };
  return { frame, samples: resized.samples };
}

/**
 * Pillow decodes a GIF's first frame as palette indices: a transparent pixel keeps the colour of the
 * transparent index, and the canvas outside the frame is filled with that index (or 0). libvips gives
 * both as transparent black; put Pillow's colour back.
 */
function restoreGifTransparent(window: PixelWindow, gif: GifFirstFrame): void {
  const { data, channels } = window;
  if (channels !== 4) return;
  const [r, g, b] = gifColour(gif, gif.transparency ?? 0);
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] !== 0) continue;
    data[i] = r;
    data[i + 1] = g;
    data[i + 2] = b;
  }
}

function bounds(indices: Int32Array): { first: number; end: number } | undefined {
  let first = Infinity;
  let end = -Infinity;
  for (const i of indices) {
    if (i < 0) continue;
    if (i < first) first = i;
    if (i + 1 > end) end = i + 1;
  }
  return Number.isFinite(first) ? { first, end } : undefined;
}
