// Checks the exported graphs against PyTorch's outputs (written by train.py) with onnxruntime-node.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';

interface Case {
  pixels: number[];
  batch: number;
  input_ids: number[];
  attention_mask: number[];
  texts: number;
  image_embeds: number[];
  text_embeds: number[];
}

function maxAbsDiff(a: Float32Array, b: number[]): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}

async function main(modelDir: string, casePath: string): Promise<void> {
  const c = JSON.parse(readFileSync(casePath, 'utf8')) as Case;
  const vision = await InferenceSession.create(join(modelDir, 'onnx/vision_model.onnx'));
  const text = await InferenceSession.create(join(modelDir, 'onnx/text_model.onnx'));
  const img = await vision.run({
    pixel_values: new Tensor('float32', Float32Array.from(c.pixels), [c.batch, 3, 224, 224]),
  });
  const ids = (xs: number[]) => new Tensor('int64', BigInt64Array.from(xs.map(BigInt)), [c.texts, 77]);
  const txt = await text.run({ input_ids: ids(c.input_ids), attention_mask: ids(c.attention_mask) });
  const dImg = maxAbsDiff(img.image_embeds.data as Float32Array, c.image_embeds);
  const dTxt = maxAbsDiff(txt.text_embeds.data as Float32Array, c.text_embeds);
  console.log(
    `onnx vs pytorch: image max |diff| ${dImg.toExponential(2)}, text max |diff| ${dTxt.toExponential(2)}`,
  );
  if (dImg > 1e-4 || dTxt > 1e-4) throw new Error('exported graphs differ from the PyTorch model');
}

main(process.argv[2], process.argv[3]).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
