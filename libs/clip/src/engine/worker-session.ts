import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ClipError } from '../errors';
import { providerHint } from './execution-providers';
import type {
  SessionRequest,
  SessionWorkerData,
  WireTensor,
  WireValueMetadata,
  WorkerReply,
} from './session-protocol';

interface Pending {
  resolve: (out: Record<string, WireTensor>) => void;
  reject: (err: Error) => void;
}

/** Resolves with the thread's exit code once it has exited. */
function exited(worker: Worker): Promise<number> {
  return new Promise((resolve) => worker.once('exit', resolve));
}

/**
 * An ONNX Runtime session living in its own worker thread, so inference never blocks the event loop.
 * The thread is never terminated (onnxruntime-node aborts the process if a thread dies mid-call): it is
 * asked to close, releases its session itself and exits on its own.
 */
export class WorkerSession {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closing: Promise<void> | undefined;
  /** The thread's exit code once it has exited: 0 when it closed on its own. */
  exitCode: number | undefined;

  private constructor(
    private readonly worker: Worker,
    private readonly exit: Promise<number>,
    readonly inputs: WireValueMetadata[],
    readonly outputs: WireValueMetadata[],
  ) {
    worker.on('message', (reply: WorkerReply) => this.onReply(reply));
    worker.on('error', (err) => this.failAll(err));
    void exit.then((code) => {
      this.exitCode = code;
      this.failAll(new ClipError('ENGINE_CLOSED', `session worker exited (${code})`));
    });
  }

  static open(data: SessionWorkerData): Promise<WorkerSession> {
    // Built code runs session.worker.js; tests and the TypeScript CLI run the .ts source through swc.
    const ext = extname(__filename);
    const worker = new Worker(join(__dirname, `session.worker${ext}`), {
      workerData: data,
      execArgv: ext === '.ts' ? ['--require', '@swc-node/register'] : [],
    });
    const exit = exited(worker);
    return new Promise((resolve, reject) => {
      const onError = (err: Error) =>
        reject(new ClipError('MODEL_INVALID', `${data.modelPath}: ${err.message}`));
      worker.once('error', onError);
      worker.once('message', (reply: WorkerReply) => {
        worker.off('error', onError);
        if (reply.kind === 'ready') {
          resolve(new WorkerSession(worker, exit, reply.inputs, reply.outputs));
        } else if (reply.kind === 'failed') {
          // The thread closes its port and exits by itself; the caller hears of the failure once it has.
          const hint =
            reply.code === 'EXECUTION_PROVIDER_UNAVAILABLE'
              ? providerHint(data.executionProviders, reply.message)
              : `not a loadable ONNX graph: ${reply.message}`;
          void exit.then(() => reject(new ClipError(reply.code, `${data.modelPath}: ${hint}`)));
        }
      });
    });
  }

  run(feeds: Record<string, WireTensor>): Promise<Record<string, WireTensor>> {
    if (this.closing) return Promise.reject(new ClipError('ENGINE_CLOSED', 'session is closed'));
    const id = this.nextId++;
    const request: SessionRequest = { kind: 'run', id, feeds };
    const transfer = Object.values(feeds).map((t) => t.data.buffer as ArrayBuffer);
    return new Promise<Record<string, WireTensor>>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(request, transfer);
    });
  }

  /**
   * Asks the thread to finish its runs, release the session and exit; resolves once the thread has exited.
   * Runs already sent still get their results.
   */
  close(): Promise<void> {
    if (!this.closing) {
      const request: SessionRequest = { kind: 'close' };
      this.worker.postMessage(request);
      this.closing = this.exit.then(() => undefined);
    }
    return this.closing;
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
