import type { Command } from 'commander';
import type { CliIo } from '../output';
import { registerDiff } from './policy-diff.command';
import { registerEval } from './policy-eval.command';
import { registerValidate } from './policy-validate.command';

export function registerPolicy(program: Command, io: CliIo): void {
  const policy = program.command('policy').description('validate, evaluate and compare policy versions');
  registerValidate(policy, io);
  registerEval(policy, io);
  registerDiff(policy, io);
}
