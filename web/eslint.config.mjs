import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// The console's own lint: browser globals, TypeScript + TSX, no `any`.
export default tseslint.config(
  { ignores: ['**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { globals: globals.browser },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
