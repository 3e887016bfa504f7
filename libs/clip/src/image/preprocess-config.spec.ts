import { CLIP_PREPROCESS, preprocessorConfigSchema, toPreprocessConfig } from './preprocess-config';

/** openai/clip-vit-base-patch32's preprocessor_config.json on the Hugging Face Hub, as published. */
const OPENAI_CLIP = {
  crop_size: 224,
  do_center_crop: true,
  do_normalize: true,
  do_resize: true,
  feature_extractor_type: 'CLIPFeatureExtractor',
  image_mean: [0.48145466, 0.4578275, 0.40821073],
  image_std: [0.26862954, 0.26130258, 0.27577711],
  resample: 3,
  size: 224,
};

const configOf = (fields: Record<string, unknown>) =>
  toPreprocessConfig(preprocessorConfigSchema.parse({ ...OPENAI_CLIP, ...fields }));

describe("Hugging Face's preprocessor_config.json → the preprocessing we run", () => {
  it("gives OpenAI's own CLIP preprocessing for the published config", () => {
    expect(configOf({})).toEqual(CLIP_PREPROCESS);
  });

  it('reads each way a size can be written', () => {
    expect(configOf({ size: { shortest_edge: 256 }, crop_size: { height: 240, width: 200 } })).toMatchObject({
      shortestEdge: 256,
      cropWidth: 200,
      cropHeight: 240,
    });
    // A {height, width} resize size: the shorter of the two is the shortest edge.
    expect(configOf({ size: { height: 300, width: 260 } })).toMatchObject({ shortestEdge: 260 });
    expect(configOf({ size: { height: 180, width: 260 } })).toMatchObject({ shortestEdge: 180 });
  });

  it('crops to the resize size when centre cropping is off, and resizes nothing when resizing is off', () => {
    expect(configOf({ do_center_crop: false, size: 288, crop_size: 224 })).toMatchObject({
      shortestEdge: 288,
      cropWidth: 288,
      cropHeight: 288,
    });
    expect(configOf({ do_resize: false })).toMatchObject({ shortestEdge: 0, cropWidth: 224 });
  });

  it('leaves values unscaled and unnormalised when the config turns those steps off', () => {
    expect(configOf({ do_rescale: false, do_normalize: false })).toMatchObject({
      rescaleFactor: 1,
      mean: [0, 0, 0],
      std: [1, 1, 1],
    });
    expect(configOf({ rescale_factor: 0.5 }).rescaleFactor).toBe(0.5);
  });
});
