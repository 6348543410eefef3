/**
 * node-seal (Microsoft SEAL compiled to WebAssembly) loading and object lifetime.
 *
 * Which build: node-seal 6.0.3 ships no `exports` map; its `main` is the UMD/CommonJS Node
 * build, whose module value is the async factory (`await SEAL()`). The package's `#seal-build`
 * names the file: that Node build by default, so vitest, tsx and both tsup outputs load the
 * same one, and the self-contained ES web build (the same WebAssembly, embedded) under the
 * `browser` condition, which a page's bundler sets. The "throws" variant makes SEAL throw on
 * transparent ciphertexts (a product with an all-zero plaintext), a leak we also avoid by
 * skipping zero plaintexts.
 *
 * Every SEAL object lives in the WASM heap and must be `.delete()`d: `Scope` collects the
 * objects of one computation and deletes them all in `dispose()`, so no layer leaks (the
 * heap-flat test runs layers many times).
 */

// The types name the Node build itself (the web build's are the same): a published
// declaration file must not point into the package's own `imports` map, whose target is
// another package.
import type NodeSeal from 'node-seal/throws_wasm_node_umd.js';
import SEAL from '#seal-build';

/** The node-seal library object. */
export type Seal = Awaited<ReturnType<typeof NodeSeal>>;
export type SealContext = ReturnType<Seal['Context']>;
export type CipherText = ReturnType<Seal['CipherText']>;
export type PlainText = ReturnType<Seal['PlainText']>;
export type Evaluator = ReturnType<Seal['Evaluator']>;
export type BatchEncoder = ReturnType<Seal['BatchEncoder']>;
export type Encryptor = ReturnType<Seal['Encryptor']>;
export type Decryptor = ReturnType<Seal['Decryptor']>;
export type GaloisKeys = ReturnType<Seal['GaloisKeys']>;

let instance: Promise<Seal> | undefined;

/** The process's (or worker's) SEAL instance, loaded once. */
export function loadSeal(): Promise<Seal> {
  instance ??= SEAL();
  return instance;
}

/** Anything with a `delete()` that frees WASM memory. */
interface Deletable {
  delete(): void;
}

/** Collects SEAL objects and deletes them together. */
export class Scope {
  private readonly objects: Deletable[] = [];

  /** Registers `object` for deletion and returns it. */
  track<T extends Deletable>(object: T): T {
    this.objects.push(object);
    return object;
  }

  dispose(): void {
    for (const object of this.objects.splice(0).reverse()) object.delete();
  }
}

/** Runs `fn` with a fresh scope and deletes every tracked object afterwards, also on error. */
export function withScope<T>(fn: (scope: Scope) => T): T {
  const scope = new Scope();
  try {
    return fn(scope);
  } finally {
    scope.dispose();
  }
}
