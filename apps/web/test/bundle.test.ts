// The page's code bundles for a browser with no Node built-in on its path: the shared client
// side of the command (@secinfer/demo/client) on its own, and the whole page as the build
// makes it. (That it runs in a browser is the Chromium suite's to show.)
import { fileURLToPath } from 'node:url';
import { browserBundle } from '@secinfer/browser-bundle';
import { describe, expect, it } from 'vitest';

const file = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

describe('the web page bundles for a browser', () => {
  it.each(['demo/src/client.ts', 'web/src/main.ts'])(
    'apps/%s without Node built-ins',
    async (entry) => {
      const bundle = await browserBundle(file(entry));
      // A `node:` specifier left as a string (an `import()` esbuild could not follow, say).
      expect(bundle.code).not.toMatch(/["'`]node:[a-z_/]+["'`]/);
      expect(bundle.gzipBytes).toBeGreaterThan(0);
    },
  );

  it("the command's file loader does not (the check can fail): node:fs stays in inputs.ts", async () => {
    await expect(browserBundle(file('demo/src/inputs.ts'))).rejects.toThrow(
      /node:fs \(from .*inputs\.ts\)/,
    );
  });
});
