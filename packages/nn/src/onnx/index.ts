// @secinfer/nn/onnx: ONNX import alone (the IR types and validator come with "."), for users
// that need neither the secure executor nor the zoo.
export { OnnxImportError } from '../errors.js';
/** Imports an ONNX model into the IR. */
export { importOnnx, type OnnxImportOptions, SUPPORTED_ONNX_OPS } from './import.js';
/** Decodes a serialized ONNX TensorProto (the backend tests' .pb files). */
export { decodeOnnxTensor } from './tensor-proto.js';
