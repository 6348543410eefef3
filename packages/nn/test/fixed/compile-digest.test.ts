// Pins what compileFixedPoint makes of every zoo network and the trained MNIST CNN: the digest
// of the public program and a digest of the server's integer weights. The values were computed
// before the compiler was split into passes (the zoo's program digests again when the default
// weight width became ℓ); any change to a pass that alters a program, a weight or their order
// shows here.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  compileFixedPoint,
  denseNetTiny,
  type FixedModel,
  MNIST_FIXED_POINT,
  type ModelGraph,
  mnistCnn,
  programDigest,
  syntheticWeights,
  validateGraph,
  ZOO,
  type ZooId,
} from '../../src/index.js';

/** SHA-256 over every step's name and weight/bias bytes, in the map's order. */
function weightsDigest(model: FixedModel): string {
  const hash = createHash('sha256');
  for (const [name, w] of model.weights) {
    hash.update(`${name}:${w.weight.length}:${w.bias?.length ?? -1};`);
    hash.update(new Uint8Array(w.weight.buffer, w.weight.byteOffset, w.weight.byteLength));
    if (w.bias) hash.update(new Uint8Array(w.bias.buffer, w.bias.byteOffset, w.bias.byteLength));
  }
  return hash.digest('hex');
}

function digests(graph: ModelGraph, ell: number, scale: number, weightBits?: number) {
  const model = compileFixedPoint(validateGraph(graph), { ell, scale, weightBits });
  return { program: programDigest(model.program), weights: weightsDigest(model) };
}

/** ImageNet networks at 32x32: the same layers and weights, a fraction of the compile time. */
const zooGraph = (id: ZooId) =>
  ZOO[id].build(syntheticWeights(1), ZOO[id].dataset === 'ImageNet' ? { size: 32 } : {});

const PINNED: Record<string, { program: string; weights: string }> = {
  minionn: {
    program: '7404881fc7d68cfa58e62d2de79fe2f62655f3033606b60ba665d3bd830c41bc',
    weights: '7b89331b25cd186f7b06bd8ac64455732753ccba35c0e03cf04f0d71f146ad79',
  },
  resnet32: {
    program: 'f76a194abda4ab2db2e65e40305cb168b45792dd982d189d4ef0c50a87526eb5',
    weights: '4a4f1a5f8ec9262f2836b38f5647ebfd89d67aa3083f8018e62c1dfaeb6da63d',
  },
  squeezenet: {
    program: 'f2938209598247f9f3a8934391527f520c9e514b5f6607c1879d0291ba0f910c',
    weights: '3a9260f7b3b79cff2d1d8fb02cbc50fc92663c9984c91ab24c42ae1d2eb8b70d',
  },
  resnet50: {
    program: 'a18d0c23458221cd04cdd4b3be4cd3a0ff7f78e3b7090b6cd1ffe9c61c933b10',
    weights: '6ac40bb1feb93ce3fa02ddb67d5046387df3e3c0307adef9e6c8dc29de4fa0b7',
  },
  densenet121: {
    program: '19e0d12fbfbd6a29e2571ae060c73d2cfe9d976f56256310b0bb3703f03a6287',
    weights: '76c9d5447fb2f7e5a8c46064e89f22c37bb322573c984fea8eb0da3d1b951103',
  },
  densenetTiny: {
    program: '0550c6b9380632a21fa5fa2944d50952625a095a34720dc893ea250ef7e3f066',
    weights: '8152f28e60d55793a003d4e37d651ad89ddf414e00e61148b4baac7f0e16e64e',
  },
  mnist: {
    program: '6ff83cf9c940e224fdcc5b28f97a1b76e38e31b11089bd02d4eb3931e044c64b',
    weights: '61631bd9c994bb675f2fd78c8b73f2d26a3ff9a8a83746a9d28968203b75b40e',
  },
};

describe('compileFixedPoint output is pinned', () => {
  for (const id of Object.keys(ZOO) as ZooId[]) {
    it(`zoo ${id}`, () => {
      const entry = ZOO[id];
      expect(digests(zooGraph(id), entry.ell, entry.defaultScale!)).toEqual(PINNED[id]);
    });
  }
  it('DenseNet tiny, weightBits = ℓ', () => {
    expect(digests(denseNetTiny(syntheticWeights(2)), 32, 12, 32)).toEqual(PINNED.densenetTiny);
  });
  it('MNIST CNN', () => {
    // At the width it ships with (a declared bound), so the pin predates the ℓ default.
    const { ell, scale, weightBits } = MNIST_FIXED_POINT['he-field'];
    expect(digests(mnistCnn(), ell, scale, weightBits)).toEqual(PINNED.mnist);
  });
});
