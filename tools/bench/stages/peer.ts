import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import {
  AutoProcessor,
  AutoTokenizer,
  CLIPTextModelWithProjection,
  CLIPVisionModelWithProjection,
  RawImage,
  env as transformersEnv,
  pipeline,
  type Tensor,
} from '@huggingface/transformers';
import {
  classify,
  ClipEngine,
  embedLabels,
  fillTemplate,
  meanNormalized,
  normalizedRows,
  scoreLabels,
} from '@clipguard/clip';
import { decideEmbeddings } from '@clipguard/decision';
import { mapConcurrent } from '@clipguard/queue';
import { loadCompiledPolicy } from '@clipguard/storage';
import type { Decision } from '@clipguard/decision';
import { compilePolicy, planPrompts } from '@clipguard/policy';
import { readPolicyFile, resolvePolicyPath } from '@clipguard/storage';
import { maxAbsDiff } from '../stats';
import { engineLayout, type LimitPoint } from './limit';

/** The zero-shot pipeline's default hypothesis template: what a user gets without choosing one. */
const HYPOTHESIS = 'This is a photo of {}';

export interface ReferenceImage {
  name: string;
  path: string;
  /** The reference CHW tensor (OpenAI's preprocessing in PIL). */
  pixels: Float32Array;
}

export interface PeerResult {
  naive: {
    config: { labels: number; hypothesis: string; images: number; threads: string };
    imagesPerSecond: number;
    maxScoreDiff: number;
    topLabelAgreement: string;
  };
  tuned: {
    config: { texts: number; batch: number; intraOpThreads: number; images: number };
    imagesPerSecond: number;
    textSeconds: number;
    maxScoreDiff: number;
    verdictAgreement: string;
  };
  /**
   * Where differences come from, on the images with reference pixels (OpenAI's preprocessing in PIL):
   * each side's pixels against the reference, and each side's zero-shot probabilities against those
   * computed from the reference pixels.
   */
  pixels: {
    image: string;
    oursMeanAbs: number;
    theirsMeanAbs: number;
    oursScoreDiff: number;
    theirsScoreDiff: number;
  }[];
  /** Both vision graphs on the same pixel tensor. */
  sameInputEmbeddingMaxDiff: number;
  /** The policy's ensembled prompt embeddings: ours against theirs. */
  textEmbeddingMaxDiff: number;
}

const meanAbs = (a: Float32Array, b: ArrayLike<number>) => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
};

function tensorRows(t: Tensor, rows: number): Float32Array[] {
  return normalizedRows(t.data as Float32Array, rows, t.dims[t.dims.length - 1]);
}

/**
 * Hugging Face transformers.js on the same model files (local only), doing the same job two ways:
 * (a) its zero-shot-image-classification pipeline with the policy's prompts as labels, one image at a
 * time, as its documentation shows; (b) tuned: the policy's text embeddings computed once with its text
 * model, images decoded together and run through its vision model in batches, scored by our policy code.
 */
export async function measurePeer(options: {
  modelDir: string;
  policy: string;
  policyCacheDir: string;
  images: string[];
  naiveImages: number;
  tunedImages: number;
  references: ReferenceImage[];
  layout: LimitPoint;
  cores: number;
  log: (line: string) => void;
}): Promise<PeerResult> {
  transformersEnv.allowRemoteModels = false;
  transformersEnv.localModelPath = dirname(options.modelDir);
  const id = basename(options.modelDir);
  const threads = { session_options: { intraOpNumThreads: options.cores, interOpNumThreads: 1 } };
  const parsed = readPolicyFile(resolvePolicyPath(options.policy));
  // The prompts a user would pass as candidate labels: every category's and every benign one.
  const labels = [
    ...new Set(
      planPrompts(parsed.policy)
        .filter((p) => p.kind === 'category' || p.kind === 'benign')
        .map((p) => p.text),
    ),
  ];

  const engine = await ClipEngine.open({
    modelDir: options.modelDir,
    variant: 'fp32',
    ...engineLayout(options.layout),
  });
  try {
    // (a) The pipeline as a user writes it.
    const classifier = await pipeline('zero-shot-image-classification', id, { dtype: 'fp32', device: 'cpu' });
    const naiveFiles = options.images.slice(0, options.naiveImages);
    let naiveDiff = 0;
    let naiveAgree = 0;
    let naiveMs = 0;
    for (const file of naiveFiles) {
      const started = performance.now();
      const theirs = (await classifier(file, labels)) as { label: string; score: number }[];
      naiveMs += performance.now() - started;
      const ours = await classify(engine, readFileSync(file), labels, [HYPOTHESIS]);
      const byLabel = new Map(ours.map((s) => [s.label, s.probability]));
      naiveDiff = Math.max(
        naiveDiff,
        ...theirs.map((s) => Math.abs(s.score - (byLabel.get(s.label) ?? NaN))),
      );
      if (theirs[0].label === ours[0].label) naiveAgree++;
    }
    await classifier.dispose();
    options.log(`  peer naive: ${((naiveFiles.length / naiveMs) * 1000).toFixed(2)} images/s`);

    // (b) Tuned: text once, vision batched.
    const tokenizer = await AutoTokenizer.from_pretrained(id);
    const textModel = await CLIPTextModelWithProjection.from_pretrained(id, { dtype: 'fp32', ...threads });
    const textStarted = performance.now();
    const theirPolicy = await compilePolicy(
      parsed.policy,
      parsed.hash,
      engine.modelId,
      async (texts, templates) => {
        const prompts = texts.flatMap((t) => templates.map((tpl) => fillTemplate(tpl, t)));
        const inputs = tokenizer(prompts, { padding: true, truncation: true });
        const { text_embeds } = (await textModel(inputs)) as { text_embeds: Tensor };
        const rows = tensorRows(text_embeds, prompts.length);
        return texts.map((_, i) =>
          meanNormalized(rows.slice(i * templates.length, (i + 1) * templates.length)),
        );
      },
    );
    const textSeconds = (performance.now() - textStarted) / 1000;
    await textModel.dispose();

    const processor = await AutoProcessor.from_pretrained(id);
    const visionModel = await CLIPVisionModelWithProjection.from_pretrained(id, {
      dtype: 'fp32',
      ...threads,
    });
    const tunedFiles = options.images.slice(0, options.tunedImages);
    const batch = options.layout.batch;
    const theirEmbeddings: Float32Array[] = [];
    const tunedStarted = performance.now();
    for (let i = 0; i < tunedFiles.length; i += batch) {
      const files = tunedFiles.slice(i, i + batch);
      const images = await Promise.all(files.map((f) => RawImage.read(f)));
      const { pixel_values } = (await processor(images)) as { pixel_values: Tensor };
      const { image_embeds } = (await visionModel({ pixel_values })) as { image_embeds: Tensor };
      theirEmbeddings.push(...tensorRows(image_embeds, files.length));
    }
    const tunedSeconds = (performance.now() - tunedStarted) / 1000;

    const { compiled } = await loadCompiledPolicy(engine, options.policy, options.policyCacheDir);
    const ours = await mapConcurrent(tunedFiles, 2 * batch * options.layout.sessions, async (f) =>
      decideEmbeddings(
        compiled,
        (await engine.embedImage(readFileSync(f))).embeddings,
        engine.info.logitScale,
      ),
    );
    const textEmbeddingMaxDiff = Math.max(
      ...compiled.embeddings.map((e, i) => maxAbsDiff(e, theirPolicy.embeddings[i])),
    );
    let tunedDiff = 0;
    let verdictAgree = 0;
    ours.forEach((mine, i) => {
      const theirs = decideEmbeddings(theirPolicy, [theirEmbeddings[i]], engine.info.logitScale);
      tunedDiff = Math.max(tunedDiff, maxAbsDiff(scoresOf(mine), scoresOf(theirs)));
      if (mine.verdict === theirs.verdict) verdictAgree++;
    });

    // Same pixels into both graphs, and each side's preprocessing against the reference pixels.
    const pixels: PeerResult['pixels'] = [];
    let sameInput = 0;
    const labelEmbeddings = await embedLabels(engine, labels, [HYPOTHESIS]);
    const probabilities = (image: Float32Array) =>
      scoreLabels(image, labels, labelEmbeddings, engine.info.logitScale)
        .sort((a, b) => a.label.localeCompare(b.label))
        .map((s) => s.probability);
    const theirVision = async (pixelValues: Tensor) =>
      tensorRows(
        ((await visionModel({ pixel_values: pixelValues })) as { image_embeds: Tensor }).image_embeds,
        1,
      )[0];
    for (const ref of options.references) {
      const theirPixels = ((await processor(await RawImage.read(ref.path))) as { pixel_values: Tensor })
        .pixel_values;
      const oursPre = await engine.preprocess(readFileSync(ref.path));
      const size = engine.info.imageSize;
      const refTensor = new (theirPixels.constructor as typeof Tensor)('float32', ref.pixels, [
        1,
        3,
        size,
        size,
      ]);
      const [fromReference] = await engine.embedImageTensors([ref.pixels]);
      const [fromOurs] = await engine.embedImageTensors([oursPre.pixels[0]]);
      const theirsOnReference = await theirVision(refTensor);
      const theirsOnTheirs = await theirVision(theirPixels);
      sameInput = Math.max(sameInput, maxAbsDiff(fromReference, theirsOnReference));
      const reference = probabilities(fromReference);
      pixels.push({
        image: ref.name,
        oursMeanAbs: meanAbs(oursPre.pixels[0], ref.pixels),
        theirsMeanAbs: meanAbs(ref.pixels, theirPixels.data as Float32Array),
        oursScoreDiff: maxAbsDiff(probabilities(fromOurs), reference),
        theirsScoreDiff: maxAbsDiff(probabilities(theirsOnTheirs), reference),
      });
    }
    await visionModel.dispose();

    return {
      naive: {
        config: {
          labels: labels.length,
          hypothesis: HYPOTHESIS,
          images: naiveFiles.length,
          threads: 'transformers.js default',
        },
        imagesPerSecond: (naiveFiles.length / naiveMs) * 1000,
        maxScoreDiff: naiveDiff,
        topLabelAgreement: `${naiveAgree}/${naiveFiles.length}`,
      },
      tuned: {
        config: {
          texts: theirPolicy.prompts.length,
          batch,
          intraOpThreads: options.cores,
          images: tunedFiles.length,
        },
        imagesPerSecond: tunedFiles.length / tunedSeconds,
        textSeconds,
        maxScoreDiff: tunedDiff,
        verdictAgreement: `${verdictAgree}/${tunedFiles.length}`,
      },
      pixels,
      sameInputEmbeddingMaxDiff: sameInput,
      textEmbeddingMaxDiff,
    };
  } finally {
    await engine.close();
  }
}

const scoresOf = (d: Decision) => Object.values(d.categoryScores);
