import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { PolicyError, flattenCategories } from '@clipguard/policy';
import { listPolicyFiles, readPolicyFile } from '@clipguard/storage';
import { CliError, EXIT_FLAGGED, formatError } from '../errors';
import { helpEpilogue } from '../options';
import type { CliIo } from '../output';

const EXIT_CODES = `Exit codes:
  0  every policy file is valid
  1  some policy file is invalid (each problem is shown with its line and column)
  4  the path does not exist or holds no v<N>.yaml files`;

export function registerValidate(policy: Command, io: CliIo): void {
  policy
    .command('validate')
    .description(
      "check policy files (a file, or every v<N>.yaml under a directory); problems go to stderr like a compiler's",
    )
    .argument('<path>', 'policy file or directory')
    .addHelpText(
      'after',
      helpEpilogue(
        ['clipguard policy validate policies/default', 'clipguard policy validate policies/default/v2.yaml'],
        EXIT_CODES,
      ),
    )
    .action((path: string) => {
      const stat = statSync(path, { throwIfNoEntry: false });
      if (!stat) {
        throw new PolicyError('POLICY_NOT_FOUND', `${path}: no such policy file or directory`, path);
      }
      const files = stat.isDirectory() ? listPolicyFiles(path).map((f) => f.file) : [path];
      if (files.length === 0) {
        throw new CliError(
          'INPUT_EMPTY',
          `${path} holds no policy files`,
          'policy files are named policies/<id>/v<N>.yaml',
        );
      }
      for (const file of files) {
        try {
          const { policy: p, hash } = readPolicyFile(file);
          const count = flattenCategories(p.categories).length;
          io.out(
            `ok     ${file}  ${p.id} v${p.version}  ${count} categories  ${p.scoring.method}  sha256:${hash.slice(0, 12)}`,
          );
        } catch (err) {
          if (!(err instanceof PolicyError)) throw err;
          io.out(`error  ${file}`);
          io.err(formatError(err));
          io.setExitCode(EXIT_FLAGGED);
        }
      }
    });
}
