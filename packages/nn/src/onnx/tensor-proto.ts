// onnx.TensorProto -> Tensor: float tensors keep float32, every other numeric type widens to
// float64 (exact for integers below 2^53). External data and float16 are rejected, not guessed.
import { OnnxImportError } from '../errors.js';
import { sizeOf, type Tensor } from '../tensor.js';
import { type TensorProto, TensorProtoType, toInt } from './schema.js';

/** ONNX TensorProto.DataType names, for messages. */
const dataTypeNames: Record<number, string> = {
  1: 'FLOAT',
  2: 'UINT8',
  3: 'INT8',
  4: 'UINT16',
  5: 'INT16',
  6: 'INT32',
  7: 'INT64',
  8: 'STRING',
  9: 'BOOL',
  10: 'FLOAT16',
  11: 'DOUBLE',
  12: 'UINT32',
  13: 'UINT64',
  14: 'COMPLEX64',
  15: 'COMPLEX128',
  16: 'BFLOAT16',
};

/** Name of an ONNX element type, e.g. `FLOAT`. */
export function dataTypeName(t: number): string {
  return dataTypeNames[t] ?? `type ${t}`;
}

/** Whether an ONNX element type is one the float executor computes with faithfully. */
export function isFloatType(t: number): boolean {
  return t === 1 || t === 11;
}

// Bytes per element and little-endian reader of raw_data, per data type.
const rawReaders: Record<number, [number, (v: DataView, off: number) => number]> = {
  1: [4, (v, o) => v.getFloat32(o, true)],
  2: [1, (v, o) => v.getUint8(o)],
  3: [1, (v, o) => v.getInt8(o)],
  4: [2, (v, o) => v.getUint16(o, true)],
  5: [2, (v, o) => v.getInt16(o, true)],
  6: [4, (v, o) => v.getInt32(o, true)],
  7: [8, (v, o) => Number(v.getBigInt64(o, true))],
  9: [1, (v, o) => v.getUint8(o)],
  11: [8, (v, o) => v.getFloat64(o, true)],
  12: [4, (v, o) => v.getUint32(o, true)],
  13: [8, (v, o) => Number(v.getBigUint64(o, true))],
};

/** Converts a decoded TensorProto; `where` names the tensor in errors. */
export function tensorFromProto(p: TensorProto, where: string): Tensor {
  const fail = (reason: string) =>
    new OnnxImportError(undefined, undefined, `tensor '${where}': ${reason}`);
  const shape = p.dims.map(toInt);
  const n = sizeOf(shape);
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0) || n > 2 ** 31) {
    throw fail(`malformed dims [${shape}]`);
  }
  if (p.dataLocation === 1)
    throw fail('external data is not supported; save the model with weights inline');
  const reader = rawReaders[p.dataType];
  if (!reader) throw fail(`unsupported data type ${dataTypeName(p.dataType)}`);
  const data = p.dataType === 1 ? new Float32Array(n) : new Float64Array(n);
  if (p.rawData && p.rawData.length > 0) {
    const [bytes, read] = reader;
    if (p.rawData.length !== n * bytes) {
      throw fail(
        `raw_data has ${p.rawData.length} bytes, expected ${n * bytes} for dims [${shape}]`,
      );
    }
    const view = new DataView(p.rawData.buffer, p.rawData.byteOffset, p.rawData.byteLength);
    for (let i = 0; i < n; i++) data[i] = read(view, i * bytes);
    return { shape, data };
  }
  // Typed fields: float_data for FLOAT, int32_data for the <= 32-bit integers and BOOL, etc.
  const values: readonly (number | { toNumber(): number })[] =
    p.dataType === 1
      ? p.floatData
      : p.dataType === 11
        ? p.doubleData
        : p.dataType === 7
          ? p.int64Data
          : p.dataType === 12 || p.dataType === 13
            ? p.uint64Data
            : p.int32Data;
  if (values.length !== n)
    throw fail(`has ${values.length} values, expected ${n} for dims [${shape}]`);
  for (let i = 0; i < n; i++) data[i] = toInt(values[i]!);
  return { shape, data };
}

/** Decodes a serialized onnx.TensorProto (as in the ONNX backend tests' .pb files). */
export function decodeOnnxTensor(bytes: Uint8Array): Tensor {
  let proto: TensorProto;
  try {
    proto = TensorProtoType.decode(bytes) as unknown as TensorProto;
  } catch (e) {
    throw new OnnxImportError(
      undefined,
      undefined,
      `malformed TensorProto: ${(e as Error).message}`,
    );
  }
  return tensorFromProto(proto, proto.name || '(unnamed)');
}
