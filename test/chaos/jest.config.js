/**
 * `npm run chaos`: every fault scenario. The quick ones (*.spec.ts) also run in the normal `npm test`;
 * the long ones (*.chaos.ts) only here.
 */
const base = require('../../jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  rootDir: '../..',
  roots: ['<rootDir>/test/chaos'],
  testMatch: ['**/*.spec.ts', '**/*.chaos.ts'],
  testTimeout: 300000,
};
