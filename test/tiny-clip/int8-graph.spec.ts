import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { TINY_CLIP_DIR } from '@clipguard/testing';
import type { OpCounts, ProfileRequest } from './kernel-profile.worker';

// What ONNX Runtime actually runs for the committed int8 towers, read from its own profile (one event per
// kernel executed, with its op type), with the graph optimization level the engine uses. The speed of the
// int8 variant depends on the fusion into DynamicQuantizeMatMul: an unfused graph gives the same numbers
// (int8-accuracy.spec.ts cannot tell) but runs five kernels per MatMul instead of one.

/** The op types ONNX Runtime ran for `model`, counted from its profile, in a worker thread. */
function kernelsRun(model: string, dir: string): Promise<OpCounts> {
  const worker = new Worker(join(__dirname, 'kernel-profile.worker.ts'), {
    workerData: { model, dir } satisfies ProfileRequest,
    execArgv: ['--require', '@swc-node/register'],
  });
  return new Promise<OpCounts>((resolve, reject) => {
    worker.once('message', (m: { counts?: OpCounts; error?: string }) =>
      m.counts ? resolve(m.counts) : reject(new Error(m.error)),
    );
    worker.once('error', reject);
  }).finally(() => worker.terminate());
}

describe.each(['vision', 'text'])('the int8 %s tower as ONNX Runtime runs it', (tower) => {
  let dir: string;
  let fp32: OpCounts;
  let int8: OpCounts;
  const n = (c: OpCounts, op: string) => c[op] ?? 0;
  const matmuls = (c: OpCounts) => n(c, 'MatMul') + n(c, 'FusedMatMul') + n(c, 'Gemm');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cg-int8-profile-'));
    fp32 = await kernelsRun(join(TINY_CLIP_DIR, `onnx/${tower}_model.onnx`), dir);
    int8 = await kernelsRun(join(TINY_CLIP_DIR, `onnx/${tower}_model_quantized.onnx`), dir);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs every weight MatMul as one fused DynamicQuantizeMatMul kernel', () => {
    console.log(
      `${tower} fp32 kernels: ${JSON.stringify(fp32)}\n${tower} int8 kernels: ${JSON.stringify(int8)}`,
    );
    expect(n(int8, 'DynamicQuantizeMatMul')).toBeGreaterThan(0);
    for (const unfused of ['DynamicQuantizeLinear', 'MatMulInteger', 'MatMulIntegerToFloat'])
      expect(n(int8, unfused)).toBe(0);
    // What is left in fp32 are the activation × activation products (attention); every other MatMul of
    // the fp32 graph became a DynamicQuantizeMatMul.
    expect(matmuls(int8) + n(int8, 'DynamicQuantizeMatMul')).toBe(matmuls(fp32));
    expect(matmuls(int8)).toBeLessThan(matmuls(fp32) / 2);
  });
});
