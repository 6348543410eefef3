// A small builder that writes IR graphs layer by layer, tracking shapes as it goes, so a zoo
// network reads as its paper's table. Weights come from a caller-supplied initialiser: the
// library draws no randomness of its own (tests pass a seeded generator, users real weights).
import type { ConvNode, GraphInput, ModelGraph, ModelNode, Pool2dParams } from '../graph.js';
import { inferNodeShape } from '../shapes.js';
import type { FloatArray, Tensor } from '../tensor.js';

/** Supplies the values of a named weight of the given shape (e.g. `conv1.weight`, [16, 3, 3, 3]). */
export type WeightInit = (name: string, shape: readonly number[]) => FloatArray;

/** Options of a 2-D convolution layer. */
export interface ConvOptions {
  readonly stride?: number;
  readonly pad?: number;
  readonly bias?: boolean;
}

/** Writes a ModelGraph layer by layer; every method returns the name of the value it produces. */
export class GraphBuilder {
  private readonly nodes: ModelNode[] = [];
  private readonly shapes = new Map<string, readonly number[]>();
  private readonly input: GraphInput;

  constructor(
    input: GraphInput,
    private readonly init: WeightInit,
  ) {
    this.input = input;
    this.shapes.set(input.name, input.shape);
  }

  /** Shape of a value built so far. */
  shape(value: string): readonly number[] {
    const s = this.shapes.get(value);
    if (!s) throw new Error(`unknown value '${value}'`);
    return s;
  }

  private tensor(name: string, shape: readonly number[]): Tensor {
    return { shape, data: this.init(name, shape) };
  }

  private add<N extends ModelNode>(node: N): string {
    this.shapes.set(
      node.output,
      inferNodeShape(
        node,
        node.inputs.map((i) => this.shape(i)),
      ),
    );
    this.nodes.push(node);
    return node.output;
  }

  /** k x k convolution to `channels` output channels. */
  conv(name: string, x: string, channels: number, k: number, o: ConvOptions = {}): string {
    const c = this.shape(x)[1]!;
    const pad = o.pad ?? 0;
    const node: ConvNode = {
      kind: 'conv',
      name,
      inputs: [x],
      output: name,
      weight: this.tensor(`${name}.weight`, [channels, c, k, k]),
      ...(o.bias === false ? {} : { bias: this.tensor(`${name}.bias`, [channels]) }),
      strides: [o.stride ?? 1, o.stride ?? 1],
      pads: [pad, pad, pad, pad],
      dilations: [1, 1],
      group: 1,
    };
    return this.add(node);
  }

  /** Conv without bias, then batch norm (`${name}.bn`): the ResNet/DenseNet unit. */
  convBn(name: string, x: string, channels: number, k: number, o: ConvOptions = {}): string {
    return this.batchNorm(`${name}.bn`, this.conv(name, x, channels, k, { ...o, bias: false }));
  }

  /** Inference batch norm over the channels of `x`. */
  batchNorm(name: string, x: string): string {
    const c = [this.shape(x)[1]!];
    return this.add({
      kind: 'batchnorm',
      name,
      inputs: [x],
      output: name,
      scale: this.tensor(`${name}.scale`, c),
      bias: this.tensor(`${name}.bias`, c),
      mean: this.tensor(`${name}.mean`, c),
      variance: this.tensor(`${name}.variance`, c),
      epsilon: 1e-5,
    });
  }

  /** max(x, 0). */
  relu(name: string, x: string): string {
    return this.add({ kind: 'relu', name, inputs: [x], output: name });
  }

  /** Residual sum. */
  sum(name: string, a: string, b: string): string {
    return this.add({ kind: 'add', name, inputs: [a, b], output: name });
  }

  /** Concatenation along channels. */
  concat(name: string, xs: readonly string[]): string {
    return this.add({ kind: 'concat', name, inputs: [...xs], output: name, axis: 1 });
  }

  private poolParams(k: number, stride: number, pad: number, ceilMode = false): Pool2dParams {
    return {
      kernel: [k, k],
      strides: [stride, stride],
      pads: [pad, pad, pad, pad],
      ceilMode,
    };
  }

  /** k x k max pool; `ceilMode` rounds the output size up (PyTorch's ceil_mode, SqueezeNet). */
  maxPool(name: string, x: string, k: number, stride = k, pad = 0, ceilMode = false): string {
    return this.add({
      kind: 'maxpool',
      name,
      inputs: [x],
      output: name,
      ...this.poolParams(k, stride, pad, ceilMode),
    });
  }

  /** k x k average pool (no padding counted). */
  avgPool(name: string, x: string, k: number, stride = k): string {
    return this.add({
      kind: 'avgpool',
      name,
      inputs: [x],
      output: name,
      ...this.poolParams(k, stride, 0),
      countIncludePad: false,
    });
  }

  /** Global average pool then flatten to [N, C]. */
  globalAvgPoolFlat(name: string, x: string): string {
    const g = this.add({ kind: 'globalavgpool', name, inputs: [x], output: `${name}.pool` });
    return this.add({
      kind: 'flatten',
      name: `${name}.flatten`,
      inputs: [g],
      output: name,
      axis: 1,
    });
  }

  /** Flatten to [N, C*H*W]. */
  flatten(name: string, x: string): string {
    return this.add({ kind: 'flatten', name, inputs: [x], output: name, axis: 1 });
  }

  /** Fully connected layer to `units` outputs. */
  fc(name: string, x: string, units: number): string {
    const k = this.shape(x)[1]!;
    return this.add({
      kind: 'gemm',
      name,
      inputs: [x],
      output: name,
      weight: this.tensor(`${name}.weight`, [units, k]),
      bias: this.tensor(`${name}.bias`, [units]),
    });
  }

  /** The finished graph with the given outputs. */
  build(outputs: readonly string[]): ModelGraph {
    return { inputs: [this.input], nodes: [...this.nodes], outputs };
  }
}

/** Input size options shared by the ImageNet zoo networks. */
export interface ImageNetOptions {
  /** Batch size N (default 1). */
  readonly batch?: number;
  /** Input height = width (default 224). */
  readonly size?: number;
}

/** The [N, 3, size, size] input of an ImageNet network. */
export function imageInput(options: ImageNetOptions = {}): GraphInput {
  const { batch = 1, size = 224 } = options;
  return { name: 'input', shape: [batch, 3, size, size] };
}
