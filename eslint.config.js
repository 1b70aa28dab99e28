import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Packages talk through their public entry points only (each package.json's `exports`): what is
      // behind them may change without notice.
      'no-restricted-imports': ['error', { patterns: [{ group: ['@tracecheck/*/src/*', '@tracecheck/*/dist/*'], message: 'Import the package entry point, not its internals.' }] }],
    },
  },
);
