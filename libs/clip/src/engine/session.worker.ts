// Runs one ONNX Runtime session off the main thread: session.run blocks its thread for the whole inference.
import { parentPort, workerData } from 'node:worker_threads';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import type {
  RunRequest,
  SessionWorkerData,
  WireTensor,
  WireValueMetadata,
  WorkerReply,
} from './session-protocol';

const port = parentPort;
if (!port) throw new Error('session.worker must run in a worker thread');
const data = workerData as SessionWorkerData;

function describe(meta: readonly InferenceSession.ValueMetadata[]): WireValueMetadata[] {
  return meta.map((m) =>
    m.isTensor ? { name: m.name, type: m.type, shape: [...m.shape] } : { name: m.name, shape: [] },
  );
}

function send(reply: WorkerReply, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(reply, transfer);
}

async function main(): Promise<void> {
  let session: InferenceSession;
  try {
    const options: InferenceSession.SessionOptions = {
      executionProviders: data.executionProviders,
      graphOptimizationLevel: 'all',
    };
    // 0 means "let ONNX Runtime decide"; the binding rejects an explicit undefined.
    if (data.intraOpThreads > 0) options.intraOpNumThreads = data.intraOpThreads;
    if (data.interOpThreads > 0) options.interOpNumThreads = data.interOpThreads;
    if (!data.intraOpSpinning) options.extra = { session: { intra_op: { allow_spinning: '0' } } };
    session = await InferenceSession.create(data.modelPath, options);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const provider = /provider|Failed to load shared library|_Cuda|_Tensorrt|not supported/i.test(message);
    send({ kind: 'failed', code: provider ? 'EXECUTION_PROVIDER_UNAVAILABLE' : 'MODEL_INVALID', message });
    return;
  }
  port?.on('message', (req: RunRequest) => {
    const feeds: Record<string, Tensor> = {};
    for (const [name, t] of Object.entries(req.feeds)) feeds[name] = new Tensor(t.type, t.data, t.dims);
    session.run(feeds).then(
      (out) => {
        const outputs: Record<string, WireTensor> = {};
        const transfer: ArrayBuffer[] = [];
        for (const [name, t] of Object.entries(out)) {
          const tensorData = t.data as Float32Array;
          outputs[name] = { type: 'float32', data: tensorData, dims: [...t.dims] };
          transfer.push(tensorData.buffer as ArrayBuffer);
        }
        send({ kind: 'result', id: req.id, outputs }, transfer);
      },
      (err: unknown) =>
        send({ kind: 'error', id: req.id, message: err instanceof Error ? err.message : String(err) }),
    );
  });
  send({ kind: 'ready', inputs: describe(session.inputMetadata), outputs: describe(session.outputMetadata) });
}

void main();
