import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The dependency direction (docs/architecture.md), enforced on import paths: files under `files` may not
 * import a path matching `regex`. (Project imports are relative, so a folder name in the path
 * is where it points.)
 */
const zones = [
  {
    files: ['src/phone/**'],
    regex: '(^|/)admin/',
    message: 'The phone and the admin console never import each other.',
  },
  {
    files: ['src/admin/**'],
    regex: '(^|/)phone/',
    message: 'The phone and the admin console never import each other.',
  },
  {
    files: ['src/**'],
    regex: '(^|/)server/',
    message: 'The web app talks to the server over HTTP/SIP only.',
  },
  {
    files: ['src/lib/**'],
    regex: '(^|/)(phone|admin|app)/',
    message: 'src/lib is shared below the features.',
  },
  { files: ['server/**'], regex: '(^|/)src/', message: 'server/ never imports src/.' },
  {
    files: ['contracts/**'],
    regex: '(^|/)(server|src)/',
    message: 'contracts/ is shared: it imports neither side.',
  },
  {
    // As bulletproof-react does: a console feature never reaches into another; what two share
    // is lifted into src/admin/common (or src/admin itself, or src/lib).
    files: ['src/admin/*/**'],
    regex: '^\\.\\./(?!common/|\\.\\./)[^/]+/',
    message: 'Console features do not import each other: move what they share to src/admin/common.',
  },
  {
    files: ['contracts/policy/**'],
    regex: '^\\.\\./\\.\\./',
    message: 'contracts/policy is pure: it imports nothing but contracts.',
  },
];

const sipJsOnlyInPhoneSip = {
  paths: [{ name: 'sip.js', message: 'Only src/phone/sip/ imports sip.js; UI reads the phone store.' }],
  patterns: [{ group: ['sip.js/*'], message: 'Only src/phone/sip/ imports sip.js.' }],
};

/** Where sip.js may be imported: the phone's SIP side, and the tests' SIP edge that fakes its transport. */
const sipJsAllowed = ['src/phone/sip/', 'src/testing/fake-sip-edge.ts'];

/** Whether a zone glob covers a folder: `src/admin/**` its own files, `src/admin/<star>/**` each folder inside it. */
function matchesFolder(folder, glob) {
  const prefix = glob.replace(/\*\*$/, '');
  if (!prefix.endsWith('*/')) return folder.startsWith(prefix);
  const parent = prefix.slice(0, -2);
  return folder.startsWith(parent) && folder.slice(parent.length).includes('/');
}

/** One `no-restricted-imports` per file set: ESLint keeps only the last one that matches a file. */
function restrictedImports(file) {
  const patterns = zones
    .filter((zone) => zone.files.some((glob) => matchesFolder(file, glob)))
    .map((zone) => ({ regex: zone.regex, message: zone.message }));
  const inSrc = file.startsWith('src/') && !sipJsAllowed.some((allowed) => file.startsWith(allowed));
  return [
    'error',
    {
      paths: inSrc ? sipJsOnlyInPhoneSip.paths : [],
      patterns: [...patterns, ...(inSrc ? sipJsOnlyInPhoneSip.patterns : [])],
    },
  ];
}

/** The console's feature folders (src/admin/common is the layer they share). */
const adminFeatures = readdirSync('src/admin', { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'common')
  .map((entry) => `src/admin/${entry.name}/`);

const zoneFolders = [
  'src/',
  'src/lib/',
  'src/phone/',
  'src/phone/sip/',
  'src/admin/',
  ...adminFeatures,
  'server/',
  'contracts/',
  'contracts/policy/',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  ...zoneFolders.map((folder) => ({
    files: [`${folder}**/*.{ts,tsx}`],
    rules: { 'no-restricted-imports': restrictedImports(folder) },
  })),
  {
    files: ['src/testing/fake-sip-edge.ts'],
    rules: { 'no-restricted-imports': restrictedImports('src/testing/fake-sip-edge.ts') },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ['scripts/**', 'bench/**', 'server/cli/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // A source file over 400 lines is usually two things (docs/architecture.md): split it into
    // files named for what they hold. Tests, fixtures and generated migrations are exempt.
    files: ['{server,src,contracts,bench,scripts,test}/**/*.{ts,tsx,js,mjs,cjs}'],
    ignores: ['**/*.test.{ts,tsx}', '**/*.fixture.ts', '**/fixtures/**', 'server/store/migrations/**'],
    rules: { 'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }] },
  },
);
