/**
 * Synchronous instantiation of the embedded WebAssembly kernel modules (base64 built by
 * scripts/build-wasm.mjs): protocols call kernels from synchronous code, so no await, no
 * loader. Each module's page 0 holds its own data; buffers start at page 1.
 */

// The project's lib (ES2022 + @types/node 20) has no WebAssembly typings: the few used here.
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
};

/** First byte of the buffers a wrapper stages, past the module's own data. */
export const BASE = 65536;

/** The exports of the module embedded as `base64`. */
export function instantiate<T extends { memory: WasmMemory }>(base64: string): T {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    env: { abort: () => {} },
  });
  return instance.exports as T;
}

/**
 * Grows `memory` to hold `bytes` from BASE on. Growing detaches every view of the old buffer:
 * callers take fresh views after this.
 */
export function reserve(memory: WasmMemory, bytes: number): void {
  const need = BASE + bytes - memory.buffer.byteLength;
  if (need > 0) memory.grow(Math.ceil(need / 65536));
}
