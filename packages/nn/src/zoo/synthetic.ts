// Seeded synthetic weights for the zoo: deterministic stand-ins for trained weights, so the
// ImageNet networks can be built, benchmarked and run securely without downloading anything.
// They are NOT trained: outputs are meaningless as classifications. What they do keep is the
// magnitude of activations of a real network — O(1) through 50+ layers — so fixed point needs
// the same ℓ and scale it would with trained weights.
import { seededRandom } from '@secinfer/transport/core';
import type { WeightInit } from './builder.js';

/** γ of a batch norm that closes a residual branch (`*.bn3`). */
const RESIDUAL_GAMMA = 0.3;

/** FNV-1a hash of a tensor name, mixed with the seed. */
function hashName(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ Math.imul(seed | 0, 0x9e3779b1)) >>> 0;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * Synthetic weights, a pure function of `seed` and each tensor's name and shape (so a layer's
 * weights do not depend on the order layers are built in). By the builder's name suffix:
 *
 * - `.weight` of rank ≥ 2 (conv [M, C, kH, kW], fc [N, K]): He-normal, N(0, 2 / fanIn) with
 *   fanIn = C·kH·kW (or K), which keeps the second moment of activations constant through
 *   conv + ReLU;
 * - `.bias` (conv, fc and batch-norm β): uniform in [−0.05, 0.05);
 * - batch norm `.scale` (γ): uniform in [0.9, 1.1), except a batch norm closing a residual
 *   branch, named `*.bn3` as in torchvision's Bottleneck (ResNet50): γ in [0.27, 0.33), after
 *   torchvision's `zero_init_residual`, or the 16 residual sums would grow the logits to ~2000;
 * - batch norm `.mean`: uniform in [−0.1, 0.1);
 *   `.variance`: uniform in [0.9, 1.1) — near the identity, but not exactly, so folding and
 *   per-channel affine steps are exercised;
 * - anything else: uniform in [−0.05, 0.05).
 *
 * With these, the zoo's ImageNet networks keep every activation within a few hundred on
 * N(0, 1)-like inputs, and calibrate to a scale ≥ 8 at ℓ = 32 (SqueezeNet, DenseNet121) and
 * ℓ = 37 (ResNet50); see test/zoo-imagenet.test.ts.
 */
export function syntheticWeights(seed: number): WeightInit {
  return (name, shape) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const next = seededRandom(hashName(seed, name));
    const out = new Float32Array(n);
    const around = (centre: number, halfWidth: number) => {
      for (let i = 0; i < n; i++) out[i] = centre + halfWidth * (2 * next() - 1);
      return out;
    };
    if (name.endsWith('.weight') && shape.length >= 2) {
      const std = Math.sqrt((2 * shape[0]!) / n);
      for (let i = 0; i < n; i += 2) {
        // Box–Muller: two normals from two uniforms.
        const r = std * Math.sqrt(-2 * Math.log(1 - next()));
        const t = 2 * Math.PI * next();
        out[i] = r * Math.cos(t);
        if (i + 1 < n) out[i + 1] = r * Math.sin(t);
      }
      return out;
    }
    // The batch norm closing a residual branch (torchvision's Bottleneck `bn3`): a damped γ,
    // in the spirit of torchvision's zero_init_residual, so 16 residual sums stay O(1).
    if (name.endsWith('.bn3.scale')) return around(RESIDUAL_GAMMA, 0.1 * RESIDUAL_GAMMA);
    if (name.endsWith('.scale') || name.endsWith('.variance')) return around(1, 0.1);
    if (name.endsWith('.mean')) return around(0, 0.1);
    return around(0, 0.05);
  };
}
