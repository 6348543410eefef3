// Public API of @secinfer/nn: the model graph (IR), its validator and shape inference, ONNX
// import, and the float64 reference executor.

/** A malformed graph (names the node) / an unsupported or malformed ONNX file (names op and node). */
export { ModelError, OnnxImportError } from './errors.js';
/** Runs a validated graph in float64: the reference for the fixed-point conversion. */
export { type NodeTimings, runFloat } from './float-executor.js';
/** The IR: node kinds, graph inputs and the graph. */
export type {
  AddNode,
  ArgMaxNode,
  AvgPoolNode,
  BatchNormNode,
  ConcatNode,
  ConstantNode,
  ConvNode,
  FlattenNode,
  GemmNode,
  GlobalAvgPoolNode,
  GraphInput,
  MaxPoolNode,
  ModelGraph,
  ModelNode,
  NodeKind,
  Pool2dParams,
  ReluNode,
  ReshapeNode,
} from './graph.js';
/** Imports an ONNX model into the IR. */
export { importOnnx, type OnnxImportOptions, SUPPORTED_ONNX_OPS } from './onnx/import.js';
/** Decodes a serialized ONNX TensorProto (the backend tests' .pb files). */
export { decodeOnnxTensor } from './onnx/tensor-proto.js';
/** Pure shape inference of one node; NumPy broadcasting; conv/pool output size. */
export { broadcastShapes, inferNodeShape, windowOutputSize } from './shapes.js';
/** Dense row-major tensors and shape helpers. */
export { type FloatArray, formatShape, sizeOf, type Tensor } from './tensor.js';
/** Checks a graph and returns its topological order and every value's shape. */
export { type ValidatedGraph, validateGraph } from './validate.js';
/** Builds IR graphs layer by layer, with weights from a caller-supplied initialiser. */
export { type ConvOptions, GraphBuilder, type WeightInit } from './zoo/builder.js';
/** MiniONN's CIFAR-10 network. */
export { miniONN } from './zoo/minionn.js';
/** ResNet32 for CIFAR-10. */
export { resNet32 } from './zoo/resnet32.js';
