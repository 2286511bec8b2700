import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Folder = process boundary: each folder may only import what runs where its code runs.
const nodeOnly = [
  'node:*',
  'electron',
  'better-sqlite3',
  'etcd3',
  'fastify',
  'pino',
  'prom-client',
  'systeminformation',
];
const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }],
});

export default tseslint.config(
  { ignores: ['dist/', 'release/', 'build/', 'node_modules/', 'test/artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['shared/**'],
    rules: restrict(
      [...nodeOnly, 'react', 'react-dom', 'zustand', '../electron/*', '../renderer/*'],
      'shared/ is the contract: no Node, Electron or UI imports.',
    ),
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict([...nodeOnly, '**/electron/**'], 'The renderer reaches the agent only through FleetdeckClient.'),
    },
  },
  {
    // Links leave the app only through the allow-list in electron/shell/external-links.ts, which main.ts wires up.
    files: ['electron/**', 'renderer/**'],
    ignores: ['electron/main.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[property.name='openExternal']",
          message: 'Open links through openExternalLink (electron/shell/external-links.ts).',
        },
      ],
    },
  },
  {
    files: ['electron/**'],
    ignores: ['electron/main.ts', 'electron/preload.ts', 'electron/shell/**'],
    rules: restrict(
      ['electron', 'react', 'react-dom', '**/renderer/**'],
      'The agent core runs in plain Node: Electron stays in main.ts, preload.ts and shell/.',
    ),
  },
);
