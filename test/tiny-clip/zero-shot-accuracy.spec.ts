import { ClipEngine, embedLabels, rank, scoreLabels } from '@clipguard/clip';
import {
  COLOUR_NAMES,
  SHAPES,
  TINY_CLIP_DIR,
  randomScene,
  renderScene,
  rng,
  type Scene,
} from '@clipguard/testing';

// Held-out set: rendered here with sharp from SVG (the model was trained on PIL renderings): one shape per
// image ("which shape is this?"), random colour, both sizes, plain / gradient / striped backgrounds.
const HELD_OUT = 360;

describe('tiny CLIP zero-shot accuracy through the engine', () => {
  let engine: ClipEngine;
  const scenes: Scene[] = [];
  let embeddings: Float32Array[] = [];

  beforeAll(async () => {
    engine = await ClipEngine.open({ modelDir: TINY_CLIP_DIR, variant: 'fp32', maxBatch: 64 });
    const random = rng(20261127);
    const images: Buffer[] = [];
    for (let i = 0; i < HELD_OUT; i++) {
      const scene: Scene = { ...randomScene(random), count: 1 };
      scenes.push(scene);
      images.push(await renderScene(scene, random));
    }
    embeddings = await Promise.all(images.map(async (b) => (await engine.embedImage(b)).embeddings[0]));
  }, 120_000);

  afterAll(() => engine.close());

  async function accuracy(
    labels: readonly string[],
    templates: string[],
    truth: (s: Scene) => string,
  ): Promise<number> {
    const labelEmbeddings = await embedLabels(engine, labels, templates);
    const correct = embeddings.filter(
      (e, i) => scoreLabels(e, labels, labelEmbeddings, engine.info.logitScale)[0].label === truth(scenes[i]),
    ).length;
    return correct / embeddings.length;
  }

  it('classifies shapes with ≥ 95% accuracy (template ensemble over colours)', async () => {
    const templates = COLOUR_NAMES.flatMap((c) => [`a ${c} {}`, `a photo of a ${c} {}`]);
    const acc = await accuracy(SHAPES, templates, (s) => s.shape);
    console.log(`tiny-clip shape accuracy: ${(acc * 100).toFixed(1)}% on ${HELD_OUT} held-out images`);
    expect(acc).toBeGreaterThanOrEqual(0.95);
  });

  it('classifies colours with ≥ 95% accuracy (template ensemble over shapes)', async () => {
    const templates = SHAPES.flatMap((s) => [`a {} ${s}`, `a photo of a {} ${s}`]);
    const acc = await accuracy(COLOUR_NAMES, templates, (s) => s.colour);
    console.log(`tiny-clip colour accuracy: ${(acc * 100).toFixed(1)}% on ${HELD_OUT} held-out images`);
    expect(acc).toBeGreaterThanOrEqual(0.95);
  });

  it('retrieves the right image for "a {colour} {shape}" with Recall@1 ≥ 0.9', async () => {
    const random = rng(4242);
    const combos = SHAPES.flatMap((shape) => COLOUR_NAMES.map((colour) => ({ shape, colour })));
    const gallery = await Promise.all(
      combos.map(async (c) => {
        const png = await renderScene({ ...c, size: 'large', count: 1, background: 'plain' }, random);
        return (await engine.embedImage(png)).embeddings[0];
      }),
    );
    const queries = await engine.embedTexts(combos.map((c) => `a ${c.colour} ${c.shape}`));
    const hits = queries.filter((q, i) => rank(q, gallery, 1)[0].index === i).length;
    const recall = hits / combos.length;
    console.log(`tiny-clip text→image Recall@1: ${recall.toFixed(3)} over ${combos.length} images`);
    expect(recall).toBeGreaterThanOrEqual(0.9);
  });
});
