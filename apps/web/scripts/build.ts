// Builds the page: src/main.ts bundled for browsers (the workspace's TypeScript, the packages'
// browser builds; any Node built-in reached from it fails the build) as dist/app.js, beside a
// copy of index.html. `secinfer server --web` serves exactly these two files.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { browserBundle } from '@secinfer/browser-bundle';

const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

const bundle = await browserBundle(root('src/main.ts'));
mkdirSync(root('dist'), { recursive: true });
writeFileSync(root('dist/app.js'), bundle.code);
copyFileSync(root('index.html'), root('dist/index.html'));
process.stdout.write(
  `apps/web/dist: index.html, app.js (${(bundle.bytes / 1024).toFixed(0)} KiB, ${(bundle.gzipBytes / 1024).toFixed(0)} KiB gzip)\n`,
);
