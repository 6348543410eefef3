// @secinfer/demo/client: what every secinfer client does after connecting, for the command and
// the web page alike — the model card and the backend choice, the preprocessing from decoded
// pixels, reading the prediction. Browser-safe: no Node module, no image decoder.
/** The model card, and the client's session after it. */
export {
  type CardAnswer,
  type CardSessionOptions,
  type ModelCard,
  receiveCard,
  requestOnCard,
} from './card.js';
/** The errors the client side explains itself, with stable codes. */
export { CliError, type CliErrorCode, InputError, type InputErrorCode } from './errors.js';
/** From decoded RGBA pixels to the model's input, as the card's InputSpec says. */
export { type InputSpec, preprocessImage, type RgbaImage } from './preprocess.js';
/** The predicted class and the k best. */
export { argmax, topK } from './ranking.js';
