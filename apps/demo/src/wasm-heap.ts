// The process's WebAssembly heap: the sum of the linear memories of every module instantiated
// since this file was loaded. The kernels (OT, ring, HE products, noise flooding) and SEAL each
// own one memory inside their own package; watching instantiation here sees them all without
// each package exporting a meter. A memory only grows, so a sum that keeps rising over sessions
// is a leak (a SEAL object never deleted, an arena never rewound). Load this module before any
// kernel runs: kernels instantiate lazily, on their first call. Worker threads (`--threads`)
// instantiate their own modules, which this thread does not see.

interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
// The project's lib (ES2022 + @types/node 20) has no WebAssembly typings: the few used here.
interface WasmApi {
  Memory: abstract new (...args: never[]) => WasmMemory;
  Instance: new (module: object, imports?: object) => { exports: Record<string, unknown> };
  instantiate(...args: unknown[]): Promise<unknown>;
}

const memories: WasmMemory[] = [];
const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

function recordMemory(value: unknown): void {
  if (wasm && value instanceof wasm.Memory && !memories.includes(value)) memories.push(value);
}

/** The memories a module exports or imports (an Emscripten build may pass its own in). */
function record(exports: Record<string, unknown> | undefined, imports: unknown): void {
  for (const value of Object.values(exports ?? {})) recordMemory(value);
  if (typeof imports !== 'object' || imports === null) return;
  for (const namespace of Object.values(imports))
    if (typeof namespace === 'object' && namespace !== null)
      for (const value of Object.values(namespace)) recordMemory(value);
}

if (wasm) {
  const Instance = wasm.Instance;
  wasm.Instance = class extends Instance {
    constructor(module: object, imports?: object) {
      super(module, imports);
      record(this.exports, imports);
    }
  };
  const instantiate = wasm.instantiate.bind(wasm);
  // `instantiate(bytes)` resolves to { module, instance }, `instantiate(module)` to the instance.
  wasm.instantiate = async (...args: unknown[]) => {
    const result = (await instantiate(...args)) as {
      instance?: { exports: Record<string, unknown> };
      exports?: Record<string, unknown>;
    };
    record(result.instance?.exports ?? result.exports, args[1]);
    return result;
  };
}

/** Bytes of every WebAssembly memory instantiated so far (0 where WebAssembly is absent). */
export function wasmHeapBytes(): number {
  return memories.reduce((sum, m) => sum + m.buffer.byteLength, 0);
}
