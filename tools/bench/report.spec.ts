import { MARKERS, renderResults, replaceMarked, type BenchReport } from './report';

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

const report: BenchReport = {
  startedAt: '2026-11-27T00:00:00Z',
  durationSeconds: 300,
  machine,
  model: { dir: '/m', id: 'vit/fp32@abc', source: 'random' },
  limit: {
    best: { sessions: 2, threads: 1, batch: 8, imagesPerSecond: 20 },
    sweep: [
      { sessions: 1, threads: 2, batch: 8, imagesPerSecond: 16 },
      { sessions: 2, threads: 1, batch: 8, imagesPerSecond: 20 },
    ],
  },
  engine: {
    config: { visionSessions: 2, intraOpThreads: 1, maxBatch: 8, maxWaitMs: 5, callers: 64 },
    imagesPerSecond: 19,
    images: 400,
    meanBatch: 8,
  },
  scan: {
    config: { images: 500, visionSessions: 2, intraOpThreads: 1, maxBatch: 8, command: 'clipguard scan' },
    imagesPerSecond: 15,
    wallSeconds: 40,
    verdicts: { allow: 500 },
    errors: 0,
  },
};

describe('bench report', () => {
  it('states each figure with its ratio to the limit and whether the target was met', () => {
    const md = renderResults(report);
    expect(md).toMatch(/\| Engine: `embedImageTensors` \|[^\n]*\| 19\.0 \| 0\.95× \|[^\n]*≥ 0\.95× met/);
    expect(md).toMatch(/`clipguard scan`[^\n]*\| 15\.0 \| 0\.75× \|[^\n]*≥ 0\.85× \*\*missed\*\*/);
    expect(md).toContain('| 2 session(s) × 1 thread(s) | 20.0 |');
  });

  it('rewrites only the generated part of the document', () => {
    const doc = `# Benchmarks\nintro\n${MARKERS.start}\nold table\n${MARKERS.end}\nanalysis\n`;
    const out = replaceMarked(doc, 'new table');
    expect(out).toBe(`# Benchmarks\nintro\n${MARKERS.start}\nnew table\n${MARKERS.end}\nanalysis\n`);
    expect(() => replaceMarked('# no markers', 'x')).toThrow('markers');
  });
});
