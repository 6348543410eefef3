/**
 * Compiling and instantiating the embedded WebAssembly kernels (asm/*.ts, base64 in
 * src/kernels/*.wasm.ts), synchronously: each module is small, and no loader or .wasm file is
 * needed under Node or a bundler. The stub runtime imports only `env.abort`.
 */

// The project's lib (ES2022 + @types/node 20) has no WebAssembly typings: the few used here.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
};

/** The compiled module of an embedded kernel. */
export function compileKernel(base64: string): object {
  return new WebAssembly.Module(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
}

/** A fresh instance of a compiled kernel (its own memory), as its exports. */
export function instantiateKernel<Exports>(module: object): Exports {
  return new WebAssembly.Instance(module, { env: { abort: () => {} } }).exports as Exports;
}
