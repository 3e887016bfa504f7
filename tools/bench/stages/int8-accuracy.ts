import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { ClipEngine, ClipError, dot } from '@clipguard/clip';
import { renderTinyClipHeldOut, tinyClipZeroShot, type ZeroShotResult } from '@clipguard/testing';

export interface ZeroShotFigures {
  shapeAccuracy: number;
  colourAccuracy: number;
  recallAt1: number;
}

export interface Int8Accuracy {
  /** The bench model: fp32 ↔ int8 cosine of each shared image's embedding. */
  bench: { images: number; minCosine: number; meanCosine: number; worstImage: string };
  /** The tiny CLIP on its held-out renders (what test/tiny-clip/int8-accuracy.spec.ts asserts). */
  tinyClip: {
    images: number;
    fp32: ZeroShotFigures;
    int8: ZeroShotFigures;
    /** Share of renders given the same shape (colour) by both variants. */
    shapeAgreement: number;
    colourAgreement: number;
    minImageCosine: number;
  };
}

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.gif', '.tif', '.tiff', '.webp']);

async function withEngines<T>(
  modelDir: string,
  work: (engines: { fp32: ClipEngine; int8: ClipEngine }) => Promise<T>,
): Promise<T> {
  const fp32 = await ClipEngine.open({ modelDir, variant: 'fp32' });
  try {
    const int8 = await ClipEngine.open({ modelDir, variant: 'int8' });
    try {
      return await work({ fp32, int8 });
    } finally {
      await int8.close();
    }
  } finally {
    await fp32.close();
  }
}

/** fp32 ↔ int8 cosine of every image under `dir` both variants accept. */
async function sharedImageCosines(modelDir: string, dir: string): Promise<Int8Accuracy['bench']> {
  return withEngines(modelDir, async ({ fp32, int8 }) => {
    const cosines: { image: string; cosine: number }[] = [];
    for (const image of readdirSync(dir).filter((f) => IMAGE_EXTENSIONS.has(extname(f).toLowerCase()))) {
      const bytes = readFileSync(join(dir, image));
      try {
        const [a, b] = [await fp32.embedImage(bytes), await int8.embedImage(bytes)];
        cosines.push({ image, cosine: dot(a.embeddings[0], b.embeddings[0]) });
      } catch (err) {
        if (!(err instanceof ClipError)) throw err; // a file the engine refuses (truncated, unsupported)
      }
    }
    const worst = cosines.reduce((a, b) => (b.cosine < a.cosine ? b : a));
    return {
      images: cosines.length,
      minCosine: worst.cosine,
      meanCosine: cosines.reduce((s, c) => s + c.cosine, 0) / cosines.length,
      worstImage: worst.image,
    };
  });
}

const figures = (r: ZeroShotResult): ZeroShotFigures => ({
  shapeAccuracy: r.shapeAccuracy,
  colourAccuracy: r.colourAccuracy,
  recallAt1: r.recallAt1,
});

/** The tiny CLIP's zero-shot figures for both variants on its held-out renders. */
async function tinyClip(dir: string): Promise<Int8Accuracy['tinyClip']> {
  const set = await renderTinyClipHeldOut();
  return withEngines(dir, async ({ fp32, int8 }) => {
    const [a, b] = [await tinyClipZeroShot(fp32, set), await tinyClipZeroShot(int8, set)];
    const same = (x: string[], y: string[]) => x.filter((v, i) => v === y[i]).length / x.length;
    return {
      images: set.images.length,
      fp32: figures(a),
      int8: figures(b),
      shapeAgreement: same(a.shapes, b.shapes),
      colourAgreement: same(a.colours, b.colours),
      minImageCosine: Math.min(...a.imageEmbeddings.map((e, i) => dot(e, b.imageEmbeddings[i]))),
    };
  });
}

export async function measureInt8Accuracy(options: {
  modelDir: string;
  sharedImages: string;
  tinyClipDir: string;
}): Promise<Int8Accuracy> {
  return {
    bench: await sharedImageCosines(options.modelDir, options.sharedImages),
    tinyClip: await tinyClip(options.tinyClipDir),
  };
}

/** Files given the same verdict by both scans (an error code counts as a verdict). */
export function verdictAgreement(
  a: ReadonlyMap<string, string>,
  b: ReadonlyMap<string, string>,
): { same: number; total: number; changes: Record<string, number> } {
  let same = 0;
  let total = 0;
  const changes: Record<string, number> = {};
  for (const [file, verdict] of a) {
    const other = b.get(file);
    if (other === undefined) continue;
    total++;
    if (other === verdict) same++;
    else changes[`${verdict} → ${other}`] = (changes[`${verdict} → ${other}`] ?? 0) + 1;
  }
  return { same, total, changes };
}
