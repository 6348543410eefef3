// The subpath entries resolve (through the package's own "exports") to the same bindings as
// the root entry: `@secinfer/nn/onnx`, `/zoo` and `/secure`.
import { describe, expect, it } from 'vitest';
import * as root from '../src/index.js';

describe('subpath entries', () => {
  it('each export the root entry’s bindings of its part', async () => {
    const onnx = await import('@secinfer/nn/onnx');
    const zoo = await import('@secinfer/nn/zoo');
    const secure = await import('@secinfer/nn/secure');
    expect(onnx.importOnnx).toBe(root.importOnnx);
    expect(onnx.OnnxImportError).toBe(root.OnnxImportError);
    expect(zoo.ZOO).toBe(root.ZOO);
    expect(zoo.mnistCnn).toBe(root.mnistCnn);
    expect(secure.serveInference).toBe(root.serveInference);
    expect(secure.BackendUnavailableError).toBe(root.BackendUnavailableError);
    expect(Object.keys(onnx).sort()).toEqual(
      ['OnnxImportError', 'SUPPORTED_ONNX_OPS', 'decodeOnnxTensor', 'importOnnx'].sort(),
    );
  });
});
