// ONNX model -> ModelGraph. Each supported operator maps to one IR node (or folds away:
// Identity, Dropout, Constant); every attribute is either honoured or rejected by name, so an
// imported model never computes something other than what its file says.
import { ModelError, OnnxImportError } from '../errors.js';
import type { GraphInput, ModelGraph, ModelNode, Pool2dParams } from '../graph.js';
import { inferNodeShape } from '../shapes.js';
import type { Tensor } from '../tensor.js';
import {
  type AttributeProto,
  type ModelProto,
  ModelProtoType,
  type NodeProto,
  toInt,
} from './schema.js';
import { dataTypeName, isFloatType, tensorFromProto } from './tensor-proto.js';

/** Options of `importOnnx`. */
export interface OnnxImportOptions {
  /**
   * Values for graph inputs that are really weights (frozen into the graph as constants);
   * the remaining graph inputs are the runtime (client) inputs.
   */
  readonly constants?: Readonly<Record<string, Tensor>>;
  /** Static shapes for runtime inputs whose ONNX shape is symbolic (e.g. a batch dimension 'N'). */
  readonly inputShapes?: Readonly<Record<string, readonly number[]>>;
}

/** ONNX operators `importOnnx` accepts. */
export const SUPPORTED_ONNX_OPS: readonly string[] = [
  'Conv',
  'Gemm',
  'MatMul',
  'BatchNormalization',
  'Relu',
  'MaxPool',
  'AveragePool',
  'GlobalAveragePool',
  'Add',
  'Concat',
  'Flatten',
  'Reshape',
  'ArgMax',
  'Identity',
  'Dropout',
  'Constant',
  'Pad',
];

class Attributes {
  private readonly byName = new Map<string, AttributeProto>();
  private readonly used = new Set<string>();
  constructor(
    private readonly node: NodeProto,
    private readonly nodeName: string,
  ) {
    for (const a of node.attribute) this.byName.set(a.name, a);
  }
  private take(name: string): AttributeProto | undefined {
    this.used.add(name);
    const a = this.byName.get(name);
    if (a?.refAttrName) throw this.error(`attribute '${name}' refers to a function attribute`);
    return a;
  }
  error(reason: string): OnnxImportError {
    return new OnnxImportError(this.nodeName, this.node.opType, reason);
  }
  int(name: string, fallback: number): number {
    const a = this.take(name);
    return a ? toInt(a.i) : fallback;
  }
  float(name: string, fallback: number): number {
    const a = this.take(name);
    return a ? a.f : fallback;
  }
  ints(name: string): number[] | undefined {
    const a = this.take(name);
    return a ? a.ints.map(toInt) : undefined;
  }
  string(name: string, fallback: string): string {
    const a = this.take(name);
    return a ? new TextDecoder().decode(a.s) : fallback;
  }
  raw(name: string): AttributeProto | undefined {
    return this.take(name);
  }
  /** Accepts an attribute whose value does not change inference results (e.g. momentum). */
  ignore(...names: string[]): void {
    for (const n of names) this.used.add(n);
  }
  /** Rejects any attribute the operator's mapping did not read: never silently ignored. */
  rejectUnread(): void {
    for (const name of this.byName.keys()) {
      if (!this.used.has(name)) throw this.error(`unsupported attribute '${name}'`);
    }
  }
}

function opsetVersion(model: ModelProto): number {
  const entry = model.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  return entry ? toInt(entry.version) : 1;
}

/**
 * Imports an ONNX model (bytes of a .onnx file) into a ModelGraph. Throws an `OnnxImportError`
 * naming the operator and node for anything unsupported, or a `ModelError` if the imported
 * graph is inconsistent.
 */
export function importOnnx(bytes: Uint8Array, options: OnnxImportOptions = {}): ModelGraph {
  let model: ModelProto;
  try {
    model = ModelProtoType.decode(bytes) as unknown as ModelProto;
  } catch (e) {
    throw new OnnxImportError(undefined, undefined, `malformed ONNX file: ${(e as Error).message}`);
  }
  const g = model.graph;
  if (!g) throw new OnnxImportError(undefined, undefined, 'malformed ONNX file: no graph');
  const opset = opsetVersion(model);

  const constants = new Map<string, Tensor>();
  for (const t of g.initializer) constants.set(t.name, tensorFromProto(t, t.name));
  for (const [name, t] of Object.entries(options.constants ?? {})) constants.set(name, t);

  const shapes = new Map<string, readonly number[]>();
  const inputs: GraphInput[] = [];
  for (const vi of g.input) {
    if (constants.has(vi.name)) continue;
    const tt = vi.type?.tensorType;
    if (!tt)
      throw new OnnxImportError(undefined, undefined, `graph input '${vi.name}' is not a tensor`);
    if (!isFloatType(tt.elemType)) {
      throw new OnnxImportError(
        undefined,
        undefined,
        `graph input '${vi.name}' has element type ${dataTypeName(tt.elemType)}; only FLOAT and DOUBLE inputs are supported`,
      );
    }
    let shape = options.inputShapes?.[vi.name];
    if (!shape) {
      const dims = tt.shape?.dim ?? [];
      shape = dims.map((d) => toInt(d.dimValue));
      if (!tt.shape || shape.some((d) => d < 1)) {
        throw new OnnxImportError(
          undefined,
          undefined,
          `graph input '${vi.name}' has a symbolic or missing shape; pass options.inputShapes`,
        );
      }
    }
    inputs.push({ name: vi.name, shape });
    shapes.set(vi.name, shape);
  }

  const nodes: ModelNode[] = [];
  const aliases = new Map<string, string>();
  const names = new Set<string>();
  const resolve = (v: string) => aliases.get(v) ?? v;
  const emitted = new Set<string>();
  const push = (node: ModelNode) => {
    try {
      shapes.set(
        node.output,
        inferNodeShape(
          node,
          node.inputs.map((i) => shapes.get(i)!),
        ),
      );
    } catch (e) {
      if (e instanceof ModelError) throw new OnnxImportError(node.name, undefined, e.reason);
      throw e;
    }
    nodes.push(node);
  };
  // A constant read as data (e.g. the second operand of Add) becomes a constant node once.
  const valueInput = (v: string, nodeName: string, opType: string): string => {
    const name = resolve(v);
    if (shapes.has(name)) return name;
    const c = constants.get(name);
    if (!c)
      throw new OnnxImportError(nodeName, opType, `input '${name}' is not produced before use`);
    if (!emitted.has(name)) {
      emitted.add(name);
      push({ kind: 'constant', name: `${name}:constant`, inputs: [], output: name, value: c });
    }
    return name;
  };

  g.node.forEach((onnxNode, index) => {
    const op = onnxNode.opType;
    let name = onnxNode.name || `${op}_${index}`;
    if (names.has(name)) name = `${name}_${index}`;
    names.add(name);
    const attrs = new Attributes(onnxNode, name);
    if (onnxNode.domain !== '' && onnxNode.domain !== 'ai.onnx') {
      throw attrs.error(`operator domain '${onnxNode.domain}' is not supported`);
    }
    const ins = onnxNode.input;
    const output = onnxNode.output[0];
    if (output === undefined) throw attrs.error('node has no output');
    if (onnxNode.output.slice(1).some((o) => o !== '')) {
      throw attrs.error(`optional outputs (${onnxNode.output.slice(1)}) are not supported`);
    }
    const constant = (i: number, what: string): Tensor => {
      const v = ins[i];
      const c = v === undefined || v === '' ? undefined : constants.get(resolve(v));
      if (!c) throw attrs.error(`${what} (input ${i}) must be a constant initializer`);
      return c;
    };
    const optionalConstant = (i: number, what: string) =>
      ins[i] === undefined || ins[i] === '' ? undefined : constant(i, what);
    const data = (i: number) => valueInput(ins[i] ?? '', name, op);

    const node = mapNode(
      op,
      name,
      attrs,
      opset,
      ins,
      output,
      data,
      constant,
      optionalConstant,
      shapes,
    );
    const value = node === 'constant' ? constantValue(attrs) : undefined;
    attrs.rejectUnread();
    if (node === 'alias') aliases.set(output, resolve(ins[0]!));
    else if (value) constants.set(output, value);
    else if (node !== 'constant') push(node);
  });

  const outputs = g.output.map((o) => valueInput(o.name, o.name, 'graph output'));
  return { inputs, nodes, outputs };
}

function constantValue(attrs: Attributes): Tensor {
  const t = attrs.raw('value');
  if (t?.t) return tensorFromProto(t.t, 'value');
  const f = attrs.raw('value_float');
  if (f) return { shape: [], data: Float32Array.of(f.f) };
  const fs = attrs.raw('value_floats');
  if (fs) return { shape: [fs.floats.length], data: Float32Array.from(fs.floats) };
  const i = attrs.raw('value_int');
  if (i) return { shape: [], data: Float64Array.of(toInt(i.i)) };
  const is = attrs.raw('value_ints');
  if (is) return { shape: [is.ints.length], data: Float64Array.from(is.ints.map(toInt)) };
  throw attrs.error('Constant without a supported value attribute');
}

function transpose2d(t: Tensor, scale: number): Tensor {
  const [r, c] = t.shape as [number, number];
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++)
    for (let j = 0; j < c; j++) out[j * r + i] = t.data[i * c + j]! * scale;
  return { shape: [c, r], data: out };
}

function scaled(t: Tensor, scale: number): Tensor {
  return scale === 1 ? t : { shape: t.shape, data: Float64Array.from(t.data, (v) => v * scale) };
}

/** Explicit [top, left, bottom, right] pads from pads / auto_pad for a 2-D window. */
function windowPads(
  attrs: Attributes,
  input: readonly number[],
  kernel: readonly [number, number],
  strides: readonly [number, number],
  dilations: readonly [number, number],
): [number, number, number, number] {
  const autoPad = attrs.string('auto_pad', 'NOTSET');
  const pads = attrs.ints('pads');
  if (autoPad === 'NOTSET') {
    if (!pads) return [0, 0, 0, 0];
    if (pads.length !== 4)
      throw attrs.error(`pads must have 4 values for a 2-D window, got ${pads}`);
    return pads as [number, number, number, number];
  }
  if (pads) throw attrs.error('pads and auto_pad are both set');
  if (autoPad === 'VALID') return [0, 0, 0, 0];
  if (autoPad !== 'SAME_UPPER' && autoPad !== 'SAME_LOWER')
    throw attrs.error(`unknown auto_pad '${autoPad}'`);
  const result: number[] = [0, 0, 0, 0];
  for (const axis of [0, 1]) {
    const size = input[2 + axis]!;
    const stride = strides[axis]!;
    const out = Math.ceil(size / stride);
    const total = Math.max(
      (out - 1) * stride + (kernel[axis]! - 1) * dilations[axis]! + 1 - size,
      0,
    );
    const small = Math.floor(total / 2);
    const begin = autoPad === 'SAME_UPPER' ? small : total - small;
    result[axis] = begin;
    result[axis + 2] = total - begin;
  }
  return result as [number, number, number, number];
}

function pair(
  attrs: Attributes,
  name: string,
  values: number[] | undefined,
  fallback: number,
): [number, number] {
  if (!values) return [fallback, fallback];
  if (values.length !== 2)
    throw attrs.error(`${name} must have 2 values (2-D only), got ${values}`);
  return values as [number, number];
}

function poolParams(attrs: Attributes, input: readonly number[] | undefined): Pool2dParams {
  if (input?.length !== 4) throw attrs.error('only 2-D pooling of NCHW inputs is supported');
  const kernelAttr = attrs.ints('kernel_shape');
  if (!kernelAttr) throw attrs.error('kernel_shape is required');
  const kernel = pair(attrs, 'kernel_shape', kernelAttr, 1);
  const strides = pair(attrs, 'strides', attrs.ints('strides'), 1);
  const dilations = pair(attrs, 'dilations', attrs.ints('dilations'), 1);
  if (dilations[0] !== 1 || dilations[1] !== 1)
    throw attrs.error(`dilations ${dilations} are not supported`);
  return {
    kernel,
    strides,
    pads: windowPads(attrs, input, kernel, strides, dilations),
    ceilMode: attrs.int('ceil_mode', 0) === 1,
  };
}

function mapNode(
  op: string,
  name: string,
  attrs: Attributes,
  opset: number,
  ins: readonly string[],
  output: string,
  data: (i: number) => string,
  constant: (i: number, what: string) => Tensor,
  optionalConstant: (i: number, what: string) => Tensor | undefined,
  shapes: ReadonlyMap<string, readonly number[]>,
): ModelNode | 'alias' | 'constant' {
  const base = { name, output };
  switch (op) {
    case 'Conv': {
      const x = data(0);
      const weight = constant(1, 'weight W');
      const bias = optionalConstant(2, 'bias B');
      if (weight.shape.length !== 4) throw attrs.error('only 2-D convolution is supported');
      const kernel = attrs.ints('kernel_shape');
      if (kernel && (kernel[0] !== weight.shape[2] || kernel[1] !== weight.shape[3])) {
        throw attrs.error(`kernel_shape ${kernel} does not match weight shape [${weight.shape}]`);
      }
      const strides = pair(attrs, 'strides', attrs.ints('strides'), 1);
      const dilations = pair(attrs, 'dilations', attrs.ints('dilations'), 1);
      const k: [number, number] = [weight.shape[2]!, weight.shape[3]!];
      const xShape = shapes.get(x);
      if (xShape?.length !== 4) throw attrs.error('only NCHW inputs are supported');
      return {
        ...base,
        kind: 'conv',
        inputs: [x],
        weight,
        ...(bias ? { bias } : {}),
        strides,
        dilations,
        pads: windowPads(attrs, xShape, k, strides, dilations),
        group: attrs.int('group', 1),
      };
    }
    case 'Gemm': {
      if (attrs.int('transA', 0) !== 0) throw attrs.error('transA = 1 is not supported');
      const x = data(0);
      const b = constant(1, 'B');
      if (b.shape.length !== 2) throw attrs.error(`B must be 2-D, got [${b.shape}]`);
      const alpha = attrs.float('alpha', 1);
      const beta = attrs.float('beta', 1);
      const weight = attrs.int('transB', 0) === 1 ? scaled(b, alpha) : transpose2d(b, alpha);
      const c = optionalConstant(2, 'C');
      const n = weight.shape[0]!;
      // C broadcasts to [M, N]; only a per-column C is a bias of the fully-connected layer.
      const perColumn = c && c.data.length === n && c.shape[c.shape.length - 1] === n;
      if (c && !perColumn && c.data.length !== 1) {
        throw attrs.error(`C of shape [${c.shape}] is not a per-output bias`);
      }
      const bias =
        c &&
        (perColumn
          ? scaled({ shape: [n], data: c.data }, beta)
          : { shape: [n], data: new Float64Array(n).fill(c.data[0]! * beta) });
      return { ...base, kind: 'gemm', inputs: [x], weight, ...(bias ? { bias } : {}) };
    }
    case 'MatMul': {
      const x = data(0);
      const b = constant(1, 'B');
      if (shapes.get(x)?.length !== 2 || b.shape.length !== 2) {
        throw attrs.error('only a 2-D input times a 2-D constant matrix is supported');
      }
      return { ...base, kind: 'gemm', inputs: [x], weight: transpose2d(b, 1) };
    }
    case 'BatchNormalization': {
      if (attrs.int('training_mode', 0) !== 0)
        throw attrs.error('training_mode = 1 is not supported');
      if (opset < 9 && attrs.int('spatial', 1) !== 1)
        throw attrs.error('spatial = 0 is not supported');
      if (opset < 7 && attrs.int('is_test', 0) !== 1)
        throw attrs.error('is_test = 0 (training) is not supported');
      attrs.ignore('momentum', 'consumed_inputs');
      return {
        ...base,
        kind: 'batchnorm',
        inputs: [data(0)],
        scale: constant(1, 'scale'),
        bias: constant(2, 'B'),
        mean: constant(3, 'input_mean'),
        variance: constant(4, 'input_var'),
        epsilon: attrs.float('epsilon', 1e-5),
      };
    }
    case 'Relu':
      return { ...base, kind: 'relu', inputs: [data(0)] };
    case 'MaxPool': {
      const x = data(0);
      // storage_order only affects the Indices output, which is rejected above.
      attrs.ignore('storage_order');
      return { ...base, kind: 'maxpool', inputs: [x], ...poolParams(attrs, shapes.get(x)) };
    }
    case 'AveragePool': {
      const x = data(0);
      return {
        ...base,
        kind: 'avgpool',
        inputs: [x],
        ...poolParams(attrs, shapes.get(x)),
        countIncludePad: attrs.int('count_include_pad', 0) === 1,
      };
    }
    case 'GlobalAveragePool':
      return { ...base, kind: 'globalavgpool', inputs: [data(0)] };
    case 'Add':
      if (opset < 7 && (attrs.int('broadcast', 0) !== 0 || attrs.ints('axis'))) {
        throw attrs.error('legacy (opset < 7) broadcast attributes are not supported');
      }
      return { ...base, kind: 'add', inputs: [data(0), data(1)] };
    case 'Concat':
      return {
        ...base,
        kind: 'concat',
        inputs: ins.map((_, i) => data(i)),
        axis: attrs.int('axis', 1),
      };
    case 'Flatten':
      return { ...base, kind: 'flatten', inputs: [data(0)], axis: attrs.int('axis', 1) };
    case 'Reshape': {
      const x = data(0);
      const target = opset < 5 ? attrs.ints('shape') : Array.from(constant(1, 'shape').data);
      if (!target) throw attrs.error('shape is required');
      const allowZero = attrs.int('allowzero', 0) === 1;
      const xShape = shapes.get(x)!;
      const shape = target.map((d, i) => (d === 0 && !allowZero ? xShape[i]! : d));
      const unknown = shape.indexOf(-1);
      if (unknown >= 0) {
        const known = shape.reduce((p, d, i) => (i === unknown ? p : p * d), 1);
        const total = xShape.reduce((p, d) => p * d, 1);
        if (known === 0 || total % known !== 0) {
          throw attrs.error(`cannot infer -1 in shape [${target}] for input [${xShape}]`);
        }
        shape[unknown] = total / known;
      }
      return { ...base, kind: 'reshape', inputs: [x], shape };
    }
    case 'ArgMax':
      return {
        ...base,
        kind: 'argmax',
        inputs: [data(0)],
        axis: attrs.int('axis', 0),
        keepDims: attrs.int('keepdims', 1) === 1,
        selectLastIndex: attrs.int('select_last_index', 0) === 1,
      };
    case 'Identity':
      return 'alias';
    case 'Dropout':
      // Inference: Dropout is the identity whatever its ratio (the mask output is rejected).
      attrs.ignore('ratio', 'seed', 'is_test');
      if (optionalConstant(2, 'training_mode')?.data[0])
        throw attrs.error('training_mode = true is not supported');
      return 'alias';
    case 'Constant':
      return 'constant';
    case 'Pad': {
      // PyTorch exports AvgPool2d as an all-zero Pad then AveragePool; only that no-op is accepted.
      const mode = attrs.string('mode', 'constant');
      const pads = opset < 11 ? attrs.ints('pads') : Array.from(constant(1, 'pads').data);
      if (mode !== 'constant' || !pads || pads.some((p) => p !== 0)) {
        throw attrs.error(`only an all-zero Pad is supported (mode ${mode}, pads [${pads}])`);
      }
      attrs.ignore('value');
      return 'alias';
    }
    default:
      throw new OnnxImportError(
        name,
        op,
        `unsupported operator (supported: ${SUPPORTED_ONNX_OPS.join(', ')})`,
      );
  }
}
