/**
 * Plaintexts by their polynomial coefficients, through SEAL's serialization: node-seal 6
 * exposes batching (slots) but no way to set or read a plaintext's coefficients, which the
 * coefficient-encoded convolution needs. An uncompressed Plaintext serializes as
 *
 *   SEAL header (16 B) · parms_id (32 B) · coeff_count (u64 at 48) · scale (f64) ·
 *   DynArray: SEAL header (16 B at 64) · size (u64 at 80) · coefficients (u64 each, from 88)
 *
 * We take that layout from a plaintext SEAL itself saved (so the version bytes are SEAL's),
 * check it, and then only write or read the coefficient words — two u32 halves each, no
 * BigInt. SEAL validates what it loads (every coefficient below the plaintext modulus).
 */

const SEAL_MAGIC = 0xa15e;
const COUNT_AT = 48;
const ARRAY_HEADER_AT = 64;
const SIZE_AT = 80;
const DATA_AT = 88;

function checkLayout(bytes: Uint8Array, count: number): DataView {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ok =
    bytes.byteLength === DATA_AT + 8 * count &&
    view.getUint16(0, true) === SEAL_MAGIC &&
    view.getUint16(ARRAY_HEADER_AT, true) === SEAL_MAGIC &&
    view.getUint32(COUNT_AT, true) === count &&
    view.getUint32(COUNT_AT + 4, true) === 0 &&
    view.getUint32(SIZE_AT, true) === count &&
    view.getUint32(SIZE_AT + 4, true) === 0;
  if (!ok)
    throw new RangeError(
      `unexpected SEAL plaintext serialization (${bytes.byteLength} bytes for ${count} coefficients): node-seal changed its format`,
    );
  return view;
}

/** The header bytes of `saved`, an uncompressed plaintext of `count` coefficients. */
export function coefficientHeader(saved: Uint8Array, count: number): Uint8Array {
  checkLayout(saved, count);
  return saved.slice(0, DATA_AT);
}

/** The serialization of a plaintext with coefficients `values` (integers in [0, 2^53)). */
export function serializeCoefficients(header: Uint8Array, values: Float64Array): Uint8Array {
  const out = new Uint8Array(DATA_AT + 8 * values.length);
  out.set(header);
  const words = new Uint32Array(out.buffer, DATA_AT, 2 * values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    words[2 * i] = v % 4294967296;
    words[2 * i + 1] = v / 4294967296;
  }
  return out;
}

/**
 * The coefficients of an uncompressed plaintext serialization, zero-extended to `count`
 * (SEAL may store fewer when the top ones are zero).
 */
export function parseCoefficients(bytes: Uint8Array, count: number): Float64Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stored = view.getUint32(COUNT_AT, true);
  if (stored > count)
    throw new RangeError(`plaintext has ${stored} coefficients, more than ${count}`);
  checkLayout(bytes, stored);
  const out = new Float64Array(count);
  for (let i = 0; i < stored; i++)
    out[i] =
      view.getUint32(DATA_AT + 8 * i, true) +
      view.getUint32(DATA_AT + 8 * i + 4, true) * 4294967296;
  return out;
}
