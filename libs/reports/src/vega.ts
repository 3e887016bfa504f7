import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as VegaApi from 'vega';
// Types by path: this project's "node" module resolution does not read vega-lite's exports map.
import type * as VegaLiteApi from 'vega-lite/build/index';
import type { TopLevelSpec } from 'vega-lite/build/index';

export type ChartSpec = TopLevelSpec;

/**
 * vega and vega-lite 6 publish ESM whose module graph has a top-level await (vega-canvas probing for the
 * optional `canvas` package), which a CommonJS program cannot require(). Both packages also ship UMD
 * bundles of the same code, but inside packages marked `"type": "module"` Node would load those as ESM
 * too; so each bundle is evaluated here as the CommonJS module it is written to be, and vega-lite's
 * require("vega") is handed the vega bundle.
 */
function loadVega(): { vega: typeof VegaApi; vegaLite: typeof VegaLiteApi } {
  const local = createRequire(__filename);
  const evaluate = <T>(pkg: string, file: string, deps: Record<string, unknown> = {}): T => {
    const code = readFileSync(join(dirname(local.resolve(pkg)), file), 'utf8');
    const mod = { exports: {} };
    const requireDep = (name: string): unknown => deps[name] ?? local(name);
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the package's own UMD bundle
    const run = new Function('exports', 'module', 'require', code) as (...args: unknown[]) => void;
    run(mod.exports, mod, requireDep);
    return mod.exports as T;
  };
  const vega = evaluate<typeof VegaApi>('vega', 'vega.js');
  return { vega, vegaLite: evaluate<typeof VegaLiteApi>('vega-lite', 'vega-lite.min.js', { vega }) };
}

let loaded: ReturnType<typeof loadVega> | undefined;

/** Renders a Vega-Lite spec to a standalone SVG string (no scripts, no external assets). */
export async function renderChartSvg(spec: ChartSpec): Promise<string> {
  loaded ??= loadVega();
  const { vega, vegaLite } = loaded;
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
