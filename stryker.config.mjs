// Mutation testing of the pure libraries (docs/mutation-testing.md). One scope at a time, named by
// MUTATE_SCOPE (decision, policy, audit: the hash chain, fairness: the fairness audit, tokenizer,
// preprocess); `npm run mutate` runs them one after the other. Each scope has its own incremental file,
// so a change to one library re-tests only that library's changed mutants.
import { join, resolve } from 'node:path';

const NOT_MUTATED = ['!**/*.spec.ts', '!**/index.ts', '!**/*.d.ts'];

const SCOPES = {
  policy: { mutate: ['libs/policy/src/**/*.ts'], specs: ['libs/policy/src/**/*.spec.ts'] },
  decision: { mutate: ['libs/decision/src/**/*.ts'], specs: ['libs/decision/src/**/*.spec.ts'] },
  // libs/audit holds two libraries in one: the hash chain with its checkpoints, and the fairness audit.
  audit: {
    mutate: ['libs/audit/src/*.ts'],
    specs: ['libs/audit/src/*.spec.ts'],
  },
  fairness: {
    mutate: ['libs/audit/src/fairness/**/*.ts', '!libs/audit/src/fairness/spec-support.ts'],
    specs: ['libs/audit/src/fairness/**/*.spec.ts'],
  },
  tokenizer: {
    mutate: ['libs/clip/src/tokenizer/**/*.ts'],
    specs: ['libs/clip/src/tokenizer/**/*.spec.ts'],
  },
  preprocess: {
    mutate: [
      'libs/clip/src/image/**/*.ts',
      // The pool and its thread entry run the same code in worker threads, where Stryker sees no coverage;
      // the task file holds only types.
      '!libs/clip/src/image/preprocess-pool.ts',
      '!libs/clip/src/image/preprocess.worker.ts',
      '!libs/clip/src/image/preprocess-task.ts',
      '!libs/clip/src/image/spec-support.ts',
    ],
    specs: ['libs/clip/src/image/**/*.spec.ts'],
  },
};

const scopeName = process.env.MUTATE_SCOPE ?? '';
const scope = SCOPES[scopeName];
if (!scope) {
  throw new Error(`MUTATE_SCOPE must be one of ${Object.keys(SCOPES).join(', ')} (got "${scopeName}")`);
}

// The specs read reference data from ../shared beside the checkout; Stryker runs them in a sandbox under
// .stryker-tmp, so name the directory absolutely (the test runners inherit this process's environment).
process.env.CLIPGUARD_SHARED_DIR ??= resolve(import.meta.dirname, '..', 'shared');
// test/mutation/jest.config.js runs only this scope's specs.
process.env.MUTATE_SPECS = JSON.stringify(scope.specs);

const reports = join('reports', 'mutation');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  // findRelatedTests: each mutant runs only the spec files that import its file, not every spec of the scope.
  jest: { configFile: 'test/mutation/jest.config.js', enableFindRelatedTests: true },
  mutate: [...scope.mutate, ...NOT_MUTATED],
  coverageAnalysis: 'perTest',
  // Static mutants (module-level constants: zod schemas and their descriptions, lookup tables) each need
  // every spec of the scope re-run on fresh modules, over half of a run's time on two cores; they are
  // reported as ignored, not counted. `--ignoreStatic false` runs them (docs/mutation-testing.md).
  ignoreStatic: true,
  incremental: true,
  incrementalFile: join(reports, `${scopeName}.incremental.json`),
  // Two cores, shared: one test runner per core at most.
  concurrency: Number(process.env.MUTATE_CONCURRENCY ?? 2),
  // Added to a test's measured time before a mutant counts as a timeout (an endless loop): room for a
  // loaded machine without waiting long on each such mutant.
  timeoutMS: 10000,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: join(reports, `${scopeName}.html`) },
  jsonReporter: { fileName: join(reports, `${scopeName}.json`) },
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
