// The subset of onnx.proto (ONNX IR, field numbers from onnx/onnx.proto3) that model import
// needs, as a protobufjs reflection descriptor: decoding is protobufjs's, not hand-written.
// Unknown fields (training info, sparse initialisers, metadata...) are skipped by the decoder.
import protobuf from 'protobufjs/light.js';

const descriptor = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: { type: 'int64', id: 1 },
            opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
            producerName: { type: 'string', id: 2 },
            graph: { type: 'GraphProto', id: 7 },
          },
        },
        OperatorSetIdProto: {
          fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } },
        },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            opType: { type: 'string', id: 4 },
            domain: { type: 'string', id: 7 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
          },
        },
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            refAttrName: { type: 'string', id: 21 },
            type: { type: 'int32', id: 20 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            s: { type: 'bytes', id: 4 },
            t: { type: 'TensorProto', id: 5 },
            floats: { rule: 'repeated', type: 'float', id: 7 },
            ints: { rule: 'repeated', type: 'int64', id: 8 },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 },
            dataType: { type: 'int32', id: 2 },
            floatData: { rule: 'repeated', type: 'float', id: 4 },
            int32Data: { rule: 'repeated', type: 'int32', id: 5 },
            int64Data: { rule: 'repeated', type: 'int64', id: 7 },
            name: { type: 'string', id: 8 },
            rawData: { type: 'bytes', id: 9 },
            doubleData: { rule: 'repeated', type: 'double', id: 10 },
            uint64Data: { rule: 'repeated', type: 'uint64', id: 11 },
            dataLocation: { type: 'int32', id: 14 },
          },
        },
        ValueInfoProto: {
          fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 } },
        },
        TypeProto: { fields: { tensorType: { type: 'TypeProtoTensor', id: 1 } } },
        TypeProtoTensor: {
          fields: {
            elemType: { type: 'int32', id: 1 },
            shape: { type: 'TensorShapeProto', id: 2 },
          },
        },
        TensorShapeProto: { fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } } },
        Dimension: {
          fields: { dimValue: { type: 'int64', id: 1 }, dimParam: { type: 'string', id: 2 } },
        },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(descriptor);

/** protobufjs decodes int64 as Long (or number for small values); both convert with this. */
export type Int64 = number | { toNumber(): number };

/** Decoded onnx.TensorProto. */
export interface TensorProto {
  dims: Int64[];
  dataType: number;
  floatData: number[];
  int32Data: number[];
  int64Data: Int64[];
  uint64Data: Int64[];
  doubleData: number[];
  name: string;
  rawData: Uint8Array;
  dataLocation: number;
}

/** Decoded onnx.AttributeProto. */
export interface AttributeProto {
  name: string;
  refAttrName: string;
  type: number;
  f: number;
  i: Int64;
  s: Uint8Array;
  t?: TensorProto | null;
  floats: number[];
  ints: Int64[];
}

/** Decoded onnx.NodeProto. */
export interface NodeProto {
  input: string[];
  output: string[];
  name: string;
  opType: string;
  domain: string;
  attribute: AttributeProto[];
}

/** Decoded onnx.ValueInfoProto. */
export interface ValueInfoProto {
  name: string;
  type?: {
    tensorType?: {
      elemType: number;
      shape?: { dim: { dimValue: Int64; dimParam: string }[] } | null;
    } | null;
  } | null;
}

/** Decoded onnx.GraphProto. */
export interface GraphProto {
  node: NodeProto[];
  name: string;
  initializer: TensorProto[];
  input: ValueInfoProto[];
  output: ValueInfoProto[];
}

/** Decoded onnx.ModelProto. */
export interface ModelProto {
  irVersion: Int64;
  opsetImport: { domain: string; version: Int64 }[];
  graph?: GraphProto | null;
}

/** Decoder for onnx.ModelProto. */
export const ModelProtoType = root.lookupType('onnx.ModelProto');
/** Decoder for onnx.TensorProto (the ONNX test-data .pb files). */
export const TensorProtoType = root.lookupType('onnx.TensorProto');

/** An int64 field as a JS number (exact below 2^53, which covers every shape and attribute). */
export function toInt(v: Int64): number {
  return typeof v === 'number' ? v : v.toNumber();
}
