import type { ModelVariant } from '@clipguard/config';
import { NOISE_NOTE, TARGETS, ms, pairedTimes, plainTimes, rate, target, verdict } from './format';
import type { Machine } from './machine';
import type { PairedRun } from './paired';
import { cpuSection, int8Section, pairsSection, parityLines, sweepSection } from './report-sections';
import type { EngineResult } from './stages/engine';
import type { Int8Accuracy, verdictAgreement } from './stages/int8-accuracy';
import type { LimitResult } from './stages/limit';
import type { PeerResult } from './stages/peer';
import type { PipelineResult } from './stages/pipeline';
import type { ScanResult } from './stages/scan';
import type { TextResult } from './stages/text';

export interface VariantReport {
  limit: LimitResult;
  engine?: EngineResult;
  scan?: ScanResult;
  pipeline?: PipelineResult;
}

export interface BenchReport {
  startedAt: string;
  durationSeconds: number;
  machine: Machine;
  quick: boolean;
  model: { dir: string; source: string; ids: Partial<Record<ModelVariant, string>> };
  variants: Partial<Record<ModelVariant, VariantReport>>;
  /** The int8 limit divided by the fp32 limit, window pair by window pair. */
  int8Speedup?: PairedRun;
  int8VerdictAgreement?: ReturnType<typeof verdictAgreement>;
  int8Accuracy?: Int8Accuracy;
  peer?: PeerResult;
  /** The fp32 limit in the windows just before and after the peer stage (their mean). */
  peerLimit?: number;
  text?: TextResult;
}

export { TARGETS };

export const MARKERS = { start: '<!-- bench:results:start -->', end: '<!-- bench:results:end -->' };

/** The generated part of docs/benchmarks.md: every figure, its ratio to the limit and to each peer. */
export function renderResults(r: BenchReport): string {
  const m = r.machine;
  const f = r.variants.fp32;
  const naive = r.peer?.naive.imagesPerSecond;
  const tuned = r.peer?.tuned.imagesPerSecond;
  const ids = Object.values(r.model.ids)
    .map((id) => `\`${id}\``)
    .join(', ');
  const lines = [
    `${r.quick ? 'Quick run (`--quick`)' : 'Run'} ${r.startedAt} (${r.durationSeconds.toFixed(0)} s) on ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}, onnxruntime-node ${m.onnxruntime}, sharp ${m.sharp}, transformers.js ${m.transformersJs}.`,
    `Model: ${ids} (${r.model.source}).`,
    '',
    "Each stage runs in windows, each right after a limit window of the same variant and layout; × limit is the median of the window pairs' ratios, with their range.",
    '',
    '| Measurement | Configuration | Images/s | × limit | × naive transformers.js | × tuned transformers.js | Target |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- |',
  ];
  const row = (name: string, config: string, x: number | undefined, toLimit: string, goal: string) =>
    lines.push(
      `| ${name} | ${config} | ${rate(x)} | ${toLimit} | ${plainTimes(x, naive)} | ${plainTimes(x, tuned)} | ${goal} |`,
    );
  if (f) {
    const b = f.limit.best;
    row(
      'Limit: raw `session.run`',
      f.limit.repeats.length > 1
        ? `${b.sessions} session(s) × ${b.threads} thread(s), batch ${b.batch}; median of ${f.limit.repeats.length} re-measurements`
        : `${b.sessions} session(s) × ${b.threads} thread(s), batch ${b.batch}`,
      b.imagesPerSecond,
      '1.00×',
      '',
    );
  }
  if (f?.engine) {
    const c = f.engine.config;
    row(
      'Engine: `embedImageTensors`',
      `${c.callers} concurrent callers, max batch ${c.maxBatch} (mean ${f.engine.meanBatch.toFixed(1)}); ${f.engine.paired.stage.length} windows`,
      f.engine.imagesPerSecond,
      pairedTimes(f.engine.paired.ratio),
      target(f.engine.paired.ratio, TARGETS.engine),
    );
  }
  if (f?.scan) {
    const s = f.scan;
    row(
      '`clipguard scan` (decode included)',
      `${s.config.images} JPEGs of 1–4 MP in ${s.config.windows} processes, default policy; first process's wall ${s.wallSeconds.toFixed(0)} s incl. start-up`,
      s.imagesPerSecond,
      pairedTimes(s.paired.ratio),
      [
        target(s.paired.ratio, TARGETS.scan),
        tuned ? `≥ ${TARGETS.tuned}× ${verdict(s.imagesPerSecond / tuned >= TARGETS.tuned)} vs tuned` : '',
        naive ? `≥ ${TARGETS.naive}× ${verdict(s.imagesPerSecond / naive >= TARGETS.naive)} vs naive` : '',
      ]
        .filter(Boolean)
        .join('; '),
    );
  }
  if (f?.pipeline) {
    const p = f.pipeline;
    const s = p.saturation.latencyMs;
    row(
      'Pipeline at saturation',
      `${p.saturation.submissions} webhooks in ${p.saturation.paired.stage.length} windows, ${p.config.inFlightAtSaturation} in flight; p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, p99 ${ms(s.p99)}; mean encoder batch ${p.meanEncoderBatch.toFixed(1)}`,
      p.saturation.imagesPerSecond,
      pairedTimes(p.saturation.paired.ratio),
      target(p.saturation.paired.ratio, TARGETS.pipeline),
    );
    if (p.half) {
      const h = p.half.latencyMs;
      row(
        'Pipeline at half load',
        `${p.half.submissions} webhooks offered at ${p.half.offeredPerSecond.toFixed(1)}/s; p50 ${ms(h.p50)}, p95 ${ms(h.p95)}, p99 ${ms(h.p99)}`,
        p.half.imagesPerSecond,
        '',
        '',
      );
    }
  }
  if (r.peer) {
    const { naive: n, tuned: t } = r.peer;
    const bracketed = (x: number) => (r.peerLimit ? pairedTimes(single(x / r.peerLimit)) : '–');
    row(
      'transformers.js `zero-shot-image-classification`',
      `${n.config.labels} policy prompts as labels, one image per call, ${n.config.images} images`,
      n.imagesPerSecond,
      bracketed(n.imagesPerSecond),
      '',
    );
    row(
      'transformers.js tuned',
      `text embedded once (${t.config.texts} prompts, ${t.textSeconds.toFixed(1)} s), vision batch ${t.config.batch}, ${t.config.intraOpThreads} threads, ${t.config.images} images`,
      t.imagesPerSecond,
      bracketed(t.imagesPerSecond),
      '',
    );
  }
  lines.push('', NOISE_NOTE);
  if (r.peer) lines.push('The peers are divided by the mean of one limit window before and one after them.');
  lines.push(...int8Section(r), ...cpuSection(r), ...pairsSection(r));
  if (r.peer) lines.push(...parityLines(r.peer));
  if (r.text) {
    const t = r.text;
    lines.push(
      '',
      `**Text side**: compiling \`${t.config.policy}\` (${t.config.prompts} prompts, ${t.config.texts} prompt × template texts): cold ${ms(t.coldMs)} (${t.textsPerSecond.toFixed(0)} texts/s, ${t.config.intraOpThreads} threads, batch ${t.config.maxBatch}); from the compiled-policy cache ${ms(t.cachedMs)}.`,
    );
  }
  lines.push(...sweepSection(r));
  return lines.join('\n');
}

const single = (x: number) => ({ ratios: [x], median: x, min: x, max: x });

/** Replaces what lies between the markers, keeping the hand-written text around it. */
export function replaceMarked(doc: string, content: string): string {
  const start = doc.indexOf(MARKERS.start);
  const end = doc.indexOf(MARKERS.end);
  if (start < 0 || end < start)
    throw new Error(`docs/benchmarks.md lacks the ${MARKERS.start} … ${MARKERS.end} markers`);
  return `${doc.slice(0, start + MARKERS.start.length)}\n${content}\n${doc.slice(end)}`;
}
