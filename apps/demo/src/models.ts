// Resolving `--model`: the trained MNIST CNN, a zoo network (synthetic seeded weights, always
// labelled so), or the user's ONNX file; then the fixed-point compilation the server runs,
// with the scale autotuned on calibration inputs unless `--scale` fixes it (the MNIST model
// ships the (ℓ, s) tuned on its held-out digits for the chosen backend).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import {
  type Backend,
  chooseScale,
  compileFixedPoint,
  type FixedModel,
  type FloatArray,
  importOnnx,
  MNIST_FIXED_POINT,
  mnistCnn,
  mnistDigit,
  syntheticWeights,
  type ValidatedGraph,
  validateGraph,
  ZOO,
  type ZooId,
} from '@secinfer/nn';
import { seededRandom } from '@secinfer/transport';
import { CliError } from './errors.js';
import { IMAGENET_CLASSES } from './imagenet-classes.js';
import type { InputSpec } from './preprocess.js';

const CIFAR10_CLASSES = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
];
// torchvision's ImageNet evaluation transform: Resize(256), CenterCrop(224), Normalize.
const IMAGENET_NORMALISATION = {
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
  resize: 256,
};
const CIFAR_NORMALISATION = {
  mean: [0.4914, 0.4822, 0.4465],
  std: [0.247, 0.2435, 0.2616],
  resize: 32,
};

/** A model ready to serve: its compiled form and how to feed and read it. */
export interface LoadedModel {
  readonly id: string;
  readonly title: string;
  /** Where the weights come from; synthetic ones are said so in every report. */
  readonly weights: 'trained' | 'synthetic' | 'from file';
  readonly model: FixedModel;
  /** The float graph it was compiled from (the tuner runs it). */
  readonly graph: ValidatedGraph;
  readonly input: InputSpec;
  readonly classes?: readonly string[];
  /** A declared public bound on |w| the model is compiled with (a zoo entry's), if any. */
  readonly weightBound?: number;
}

/** Model ids the command knows, for help and errors. */
export const MODEL_IDS = ['mnist', ...Object.keys(ZOO)] as const;

/** Options that fix the fixed-point parameters instead of the defaults. */
export interface CompileOptions {
  readonly ell?: number;
  readonly scale?: number;
  /** The backend that will run it: the MNIST model ships tuned (ℓ, s) per backend. */
  readonly backend?: Backend;
}

/** `count` seeded pseudo-random inputs in [−1, 1) of `shape`: calibration and synthetic validation. */
export function seededInputs(shape: readonly number[], count: number): Float32Array[] {
  const n = shape.reduce((a, b) => a * b, 1);
  const random = seededRandom(7);
  return Array.from({ length: count }, () =>
    Float32Array.from({ length: n }, () => random() * 2 - 1),
  );
}

function compile(
  graph: ReturnType<typeof validateGraph>,
  calibration: FloatArray[],
  ell: number,
  options: CompileOptions,
  zoo?: { readonly maxScale?: number; readonly weightBound?: number },
): FixedModel {
  const name = graph.graph.inputs[0]!.name;
  // A zoo entry's declared weight bound (public, in its card as weightBits); other models ℓ.
  const weightBound = zoo?.weightBound;
  if (options.scale !== undefined) {
    return compileFixedPoint(graph, { ell: options.ell ?? ell, scale: options.scale, weightBound });
  }
  return chooseScale(
    graph,
    calibration.map((x) => ({ [name]: x })),
    // A zoo entry's calibrated scale is the first tried (and verified), which saves full
    // fixed-point runs of the big networks at larger scales that would overflow anyway.
    {
      ell: options.ell ?? ell,
      maxScale: options.ell === undefined ? zoo?.maxScale : undefined,
      weightBound,
    },
  ).model;
}

/** Loads and compiles `spec`: a model id or a path to an .onnx file. */
export function loadModel(spec: string, options: CompileOptions = {}): LoadedModel {
  if (spec === 'mnist') {
    const graph = validateGraph(mnistCnn());
    const digits = Array.from({ length: 10 }, (_, d) => mnistDigit(d));
    return {
      id: 'mnist',
      title: 'MNIST CNN (trained on real digits)',
      weights: 'trained',
      graph,
      model:
        options.ell === undefined && options.scale === undefined
          ? compileFixedPoint(graph, MNIST_FIXED_POINT[options.backend ?? 'ot'])
          : compile(graph, digits, 32, options),
      input: { shape: [1, 1, 28, 28], kind: 'mnist' },
      classes: Array.from({ length: 10 }, (_, d) => String(d)),
    };
  }
  if (spec in ZOO) {
    const entry = ZOO[spec as ZooId];
    const graph = validateGraph(entry.build(syntheticWeights(1)));
    const imagenet = entry.dataset === 'ImageNet';
    return {
      id: entry.id,
      title: entry.title,
      weights: 'synthetic',
      graph,
      weightBound: entry.weightBound,
      model: compile(graph, seededInputs(entry.inputShape, 2), entry.ell, options, {
        maxScale: entry.defaultScale,
        weightBound: entry.weightBound,
      }),
      input: {
        shape: entry.inputShape,
        kind: 'rgb',
        ...(imagenet ? IMAGENET_NORMALISATION : CIFAR_NORMALISATION),
      },
      classes: imagenet
        ? IMAGENET_CLASSES
        : entry.inputShape[2] === 32
          ? CIFAR10_CLASSES
          : undefined,
    };
  }
  if (!spec.endsWith('.onnx')) {
    throw new CliError(
      'UNKNOWN_MODEL',
      `unknown model '${spec}': use one of ${MODEL_IDS.join(', ')} or a path to an .onnx file`,
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(spec);
  } catch (e) {
    throw new CliError(
      'MODEL_UNREADABLE',
      `cannot read model ${spec}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  const graph = validateGraph(importOnnx(bytes));
  const shape = graph.graph.inputs[0]!.shape;
  // The model card goes to every client: the file's name, not where it lies on the server.
  return {
    id: basename(spec),
    title: basename(spec),
    weights: 'from file',
    graph,
    model: compile(graph, seededInputs(shape, 2), 32, options),
    input: { shape, kind: shape[1] === 1 ? 'mnist' : 'rgb' },
  };
}
