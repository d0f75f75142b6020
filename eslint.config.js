import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** DESIGN.md's dependency direction, enforced: each zone may not import from the listed paths. */
const zones = [
  {
    target: './src/phone',
    from: './src/admin',
    message: 'The phone and the admin console never import each other.',
  },
  {
    target: './src/admin',
    from: './src/phone',
    message: 'The phone and the admin console never import each other.',
  },
  { target: './src', from: './server', message: 'The web app talks to the server over HTTP/SIP only.' },
  { target: './server', from: './src', message: 'server/ never imports src/.' },
  {
    target: './contracts',
    from: './server',
    message: 'contracts/ is shared: it imports nothing of the server.',
  },
  {
    target: './contracts',
    from: './src',
    message: 'contracts/ is shared: it imports nothing of the web app.',
  },
  {
    target: './server/policy',
    from: './server',
    except: ['./policy'],
    message: 'server/policy is pure: it imports nothing but contracts.',
  },
  {
    target: './src/lib',
    from: ['./src/phone', './src/admin', './src/app'],
    message: 'src/lib is shared below the features.',
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.mjs'] } } },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'sip.js', message: 'Only src/phone/sip/ imports sip.js; UI reads the phone store.' },
          ],
          patterns: [{ group: ['sip.js/*'], message: 'Only src/phone/sip/ imports sip.js.' }],
        },
      ],
    },
  },
  {
    files: ['src/phone/sip/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['scripts/**', 'bench/**', 'server/cli/**'],
    rules: { 'no-console': 'off' },
  },
);
