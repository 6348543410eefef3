// Public API of @secinfer/nn: the model graph (IR), its validator and shape inference, ONNX
// import, the float64 reference executor, the fixed-point compiler and its cleartext oracle,
// the secure executor, and the model zoo.

/**
 * A malformed graph (names the node) / an unsupported or malformed ONNX file (names op and node) /
 * a model that does not fit fixed point (names the layer) / a session the parties disagree on /
 * a backend whose optional package is not installed. `code` is an NnErrorCode.
 */
export {
  BackendUnavailableError,
  FixedPointError,
  ModelError,
  type NnErrorCode,
  OnnxImportError,
  SessionError,
} from './errors.js';
/** ℓ and s autotuning on a validation set: the smallest ℓ, then largest s, that agree with float. */
export {
  type Autotune,
  type AutotuneOptions,
  type AutotuneRow,
  autotuneFixedPoint,
  type LayerMargin,
} from './fixed/autotune.js';
/** Scale autotuning: the largest scale at which calibration inputs keep a margin below ℓ bits. */
export { type Calibration, type CalibrationOptions, chooseScale } from './fixed/calibrate.js';
/** Float graph → fixed-point program (ℓ, s) with the compiler's peepholes. */
export { compileFixedPoint, type FixedPointParams } from './fixed/compile.js';
/** The cleartext fixed-point executor: the oracle secure runs must equal bit for bit. */
export {
  type FixedRunOptions,
  fixedPointLimit,
  quantiseInput,
  runFixedPoint,
} from './fixed/executor.js';
/** The compiled model: public program (safe to send) and the server's integer weights. */
export type {
  FixedModel,
  FixedProgram,
  FixedStep,
  StepWeights,
} from './fixed/program.js';
export { programDigest } from './fixed/program.js';
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
/** A conv step's geometry: mpc-primitives' ConvLayer (dilations given) plus ONNX `group`. */
export type { GroupedConvLayer } from './kernels/conv.js';
/** ONNX import (also `@secinfer/nn/onnx`). */
export * from './onnx/index.js';
/** One secure inference on the OT or HE backend (also `@secinfer/nn/secure`). */
export * from './secure/index.js';
/** Pure shape inference of one node; NumPy broadcasting; conv/pool output size. */
export { broadcastShapes, inferNodeShape, windowOutputSize } from './shapes.js';
/** Dense row-major tensors and shape helpers. */
export { type FloatArray, formatShape, sizeOf, type Tensor } from './tensor.js';
/** Checks a graph and returns its topological order and every value's shape. */
export { type ValidatedGraph, validateGraph } from './validate.js';
/** The model zoo: builder, networks, registry, synthetic weights (also `@secinfer/nn/zoo`). */
export * from './zoo/index.js';
