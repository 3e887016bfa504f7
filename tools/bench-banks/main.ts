// `npm run bench:banks`: match latency of the bank indexes and PDQ's cost and robustness, as markdown.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pdqHashImage } from '@clipguard/banks';
import { SHARED_IMAGES } from '@clipguard/testing';
import { describeMachine } from '../bench/machine';
import { summarizeLatencies } from '../bench/stats';
import { measureEmbeddings, measurePdq, type LatencyRow } from './latency';
import { compareWithReference } from './reference';
import { measureRobustness } from './robustness';

const IMAGES = [
  'astronaut.png',
  'chelsea.png',
  'coffee.png',
  'rocket.jpg',
  'camera.png',
  'motorcycle_right.png',
  'hubble_deep_field.jpg',
  'coins.png',
  'horse.png',
  'page.png',
  'text.png',
  'CLIP.png',
];
const fmt = (x: number) => (x < 1 ? x.toFixed(2) : x.toFixed(1));

function latencyTable(rows: LatencyRow[]): string {
  const lines = [
    '| index | entries | p50 ms | p99 ms | build s | recall@1 |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.what} | ${r.entries.toLocaleString('en')} | ${fmt(r.latency.p50)} | ${fmt(r.latency.p99)} | ${r.buildSeconds?.toFixed(1) ?? ''} | ${r.recallAt1 ?? ''} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const machine = describeMachine();
  const out: string[] = [
    `Machine: ${machine.cpu}, ${machine.cores} cores (shared with other jobs), ${machine.memoryGiB} GiB, Node ${machine.node}, ${new Date().toISOString().slice(0, 10)}`,
  ];
  const referenceCsv = process.argv[2];
  if (referenceCsv)
    out.push(
      '',
      '### Against the C++ reference tool',
      '',
      await compareWithReference(readFileSync(referenceCsv, 'utf8')),
    );

  const rows: LatencyRow[] = [];
  for (const n of [10_000, 100_000]) {
    rows.push(...measurePdq(n, 300));
    rows.push(...measureEmbeddings(n, 300));
    console.error(`measured ${n}`);
  }
  out.push('', '### Match latency per query', '', latencyTable(rows));

  const hashMs: number[] = [];
  for (const name of IMAGES) {
    const bytes = readFileSync(join(SHARED_IMAGES, name));
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await pdqHashImage(bytes);
      hashMs.push(performance.now() - t);
    }
  }
  const h = summarizeLatencies(hashMs);
  out.push(
    '',
    `### PDQ hashing (decode + hash, ${IMAGES.length} shared images × 5)`,
    '',
    `p50 ${fmt(h.p50)} ms, p99 ${fmt(h.p99)} ms, max ${fmt(h.max)} ms`,
  );

  const robust = await measureRobustness(SHARED_IMAGES, IMAGES);
  const edits = Object.keys(robust[0].distances);
  out.push(
    '',
    '### PDQ distance after edits (match ≤ 31)',
    '',
    `| image | quality | ${edits.join(' | ')} |`,
    `| --- | ---: | ${edits.map(() => '---:').join(' | ')} |`,
  );
  for (const r of robust)
    out.push(`| ${r.image} | ${r.quality} | ${edits.map((e) => r.distances[e]).join(' | ')} |`);
  console.log(out.join('\n'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
