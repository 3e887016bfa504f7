import { embedLabels, rank, scoreLabels, type ClipEngine } from '@clipguard/clip';
import {
  COLOUR_NAMES,
  SHAPES,
  randomScene,
  renderScene,
  rng,
  type Colour,
  type Scene,
  type Shape,
} from './shapes';

// Held-out set: rendered here with sharp from SVG (the model was trained on PIL renderings): one shape per
// image ("which shape is this?"), random colour, both sizes, plain / gradient / striped backgrounds.
export const HELD_OUT = 360;

export interface HeldOut {
  scenes: Scene[];
  images: Buffer[];
  /** One image of every colour × shape, the gallery "a {colour} {shape}" retrieves from. */
  combos: { shape: Shape; colour: Colour }[];
  gallery: Buffer[];
}

export async function renderTinyClipHeldOut(): Promise<HeldOut> {
  const random = rng(20261127);
  const scenes: Scene[] = [];
  const images: Buffer[] = [];
  for (let i = 0; i < HELD_OUT; i++) {
    const scene: Scene = { ...randomScene(random), count: 1 };
    scenes.push(scene);
    images.push(await renderScene(scene, random));
  }
  const galleryRandom = rng(4242);
  const combos = SHAPES.flatMap((shape) => COLOUR_NAMES.map((colour) => ({ shape, colour })));
  const gallery: Buffer[] = [];
  for (const c of combos)
    gallery.push(await renderScene({ ...c, size: 'large', count: 1, background: 'plain' }, galleryRandom));
  return { scenes, images, combos, gallery };
}

export interface ZeroShotResult {
  /** The predicted shape and colour of every held-out image. */
  shapes: string[];
  colours: string[];
  shapeAccuracy: number;
  colourAccuracy: number;
  /** Text → image over the gallery: the query's own image ranks first. */
  recallAt1: number;
  imageEmbeddings: Float32Array[];
}

const SHAPE_TEMPLATES = COLOUR_NAMES.flatMap((c) => [`a ${c} {}`, `a photo of a ${c} {}`]);
const COLOUR_TEMPLATES = SHAPES.flatMap((s) => [`a {} ${s}`, `a photo of a {} ${s}`]);

/** Zero-shot shape and colour accuracy and Recall@1 of one engine on the held-out renders. */
export async function tinyClipZeroShot(engine: ClipEngine, set: HeldOut): Promise<ZeroShotResult> {
  const embed = (b: Buffer) => engine.embedImage(b).then((e) => e.embeddings[0]);
  const imageEmbeddings = await Promise.all(set.images.map(embed));
  const predict = async (labels: readonly string[], templates: string[]) => {
    const labelEmbeddings = await embedLabels(engine, labels, templates);
    return imageEmbeddings.map(
      (e) => scoreLabels(e, labels, labelEmbeddings, engine.info.logitScale)[0].label,
    );
  };
  const shapes = await predict(SHAPES, SHAPE_TEMPLATES);
  const colours = await predict(COLOUR_NAMES, COLOUR_TEMPLATES);
  const share = (predicted: string[], truth: (s: Scene) => string) =>
    predicted.filter((p, i) => p === truth(set.scenes[i])).length / predicted.length;

  const gallery = await Promise.all(set.gallery.map(embed));
  const queries = await engine.embedTexts(set.combos.map((c) => `a ${c.colour} ${c.shape}`));
  const hits = queries.filter((q, i) => rank(q, gallery, 1)[0].index === i).length;
  return {
    shapes,
    colours,
    shapeAccuracy: share(shapes, (s) => s.shape),
    colourAccuracy: share(colours, (s) => s.colour),
    recallAt1: hits / set.combos.length,
    imageEmbeddings,
  };
}
