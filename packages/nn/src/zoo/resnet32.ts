// ResNet32 for CIFAR-10 (He et al. 2016, Section 4.2: 6n+2 layers with n = 5), a CrypTFlow2
// benchmark: a 3x3 stem, three stages of five basic blocks (16, 32, 64 channels, stride 2 at
// the start of stages 2 and 3), global average pool and a 10-way fully-connected layer. The
// downsampling shortcuts are 1x1 convolutions with batch norm (the paper's option B).
import type { ModelGraph } from '../graph.js';
import { GraphBuilder, type WeightInit } from './builder.js';

/** ResNet32 CIFAR-10: [batch, 3, 32, 32] -> 10 logits; weights from `init`. */
export function resNet32(init: WeightInit, batch = 1): ModelGraph {
  const b = new GraphBuilder({ name: 'input', shape: [batch, 3, 32, 32] }, init);
  const convBn = (name: string, x: string, channels: number, k: number, stride: number) =>
    b.batchNorm(
      `${name}.bn`,
      b.conv(name, x, channels, k, { stride, pad: (k - 1) / 2, bias: false }),
    );

  let x = b.relu('stem.relu', convBn('stem', 'input', 16, 3, 1));
  [16, 32, 64].forEach((channels, stage) => {
    for (let block = 0; block < 5; block++) {
      const name = `stage${stage + 1}.block${block + 1}`;
      const stride = stage > 0 && block === 0 ? 2 : 1;
      const y = b.relu(`${name}.relu1`, convBn(`${name}.conv1`, x, channels, 3, stride));
      const z = convBn(`${name}.conv2`, y, channels, 3, 1);
      const shortcut = stride === 1 ? x : convBn(`${name}.shortcut`, x, channels, 1, stride);
      x = b.relu(`${name}.relu2`, b.sum(`${name}.add`, z, shortcut));
    }
  });
  return b.build([b.fc('fc', b.globalAvgPoolFlat('gap', x), 10)]);
}
