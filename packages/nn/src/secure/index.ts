// @secinfer/nn/secure: one secure inference, server and client, on the OT or the HE backend
// (the HE backends need the optional peer @secinfer/he-linear).
export { BackendUnavailableError, SessionError } from '../errors.js';
/** One secure inference: the server with the weights, the client with the input (backend ot or he). */
export {
  type BackendOptions,
  backendBitWidths,
  planAuto,
  preloadBackend,
  requestInference,
  serveInference,
} from './backends.js';
/** The calibrated seconds per unit of work behind `auto`'s choices. */
export { COST_COEFFICIENTS } from './cost-coefficients.js';
/** Backend `auto`: the cost model per linear layer (bytes, compute, round trips) and the plan. */
export {
  type BackendPlan,
  type CostCoefficients,
  type HeCounter,
  type HeCounts,
  heLayerBytes,
  type LinearBackend,
  type LinkCost,
  otLayerWork,
  type PlannedLayer,
  planBackends,
  planDigest,
  planUsesHe,
  predictHe,
  predictOt,
  type StepPrediction,
} from './cost-model.js';
/** Per-step time and cost events of the secure executor. */
export type { StepEvent } from './executor.js';
/** The longest message a session may carry after setup, from its public program. */
export {
  BYTES_PER_ELEMENT,
  type LinearBackendOf,
  largestMessageBound,
  linearBackends,
  SETUP_MESSAGE_BOUND,
} from './message-bound.js';
/** IKNP or silent OT, and how `auto` chooses. */
export {
  chooseOtSource,
  linearOutputs,
  type OtChoice,
  type OtSource,
  SILENT_OT_CROSSOVER,
} from './ot-source.js';
export {
  type Backend,
  type ClientInput,
  type ClientOptions,
  type InferenceResult,
  planOfChoice,
  SESSION_VERSION,
  type SessionOptions,
  type SessionReport,
  type TruncationMode,
} from './session.js';
