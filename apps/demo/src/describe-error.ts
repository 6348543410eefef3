// The one line, code and exit code the command prints for any error: its own (CliError), a
// transport or session fault (with what to do about it), a model that cannot run.
import { FixedPointError, ModelError, OnnxImportError, SessionError } from '@secinfer/nn';
import {
  ConnectError,
  HandshakeError,
  PeerAbortedError,
  PeerClosedError,
  TimeoutError,
  TransportError,
} from '@secinfer/transport';

import { CliError } from './errors.js';

/** What the command prints about any error. */
export interface ErrorDescription {
  readonly code: string;
  readonly message: string;
  readonly exitCode: number;
}

/** The code, one-line message and exit code of any error. */
export function describeError(e: unknown): ErrorDescription {
  if (e instanceof CliError) return { code: e.code, message: e.message, exitCode: e.exitCode };
  if (e instanceof ConnectError)
    return {
      code: e.code,
      message: `${e.message} — is \`secinfer server\` running there? Start it first, or use \`secinfer run\`.`,
      exitCode: 3,
    };
  if (e instanceof HandshakeError || e instanceof SessionError)
    return {
      code: e.code,
      message: `client and server disagree: ${e.message} — run both with the same --model and --backend.`,
      exitCode: 3,
    };
  if (e instanceof PeerAbortedError)
    return { code: e.code, message: `the other party gave up: ${e.message}`, exitCode: 3 };
  if (e instanceof PeerClosedError)
    return {
      code: e.code,
      message: `the other party closed the connection mid-session (${e.message}); nothing was learned — retry when it is back.`,
      exitCode: 3,
    };
  if (e instanceof TimeoutError)
    return {
      code: e.code,
      message: `${e.message} — the other party stopped answering.`,
      exitCode: 3,
    };
  if (e instanceof TransportError) return { code: e.code, message: e.message, exitCode: 3 };
  if (e instanceof OnnxImportError)
    return {
      code: e.code,
      message: `cannot use this ONNX model: ${e.message}`,
      exitCode: 4,
    };
  if (e instanceof ModelError || e instanceof FixedPointError)
    return {
      code: e.code,
      message: `cannot run this model: ${e.message}`,
      exitCode: 4,
    };
  return {
    code: 'INTERNAL',
    message: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
    exitCode: 1,
  };
}
