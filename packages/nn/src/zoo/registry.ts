// The zoo registry: every network the CLI and the benchmarks can list and run, with the ring
// width ℓ CrypTFlow2 used for it. None of these carries trained weights: build them with
// `syntheticWeights(seed)` (or your own WeightInit) — the `weights` field says so.
import type { ModelGraph } from '../graph.js';
import type { ImageNetOptions, WeightInit } from './builder.js';
import { denseNet121 } from './densenet121.js';
import { miniONN } from './minionn.js';
import { resNet32 } from './resnet32.js';
import { resNet50 } from './resnet50.js';
import { squeezeNet } from './squeezenet.js';

/** Names of the zoo networks. */
export type ZooId = 'minionn' | 'resnet32' | 'squeezenet' | 'resnet50' | 'densenet121';

/** One zoo network. */
export interface ZooEntry {
  readonly id: ZooId;
  /** Human-readable name. */
  readonly title: string;
  readonly dataset: 'CIFAR-10' | 'ImageNet';
  /** Input shape at the default batch (1) and size. */
  readonly inputShape: readonly number[];
  /** Ring bit width ℓ (CrypTFlow2: 37 for ResNet50, 32 otherwise). */
  readonly ell: 32 | 37;
  /**
   * The scale `chooseScale` picked at this ℓ for `syntheticWeights(1)` on one seeded input
   * uniform in [−1.7, 1.7) at the default size (the zoo tests re-check the ImageNet networks
   * at 64x64); trained weights must be calibrated again.
   */
  readonly defaultScale?: number;
  /**
   * A public bound on every weight of `syntheticWeights(seed)`, |w| < weightBound (real units,
   * after batch norm is folded): compiled with it, the program declares b = log2 B + s + 1
   * signed bits per weight instead of ℓ (the OT backend's OTs per weight). Trained weights
   * need a bound of their own.
   */
  readonly weightBound?: number;
  /**
   * Builds the graph with weights from `init`. `size` (input H = W) applies to the ImageNet
   * networks only; the CIFAR-10 networks are fixed at 32 and reject another size.
   */
  readonly build: (init: WeightInit, options?: ImageNetOptions) => ModelGraph;
  /** Where the weights come from: every entry here is 'synthetic' (seeded, untrained). */
  readonly weights: 'synthetic' | 'trained';
  readonly paperReference?: string;
}

function cifar(
  build: (init: WeightInit, batch?: number) => ModelGraph,
): (init: WeightInit, options?: ImageNetOptions) => ModelGraph {
  return (init, options = {}) => {
    if (options.size !== undefined && options.size !== 32)
      throw new RangeError(`a CIFAR-10 network takes 32x32 inputs, not size ${options.size}`);
    return build(init, options.batch ?? 1);
  };
}

/** The zoo: ids → networks, in benchmark order (smallest first). */
export const ZOO: Readonly<Record<ZooId, ZooEntry>> = {
  minionn: {
    id: 'minionn',
    title: 'MiniONN CIFAR-10 CNN',
    dataset: 'CIFAR-10',
    inputShape: [1, 3, 32, 32],
    ell: 32,
    defaultScale: 13,
    weightBound: 2,
    build: cifar(miniONN),
    weights: 'synthetic',
    paperReference: 'Liu et al., MiniONN, CCS 2017, Fig. 13',
  },
  resnet32: {
    id: 'resnet32',
    title: 'ResNet32 (CIFAR-10)',
    dataset: 'CIFAR-10',
    inputShape: [1, 3, 32, 32],
    ell: 32,
    defaultScale: 10,
    weightBound: 2,
    build: cifar(resNet32),
    weights: 'synthetic',
    paperReference: 'He et al., Deep Residual Learning, CVPR 2016, §4.2 (n = 5)',
  },
  squeezenet: {
    id: 'squeezenet',
    title: 'SqueezeNet 1.1 (torchvision squeezenet1_1)',
    dataset: 'ImageNet',
    inputShape: [1, 3, 224, 224],
    ell: 32,
    defaultScale: 13,
    weightBound: 2,
    build: squeezeNet,
    weights: 'synthetic',
    paperReference: 'Iandola et al., SqueezeNet, arXiv:1602.07360 (v1.1)',
  },
  resnet50: {
    id: 'resnet50',
    title: 'ResNet50 (torchvision resnet50, v1.5)',
    dataset: 'ImageNet',
    inputShape: [1, 3, 224, 224],
    ell: 37,
    defaultScale: 15,
    weightBound: 2,
    build: resNet50,
    weights: 'synthetic',
    paperReference: 'He et al., Deep Residual Learning, CVPR 2016',
  },
  densenet121: {
    id: 'densenet121',
    title: 'DenseNet121 (torchvision densenet121)',
    dataset: 'ImageNet',
    inputShape: [1, 3, 224, 224],
    ell: 32,
    defaultScale: 12,
    weightBound: 2,
    build: denseNet121,
    weights: 'synthetic',
    paperReference: 'Huang et al., Densely Connected Convolutional Networks, CVPR 2017',
  },
};
