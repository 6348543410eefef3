// Every way the command can fail, as one line that says what happened and what to do, and an
// exit code: 2 for bad usage or input, 3 for network faults, 4 for a model that cannot run, 1 otherwise.
import { FixedPointError, ModelError, OnnxImportError, SessionError } from '@secinfer/nn';
import {
  ConnectError,
  HandshakeError,
  PeerAbortedError,
  PeerClosedError,
  TimeoutError,
  TransportError,
} from '@secinfer/transport';

/**
 * What went wrong, machine-readable: 'USAGE' (a bad flag, command or model name), 'BAD_INPUT'
 * (an input file that cannot be read as the model's input), 'SERVER_PROCESS' (the server
 * `run` starts failed), 'NOT_A_SERVER' (the peer did not speak the secinfer protocol).
 */
export type CliErrorCode = 'USAGE' | 'BAD_INPUT' | 'SERVER_PROCESS' | 'NOT_A_SERVER';

/** A failure the command explains itself (bad flag, unreadable input, unknown model). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
    readonly code: CliErrorCode = 'USAGE',
  ) {
    super(message);
  }
}

/** The one-line message and exit code of any error. */
export function describeError(e: unknown): { message: string; exitCode: number } {
  if (e instanceof CliError) return { message: e.message, exitCode: e.exitCode };
  if (e instanceof ConnectError)
    return {
      message: `${e.message} — is \`secinfer server\` running there? Start it first, or use \`secinfer run\`.`,
      exitCode: 3,
    };
  if (e instanceof HandshakeError || e instanceof SessionError)
    return {
      message: `client and server disagree: ${e.message} — run both with the same --model and --backend.`,
      exitCode: 3,
    };
  if (e instanceof PeerAbortedError)
    return { message: `the other party gave up: ${e.message}`, exitCode: 3 };
  if (e instanceof PeerClosedError)
    return {
      message: `the other party closed the connection mid-session (${e.message}); nothing was learned — retry when it is back.`,
      exitCode: 3,
    };
  if (e instanceof TimeoutError)
    return { message: `${e.message} — the other party stopped answering.`, exitCode: 3 };
  if (e instanceof TransportError) return { message: e.message, exitCode: 3 };
  if (e instanceof OnnxImportError)
    return { message: `cannot use this ONNX model: ${e.message}`, exitCode: 4 };
  if (e instanceof ModelError || e instanceof FixedPointError)
    return { message: `cannot run this model: ${e.message}`, exitCode: 4 };
  return { message: e instanceof Error ? `${e.name}: ${e.message}` : String(e), exitCode: 1 };
}
