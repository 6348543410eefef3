// @secinfer/he-linear (and the 67 MB node-seal under it) is an optional peer dependency: only
// the HE backends need it, so it is imported when a session first selects one, and a missing
// install is a typed error that says what to add instead of a module-resolution stack trace.
import { BackendUnavailableError } from '../errors.js';

/** The HE linear-layer package, as a module namespace. */
export type HeLinearModule = typeof import('@secinfer/he-linear');

const PACKAGE = '@secinfer/he-linear';

let loading: Promise<HeLinearModule> | undefined;

/** Imports @secinfer/he-linear once; rejects with BackendUnavailableError when it is absent. */
export function loadHeLinear(backend: string): Promise<HeLinearModule> {
  loading ??= import('@secinfer/he-linear').catch((error: unknown) => {
    loading = undefined;
    throw isMissing(error)
      ? new BackendUnavailableError(backend, PACKAGE, { cause: error })
      : error;
  });
  return loading;
}

/** Whether `error` says that the package itself (not something inside it) cannot be found. */
export function isMissing(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    typeof message === 'string' &&
    message.includes(PACKAGE)
  );
}
