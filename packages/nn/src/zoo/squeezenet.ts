// SqueezeNet 1.1 (Iandola et al. 2016; torchvision `squeezenet1_1`), a CrypTFlow2 ImageNet
// benchmark: a 3x3 stride-2 stem, eight fire modules (1x1 squeeze, then 1x1 and 3x3 expands
// concatenated) between three ceil-mode 3x3 max pools, and a 1x1 conv to 1000 classes with
// ReLU and global average pooling. Dropout (identity at inference) is omitted.
import type { ModelGraph } from '../graph.js';
import { GraphBuilder, type ImageNetOptions, imageInput, type WeightInit } from './builder.js';

/** SqueezeNet 1.1: [batch, 3, size, size] -> 1000 class scores; weights from `init`. */
export function squeezeNet(init: WeightInit, options: ImageNetOptions = {}): ModelGraph {
  const b = new GraphBuilder(imageInput(options), init);
  const convRelu = (name: string, x: string, channels: number, k: number, stride = 1) =>
    b.relu(`${name}.relu`, b.conv(name, x, channels, k, { stride, pad: k === 3 ? 1 : 0 }));
  const fire = (name: string, x: string, squeeze: number, expand: number) => {
    const s = convRelu(`${name}.squeeze`, x, squeeze, 1);
    return b.concat(`${name}.concat`, [
      convRelu(`${name}.expand1x1`, s, expand, 1),
      convRelu(`${name}.expand3x3`, s, expand, 3),
    ]);
  };
  const pool = (name: string, x: string) => b.maxPool(name, x, 3, 2, 0, true);

  let x = b.relu('conv1.relu', b.conv('conv1', 'input', 64, 3, { stride: 2 }));
  x = pool('pool1', x);
  x = fire('fire2', x, 16, 64);
  x = fire('fire3', x, 16, 64);
  x = pool('pool3', x);
  x = fire('fire4', x, 32, 128);
  x = fire('fire5', x, 32, 128);
  x = pool('pool5', x);
  x = fire('fire6', x, 48, 192);
  x = fire('fire7', x, 48, 192);
  x = fire('fire8', x, 64, 256);
  x = fire('fire9', x, 64, 256);
  x = convRelu('conv10', x, 1000, 1);
  return b.build([b.globalAvgPoolFlat('gap', x)]);
}
