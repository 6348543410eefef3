// MiniONN's CIFAR-10 network (Liu et al., CCS 2017, Fig. 13), the smallest benchmark of
// CrypTFlow2: seven convolutions with ReLU, two 2x2 mean pools, one fully-connected layer.
import type { ModelGraph } from '../graph.js';
import { GraphBuilder, type WeightInit } from './builder.js';

/** MiniONN CIFAR-10: [batch, 3, 32, 32] -> 10 logits; weights from `init`. */
export function miniONN(init: WeightInit, batch = 1): ModelGraph {
  const b = new GraphBuilder({ name: 'input', shape: [batch, 3, 32, 32] }, init);
  let x = 'input';
  const convRelu = (name: string, channels: number, k: number) => {
    x = b.relu(`${name}.relu`, b.conv(name, x, channels, k, { pad: k === 3 ? 1 : 0 }));
  };
  convRelu('conv1', 64, 3);
  convRelu('conv2', 64, 3);
  x = b.avgPool('pool1', x, 2);
  convRelu('conv3', 64, 3);
  convRelu('conv4', 64, 3);
  x = b.avgPool('pool2', x, 2);
  convRelu('conv5', 64, 3);
  convRelu('conv6', 64, 1);
  convRelu('conv7', 16, 1);
  return b.build([b.fc('fc', b.flatten('flatten', x), 10)]);
}
