// Every way the command can fail that it explains itself, with a stable machine-readable code
// (for `--json` callers and the web page) and an exit code: 2 for bad usage or input, 3 for
// network faults, 4 for a model that cannot run, 1 otherwise. No imports: the web page's
// client modules throw these too.

/** What the command itself rejects, machine-readable (stable across versions). */
export type CliErrorCode =
  | 'USAGE'
  | 'UNKNOWN_MODEL'
  | 'MODEL_UNREADABLE'
  | 'NOT_A_SERVER'
  | 'SERVER_PROCESS_FAILED'
  | 'BACKEND_NOT_OFFERED'
  | 'WEB_PAGE_MISSING'
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
