// The client-side packages bundle for a browser with no Node built-in in them, and the
// bundle runs: the fixed-key permutation it carries (the WebAssembly AES) equals node:crypto's.
import { createCipheriv } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { browserBundle, NodeBuiltinImportError } from '../src/index.js';

const root = join(import.meta.dirname, '../../..');
/** Every entry point a browser client runs on (the secure client of nn pulls in he-linear). */
const CLIENT_ENTRIES = [
  'transport/src/core.ts',
  'transport/src/websocket.ts',
  'ot/src/index.ts',
  'mpc-primitives/src/index.ts',
  'ot-linear/src/index.ts',
  'he-linear/src/index.ts',
  'nn/src/secure/index.ts',
];

describe('browser bundles', () => {
  it.each(CLIENT_ENTRIES)(
    'packages/%s bundles for the browser without Node built-ins',
    async (entry) => {
      const bundle = await browserBundle(join(root, 'packages', entry));
      // A `node:` specifier left as a string (an `import()` esbuild could not follow, say).
      expect(bundle.code).not.toMatch(/["'`]node:[a-z_/]+["'`]/);
      expect(bundle.gzipBytes).toBeGreaterThan(0);
    },
  );

  it('fails on a module that imports node:crypto, and names the importer', async () => {
    const failing = browserBundle({
      contents: "import { createHash } from 'node:crypto';\nexport const hash = createHash;\n",
      resolveDir: root,
    });
    await expect(failing).rejects.toThrow(NodeBuiltinImportError);
    await expect(failing).rejects.toThrow(/node:crypto \(from .*inline\.ts\)/);
  });

  it('fails on a bare built-in name too', async () => {
    const failing = browserBundle({ contents: "export * from 'fs';\n", resolveDir: root });
    await expect(failing).rejects.toThrow(/fs \(from .*inline\.ts\)/);
  });

  it.each([
    ['packages/transport/src/index.ts', /node:net \(from .*tcp\.ts\)/],
    ['packages/he-linear/src/pool.ts', /node:worker_threads \(from .*pool\.ts\)/],
    ['packages/he-linear/src/seal.ts', /fs \(from .*throws_wasm_node_umd\.js\)/],
  ])(
    'fails on %s without its browser mapping: the conditions are what keep Node out',
    async (entry, error) => {
      const file = entry.endsWith('seal.ts')
        ? {
            contents: "export { default } from 'node-seal/throws_wasm_node_umd.js';\n",
            resolveDir: join(root, 'packages/he-linear'),
          }
        : join(root, entry);
      await expect(browserBundle(file)).rejects.toThrow(error);
    },
  );

  it('fails on the AES backend Node resolves to: only the browser condition keeps it out', async () => {
    await expect(browserBundle(join(root, 'packages/ot/src/aes-node-backend.ts'))).rejects.toThrow(
      /node:crypto \(from .*aes-node-backend\.ts\)/,
    );
  });

  it('the browser bundle of @secinfer/ot permutes as node:crypto’s fixed-key AES does', async () => {
    const { code } = await browserBundle(join(root, 'packages/ot/src/index.ts'));
    const dir = mkdtempSync(join(tmpdir(), 'secinfer-bundle-'));
    try {
      const file = join(dir, 'ot.mjs');
      writeFileSync(file, code);
      const ot = (await import(pathToFileURL(file).href)) as typeof import('@secinfer/ot');
      const x = new Uint8Array(16 * 1001).map((_, i) => (i * 131 + 7) & 255);
      const key = Uint8Array.from([
        0x31, 0x41, 0x59, 0x26, 0x53, 0x58, 0x97, 0x93, 0x23, 0x84, 0x62, 0x64, 0x33, 0x83, 0x27,
        0x95,
      ]);
      const cipher = createCipheriv('aes-128-ecb', key, null);
      cipher.setAutoPadding(false);
      const want = cipher.update(x);
      expect(Buffer.from(ot.fixedKeyPermute(x)).equals(want)).toBe(true);
      expect(Buffer.from(ot.crHash(x)).equals(want.map((b, i) => b ^ x[i]!))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
