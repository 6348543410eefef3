// Public API of @secinfer/nn: the model graph (IR), its validator and shape inference, ONNX
// import, the float64 reference executor, the fixed-point compiler and its cleartext oracle,
// the secure executor, and the model zoo.

/**
 * A malformed graph (names the node) / an unsupported or malformed ONNX file (names op and node) /
 * a model that does not fit fixed point (names the layer) / a session the parties disagree on.
 */
export { FixedPointError, ModelError, OnnxImportError, SessionError } from './errors.js';
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
/** Imports an ONNX model into the IR. */
export { importOnnx, type OnnxImportOptions, SUPPORTED_ONNX_OPS } from './onnx/import.js';
/** Decodes a serialized ONNX TensorProto (the backend tests' .pb files). */
export { decodeOnnxTensor } from './onnx/tensor-proto.js';
/** One secure inference: the server with the weights, the client with the input (backend ot or he). */
export {
  type BackendOptions,
  backendBitWidths,
  requestInference,
  serveInference,
} from './secure/backends.js';
/** Per-step time and cost events of the secure executor. */
export type { StepEvent } from './secure/executor.js';
export {
  type Backend,
  type ClientInput,
  type ClientOptions,
  type InferenceResult,
  SESSION_VERSION,
  type SessionOptions,
  type SessionReport,
} from './secure/session.js';
/** Pure shape inference of one node; NumPy broadcasting; conv/pool output size. */
export { broadcastShapes, inferNodeShape, windowOutputSize } from './shapes.js';
/** Dense row-major tensors and shape helpers. */
export { type FloatArray, formatShape, sizeOf, type Tensor } from './tensor.js';
/** Checks a graph and returns its topological order and every value's shape. */
export { type ValidatedGraph, validateGraph } from './validate.js';
/** Builds IR graphs layer by layer, with weights from a caller-supplied initialiser. */
export {
  type ConvOptions,
  GraphBuilder,
  type ImageNetOptions,
  imageInput,
  type WeightInit,
} from './zoo/builder.js';
/** DenseNet: the generic builder, DenseNet121 and a reduced CI-sized variant. */
export {
  DENSENET_TINY,
  DENSENET121,
  type DenseNetConfig,
  denseNet,
  denseNet121,
  denseNetTiny,
} from './zoo/densenet121.js';
/** MiniONN's CIFAR-10 network. */
export { miniONN } from './zoo/minionn.js';
/** The trained MNIST CNN, its tuned (ℓ, s) per backend and ten embedded held-out digits. */
export { MNIST_FIXED_POINT, mnistCnn, mnistDigit } from './zoo/mnist.js';
/** The zoo registry: id → title, dataset, input shape, ℓ, scale, builder, weight provenance. */
export { ZOO, type ZooEntry, type ZooId } from './zoo/registry.js';
/** ResNet32 for CIFAR-10. */
export { resNet32 } from './zoo/resnet32.js';
/** ResNet50 (torchvision v1.5) for ImageNet. */
export { resNet50 } from './zoo/resnet50.js';
/** SqueezeNet 1.1 for ImageNet. */
export { squeezeNet } from './zoo/squeezenet.js';
/** Seeded synthetic (untrained) weights that keep activations bounded in deep networks. */
export { syntheticWeights } from './zoo/synthetic.js';
