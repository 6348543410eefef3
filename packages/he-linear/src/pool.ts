/**
 * Multi-core for the SERVER: node-seal has no threads, so one layer's output ciphertexts are
 * spread over worker threads, each with its own SEAL instance (its own WASM heap) holding the
 * session's public and Galois keys. Every worker receives the client's input ciphertexts
 * (bytes), the weights and the layer description, rebuilds the same plan, and returns the
 * serialized, masked and flooded outputs it was assigned (round-robin).
 *
 * The worker script is `worker.ts` next to this file (sources, run under tsx with the
 * workspace's `@secinfer/source` condition) or `worker.js`/`worker.cjs` next to the bundle.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { HeParams } from './params.js';
import type { ServerJob } from './protocols/engine.js';

/** What a worker thread is started with. */
export interface WorkerInit {
  params: HeParams;
  publicKey: Uint8Array;
  /** The field's Galois keys (the ring rotates nothing and has none). */
  galoisKeys?: Uint8Array;
}

/** A worker's answer to one job. */
export type WorkerReply =
  | { id: number; outputs: Uint8Array[] }
  | { id: number; error: string }
  | { ready: true }
  | { failed: string };

/** A request to a worker: the job and the output indices it computes. */
export interface WorkerRequest {
  id: number;
  job: ServerJob;
  indices: number[];
}

function workerScript(): { code: string; execArgv: string[] } {
  const here = typeof __filename === 'string' ? pathToFileURL(__filename).href : import.meta.url;
  const extension = here.endsWith('.ts') ? '.ts' : here.endsWith('.cjs') ? '.cjs' : '.js';
  if (extension !== '.ts')
    return {
      code: `import(${JSON.stringify(new URL(`./worker${extension}`, here).href)});`,
      execArgv: [],
    };
  // From sources: Node 20 runs no ESM loader hooks in worker threads, so use tsx's CommonJS
  // require hook, and resolve the workspace packages to their sources.
  const path = JSON.stringify(fileURLToPath(new URL('./worker.ts', here)));
  return {
    code: `require('tsx/cjs/api').register(); require(${path});`,
    execArgv: ['--conditions=@secinfer/source'],
  };
}

/** A fixed set of SEAL worker threads for one server session. */
export class WorkerPool {
  private nextId = 0;
  private readonly pending = new Map<number, (reply: WorkerReply) => void>();

  private constructor(private readonly workers: Worker[]) {
    for (const worker of workers) {
      worker.on('message', (reply: WorkerReply) => {
        if ('id' in reply) {
          this.pending.get(reply.id)?.(reply);
          this.pending.delete(reply.id);
        }
      });
      // A crashed worker fails every job in flight instead of leaving the layer hanging.
      const fail = (why: string) => {
        for (const [id, settle] of this.pending) settle({ id, error: why });
        this.pending.clear();
      };
      worker.on('error', (error: Error) => fail(`worker crashed: ${error.message}`));
      worker.on('exit', (code) => fail(`worker exited with code ${code}`));
    }
  }

  /** Starts `threads` workers and waits until each has loaded SEAL and the keys. */
  static async start(threads: number, init: WorkerInit): Promise<WorkerPool> {
    const { code, execArgv } = workerScript();
    const workers = Array.from(
      { length: threads },
      () => new Worker(code, { eval: true, execArgv, workerData: init }),
    );
    try {
      await Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve, reject) => {
              worker.once('error', reject);
              worker.once('message', (reply: WorkerReply) =>
                'ready' in reply
                  ? resolve()
                  : reject(new Error(`HE worker failed to start: ${JSON.stringify(reply)}`)),
              );
            }),
        ),
      );
    } catch (error) {
      for (const worker of workers) void worker.terminate();
      throw error;
    }
    return new WorkerPool(workers);
  }

  /** The job's output ciphertexts, in order, computed round-robin on the workers. */
  async run(job: ServerJob): Promise<Uint8Array[]> {
    const count = job.masks.length;
    const assigned = this.workers.map((_, w) =>
      Array.from({ length: count }, (_, o) => o).filter((o) => o % this.workers.length === w),
    );
    const parts = await Promise.all(
      this.workers.map((worker, w) => {
        const indices = assigned[w]!;
        if (indices.length === 0) return Promise.resolve([]);
        const id = this.nextId++;
        return new Promise<Uint8Array[]>((resolve, reject) => {
          this.pending.set(id, (reply) =>
            'outputs' in reply
              ? resolve(reply.outputs)
              : reject(
                  new Error(`HE worker ${w}: ${'error' in reply ? reply.error : 'bad reply'}`),
                ),
          );
          const request: WorkerRequest = { id, job, indices };
          worker.postMessage(request);
        });
      }),
    );
    const outputs: Uint8Array[] = new Array(count);
    assigned.forEach((indices, w) => {
      indices.forEach((o, i) => {
        outputs[o] = parts[w]![i]!;
      });
    });
    return outputs;
  }

  /** Stops the workers. */
  terminate(): void {
    for (const worker of this.workers) void worker.terminate();
  }
}
