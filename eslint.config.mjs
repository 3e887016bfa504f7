import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../../*'], message: 'Use the @clipguard/* path instead of deep relative imports.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/unbound-method': 'off' },
  },
  // Import boundaries: libs never import apps (or test support outside their specs), apps never import
  // each other. Deep relative imports are refused above, so apps are reachable only through these names.
  {
    files: ['libs/**/*.ts'],
    ignores: ['**/*.spec.ts', 'libs/*/test/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../../*'], message: 'Use the @clipguard/* path instead of deep relative imports.' },
            {
              group: ['@clipguard/cli', '@clipguard/testing', '**/apps/**'],
              message: 'A lib never imports an app or test support.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['tools/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../../*'], message: 'Use the @clipguard/* path instead of deep relative imports.' },
            { group: ['@clipguard/cli', '**/apps/**'], message: 'Tools import libs only, never an app.' },
          ],
        },
      ],
    },
  },
  ...['cli', 'clip-worker', 'decision-service', 'ingest-api', 'review-console'].map((app) => ({
    files: [`apps/${app}/**/*.ts`, `apps/${app}/**/*.tsx`],
    ignores: ['**/*.spec.ts', 'apps/cli/test/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../../*'], message: 'Use the @clipguard/* path instead of deep relative imports.' },
            {
              group: ['**/apps/**', ...(app === 'cli' ? [] : ['@clipguard/cli'])],
              message: 'Apps never import each other.',
            },
            { group: ['@clipguard/testing'], message: 'Test support is for tests.' },
          ],
        },
      ],
    },
  })),
);
