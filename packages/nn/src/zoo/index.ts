// @secinfer/nn/zoo: the model zoo — the graph builder, the networks, their registry and the
// seeded synthetic weights.
/** Builds IR graphs layer by layer, with weights from a caller-supplied initialiser. */
export {
  type ConvOptions,
  GraphBuilder,
  type ImageNetOptions,
  imageInput,
  type WeightInit,
} from './builder.js';
/** DenseNet: the generic builder, DenseNet121 and a reduced CI-sized variant. */
export {
  DENSENET_TINY,
  DENSENET121,
  type DenseNetConfig,
  denseNet,
  denseNet121,
  denseNetTiny,
} from './densenet121.js';
/** MiniONN's CIFAR-10 network. */
export { miniONN } from './minionn.js';
/** The trained MNIST CNN and ten embedded held-out digits. */
export { MNIST_FIXED_POINT, mnistCnn, mnistDigit } from './mnist.js';
/** The zoo registry: id → title, dataset, input shape, ℓ, scale, builder, weight provenance. */
export { ZOO, type ZooEntry, type ZooId } from './registry.js';
/** ResNet32 for CIFAR-10. */
export { resNet32 } from './resnet32.js';
/** ResNet50 (torchvision v1.5) for ImageNet. */
export { resNet50 } from './resnet50.js';
/** SqueezeNet 1.1 for ImageNet. */
export { squeezeNet } from './squeezenet.js';
/** Seeded synthetic (untrained) weights that keep activations bounded in deep networks. */
export { syntheticWeights } from './synthetic.js';
