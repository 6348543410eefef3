// The process's WebAssembly heap: the sum of the linear memories of the modules instantiated
// since this file was loaded that are still alive. The kernels (OT, ring, noise flooding) and
// SEAL each own one memory for the process; he-linear's product arenas one per HE layer call,
// dropped with it. Watching instantiation here sees them all without each package exporting a
// meter, and holds each memory by a weak reference only: the meter must not be what keeps a
// dropped arena alive (it did, and every server grew by each HE layer's arena). A sum that
// keeps rising over sessions is a leak (a SEAL object never deleted, an arena never rewound or
// still referenced); memories not yet collected count until a collection. Load this module
// before any kernel runs: kernels instantiate lazily, on their first call. Worker threads
// (`--threads`) instantiate their own modules, which this thread does not see.

interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
// The project's lib (ES2022 + @types/node 20) has no WebAssembly typings: the few used here.
interface WasmApi {
  Memory: abstract new (...args: never[]) => WasmMemory;
  Instance: new (module: object, imports?: object) => { exports: Record<string, unknown> };
  instantiate(...args: unknown[]): Promise<unknown>;
}

const memories = new Set<WeakRef<WasmMemory>>();
const seen = new WeakSet<WasmMemory>();
const forget = new FinalizationRegistry<WeakRef<WasmMemory>>((ref) => memories.delete(ref));
const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

function recordMemory(value: unknown): void {
  if (!wasm || !(value instanceof wasm.Memory) || seen.has(value)) return;
  seen.add(value);
  const ref = new WeakRef(value);
  memories.add(ref);
  forget.register(value, ref);
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

/** Bytes of every live WebAssembly memory instantiated so far (0 where WebAssembly is absent). */
export function wasmHeapBytes(): number {
  let sum = 0;
  for (const ref of memories) sum += ref.deref()?.buffer.byteLength ?? 0;
  return sum;
}
