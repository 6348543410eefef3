// DenseNet (Huang et al. 2017; torchvision `densenet121`), a CrypTFlow2 ImageNet benchmark:
// a 7x7 stride-2 stem (conv, BN, ReLU, 3x3 max pool), dense blocks whose every layer reads the
// concatenation of all earlier feature maps (BN-ReLU-conv1x1 to bnSize·growth channels,
// BN-ReLU-conv3x3 to growth channels), transitions (BN-ReLU-conv1x1 halving the channels,
// 2x2 average pool), a final BN + ReLU, global average pool and a fully-connected layer.
// The batch norms after a concatenation cannot be folded into a conv: they stay per-channel
// affine layers in fixed point. Written as torchvision writes it, so each dense layer starts
// with a concat (of one input in a block's first layer) and each block ends with one.
import type { ModelGraph } from '../graph.js';
import { GraphBuilder, type ImageNetOptions, imageInput, type WeightInit } from './builder.js';

/** The shape of a DenseNet. */
export interface DenseNetConfig {
  /** Dense layers per block, e.g. [6, 12, 24, 16] for DenseNet121. */
  readonly blocks: readonly number[];
  /** Channels each dense layer adds (k). */
  readonly growth: number;
  /** Bottleneck width multiplier: the 1x1 conv has bnSize · growth channels. */
  readonly bnSize: number;
  /** Channels of the stem conv. */
  readonly initChannels: number;
  /** Outputs of the final fully-connected layer. */
  readonly classes: number;
}

/** torchvision densenet121: growth 32, blocks [6, 12, 24, 16], bn_size 4, 64 stem channels. */
export const DENSENET121: DenseNetConfig = {
  blocks: [6, 12, 24, 16],
  growth: 32,
  bnSize: 4,
  initChannels: 64,
  classes: 1000,
};

/**
 * A reduced DenseNet with every layer kind of DenseNet121 (stem with max pool, dense layers
 * with BN after a concat, one transition with average pool, final BN, pool, fc), small enough
 * to run securely in CI in seconds: blocks [2, 2], growth 8, bnSize 2, 16 stem channels,
 * 10 classes; use it with `size: 32`.
 */
export const DENSENET_TINY: DenseNetConfig = {
  blocks: [2, 2],
  growth: 8,
  bnSize: 2,
  initChannels: 16,
  classes: 10,
};

/** A DenseNet of the given shape: [batch, 3, size, size] -> `classes` logits. */
export function denseNet(
  init: WeightInit,
  config: DenseNetConfig,
  options: ImageNetOptions = {},
): ModelGraph {
  const b = new GraphBuilder(imageInput(options), init);
  const bnReluConv = (name: string, x: string, channels: number, k: number) =>
    b.conv(`${name}.conv`, b.relu(`${name}.relu`, b.batchNorm(`${name}.bn`, x)), channels, k, {
      pad: (k - 1) / 2,
      bias: false,
    });

  let x = b.relu(
    'conv0.relu',
    b.convBn('conv0', 'input', config.initChannels, 7, { stride: 2, pad: 3 }),
  );
  x = b.maxPool('pool0', x, 3, 2, 1);
  config.blocks.forEach((layers, i) => {
    const block = `denseblock${i + 1}`;
    const features = [x];
    for (let l = 0; l < layers; l++) {
      const name = `${block}.denselayer${l + 1}`;
      const cat = b.concat(`${name}.concat`, features);
      const y = bnReluConv(`${name}.1`, cat, config.bnSize * config.growth, 1);
      features.push(bnReluConv(`${name}.2`, y, config.growth, 3));
    }
    x = b.concat(`${block}.concat`, features);
    if (i < config.blocks.length - 1) {
      const t = `transition${i + 1}`;
      x = b.avgPool(`${t}.pool`, bnReluConv(t, x, b.shape(x)[1]! / 2, 1), 2);
    }
  });
  x = b.relu('norm5.relu', b.batchNorm('norm5', x));
  return b.build([b.fc('classifier', b.globalAvgPoolFlat('gap', x), config.classes)]);
}

/** DenseNet121: [batch, 3, size, size] -> 1000 logits; weights from `init`. */
export function denseNet121(init: WeightInit, options: ImageNetOptions = {}): ModelGraph {
  return denseNet(init, DENSENET121, options);
}

/** The reduced DENSENET_TINY network (default input 32x32): [batch, 3, size, size] -> 10 logits. */
export function denseNetTiny(init: WeightInit, options: ImageNetOptions = {}): ModelGraph {
  return denseNet(init, DENSENET_TINY, { size: 32, ...options });
}
