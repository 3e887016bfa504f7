/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test', '<rootDir>/tools'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript', decorators: true }, target: 'es2022' } },
    ],
  },
  moduleNameMapper: {
    '^@clipguard/testing$': '<rootDir>/test/support',
    '^@clipguard/testing/browser$': '<rootDir>/test/support/browser',
    '^@clipguard/cli$': '<rootDir>/apps/cli/src/cli',
    '^@clipguard/(.*)$': '<rootDir>/libs/$1/src',
  },
  testTimeout: 60000,
  // One suite at a time: the e2e suite runs three services, and the event-loop-lag test must not share
  // the two cores with them.
  maxWorkers: 1,
};
