/**
 * `npm run lint` fails on any import cycle in the server, the web app or the contracts. Type-only
 * imports count: a cycle through types is still two modules that cannot be read apart.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Lower layers define the interfaces they call; nothing imports its own callers.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|data)/' },
  },
};
