/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript', decorators: true }, target: 'es2022' } },
    ],
  },
  moduleNameMapper: {
    '^@clipguard/testing$': '<rootDir>/test/support',
    '^@clipguard/cli$': '<rootDir>/apps/cli/src/cli',
    '^@clipguard/(.*)$': '<rootDir>/libs/$1/src',
  },
  testTimeout: 60000,
  // Model loading and ONNX sessions are heavy: two workers on a two-core machine.
  maxWorkers: 2,
};
