// ResNet50 (He et al. 2016; torchvision `resnet50`, i.e. v1.5 with the stride on the 3x3 conv),
// a CrypTFlow2 ImageNet benchmark: a 7x7 stride-2 stem with max pool, four stages of
// [3, 4, 6, 3] bottleneck blocks (1x1 -> 3x3 -> 1x1 with 4x expansion, batch norm after every
// conv), 1x1 conv + batch norm shortcuts where the shape changes, global average pool and a
// 2048 -> 1000 fully-connected layer.
import type { ModelGraph } from '../graph.js';
import { GraphBuilder, type ImageNetOptions, imageInput, type WeightInit } from './builder.js';

/** ResNet50: [batch, 3, size, size] -> 1000 logits; weights from `init`. */
export function resNet50(init: WeightInit, options: ImageNetOptions = {}): ModelGraph {
  const b = new GraphBuilder(imageInput(options), init);
  let x = b.relu('conv1.relu', b.convBn('conv1', 'input', 64, 7, { stride: 2, pad: 3 }));
  x = b.maxPool('maxpool', x, 3, 2, 1);
  [3, 4, 6, 3].forEach((blocks, stage) => {
    const width = 64 << stage;
    for (let block = 0; block < blocks; block++) {
      const name = `layer${stage + 1}.${block}`;
      const stride = stage > 0 && block === 0 ? 2 : 1;
      let y = b.relu(`${name}.relu1`, b.convBn(`${name}.conv1`, x, width, 1));
      y = b.relu(`${name}.relu2`, b.convBn(`${name}.conv2`, y, width, 3, { stride, pad: 1 }));
      // `bn3` as torchvision names it: syntheticWeights damps this γ to bound the residual sums.
      y = b.batchNorm(`${name}.bn3`, b.conv(`${name}.conv3`, y, 4 * width, 1, { bias: false }));
      const shortcut =
        block === 0 ? b.convBn(`${name}.downsample`, x, 4 * width, 1, { stride }) : x;
      x = b.relu(`${name}.relu3`, b.sum(`${name}.add`, y, shortcut));
    }
  });
  return b.build([b.fc('fc', b.globalAvgPoolFlat('gap', x), 1000)]);
}
