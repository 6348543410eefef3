// The server's WebAssembly meter counts live memories only: it must not keep a dropped
// module's memory alive itself (it did, and every HE layer's arena stayed for good).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, it } from 'vitest';
import { wasmHeapBytes } from '../src/wasm-heap.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

// A module that exports one memory of one 64 KiB page and nothing else.
const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]; // "\0asm", version 1
const MEMORY = [0x05, 0x03, 0x01, 0x00, 0x01]; // one memory, at least 1 page
const EXPORT = [0x07, 0x05, 0x01, 0x01, 0x6d, 0x02, 0x00]; // "m" = memory 0
const ONE_PAGE = Uint8Array.from([...HEADER, ...MEMORY, ...EXPORT]);

// The project's lib has no WebAssembly typings: the two constructors used here.
const { Instance, Module } = (
  globalThis as unknown as {
    WebAssembly: {
      Instance: new (module: object) => object;
      Module: new (bytes: Uint8Array) => object;
    };
  }
).WebAssembly;

const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

it('counts a live module memory, and no longer once it is collected', async () => {
  const before = wasmHeapBytes();
  let instance: object | null = new Instance(new Module(ONE_PAGE));
  expect(wasmHeapBytes()).toBe(before + 65536);
  expect(instance).not.toBeNull();
  instance = null;
  for (let i = 0; i < 10 && wasmHeapBytes() > before; i++) {
    await turn();
    gc();
  }
  expect(wasmHeapBytes()).toBe(before);
});
