/** The two parties. The server holds the model; the client holds the input and learns the output. */
export const SERVER = 0;
export const CLIENT = 1;
export type Party = typeof SERVER | typeof CLIENT;
