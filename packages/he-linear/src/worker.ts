/**
 * The body of one HE worker thread (see pool.ts): loads its own SEAL instance with the
 * session's public and Galois keys, then computes the output ciphertexts it is asked for.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { planOf } from './plans/index.js';
import type { WorkerInit, WorkerReply, WorkerRequest } from './pool.js';
import { serverOutputs } from './protocols/engine.js';
import { HeSession } from './session.js';

const port = parentPort;
if (port) {
  const reply = (message: WorkerReply) => port.postMessage(message);
  HeSession.forWorker(workerData as WorkerInit).then(
    (session) => {
      port.on('message', ({ id, job, indices }: WorkerRequest) => {
        try {
          reply({ id, outputs: serverOutputs(session, planOf(session, job.spec), job, indices) });
        } catch (error) {
          reply({ id, error: (error as Error).message });
        }
      });
      reply({ ready: true });
    },
    (error: Error) => reply({ failed: error.message }),
  );
}
