import type { NextFunction, Request, Response } from 'express';
import express from 'express';
import { ApiError } from './errors';

export const MB = 1024 * 1024;
/** What a JSON request body may weigh unless its route declares more. */
export const DEFAULT_BODY_LIMIT_BYTES = 1 * MB;

interface BodyParserError {
  type: string;
  limit?: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    typeof error === 'object' && error !== null && typeof (error as { type?: unknown }).type === 'string'
  );
}

function megabytes(bytes: number): string {
  return `${Number((bytes / MB).toFixed(1))} MB`;
}

/** The JSON error for a body the parser refused, or undefined for any other error. */
export function bodyParserProblem(error: unknown): ApiError | undefined {
  if (!isBodyParserError(error)) return undefined;
  switch (error.type) {
    case 'entity.too.large':
      return new ApiError(
        413,
        'PayloadTooLarge',
        `The request body is larger than the ${megabytes(error.limit ?? DEFAULT_BODY_LIMIT_BYTES)} this request accepts.`,
      );
    case 'entity.parse.failed':
      return new ApiError(400, 'BadRequest', 'The request body is not valid JSON.', [
        { field: '', message: 'must be valid JSON' },
      ]);
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new ApiError(415, 'UnsupportedMediaType', 'Send the body as UTF-8 JSON.');
    default:
      return new ApiError(400, 'BadRequest', 'The request body cannot be read.');
  }
}

/** Parses a JSON body of at most `limitBytes`; resolves once `req.body` is set. */
export function jsonBodyReader(limitBytes: number): (req: Request, res: Response) => Promise<void> {
  const parse = express.json({ limit: limitBytes });
  return (req, res) =>
    new Promise((resolve, reject) => {
      parse(req, res, (error?: unknown) => {
        if (error) reject(error as Error);
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
