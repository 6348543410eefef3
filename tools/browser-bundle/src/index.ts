/**
 * A browser bundle of one entry point, as a web page's bundler would make it: esbuild for
 * `platform: 'browser'` with the `browser` condition (the packages' `#aes-backend` then
 * picks the WebAssembly AES) and `@secinfer/source` (the workspace's TypeScript). esbuild
 * refuses any Node built-in reached from the entry — `node:crypto` or a bare `fs` alike —
 * unless a package's `browser` field maps it away or it is marked external (never here);
 * those refusals become one error naming each built-in and the module importing it.
 */
import { gzipSync } from 'node:zlib';
import { type BuildFailure, type BuildResult, build } from 'esbuild';

/** What one bundle costs a page: minified bytes and their gzip size. */
export interface BrowserBundle {
  readonly code: string;
  readonly bytes: number;
  readonly gzipBytes: number;
}

/** A Node built-in reached from a browser entry point: which one, and from where. */
export class NodeBuiltinImportError extends Error {
  constructor(readonly imports: readonly { builtin: string; importer: string }[]) {
    super(
      `the browser bundle imports Node built-ins: ${imports
        .map((i) => `${i.builtin} (from ${i.importer})`)
        .join(', ')}`,
    );
    this.name = 'NodeBuiltinImportError';
  }
}

/** esbuild's note on an import of a Node built-in that no `browser` field maps away. */
const BUILT_INTO_NODE = /built into node/;

/** The Node built-ins among a failed build's errors, or none if it failed for another reason. */
function nodeBuiltinImports(failure: BuildFailure): { builtin: string; importer: string }[] {
  return (failure.errors ?? []).flatMap((message) => {
    const builtin = /Could not resolve "([^"]+)"/.exec(message.text)?.[1];
    if (!builtin || !message.notes.some((note) => BUILT_INTO_NODE.test(note.text))) return [];
    return [{ builtin, importer: message.location?.file ?? '(entry)' }];
  });
}

/**
 * Bundles `entry` (a file path, or `{ contents, resolveDir }` for a module written inline,
 * named inline.ts) minified as an ES module for browsers; throws NodeBuiltinImportError on
 * any Node built-in.
 */
export async function browserBundle(
  entry: string | { contents: string; resolveDir: string },
): Promise<BrowserBundle> {
  let result: BuildResult<{ write: false }>;
  try {
    result = await build({
      ...(typeof entry === 'string'
        ? { entryPoints: [entry] }
        : { stdin: { ...entry, loader: 'ts', sourcefile: 'inline.ts' } }),
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      conditions: ['browser', '@secinfer/source'],
      logLevel: 'silent',
      write: false,
    });
  } catch (error) {
    const imports = nodeBuiltinImports(error as BuildFailure);
    throw imports.length > 0 ? new NodeBuiltinImportError(imports) : error;
  }
  const code = result.outputFiles[0]!.text;
  const bytes = Buffer.byteLength(code);
  return { code, bytes, gzipBytes: gzipSync(code, { level: 9 }).byteLength };
}
