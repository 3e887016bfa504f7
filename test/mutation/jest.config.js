const base = require('../../jest.config.js');

/**
 * The unit specs of the pure libraries that `npm run mutate` mutates (stryker.config.mjs sets MUTATE_SPECS
 * to one scope's specs; without it, all of them): in-process and fast, no servers, no child processes or
 * worker threads (Stryker sees no coverage through those).
 */
const ALL_SPECS = [
  'libs/policy/src/**/*.spec.ts',
  'libs/decision/src/**/*.spec.ts',
  'libs/audit/src/**/*.spec.ts',
  'libs/clip/src/tokenizer/**/*.spec.ts',
  'libs/clip/src/image/**/*.spec.ts',
];
const specs = process.env.MUTATE_SPECS ? JSON.parse(process.env.MUTATE_SPECS) : ALL_SPECS;

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  rootDir: '../..',
  roots: ['<rootDir>/libs'],
  testMatch: specs.map((glob) => `<rootDir>/${glob}`),
  // The pool's threads load the source themselves, out of Stryker's sight; preprocess.spec covers that code.
  // The seeded simulations (*.simulation.spec.ts) are statistical acceptance tests of seconds each: a mutant
  // they alone would catch must be caught by a unit spec instead.
  testPathIgnorePatterns: ['/node_modules/', 'preprocess-pool\\.spec\\.ts$', '\\.simulation\\.spec\\.ts$'],
  testSequencer: '<rootDir>/test/mutation/sequencer.js',
};
