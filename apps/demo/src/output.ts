// What the command writes: results on stdout (one JSON object with a schema version under
// --json), notes and progress on stderr, so `--json` output pipes cleanly into other tools.

/** The version of every JSON object the command prints; bumped when a field changes meaning. */
export const SCHEMA_VERSION = 1;

/** Writes one JSON object on stdout, tagged with the schema version. */
export function printJson(value: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ schemaVersion: SCHEMA_VERSION, ...value })}\n`);
}

/** A note for the user (never part of a result): stderr in every mode. */
export function note(text: string): void {
  process.stderr.write(`${text}\n`);
}
