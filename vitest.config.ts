import { defineConfig } from 'vitest/config';

// One run over every workspace package, resolving @secinfer/* to TypeScript sources (the
// `@secinfer/source` export condition) so tests never depend on a stale build.
export default defineConfig({
  resolve: { conditions: ['@secinfer/source', 'module', 'node', 'import', 'default'] },
  ssr: {
    resolve: {
      conditions: ['@secinfer/source', 'node', 'import', 'default'],
      externalConditions: ['@secinfer/source'],
    },
  },
  test: {
    include: [
      'packages/*/test/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
      'tools/*/test/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
