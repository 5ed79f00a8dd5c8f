// Typed errors (viem BaseError / Ponder errors.ts style): a base error with `cause`, split into retryable and
// not retryable; domain errors carry their HTTP status and are turned into responses by one Express middleware.

export class ServerError extends Error {
  override name = "ServerError";
  /** Whether trying the same operation again may succeed (network blips, busy database, node limits). */
  readonly retryable: boolean;
  constructor(message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = options.retryable ?? false;
  }
}

/** A transient failure: the indexer backs off and retries. */
export class RetryableError extends ServerError {
  override name = "RetryableError";
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { ...options, retryable: true });
  }
}

/** The JSON-RPC node answered with an error or not at all. */
export class RpcError extends ServerError {
  override name = "RpcError";
  readonly code: number | undefined;
  constructor(message: string, options: { cause?: unknown; code?: number; retryable?: boolean } = {}) {
    super(message, { cause: options.cause, retryable: options.retryable ?? true });
    this.code = options.code;
  }
}

/** A reorganisation deeper than the blocks the indexer keeps: needs an operator (re-index from scratch). */
export class DeepReorgError extends ServerError {
  override name = "DeepReorgError";
}

/**
 * A projection (a domain's handler in the indexer) cannot apply a batch: a bug or data the domain refuses. Not
 * retryable — the same batch would fail again — so the indexer stops (/ready 503, the error on /health).
 */
export class ProjectionError extends ServerError {
  override name = "ProjectionError";
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { ...options, retryable: false });
  }
}

/** An error an API client caused or may see; carries the HTTP status. */
export class HttpError extends ServerError {
  override name = "HttpError";
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  constructor(status: number, code: string, message: string, options: { cause?: unknown; details?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.status = status;
    this.code = code;
    this.details = options.details;
  }
}

export const badRequest = (message: string, details?: unknown) => new HttpError(400, "bad_request", message, { details });
export const unauthorized = (message = "sign in first (SIWE)") => new HttpError(401, "unauthorized", message);
export const forbidden = (message: string) => new HttpError(403, "forbidden", message);
export const notFound = (message: string) => new HttpError(404, "not_found", message);
export const conflict = (message: string) => new HttpError(409, "conflict", message);
export const unprocessable = (message: string) => new HttpError(422, "unprocessable", message);
