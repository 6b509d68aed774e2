import type { NextFunction, Request, Response } from 'express';
import express from 'express';
import { ApiError } from './errors';

export const MB = 1024 * 1024;
/** What a JSON request body may weigh unless its route declares more. */
export const DEFAULT_BODY_LIMIT_BYTES = 1 * MB;

/** What body-parser reports, by its error `type`, as the API's JSON errors. */
const PROBLEMS: Record<string, (limit: number) => ApiError> = {
  'entity.too.large': (limit) =>
    new ApiError(
      413,
      'PayloadTooLarge',
      `The request body is larger than the ${sizeText(limit)} this request accepts.`,
    ),
  'entity.parse.failed': () =>
    new ApiError(400, 'BadRequest', 'The request body is not valid JSON.', [
      { field: '', message: 'must be valid JSON' },
    ]),
  'charset.unsupported': () => new ApiError(415, 'UnsupportedMediaType', 'Send the body as UTF-8 JSON.'),
  'encoding.unsupported': () =>
    new ApiError(415, 'UnsupportedMediaType', 'Send the body as JSON, optionally gzip or deflate encoded.'),
  'request.aborted': () => new ApiError(400, 'BadRequest', 'The request body was not sent completely.'),
  'request.size.invalid': () =>
    new ApiError(400, 'BadRequest', 'The request body does not match its Content-Length.'),
};

/** A size in the unit it was set in: 64 KB stays "64 KB", never "0.1 MB". */
export function sizeText(bytes: number): string {
  if (bytes % MB === 0) return `${bytes / MB} MB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}

/** The JSON error for a body the parser refused, or undefined for any other error. */
export function bodyParserProblem(error: unknown): ApiError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { type, limit } = error as { type?: unknown; limit?: unknown };
  const problem = typeof type === 'string' ? PROBLEMS[type] : undefined;
  return problem?.(typeof limit === 'number' ? limit : DEFAULT_BODY_LIMIT_BYTES);
}

/** Parses a JSON body of at most `limitBytes`; resolves once `req.body` is set, rejects with an ApiError. */
export function jsonBodyReader(limitBytes: number): (req: Request, res: Response) => Promise<void> {
  const parse = express.json({ limit: limitBytes });
  return (req, res) =>
    new Promise((resolve, reject) => {
      parse(req, res, (error?: unknown) => {
        if (error) reject(bodyParserProblem(error) ?? (error as Error));
        else resolve();
      });
    });
}

/** Express error handler answering body-parser failures as JSON errors. */
export function bodyParserErrors(): (
  error: unknown,
  req: Request,
  res: Response,
  next: NextFunction,
) => void {
  return (error, _req, res, next) => {
    const problem = bodyParserProblem(error);
    if (!problem) {
      next(error);
      return;
    }
    res.status(problem.status).json(problem.toJSON());
  };
}
