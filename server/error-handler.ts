import type { NextFunction, Request, Response } from 'express';
import { ApiError } from '../tab/api/errors';
import { bodyParserProblem } from '../tab/api/json-body';
import { errorDetail } from '../core/text/error-text';

/** Short texts for the statuses Express, body-parser and serve-static raise themselves. */
const PLAIN: Record<number, string> = {
  400: 'Bad request.',
  403: 'Forbidden.',
  404: 'Not found.',
  405: 'Method not allowed.',
  413: 'The request body is too large.',
  415: 'Unsupported media type.',
};

function statusOf(error: unknown): number {
  if (typeof error !== 'object' || error === null) return 500;
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  const value = typeof status === 'number' ? status : statusCode;
  return typeof value === 'number' && value >= 400 && value < 600 ? value : 500;
}

/**
 * The last error handler of the app, replacing Express's own (which prints the stack and file paths
 * unless NODE_ENV is `production`): a JSON error under `/api`, plain text elsewhere, never a stack or
 * a path in any mode. Client errors (a malformed URI, a body that does not decode) keep their 4xx;
 * anything else is logged here and answered with a generic 500.
 */
export function lastResortErrorHandler(): (
  error: unknown,
  req: Request,
  res: Response,
  next: NextFunction,
) => void {
  return (error, req, res, next) => {
    if (res.headersSent) {
      // Too late for an answer: let Express close the connection.
      next(error);
      return;
    }
    const known = error instanceof ApiError ? error : bodyParserProblem(error);
    const status = known?.status ?? statusOf(error);
    if (status >= 500) {
      console.error(`[server] ${req.method} ${req.path}: ${errorDetail(error)}`);
    }
    const api = req.path === '/api' || req.path.startsWith('/api/');
    if (api) {
      const answer =
        known ??
        (status >= 500
          ? new ApiError(status, 'InternalError', 'Something went wrong on our side. Try again.')
          : new ApiError(
              status,
              status === 404 ? 'NotFound' : 'BadRequest',
              PLAIN[status] ?? 'The request is not valid.',
            ));
      res.status(answer.status).json(answer.toJSON());
      return;
    }
    res
      .status(status)
      .type('text/plain')
      .send(
        status >= 500
          ? 'Something went wrong on our side. Try again.'
          : (PLAIN[status] ?? 'The request is not valid.'),
      );
  };
}
