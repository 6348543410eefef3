/**
 * The worker pool in a browser (the package's `#worker-pool` under the `browser` condition):
 * there is none. Only a SERVER with threads > 1 spreads a layer over worker threads
 * (pool.ts); a client — the party a web page plays — runs every layer on its one SEAL
 * instance and never starts a pool, so the browser build carries no Node worker code.
 */
import { HeShapeError } from './errors.js';
import type { WorkerInit } from './pool.js';

export type { WorkerInit } from './pool.js';

/** Refuses to start (so no instance exists): threads > 1 needs Node's worker threads. */
export class WorkerPool {
  private constructor() {}

  static start(threads: number, _init: WorkerInit): Promise<WorkerPool> {
    return Promise.reject(
      new HeShapeError(
        `threads = ${threads} needs Node's worker threads; in a browser a session runs one thread`,
      ),
    );
  }
}
