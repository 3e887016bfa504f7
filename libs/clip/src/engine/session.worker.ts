// Runs one ONNX Runtime session off the main thread: session.run blocks its thread for the whole inference.
// The thread is never terminated from outside: onnxruntime-node aborts the whole process when a thread dies
// during a native call (run or release). It closes on a message instead: it lets its runs finish, releases
// the session itself, closes its port and exits on its own.
import { parentPort, workerData } from 'node:worker_threads';
import { env, InferenceSession, Tensor } from 'onnxruntime-node';
import type {
  RunRequest,
  SessionRequest,
  SessionWorkerData,
  WireTensor,
  WireValueMetadata,
  WorkerReply,
} from './session-protocol';

const port = parentPort;
if (!port) throw new Error('session.worker must run in a worker thread');
const data = workerData as SessionWorkerData;
// ONNX Runtime's process-wide logger prints its own lines (a failed CUDA load, with colour codes) before the
// error reaches us; every failure comes back as an exception with a code, so only fatal lines get through.
env.logLevel = 'fatal';

/** ONNX Runtime's own log at "error" and worse only: its warnings are not ours to print (3 = ERROR). */
const ORT_LOG_ERRORS_ONLY = 3;

function describe(meta: readonly InferenceSession.ValueMetadata[]): WireValueMetadata[] {
  return meta.map((m) =>
    m.isTensor ? { name: m.name, type: m.type, shape: [...m.shape] } : { name: m.name, shape: [] },
  );
}

function send(reply: WorkerReply, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(reply, transfer);
}

async function run(session: InferenceSession, req: RunRequest): Promise<void> {
  const feeds: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(req.feeds)) feeds[name] = new Tensor(t.type, t.data, t.dims);
  try {
    const out = await session.run(feeds);
    const outputs: Record<string, WireTensor> = {};
    const transfer: ArrayBuffer[] = [];
    for (const [name, t] of Object.entries(out)) {
      const tensorData = t.data as Float32Array;
      outputs[name] = { type: 'float32', data: tensorData, dims: [...t.dims] };
      transfer.push(tensorData.buffer as ArrayBuffer);
    }
    send({ kind: 'result', id: req.id, outputs }, transfer);
  } catch (err) {
    send({ kind: 'error', id: req.id, message: err instanceof Error ? err.message : String(err) });
  }
}

async function open(): Promise<InferenceSession | undefined> {
  try {
    const options: InferenceSession.SessionOptions = {
      executionProviders: data.executionProviders,
      graphOptimizationLevel: 'all',
      logSeverityLevel: ORT_LOG_ERRORS_ONLY,
    };
    // 0 means "let ONNX Runtime decide"; the binding rejects an explicit undefined.
    if (data.intraOpThreads > 0) options.intraOpNumThreads = data.intraOpThreads;
    if (data.interOpThreads > 0) options.interOpNumThreads = data.interOpThreads;
    if (!data.intraOpSpinning) options.extra = { session: { intra_op: { allow_spinning: '0' } } };
    return await InferenceSession.create(data.modelPath, options);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const provider = /provider|Failed to load shared library|_Cuda|_Tensorrt|not supported/i.test(message);
    send({ kind: 'failed', code: provider ? 'EXECUTION_PROVIDER_UNAVAILABLE' : 'MODEL_INVALID', message });
    return undefined;
  }
}

async function main(): Promise<void> {
  const session = await open();
  if (!session) {
    port?.close();
    return;
  }
  const running = new Set<Promise<void>>();
  let closing = false;
  port?.on('message', (req: SessionRequest) => {
    if (req.kind === 'run' && !closing) {
      const job = run(session, req).finally(() => running.delete(job));
      running.add(job);
      return;
    }
    if (req.kind !== 'close' || closing) return;
    closing = true;
    void Promise.allSettled([...running])
      .then(() => session.release())
      .catch(() => undefined)
      .finally(() => port?.close());
  });
  send({ kind: 'ready', inputs: describe(session.inputMetadata), outputs: describe(session.outputMetadata) });
}

void main();
