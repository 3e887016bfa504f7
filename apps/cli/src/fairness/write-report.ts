import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  fairnessCsv,
  fairnessJson,
  renderFairnessHtml,
  type FairnessFigures,
  type ReportMeta,
} from '@clipguard/audit';

/** fairness.html (charts, self-contained), fairness.json and fairness.csv in `dir`; returns their paths. */
export async function writeFairnessReport(
  dir: string,
  f: FairnessFigures,
  meta: ReportMeta,
): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files = ['fairness.html', 'fairness.json', 'fairness.csv'].map((name) => join(dir, name));
  writeFileSync(files[0], await renderFairnessHtml(f, meta));
  writeFileSync(files[1], `${fairnessJson(f, meta)}\n`);
  writeFileSync(files[2], fairnessCsv(f));
  return files;
}
