/** The two parties, defined once in @secinfer/ot (the lowest layer with parties). */
export { CLIENT, type Party, SERVER } from '@secinfer/ot';
