import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { ClipEngine } from '@clipguard/clip';
import { formatTable } from '../output';

interface ValueInfo {
  name: string;
  type?: string;
  shape: (number | string)[];
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

const signature = (values: readonly ValueInfo[]) =>
  values.map((v) => `${v.name} ${v.type ?? ''}[${v.shape.join(', ')}]`).join(', ');

/** `model info` for a person: what the model is, what it costs on disk, how it will run. */
export function modelSummary(
  engine: ClipEngine,
  backends: readonly { name: string; bundled: boolean }[],
): string {
  const { info, model } = engine;
  const m = model.manifest;
  const graphs = engine.graphs();
  const files = Object.entries(m.files).map(([file, sha]) => {
    const size = statSync(join(info.dir, file), { throwIfNoEntry: false })?.size;
    return [`  ${file}`, size === undefined ? 'missing' : formatBytes(size), `sha256:${sha.slice(0, 12)}`];
  });
  const configured = engine.options.executionProviders.join(', ');
  const bundled = backends.filter((b) => b.bundled).map((b) => b.name);
  const extra = backends.filter((b) => !b.bundled).map((b) => b.name);
  const lines = [
    ['model', `${info.name} (${info.variant})`],
    ['model id', info.modelId],
    ['directory', info.dir],
    ['embedding size', String(info.embedDim)],
    ['image size', `${info.imageSize}×${info.imageSize}`],
    ['context length', `${m.context_length} tokens`],
    ['logit scale', String(info.logitScale)],
    ['source', m.source ?? '–'],
    ['vision graph', `${signature(graphs.vision.inputs)} → ${signature(graphs.vision.outputs)}`],
    ['text graph', `${signature(graphs.text.inputs)} → ${signature(graphs.text.outputs)}`],
    ['providers', `${configured} (CLIPGUARD_EXECUTION_PROVIDERS)`],
    [
      '',
      `in this onnxruntime-node: ${bundled.join(', ')}${extra.length ? `; ${extra.join(', ')} need their own libraries` : ''}`,
    ],
  ];
  return `${formatTable(lines.map(([k, v]) => [k, v]))}\nfiles\n${formatTable(files)}`;
}
