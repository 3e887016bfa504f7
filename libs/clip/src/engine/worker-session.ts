import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ClipError } from '../errors';
import type {
  RunRequest,
  SessionWorkerData,
  WireTensor,
  WireValueMetadata,
  WorkerReply,
} from './session-protocol';

interface Pending {
  resolve: (out: Record<string, WireTensor>) => void;
  reject: (err: Error) => void;
}

/** An ONNX Runtime session living in its own worker thread, so inference never blocks the event loop. */
export class WorkerSession {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closed = false;
  private readonly inFlight = new Set<Promise<unknown>>();

  private constructor(
    private readonly worker: Worker,
    readonly inputs: WireValueMetadata[],
    readonly outputs: WireValueMetadata[],
  ) {
    worker.on('message', (reply: WorkerReply) => this.onReply(reply));
    worker.on('error', (err) => this.failAll(err));
    worker.on('exit', (code) =>
      this.failAll(new ClipError('ENGINE_CLOSED', `session worker exited (${code})`)),
    );
  }

  static open(data: SessionWorkerData): Promise<WorkerSession> {
    // Built code runs session.worker.js; tests and the TypeScript CLI run the .ts source through swc.
    const ext = extname(__filename);
    const worker = new Worker(join(__dirname, `session.worker${ext}`), {
      workerData: data,
      execArgv: ext === '.ts' ? ['--require', '@swc-node/register'] : [],
    });
    return new Promise((resolve, reject) => {
      const onError = (err: Error) =>
        reject(new ClipError('MODEL_INVALID', `${data.modelPath}: ${err.message}`));
      worker.once('error', onError);
      worker.once('message', (reply: WorkerReply) => {
        worker.off('error', onError);
        if (reply.kind === 'ready') {
          resolve(new WorkerSession(worker, reply.inputs, reply.outputs));
        } else if (reply.kind === 'failed') {
          void worker.terminate();
          const hint =
            reply.code === 'EXECUTION_PROVIDER_UNAVAILABLE'
              ? `execution providers [${data.executionProviders.join(', ')}] are not available here`
              : 'not a loadable ONNX graph';
          reject(new ClipError(reply.code, `${data.modelPath}: ${hint}: ${reply.message}`));
        }
      });
    });
  }

  run(feeds: Record<string, WireTensor>): Promise<Record<string, WireTensor>> {
    if (this.closed) return Promise.reject(new ClipError('ENGINE_CLOSED', 'session is closed'));
    const id = this.nextId++;
    const request: RunRequest = { id, feeds };
    const transfer = Object.values(feeds).map((t) => t.data.buffer as ArrayBuffer);
    const run = new Promise<Record<string, WireTensor>>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(request, transfer);
    });
    this.inFlight.add(run);
    void run.catch(() => undefined).finally(() => this.inFlight.delete(run));
    return run;
  }

  /** Waits for runs in flight, then stops the thread. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
    await this.worker.terminate();
  }

  private onReply(reply: WorkerReply): void {
    if (reply.kind !== 'result' && reply.kind !== 'error') return;
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if (reply.kind === 'result') p.resolve(reply.outputs);
    else p.reject(new Error(`inference failed: ${reply.message}`));
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
