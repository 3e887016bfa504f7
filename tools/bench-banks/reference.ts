import { readFileSync } from 'node:fs';
import { pdqDistance, pdqFromHex, pdqHashImage } from '@clipguard/banks';

/**
 * Lines of Meta's `pdq-photo-hasher` output (`hash,quality,path`) → a markdown table of our distance to
 * each. The paths must be readable from here (build the reference as docs/banks.md describes).
 */
export async function compareWithReference(csv: string): Promise<string> {
  const lines = ['| file | reference quality | our quality | distance |', '| --- | ---: | ---: | ---: |'];
  for (const line of csv.trim().split('\n')) {
    const [hex, quality, path] = line.split(',');
    const ours = await pdqHashImage(readFileSync(path));
    lines.push(
      `| ${path.replace(/^.*\/(data|images)\//, '')} | ${quality} | ${ours.quality} | ${pdqDistance(ours.hash, pdqFromHex(hex))} |`,
    );
  }
  return lines.join('\n');
}
