// Errors shared by the request builders (request.ts, body.ts), kept apart so neither imports the other.

/** The arguments cannot be turned into a request; the message is safe to show a model. */
export class RequestBuildError extends Error {
  override readonly name = 'RequestBuildError';
}
