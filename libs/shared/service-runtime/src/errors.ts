import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';

/** An error with an HTTP status and a stable machine-readable code, safe to show to clients. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string) => new HttpError(400, 'bad_request', message);

/** The one error body shape of every service: `{ error, message }`. */
export interface ErrorBody {
  error: string;
  message: string;
}

export const notFoundHandler: RequestHandler = (req, res) => {
  res
    .status(404)
    .json({ error: 'not_found', message: `No route for ${req.method} ${req.path}` } satisfies ErrorBody);
};

/** Errors raised by express's body parser, with the status it assigns them. */
interface BodyParserError extends Error {
  status?: number;
  type?: string;
}

const bodyParserErrors: Record<string, { code: string; message: string }> = {
  'entity.parse.failed': { code: 'bad_request', message: 'Request body is not valid JSON' },
  'entity.too.large': { code: 'payload_too_large', message: 'Request body is too large' },
  'encoding.unsupported': { code: 'unsupported_encoding', message: 'Request body encoding is not supported' },
  'charset.unsupported': { code: 'unsupported_charset', message: 'Request body charset is not supported' },
  'request.aborted': { code: 'bad_request', message: 'Request was aborted by the client' },
};

/**
 * Turns any error into a JSON answer. Known errors keep their status and message; anything else
 * is a 500 with a generic message: stack traces go to the log, never to the client. An error after
 * the headers went out closes the connection.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    let status = 500;
    let body: ErrorBody = { error: 'internal_error', message: 'Internal server error' };
    if (error instanceof HttpError) {
      status = error.status;
      body = { error: error.code, message: error.message };
    } else {
      const parserError = error as BodyParserError;
      const known = parserError?.type ? bodyParserErrors[parserError.type] : undefined;
      if (known && parserError.status) {
        status = parserError.status;
        body = { error: known.code, message: known.message };
      }
    }
    if (status >= 500) logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    // Too late for a JSON answer: cut the connection so the client sees a broken response, not a hang.
    if (res.headersSent) res.destroy();
    else res.status(status).json(body);
  };
}
