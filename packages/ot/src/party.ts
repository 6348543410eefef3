/**
 * The two parties of every protocol in secinfer, defined here at the lowest layer that has
 * parties so that OT and everything above it share one type. The server holds the model (and
 * is the first IKNP sender); the client holds the input and learns the output.
 */
export const SERVER = 0;
export const CLIENT = 1;
export type Party = typeof SERVER | typeof CLIENT;
