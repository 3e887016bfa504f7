import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { nearest } from '@clipguard/banks';
import { loadPipelineEnv } from '@clipguard/config';
import { helpEpilogue, integerIn, withModelOptions } from '../options';
import { withEngine, type EngineFlags } from '../engine-options';
import { formatTable, type CliIo } from '../output';
import { dbOption, withBanks, type DbOptions } from './bank-store';

interface SimilarOptions extends DbOptions, EngineFlags {
  tenant: string;
  limit: number;
  json?: boolean;
}

export function registerSimilar(program: Command, io: CliIo): void {
  withModelOptions(
    program
      .command('similar')
      .description(
        'the images humans already decided in a tenant that are nearest to IMAGE by CLIP embedding',
      )
      .argument('<image>')
      .requiredOption('--tenant <tenant>')
      .option('--limit <n>', 'how many (default 5)', integerIn(1, 100), 5)
      .option('--json', 'JSON lines instead of a table')
      .option(...dbOption),
  )
    .addHelpText(
      'after',
      helpEpilogue(
        ['clipguard similar upload.jpg --tenant acme', 'clipguard similar upload.jpg --tenant acme --json'],
        'Exit codes:\n  0  done (also when no human decision is similar)\n  4  the image, the model or the database could not be read',
      ),
    )
    .action((image: string, o: SimilarOptions) =>
      withEngine(o, async (engine) => {
        const { embeddings } = await engine.embedImage(readFileSync(image), { frames: 1 });
        const scan = loadPipelineEnv().CLIPGUARD_SIMILAR_SCAN_LIMIT;
        const decided = await withBanks(o, ({ cases }) => cases.humanDecided(o.tenant, engine.modelId, scan));
        const top = nearest(embeddings[0], decided, o.limit);
        const rows = top.map((c) => ({
          item_id: c.itemId,
          submission_id: c.submissionId,
          similarity: Number(c.similarity.toFixed(4)),
          verdict: c.verdict,
          labels: c.labels,
          resolved_at: c.resolvedAt.toISOString(),
          resolved_by: c.resolvedBy,
        }));
        if (o.json) for (const r of rows) io.out(JSON.stringify(r));
        else
          io.out(
            formatTable([
              ['similarity', 'verdict', 'labels', 'resolved by', 'resolved at', 'submission'],
              ...rows.map((r) => [
                r.similarity.toFixed(4),
                r.verdict,
                r.labels.join(';'),
                r.resolved_by ?? '',
                r.resolved_at,
                r.submission_id,
              ]),
            ]),
          );
      }),
    );
}
