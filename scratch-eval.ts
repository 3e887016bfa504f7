import { readFileSync } from 'node:fs';
import { ClipEngine, embedLabels, scoreLabels } from './libs/clip/src';
import { COLOUR_NAMES, SHAPES, randomScene, renderScene, rng } from './test/support/shapes';
(async () => {
  const e = await ClipEngine.open({ modelDir: process.argv[2], variant: 'fp32' });
  const tShape = COLOUR_NAMES.flatMap((c) => [`a ${c} {}`, `a photo of a ${c} {}`]);
  const L = await embedLabels(e, SHAPES, tShape);
  const meta = JSON.parse(readFileSync('/tmp/pil/meta.json', 'utf8')) as { path: string; shape: string; size: string; count: string }[];
  const by: Record<string, [number, number]> = {};
  for (const m of meta) {
    const emb = (await e.embedImage(readFileSync(m.path))).embeddings[0];
    const ok = scoreLabels(emb, SHAPES, L, e.info.logitScale)[0].label === m.shape;
    for (const k of ['all', `size:${m.size}`, `count:${m.count}`, `shape:${m.shape}`]) { by[k] ??= [0, 0]; by[k][0] += ok ? 1 : 0; by[k][1]++; }
  }
  console.log('PIL', Object.entries(by).map(([k, [a, b]]) => `${k}=${(a / b).toFixed(2)}`).join(' '));
  const r = rng(5); const by2: Record<string, [number, number]> = {};
  for (let i = 0; i < 240; i++) {
    const s = randomScene(r); const emb = (await e.embedImage(await renderScene(s, r))).embeddings[0];
    const ok = scoreLabels(emb, SHAPES, L, e.info.logitScale)[0].label === s.shape;
    for (const k of ['all', `size:${s.size}`, `count:${s.count}`, `shape:${s.shape}`]) { by2[k] ??= [0, 0]; by2[k][0] += ok ? 1 : 0; by2[k][1]++; }
  }
  console.log('SVG', Object.entries(by2).map(([k, [a, b]]) => `${k}=${(a / b).toFixed(2)}`).join(' '));
  await e.close();
})();
