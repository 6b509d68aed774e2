import type { NextFunction, Request, Response } from 'express';
import express from 'express';
import { ApiError, type FieldProblem } from './errors';

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

/** Content codings a request body may use; anything else (e.g. `br`) is refused with 415 before reading. */
const SUPPORTED_ENCODINGS = new Set(['identity', 'gzip', 'deflate']);

/**
 * Deepest nesting of objects and arrays a JSON body may have: a backstop against stack overflows in
 * recursive code (routes name tighter limits themselves, e.g. segment rules nest at most 4 deep).
 */
export const MAX_JSON_DEPTH = 10_000;

/** A UTF-16 surrogate without its partner: cannot be encoded as UTF-8 (encodeURIComponent throws on it). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `text` is valid Unicode: no lone surrogate such as `\ud800`. */
export function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

export const LONE_SURROGATE_MESSAGE =
  'must be valid Unicode text: it contains a lone surrogate (an unpaired \\uD800-\\uDFFF escape)';

/**
 * The first problem of a parsed JSON value that no schema should have to meet: a string or key with
 * a lone surrogate, or nesting deeper than `maxDepth`. Walks without recursion, so any depth is safe.
 */
export function jsonValueProblem(
  value: unknown,
  prefix = '',
  maxDepth = MAX_JSON_DEPTH,
): FieldProblem | undefined {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value, path: prefix, depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value: item, path, depth } = next;
    if (typeof item === 'string') {
      if (!isWellFormed(item)) return { field: path, message: LONE_SURROGATE_MESSAGE };
      continue;
    }
    if (typeof item !== 'object' || item === null) continue;
    if (depth >= maxDepth) return { field: path, message: `must not nest more than ${maxDepth} levels deep` };
    for (const [key, child] of Object.entries(item)) {
      const childPath = path ? `${path}.${key}` : key;
      if (!isWellFormed(key)) return { field: path, message: `has a key that ${LONE_SURROGATE_MESSAGE}` };
      pending.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return undefined;
}

/** 415 for a `Content-Encoding` other than identity, gzip or deflate (one coding at most). */
export function unsupportedEncoding(req: Request): ApiError | undefined {
  const header = req.headers['content-encoding'];
  if (header === undefined) return undefined;
  const codings = header
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter(Boolean);
  if (codings.length === 0 || (codings.length === 1 && SUPPORTED_ENCODINGS.has(codings[0] ?? '')))
    return undefined;
  return new ApiError(
    415,
    'UnsupportedMediaType',
    'This Content-Encoding is not supported: send the body as JSON, optionally gzip or deflate encoded.',
    [{ field: 'Content-Encoding', message: 'must be identity, gzip or deflate' }],
  );
}

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
  if (problem) return problem(typeof limit === 'number' ? limit : DEFAULT_BODY_LIMIT_BYTES);
  // Without a `type`: the gzip or deflate stream did not decode (zlib's `Z_...` codes).
  const { code } = error as { code?: unknown };
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return new ApiError(400, 'BadRequest', 'The request body is not valid data for its Content-Encoding.', [
      { field: 'Content-Encoding', message: 'the body does not decode with this encoding' },
    ]);
  }
  return undefined;
}

/**
 * Parses a JSON body of at most `limitBytes`; resolves once `req.body` is set, rejects with an ApiError:
 * 415 for an unsupported Content-Encoding, 400 for a body that does not decode or parse, has a lone
 * surrogate or nests too deep, 413 beyond the limit.
 */
export function jsonBodyReader(limitBytes: number): (req: Request, res: Response) => Promise<void> {
  const parse = express.json({ limit: limitBytes });
  return (req, res) =>
    new Promise((resolve, reject) => {
      const encoding = unsupportedEncoding(req);
      if (encoding) {
        req.resume();
        reject(encoding);
        return;
      }
      parse(req, res, (error?: unknown) => {
        if (error) {
          reject(
            bodyParserProblem(error) ??
              new ApiError(400, 'BadRequest', 'The request body could not be read.'),
          );
          return;
        }
        const problem = jsonValueProblem(req.body);
        if (problem) {
          reject(
            new ApiError(
              400,
              'BadRequest',
              `The request's body is not valid: ${problem.field || 'body'}: ${problem.message}`,
              [problem],
            ),
          );
          return;
        }
        resolve();
      });
    });
}

/** Express middleware reading the JSON body like `jsonBodyReader`, passing its ApiError to the error handler. */
export function jsonBody(limitBytes: number): (req: Request, res: Response, next: NextFunction) => void {
  const read = jsonBodyReader(limitBytes);
  return (req, res, next) => {
    read(req, res).then(() => next(), next);
  };
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
