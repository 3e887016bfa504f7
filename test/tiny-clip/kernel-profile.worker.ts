// Runs one ONNX graph once with ONNX Runtime's profiler on and posts the count of kernels run per op type.
// A worker thread, not the jest sandbox: onnxruntime-node's output tensors fail the sandbox's typed-array
// checks (another realm).
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { InferenceSession, Tensor } from 'onnxruntime-node';

export interface ProfileRequest {
  model: string;
  /** Where ONNX Runtime writes its profile (read and deleted here). */
  dir: string;
}

export type OpCounts = Record<string, number>;

function feeds(inputs: readonly string[]): Record<string, Tensor> {
  if (inputs.includes('pixel_values'))
    return {
      pixel_values: new Tensor(
        'float32',
        Float32Array.from({ length: 2 * 3 * 224 * 224 }, (_, i) => Math.sin(i * 0.37)),
        [2, 3, 224, 224],
      ),
    };
  const ids = BigInt64Array.from({ length: 2 * 77 }, (_, i) => BigInt(i % 77 < 6 ? 1 + (i % 77) : 0));
  const out: Record<string, Tensor> = { input_ids: new Tensor('int64', ids, [2, 77]) };
  if (inputs.includes('attention_mask'))
    out.attention_mask = new Tensor(
      'int64',
      BigInt64Array.from(ids, (id) => (id > 0n ? 1n : 0n)),
      [2, 77],
    );
  return out;
}

async function profile({ model, dir }: ProfileRequest): Promise<OpCounts> {
  const session = await InferenceSession.create(model, {
    graphOptimizationLevel: 'all', // as the engine's sessions
    enableProfiling: true,
    profileFilePrefix: join(dir, 'profile'),
  });
  try {
    await session.run(feeds(session.inputNames));
  } finally {
    await session.release(); // writes the profile
  }
  const file = readdirSync(dir).find((f) => f.startsWith('profile') && f.endsWith('.json'));
  if (!file) throw new Error(`ONNX Runtime wrote no profile into ${dir}`);
  const events = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
    cat: string;
    name: string;
    args?: { op_name?: string };
  }[];
  rmSync(join(dir, file));
  const counts: OpCounts = {};
  for (const e of events)
    if (e.cat === 'Node' && e.name.endsWith('_kernel_time') && e.args?.op_name)
      counts[e.args.op_name] = (counts[e.args.op_name] ?? 0) + 1;
  return counts;
}

if (parentPort) {
  const port = parentPort;
  profile(workerData as ProfileRequest).then(
    (counts) => port.postMessage({ counts }),
    (err: unknown) => port.postMessage({ error: String(err) }),
  );
}
