// Every way the command can fail, as one line that says what happened and what to do, a stable
// machine-readable code (for `--json` callers) and an exit code: 2 for bad usage or input, 3 for
// network faults, 4 for a model that cannot run, 1 otherwise.
import { FixedPointError, ModelError, OnnxImportError, SessionError } from '@secinfer/nn';
import {
  ConnectError,
  HandshakeError,
  PeerAbortedError,
  PeerClosedError,
  TimeoutError,
  TransportError,
} from '@secinfer/transport';

/** What the command itself rejects, machine-readable (stable across versions). */
export type CliErrorCode =
  | 'USAGE'
  | 'UNKNOWN_MODEL'
  | 'MODEL_UNREADABLE'
  | 'NOT_A_SERVER'
  | 'SERVER_PROCESS_FAILED'
  | 'BACKEND_NOT_OFFERED'
  | InputErrorCode;

/** A failure the command explains itself (bad flag, unknown model, server process fault). */
export class CliError extends Error {
  constructor(
    readonly code: CliErrorCode,
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** What is wrong with `--input`, machine-readable. */
export type InputErrorCode =
  | 'INPUT_UNREADABLE'
  | 'INPUT_KIND'
  | 'IMAGE_CORRUPT'
  | 'NPY_MALFORMED'
  | 'NPY_DTYPE'
  | 'NPY_BIG_ENDIAN'
  | 'NPY_OBJECT'
  | 'NPY_FORTRAN_ORDER'
  | 'INPUT_SHAPE';

/** The client's input cannot be used for this model (exit code 2). */
export class InputError extends CliError {
  declare readonly code: InputErrorCode;
  constructor(code: InputErrorCode, message: string) {
    super(code, message);
    this.name = 'InputError';
  }
}

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
