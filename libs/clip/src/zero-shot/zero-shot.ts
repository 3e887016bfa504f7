import type { ClipEngine } from '../engine/clip-engine';
import { dot, meanNormalized, softmax } from '../vector';

/** The CLIP paper's default when no templates are given. */
export const DEFAULT_TEMPLATES: readonly string[] = ['a photo of a {}.'];

export function fillTemplate(template: string, label: string): string {
  return template.includes('{}') ? template.split('{}').join(label) : `${template} ${label}`;
}

/**
 * One embedding per label from a prompt-template ensemble: the mean of the normalised template
 * embeddings, re-normalised (Radford et al. 2021, section 3.1.4).
 */
export async function embedLabels(
  engine: ClipEngine,
  labels: readonly string[],
  templates: readonly string[] = DEFAULT_TEMPLATES,
): Promise<Float32Array[]> {
  const prompts = labels.flatMap((l) => templates.map((t) => fillTemplate(t, l)));
  const embedded = await engine.embedTexts(prompts);
  return labels.map((_, i) =>
    meanNormalized(embedded.slice(i * templates.length, (i + 1) * templates.length)),
  );
}

/** Cosine similarities, rows × columns (inputs are unit vectors). */
export function similarityMatrix(
  rows: readonly Float32Array[],
  columns: readonly Float32Array[],
): number[][] {
  return rows.map((r) => columns.map((c) => dot(r, c)));
}

export interface LabelScore {
  label: string;
  probability: number;
  similarity: number;
}

/** Softmax at the model's logit scale over the labels, most probable first. */
export function scoreLabels(
  image: Float32Array,
  labels: readonly string[],
  labelEmbeddings: readonly Float32Array[],
  logitScale: number,
): LabelScore[] {
  const sims = labelEmbeddings.map((t) => dot(image, t));
  const probs = softmax(sims, logitScale);
  return labels
    .map((label, i) => ({ label, probability: probs[i], similarity: sims[i] }))
    .sort((a, b) => b.probability - a.probability);
}

/** Zero-shot classification of one image (bytes or an embedding) against labels. */
export async function classify(
  engine: ClipEngine,
  image: Uint8Array | Float32Array,
  labels: readonly string[],
  templates: readonly string[] = DEFAULT_TEMPLATES,
): Promise<LabelScore[]> {
  const embedding = image instanceof Float32Array ? image : (await engine.embedImage(image)).embeddings[0];
  const labelEmbeddings = await embedLabels(engine, labels, templates);
  return scoreLabels(embedding, labels, labelEmbeddings, engine.info.logitScale);
}

export interface Ranked {
  index: number;
  score: number;
}

/** The k corpus entries most similar to the query (text→image or image→image retrieval). */
export function rank(query: Float32Array, corpus: readonly Float32Array[], k = 10): Ranked[] {
  return corpus
    .map((c, index) => ({ index, score: dot(query, c) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, k);
}
