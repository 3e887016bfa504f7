import type { Machine } from './machine';
import type { EngineResult } from './stages/engine';
import type { LimitResult } from './stages/limit';
import type { PeerResult } from './stages/peer';
import type { PipelineResult } from './stages/pipeline';
import type { ScanResult } from './stages/scan';
import type { TextResult } from './stages/text';

export interface BenchReport {
  startedAt: string;
  durationSeconds: number;
  machine: Machine;
  model: { dir: string; id: string; source: string };
  limit?: LimitResult;
  engine?: EngineResult;
  scan?: ScanResult;
  pipeline?: PipelineResult;
  peer?: PeerResult;
  text?: TextResult;
}

export const TARGETS = { engine: 0.95, scan: 0.85, pipeline: 0.8, naive: 10, tuned: 1.2, scoreDiff: 1e-3 };

export const MARKERS = { start: '<!-- bench:results:start -->', end: '<!-- bench:results:end -->' };

const rate = (x: number | undefined) =>
  x === undefined || Number.isNaN(x) ? '–' : x.toFixed(x < 10 ? 2 : 1);
const ratio = (x: number | undefined, of: number | undefined) =>
  x === undefined || of === undefined || !of ? '–' : `${(x / of).toFixed(2)}×`;
const ms = (x: number) => `${x.toFixed(0)} ms`;
const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
const check = (x: number | undefined, of: number | undefined, target: number) =>
  x === undefined || of === undefined ? '–' : `≥ ${target}× ${verdict(x / of >= target)}`;

/** The generated part of docs/benchmarks.md: every figure, its ratio to the limit and to each peer. */
export function renderResults(r: BenchReport): string {
  const limit = r.limit?.best.imagesPerSecond;
  const naive = r.peer?.naive.imagesPerSecond;
  const tuned = r.peer?.tuned.imagesPerSecond;
  const m = r.machine;
  const lines = [
    `Run ${r.startedAt} (${r.durationSeconds.toFixed(0)} s) on ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}, onnxruntime-node ${m.onnxruntime}, sharp ${m.sharp}, transformers.js ${m.transformersJs}.`,
    `Model: \`${r.model.id}\` (${r.model.source}).`,
    '',
    '| Measurement | Configuration | Images/s | × limit | × naive transformers.js | × tuned transformers.js | Target |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- |',
  ];
  const row = (name: string, config: string, x: number | undefined, target: string) =>
    lines.push(
      `| ${name} | ${config} | ${rate(x)} | ${ratio(x, limit)} | ${ratio(x, naive)} | ${ratio(x, tuned)} | ${target} |`,
    );
  if (r.limit) {
    const b = r.limit.best;
    row(
      'Limit: raw `session.run`',
      `${b.sessions} session(s) × ${b.threads} thread(s), batch ${b.batch}`,
      limit,
      '',
    );
  }
  if (r.engine) {
    const c = r.engine.config;
    row(
      'Engine: `embedImageTensors`',
      `${c.callers} concurrent callers, ${c.visionSessions} session(s) × ${c.intraOpThreads} thread(s), max batch ${c.maxBatch} (mean ${r.engine.meanBatch.toFixed(1)})`,
      r.engine.imagesPerSecond,
      check(r.engine.imagesPerSecond, limit, TARGETS.engine),
    );
  }
  if (r.scan) {
    const c = r.scan.config;
    row(
      '`clipguard scan` (decode included)',
      `${c.images} JPEGs of 1–4 MP, default policy; wall ${r.scan.wallSeconds.toFixed(0)} s incl. start-up`,
      r.scan.imagesPerSecond,
      [
        check(r.scan.imagesPerSecond, limit, TARGETS.scan),
        tuned && r.scan ? check(r.scan.imagesPerSecond, tuned, TARGETS.tuned) + ' vs tuned' : '',
        naive && r.scan ? check(r.scan.imagesPerSecond, naive, TARGETS.naive) + ' vs naive' : '',
      ]
        .filter(Boolean)
        .join('; '),
    );
  }
  if (r.pipeline) {
    const p = r.pipeline;
    const s = p.saturation.latencyMs;
    row(
      'Pipeline at saturation',
      `${p.saturation.submissions} webhooks, ${p.config.inFlightAtSaturation} in flight; p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, p99 ${ms(s.p99)}; mean encoder batch ${p.meanEncoderBatch.toFixed(1)}`,
      p.saturation.imagesPerSecond,
      check(p.saturation.imagesPerSecond, limit, TARGETS.pipeline),
    );
    const h = p.half.latencyMs;
    row(
      'Pipeline at half load',
      `${p.half.submissions} webhooks offered at ${p.half.offeredPerSecond.toFixed(1)}/s; p50 ${ms(h.p50)}, p95 ${ms(h.p95)}, p99 ${ms(h.p99)}`,
      p.half.imagesPerSecond,
      '',
    );
  }
  if (r.peer) {
    const { naive: n, tuned: t } = r.peer;
    row(
      'transformers.js `zero-shot-image-classification`',
      `${n.config.labels} policy prompts as labels, one image per call, ${n.config.images} images`,
      n.imagesPerSecond,
      '',
    );
    row(
      'transformers.js tuned',
      `text embedded once (${t.config.texts} prompts, ${t.textSeconds.toFixed(1)} s), vision batch ${t.config.batch}, ${t.config.intraOpThreads} threads, ${t.config.images} images`,
      t.imagesPerSecond,
      '',
    );
    lines.push(
      '',
      '**Parity with transformers.js** (same model files):',
      '',
      '| Comparison | Largest score difference | Agreement | Target |',
      '| --- | ---: | --- | --- |',
      `| Zero-shot probabilities over the ${n.config.labels} labels | ${n.maxScoreDiff.toExponential(2)} | top label ${n.topLabelAgreement} | ≤ 1e-3 ${verdict(n.maxScoreDiff <= TARGETS.scoreDiff)} |`,
      `| Policy category scores and verdicts | ${t.maxScoreDiff.toExponential(2)} | verdict ${t.verdictAgreement} | ≤ 1e-3 ${verdict(t.maxScoreDiff <= TARGETS.scoreDiff)} |`,
      `| Vision embeddings from the same pixel tensor | ${r.peer.sameInputEmbeddingMaxDiff.toExponential(2)} | | |`,
      `| Policy prompt embeddings (template ensembles) | ${r.peer.textEmbeddingMaxDiff.toExponential(2)} | | |`,
      '',
      "Against OpenAI's reference preprocessing (PIL; `../shared/clip/pixels`): mean absolute pixel difference, and the",
      'largest difference in zero-shot probabilities from those the reference pixels give:',
      '',
      '| Image | clipguard pixels | transformers.js pixels | clipguard probabilities | transformers.js probabilities |',
      '| --- | ---: | ---: | ---: | ---: |',
      ...r.peer.pixels.map(
        (p) =>
          `| ${p.image} | ${p.oursMeanAbs.toFixed(4)} | ${p.theirsMeanAbs.toFixed(4)} | ${p.oursScoreDiff.toExponential(2)} | ${p.theirsScoreDiff.toExponential(2)} |`,
      ),
    );
  }
  if (r.text) {
    const t = r.text;
    lines.push(
      '',
      `**Text side**: compiling \`${t.config.policy}\` (${t.config.prompts} prompts, ${t.config.texts} prompt × template texts): cold ${ms(t.coldMs)} (${t.textsPerSecond.toFixed(0)} texts/s, ${t.config.intraOpThreads} threads, batch ${t.config.maxBatch}); from the compiled-policy cache ${ms(t.cachedMs)}.`,
    );
  }
  if (r.limit) {
    lines.push(
      '',
      '**Limit sweep** (images/s):',
      '',
      '| Layout | ' +
        batchesOf(r.limit)
          .map((b) => `batch ${b}`)
          .join(' | ') +
        ' |',
    );
    lines.push(
      '| --- |' +
        batchesOf(r.limit)
          .map(() => ' ---: |')
          .join(''),
    );
    const layouts = [...new Set(r.limit.sweep.map((p) => `${p.sessions}×${p.threads}`))];
    for (const l of layouts) {
      const cells = batchesOf(r.limit).map((b) => {
        const p = r.limit?.sweep.find((x) => `${x.sessions}×${x.threads}` === l && x.batch === b);
        return p ? rate(p.imagesPerSecond) : '–';
      });
      const [s, t] = l.split('×');
      lines.push(`| ${s} session(s) × ${t} thread(s) | ${cells.join(' | ')} |`);
    }
  }
  return lines.join('\n');
}

const batchesOf = (l: LimitResult) => [...new Set(l.sweep.map((p) => p.batch))].sort((a, b) => a - b);

/** Replaces what lies between the markers, keeping the hand-written text around it. */
export function replaceMarked(doc: string, content: string): string {
  const start = doc.indexOf(MARKERS.start);
  const end = doc.indexOf(MARKERS.end);
  if (start < 0 || end < start)
    throw new Error(`docs/benchmarks.md lacks the ${MARKERS.start} … ${MARKERS.end} markers`);
  return `${doc.slice(0, start + MARKERS.start.length)}\n${content}\n${doc.slice(end)}`;
}
