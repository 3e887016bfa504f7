/** Messages between the main thread and an ONNX session worker. Tensors travel as transferred buffers. */
export type TensorType = 'float32' | 'int64';

export interface WireTensor {
  type: TensorType;
  data: Float32Array | BigInt64Array;
  dims: number[];
}

export interface SessionWorkerData {
  modelPath: string;
  executionProviders: string[];
  intraOpThreads: number;
  intraOpSpinning: boolean;
  interOpThreads: number;
}

export interface WireValueMetadata {
  name: string;
  type?: string;
  shape: (number | string)[];
}

export type WorkerReply =
  | { kind: 'ready'; inputs: WireValueMetadata[]; outputs: WireValueMetadata[] }
  | { kind: 'failed'; code: 'EXECUTION_PROVIDER_UNAVAILABLE' | 'MODEL_INVALID'; message: string }
  | { kind: 'result'; id: number; outputs: Record<string, WireTensor> }
  | { kind: 'error'; id: number; message: string };

export interface RunRequest {
  kind: 'run';
  id: number;
  feeds: Record<string, WireTensor>;
}

/** Asks the thread to finish its runs, release its session and exit on its own. */
export interface CloseRequest {
  kind: 'close';
}

export type SessionRequest = RunRequest | CloseRequest;
