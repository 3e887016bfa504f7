// Child-process script for clip-engine-lifecycle.spec.ts: opens and closes the engine many times with runs in
// flight. A native abort (onnxruntime-node's `terminate called … Napi::Error`) kills this process, not jest.
import { ClipEngine } from '../src/engine/clip-engine';

async function cycle(modelDir: string, pixels: Float32Array, i: number): Promise<number> {
  const engine = await ClipEngine.open({ modelDir, variant: 'fp32', maxWaitMs: 0 });
  const runs = [
    engine.embedImageTensors([pixels, pixels]),
    engine.embedTexts([`a red star ${i}`, `two blue circles ${i}`]),
    engine.embedImageTensors([pixels]),
  ];
  const closing = engine.close();
  const settled = await Promise.allSettled(runs);
  await closing;
  return settled.filter((r) => r.status === 'fulfilled').length;
}

async function main(): Promise<void> {
  const [modelDir, cyclesArg] = process.argv.slice(2);
  const cycles = Number(cyclesArg);
  const size = 3 * 224 * 224;
  const pixels = Float32Array.from({ length: size }, (_, i) => Math.sin(i) * 0.5);
  let fulfilled = 0;
  for (let i = 0; i < cycles; i++) fulfilled += await cycle(modelDir, Float32Array.from(pixels), i);
  process.stdout.write(`${JSON.stringify({ cycles, fulfilled })}\n`);
}

void main();
