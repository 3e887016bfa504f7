import { NOISE } from './format';
import type { PairedRun } from './paired';
import { MARKERS, renderResults, replaceMarked, type BenchReport } from './report';
import { pairRatios } from './stats';

const machine = {
  cpu: 'Test CPU',
  cores: 2,
  memoryGiB: 24,
  os: 'linux',
  node: 'v20',
  onnxruntime: '1.30.0',
  transformersJs: '4.3.1',
  sharp: '0.35.5',
};

const paired = (stage: number[], limit: number[]): PairedRun => ({
  stage,
  limit,
  limitCpuMsPerImage: limit.map(() => 100),
  ratio: pairRatios(stage, limit),
});

const limit = (imagesPerSecond: number) => ({
  best: { sessions: 2, threads: 1, batch: 8, imagesPerSecond },
  sweep: [
    { sessions: 1, threads: 2, batch: 8, imagesPerSecond: imagesPerSecond - 4 },
    { sessions: 2, threads: 1, batch: 8, imagesPerSecond },
  ],
  repeats: [imagesPerSecond, imagesPerSecond, imagesPerSecond],
});

const engine = (run: PairedRun) => ({
  variant: 'fp32' as const,
  config: { visionSessions: 2, intraOpThreads: 1, maxBatch: 8, maxWaitMs: 5, callers: 64 },
  imagesPerSecond: run.stage[1],
  images: 400,
  meanBatch: 8,
  paired: run,
});

const cpu = (outside: number) => ({
  images: 100,
  msPerImage: {
    'ingest-api': 5,
    'clip-worker': 100 + outside - 15,
    'decision-service': 6,
    postgres: 3,
    redis: 1,
  },
  benchMsPerImage: 4,
  inferenceMsPerImage: 100,
  outsideInferenceMsPerImage: outside,
  inferenceBasis: [{ batch: 4, images: 100, cpuMsPerImage: 100 }],
});

const pipeline = (outside: number) => ({
  variant: 'fp32' as const,
  config: {
    visionSessions: 2,
    intraOpThreads: 1,
    maxBatch: 8,
    workerConcurrency: 32,
    inFlightAtSaturation: 64,
    upload: 'JPEG',
  },
  saturation: {
    submissions: 300,
    imagesPerSecond: 14,
    latencyMs: { count: 300, p50: 1000, p95: 2000, p99: 3000, max: 3500 },
    paired: paired([14, 14, 14], [20, 20, 20]),
  },
  meanEncoderBatch: 3,
  cpu: cpu(outside),
});

const report: BenchReport = {
  startedAt: '2026-11-27T00:00:00Z',
  durationSeconds: 300,
  machine,
  quick: false,
  model: { dir: '/m', source: 'random', ids: { fp32: 'vit/fp32@abc', int8: 'vit/int8@def' } },
  variants: {
    fp32: {
      limit: limit(20),
      engine: engine(paired([19, 19.5, 20.4], [20, 20, 20])),
      scan: {
        variant: 'fp32',
        config: {
          images: 500,
          windows: 3,
          visionSessions: 2,
          intraOpThreads: 1,
          maxBatch: 8,
          command: 'scan',
        },
        imagesPerSecond: 15,
        wallSeconds: 40,
        verdicts: { allow: 500 },
        errors: 0,
        paired: paired([15, 15, 15], [20, 20, 20]),
      },
      pipeline: pipeline(25),
    },
    int8: {
      limit: limit(36),
      engine: { ...engine(paired([34, 35, 36], [40, 40, 40])), variant: 'int8' },
      pipeline: { ...pipeline(12), variant: 'int8' },
    },
  },
  int8Speedup: paired([36, 34, 38], [20, 20, 20]),
  int8VerdictAgreement: { same: 480, total: 500, changes: { 'allow → review': 20 } },
};

describe('bench report', () => {
  const md = renderResults(report);

  it('divides each stage by its adjacent limit windows: the median pair ratio, with the range', () => {
    expect(md).toMatch(
      /\| Engine: `embedImageTensors` \|[^\n]*\| 19\.5 \| 0\.97× \(0\.95×–1\.02×†\) \|[^\n]*≥ 0\.95× met/,
    );
    expect(md).toMatch(
      /`clipguard scan`[^\n]*\| 15\.0 \| 0\.75× \(0\.75×–0\.75×\) \|[^\n]*≥ 0\.85× \*\*missed\*\*/,
    );
    expect(md).toContain('- Engine fp32: 20.0 → 19.0 (0.95), 20.0 → 19.5 (0.97), 20.0 → 20.4 (1.02)');
  });

  it('never prints a ratio to the limit above 1 without the noise mark and its note', () => {
    /** The cells of the given columns in the table whose header row starts with `header`. */
    const columns = (header: string, indexes: number[]) => {
      const rows = md.split('\n');
      const start = rows.findIndex((l) => l.startsWith(header));
      const body = rows.slice(start + 2);
      const end = body.findIndex((l) => !l.startsWith('|'));
      return body.slice(0, end < 0 ? undefined : end).flatMap((l) => {
        const cells = l.split('|').slice(1, -1);
        return indexes.map((i) => cells[i].trim());
      });
    };
    const toLimit = [
      ...columns('| Measurement | Configuration |', [3]),
      ...columns('| Measurement | fp32 images/s |', [2, 4]),
    ];
    const ratios = toLimit.flatMap((cell) => [...cell.matchAll(/(\d+\.\d+)×(†?)/g)]);
    expect(ratios.filter(([, x]) => Number(x) > 1)).not.toHaveLength(0);
    for (const [, x, mark] of ratios) expect([x, mark]).toEqual([x, Number(x) > 1 ? NOISE : '']);
    expect(md).toContain(`${NOISE} above 1: nothing beats raw`);
  });

  it('reports int8 against fp32: the limit speed-up pair by pair, each stage to its own limit, verdict agreement', () => {
    expect(md).toMatch(
      /\| Limit \(int8: 2 × 1, batch 8\) \| 20\.0 \| 1\.00× \| 36\.0 \| 1\.00× \| 1\.80× \(1\.70×–1\.90×\) pair by pair \|/,
    );
    // Through the limits: int8's ratio 0.875 × speed-up 1.8 ÷ fp32's 0.975, not 35 ÷ 19.5 (two moments).
    expect(md).toMatch(/\| Engine \| 19\.5 \| 0\.97× [^|]*\| 35\.0 \| 0\.88× [^|]*\| 1\.62× \|/);
    expect(md).toContain('the same verdict for 480 of 500 images (96.0%); changed: allow → review: 20');
  });

  it('gives the CPU per image outside inference against its target for each variant', () => {
    expect(md).toMatch(
      /\| \*\*outside inference\*\* \(target ≤ 20 ms\) \| \*\*25\.0\*\* \*\*missed\*\* \| \*\*12\.0\*\* met \|/,
    );
    expect(md).toMatch(/\| of which inference \(estimated\) \| 100\.0 \| 100\.0 \|/);
  });

  it('rewrites only the generated part of the document', () => {
    const doc = `# Benchmarks\nintro\n${MARKERS.start}\nold table\n${MARKERS.end}\nanalysis\n`;
    const out = replaceMarked(doc, 'new table');
    expect(out).toBe(`# Benchmarks\nintro\n${MARKERS.start}\nnew table\n${MARKERS.end}\nanalysis\n`);
    expect(() => replaceMarked('# no markers', 'x')).toThrow('markers');
  });
});
