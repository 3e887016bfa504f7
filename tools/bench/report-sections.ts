import type { ModelVariant } from '@clipguard/config';
import { TARGETS, pairedTimes, plainTimes, rate, speedupTimes, verdict } from './format';
import type { PairedRun } from './paired';
import type { BenchReport } from './report';
import type { PeerResult } from './stages/peer';
import type { PipelineCpu } from './stages/pipeline-cpu';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** fp32 against int8: speeds (each to its own limit, and int8 ÷ fp32) and accuracy. */
export function int8Section(r: BenchReport): string[] {
  const [f, q] = [r.variants.fp32, r.variants.int8];
  const lines: string[] = [];
  if (f && q) {
    lines.push(
      '',
      '**INT8** (`tools/quantize`: per-column int8 weights, activations quantized at run time; each variant at its own best layout):',
      '',
      '| Measurement | fp32 images/s | × fp32 limit | int8 images/s | × int8 limit | int8 ÷ fp32 (through the limits) |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
    );
    const b = q.limit.best;
    lines.push(
      `| Limit (int8: ${b.sessions} × ${b.threads}, batch ${b.batch}) | ${rate(f.limit.best.imagesPerSecond)} | 1.00× | ${rate(b.imagesPerSecond)} | 1.00× | ${r.int8Speedup ? `${speedupTimes(r.int8Speedup.ratio)} pair by pair` : plainTimes(b.imagesPerSecond, f.limit.best.imagesPerSecond)} |`,
    );
    // int8 ÷ fp32 of a stage through the adjacent limits (int8's ratio × the limit speed-up ÷ fp32's
    // ratio): the two stages ran minutes apart, so dividing their rates directly would compare two moments.
    const speedup = r.int8Speedup?.ratio.median;
    const through = (a?: PairedRun, c?: PairedRun) =>
      a && c && speedup ? `${((c.ratio.median * speedup) / a.ratio.median).toFixed(2)}×` : '–';
    const row = (name: string, a?: { imagesPerSecond: number; paired: PairedRun }, c?: typeof a) => {
      if (a || c)
        lines.push(
          `| ${name} | ${rate(a?.imagesPerSecond)} | ${pairedTimes(a?.paired.ratio)} | ${rate(c?.imagesPerSecond)} | ${pairedTimes(c?.paired.ratio)} | ${through(a?.paired, c?.paired)} |`,
        );
    };
    row('Engine', f.engine, q.engine);
    row('`clipguard scan`', f.scan, q.scan);
    const sat = (p?: typeof f.pipeline) =>
      p && { imagesPerSecond: p.saturation.imagesPerSecond, paired: p.saturation.paired };
    row('Pipeline at saturation', sat(f.pipeline), sat(q.pipeline));
  }
  const a = r.int8Accuracy;
  const agree = r.int8VerdictAgreement;
  if (a || agree) lines.push('', '**INT8 accuracy** against fp32:', '');
  if (a) {
    const t = a.tinyClip;
    lines.push(
      `- Bench model: cosine between fp32 and int8 image embeddings over the ${a.bench.images} shared images: min ${a.bench.minCosine.toFixed(5)} (${a.bench.worstImage}), mean ${a.bench.meanCosine.toFixed(5)}.`,
      `- Tiny CLIP, ${t.images} held-out renders: shape ${pct(t.int8.shapeAccuracy)} (fp32 ${pct(t.fp32.shapeAccuracy)}), colour ${pct(t.int8.colourAccuracy)} (fp32 ${pct(t.fp32.colourAccuracy)}), text→image Recall@1 ${t.int8.recallAt1.toFixed(3)} (fp32 ${t.fp32.recallAt1.toFixed(3)}); same shape as fp32 on ${pct(t.shapeAgreement)}, same colour on ${pct(t.colourAgreement)}; image cosine min ${t.minImageCosine.toFixed(5)}.`,
    );
  }
  if (agree) {
    const changes = Object.entries(agree.changes)
      .map(([k, n]) => `${k}: ${n}`)
      .join(', ');
    lines.push(
      `- Default policy on the bench corpus (\`scan\`): the same verdict for ${agree.same} of ${agree.total} images (${pct(agree.same / Math.max(1, agree.total))})${changes ? `; changed: ${changes}` : ''}.`,
    );
  }
  return lines;
}

const CPU_ROWS: [string, string][] = [
  ['ingest-api', 'ingest API'],
  ['clip-worker', 'clip-worker (all threads, inference included)'],
  ['decision-service', 'decision service'],
  ['postgres', "PostgreSQL backends of the run's database"],
  ['redis', "Redis (the bench's own server)"],
];

/** CPU ms per image decided at saturation, by process, and the figure outside inference. */
export function cpuSection(r: BenchReport): string[] {
  const variants = (['fp32', 'int8'] as ModelVariant[]).filter((v) => r.variants[v]?.pipeline);
  if (!variants.length) return [];
  const cpu = (v: ModelVariant) => r.variants[v]?.pipeline?.cpu as PipelineCpu;
  const cell = (x: number) => x.toFixed(1);
  const lines = [
    '',
    '**CPU per image decided**, pipeline at saturation (user + system time from `/proc`, ms per image):',
    '',
    `| Process | ${variants.join(' | ')} |`,
    `| --- |${variants.map(() => ' ---: |').join('')}`,
  ];
  const total = (c: PipelineCpu) => Object.values(c.msPerImage).reduce((a, b) => a + b, 0);
  for (const [key, name] of CPU_ROWS)
    lines.push(`| ${name} | ${variants.map((v) => cell(cpu(v).msPerImage[key] ?? 0)).join(' | ')} |`);
  lines.push(
    `| all of the pipeline | ${variants.map((v) => cell(total(cpu(v)))).join(' | ')} |`,
    `| of which inference (estimated) | ${variants.map((v) => cell(cpu(v).inferenceMsPerImage)).join(' | ')} |`,
    `| **outside inference** (target ≤ ${TARGETS.outsideInferenceMs} ms) | ${variants
      .map((v) => {
        const x = cpu(v).outsideInferenceMsPerImage;
        return `**${cell(x)}** ${verdict(x <= TARGETS.outsideInferenceMs)}`;
      })
      .join(' | ')} |`,
    `| the bench's load generator, upload server and callback receiver (not counted) | ${variants.map((v) => cell(cpu(v).benchMsPerImage)).join(' | ')} |`,
    '',
    "Inference is estimated: the clip-worker's threads cannot be told apart in `/proc`, so its ONNX Runtime time is the images it ran at each batch size times the CPU per image of raw `session.run` at that size, measured by the limit in the same layout right after (" +
      variants
        .map(
          (v) =>
            `${v}: ${cpu(v)
              .inferenceBasis.map(
                (b) => `${b.images.toFixed(0)} images at batch ${b.batch}, ${b.cpuMsPerImage.toFixed(1)} ms`,
              )
              .join('; ')}`,
        )
        .join(' — ') +
      '). PostgreSQL also writes WAL and checkpoints in shared background processes, not counted here.',
  );
  return lines;
}

/** Every window pair: the limit just before, then the stage, in images/s. */
export function pairsSection(r: BenchReport): string[] {
  const rows: [string, PairedRun | undefined][] = [];
  for (const v of ['fp32', 'int8'] as ModelVariant[]) {
    const x = r.variants[v];
    rows.push([`Engine ${v}`, x?.engine?.paired], [`Scan ${v}`, x?.scan?.paired]);
    rows.push([`Pipeline ${v}`, x?.pipeline?.saturation.paired]);
  }
  rows.push(['int8 limit (fp32 limit before it)', r.int8Speedup]);
  const present = rows.filter((x): x is [string, PairedRun] => x[1] !== undefined);
  if (!present.length) return [];
  return [
    '',
    '**Window pairs** (limit → stage, images/s; the ratio of each pair):',
    '',
    ...present.map(
      ([name, p]) =>
        `- ${name}: ${p.stage.map((s, i) => `${rate(p.limit[i])} → ${rate(s)} (${(s / p.limit[i]).toFixed(2)})`).join(', ')}`,
    ),
  ];
}

export function parityLines(peer: PeerResult): string[] {
  const { naive: n, tuned: t } = peer;
  return [
    '',
    '**Parity with transformers.js** (same model files):',
    '',
    '| Comparison | Largest score difference | Agreement | Target |',
    '| --- | ---: | --- | --- |',
    `| Zero-shot probabilities over the ${n.config.labels} labels | ${n.maxScoreDiff.toExponential(2)} | top label ${n.topLabelAgreement} | ≤ 1e-3 ${verdict(n.maxScoreDiff <= TARGETS.scoreDiff)} |`,
    `| Policy category scores and verdicts | ${t.maxScoreDiff.toExponential(2)} | verdict ${t.verdictAgreement} | ≤ 1e-3 ${verdict(t.maxScoreDiff <= TARGETS.scoreDiff)} |`,
    `| Vision embeddings from the same pixel tensor | ${peer.sameInputEmbeddingMaxDiff.toExponential(2)} | | |`,
    `| Policy prompt embeddings (template ensembles) | ${peer.textEmbeddingMaxDiff.toExponential(2)} | | |`,
    '',
    "Against OpenAI's reference preprocessing (PIL; `../shared/clip/pixels`): mean absolute pixel difference, and the",
    'largest difference in zero-shot probabilities from those the reference pixels give:',
    '',
    '| Image | clipguard pixels | transformers.js pixels | clipguard probabilities | transformers.js probabilities |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...peer.pixels.map(
      (p) =>
        `| ${p.image} | ${p.oursMeanAbs.toFixed(4)} | ${p.theirsMeanAbs.toFixed(4)} | ${p.oursScoreDiff.toExponential(2)} | ${p.theirsScoreDiff.toExponential(2)} |`,
    ),
  ];
}

/** The limit sweep of each variant (images/s by layout and batch). */
export function sweepSection(r: BenchReport): string[] {
  const lines: string[] = [];
  for (const v of ['fp32', 'int8'] as ModelVariant[]) {
    const limit = r.variants[v]?.limit;
    if (!limit || limit.sweep.length < 2) continue;
    const batches = [...new Set(limit.sweep.map((p) => p.batch))].sort((a, b) => a - b);
    lines.push(
      '',
      `**Limit sweep, ${v}** (images/s):`,
      '',
      `| Layout | ${batches.map((b) => `batch ${b}`).join(' | ')} |`,
      `| --- |${batches.map(() => ' ---: |').join('')}`,
    );
    for (const l of [...new Set(limit.sweep.map((p) => `${p.sessions}×${p.threads}`))]) {
      const cells = batches.map((b) => {
        const p = limit.sweep.find((x) => `${x.sessions}×${x.threads}` === l && x.batch === b);
        return p ? rate(p.imagesPerSecond) : '–';
      });
      const [s, t] = l.split('×');
      lines.push(`| ${s} session(s) × ${t} thread(s) | ${cells.join(' | ')} |`);
    }
  }
  return lines;
}
