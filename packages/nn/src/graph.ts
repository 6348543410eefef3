// The model graph (IR): plain-data nodes with their attributes and weights. Every consumer —
// shape inference, the float executor, and later the fixed-point compiler and the secure
// executors — walks the same nodes; none of them is stored in the graph.
import type { Tensor } from './tensor.js';

interface NodeBase {
  /** Unique node name, used in every error message about this node. */
  readonly name: string;
  /** Names of the values this node reads (graph inputs or other nodes' outputs). */
  readonly inputs: readonly string[];
  /** Name of the single value this node produces. */
  readonly output: string;
}

/** 2-D convolution, NCHW. weight [M, C/group, kH, kW], bias [M]. */
export interface ConvNode extends NodeBase {
  readonly kind: 'conv';
  readonly weight: Tensor;
  readonly bias?: Tensor;
  /** [strideH, strideW] */
  readonly strides: readonly [number, number];
  /** [top, left, bottom, right] (ONNX order: begins then ends). */
  readonly pads: readonly [number, number, number, number];
  /** [dilationH, dilationW] */
  readonly dilations: readonly [number, number];
  readonly group: number;
}

/** Fully connected: y[m, n] = sum_k x[m, k] * weight[n, k] + bias[n]. weight [N, K] (PyTorch Linear). */
export interface GemmNode extends NodeBase {
  readonly kind: 'gemm';
  readonly weight: Tensor;
  readonly bias?: Tensor;
}

/** Inference batch normalisation over channel axis 1: (x - mean) / sqrt(variance + epsilon) * scale + bias. */
export interface BatchNormNode extends NodeBase {
  readonly kind: 'batchnorm';
  readonly scale: Tensor;
  readonly bias: Tensor;
  readonly mean: Tensor;
  readonly variance: Tensor;
  readonly epsilon: number;
}

/** Elementwise max(x, 0). */
export interface ReluNode extends NodeBase {
  readonly kind: 'relu';
}

/** Parameters shared by the 2-D pools, NCHW. */
export interface Pool2dParams {
  /** [kH, kW] */
  readonly kernel: readonly [number, number];
  /** [strideH, strideW] */
  readonly strides: readonly [number, number];
  /** [top, left, bottom, right] */
  readonly pads: readonly [number, number, number, number];
  /** Output size rounds up (ONNX ceil_mode); windows starting in the right/bottom padding are dropped. */
  readonly ceilMode: boolean;
}

/** 2-D max pool; padding never wins. */
export interface MaxPoolNode extends NodeBase, Pool2dParams {
  readonly kind: 'maxpool';
}

/** 2-D average pool. */
export interface AvgPoolNode extends NodeBase, Pool2dParams {
  readonly kind: 'avgpool';
  /** Divide by the whole kernel area (true) or by the number of non-padding cells (false). */
  readonly countIncludePad: boolean;
}

/** Mean over all spatial positions: [N, C, ...] -> [N, C, 1, 1...]. */
export interface GlobalAvgPoolNode extends NodeBase {
  readonly kind: 'globalavgpool';
}

/** Elementwise sum of two values with NumPy broadcasting (residual connections). */
export interface AddNode extends NodeBase {
  readonly kind: 'add';
}

/** Concatenation along an axis (fire modules, dense blocks). */
export interface ConcatNode extends NodeBase {
  readonly kind: 'concat';
  readonly axis: number;
}

/** [d0, ..., dn] -> [d0 * ... * d(axis-1), d(axis) * ... * dn]. */
export interface FlattenNode extends NodeBase {
  readonly kind: 'flatten';
  readonly axis: number;
}

/** Same data, new static shape (fully resolved: no 0 or -1). */
export interface ReshapeNode extends NodeBase {
  readonly kind: 'reshape';
  readonly shape: readonly number[];
}

/** Index of the maximum along an axis (first or last on ties). */
export interface ArgMaxNode extends NodeBase {
  readonly kind: 'argmax';
  readonly axis: number;
  readonly keepDims: boolean;
  readonly selectLastIndex: boolean;
}

/** A public constant value (e.g. a bias added by an Add node); it has no inputs. */
export interface ConstantNode extends NodeBase {
  readonly kind: 'constant';
  readonly value: Tensor;
}

/** One node of the model graph. */
export type ModelNode =
  | ConvNode
  | GemmNode
  | BatchNormNode
  | ReluNode
  | MaxPoolNode
  | AvgPoolNode
  | GlobalAvgPoolNode
  | AddNode
  | ConcatNode
  | FlattenNode
  | ReshapeNode
  | ArgMaxNode
  | ConstantNode;

/** The kind tag of a node. */
export type NodeKind = ModelNode['kind'];

/** A graph input: the client's data, with its static shape. */
export interface GraphInput {
  readonly name: string;
  readonly shape: readonly number[];
}

/** A model: inputs, nodes (any order; executors sort them), and the names of its outputs. */
export interface ModelGraph {
  readonly inputs: readonly GraphInput[];
  readonly nodes: readonly ModelNode[];
  readonly outputs: readonly string[];
}
