// Z_2^ℓ kernels for 32 < ℓ ≤ 64 in WebAssembly (AssemblyScript, native i64 arithmetic).
// Vectors are n u64 values in linear memory — the project's (lo, hi) limb layout is exactly
// this memory — and 64-bit masks arrive as two u32 halves so JS never builds a BigInt.
// Built by scripts/build-wasm.mjs into src/kernels/ring.wasm.ts; src/ring-limbs.ts is the
// plain TypeScript reference the tests hold these against.

function mask64(maskLo: u32, maskHi: u32): u64 {
  return ((<u64>maskHi) << 32) | <u64>maskLo;
}

export function add(a: usize, b: usize, out: usize, n: i32, maskLo: u32, maskHi: u32): void {
  const mask = mask64(maskLo, maskHi);
  for (let i = 0; i < n; i++) {
    const o = (<usize>i) << 3;
    store<u64>(out + o, (load<u64>(a + o) + load<u64>(b + o)) & mask);
  }
}

export function sub(a: usize, b: usize, out: usize, n: i32, maskLo: u32, maskHi: u32): void {
  const mask = mask64(maskLo, maskHi);
  for (let i = 0; i < n; i++) {
    const o = (<usize>i) << 3;
    store<u64>(out + o, (load<u64>(a + o) - load<u64>(b + o)) & mask);
  }
}

export function neg(a: usize, out: usize, n: i32, maskLo: u32, maskHi: u32): void {
  const mask = mask64(maskLo, maskHi);
  for (let i = 0; i < n; i++) {
    const o = (<usize>i) << 3;
    store<u64>(out + o, (0 - load<u64>(a + o)) & mask);
  }
}

export function mul(a: usize, b: usize, out: usize, n: i32, maskLo: u32, maskHi: u32): void {
  const mask = mask64(maskLo, maskHi);
  for (let i = 0; i < n; i++) {
    const o = (<usize>i) << 3;
    store<u64>(out + o, (load<u64>(a + o) * load<u64>(b + o)) & mask);
  }
}

export function mulPublic(
  a: usize,
  out: usize,
  n: i32,
  cLo: u32,
  cHi: u32,
  maskLo: u32,
  maskHi: u32,
): void {
  const c = mask64(cLo, cHi);
  const mask = mask64(maskLo, maskHi);
  for (let i = 0; i < n; i++) {
    const o = (<usize>i) << 3;
    store<u64>(out + o, (load<u64>(a + o) * c) & mask);
  }
}
