/**
 * The simulator's request and response values (shared by real HTTP requests and `$batch` items) and
 * Graph's error shape: `{ "error": { "code", "message", "innerError": { date, request-id,
 * client-request-id } } }` with a `request-id` header.
 */

export interface SimRequest {
  readonly method: string;
  /** Path below /v1.0, starting with '/', still percent-encoded. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  /** Absolute base of links in responses, e.g. https://127.0.0.1:8443/v1.0 */
  readonly baseUrl: string;
  readonly requestId: string;
  readonly inBatch: boolean;
}

export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export const JSON_CONTENT_TYPE =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

/** A Graph error response, thrown by handlers and turned into the JSON error shape. */
export class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'GraphHttpError';
  }
}

export const badRequest = (code: string, message: string): GraphHttpError =>
  new GraphHttpError(400, code, message);

export const notFound = (code: string, message: string): GraphHttpError =>
  new GraphHttpError(404, code, message);

export const accessDenied = (): GraphHttpError =>
  new GraphHttpError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');

/** 403 with Graph's wording and the reason this simulator refused. */
export const accessDeniedFor = (reason: string): GraphHttpError =>
  new GraphHttpError(
    403,
    'ErrorAccessDenied',
    `Access is denied. Check credentials and try again. (${reason})`,
  );

export function errorResponse(
  error: GraphHttpError,
  request: Pick<SimRequest, 'requestId' | 'headers'>,
): SimResponse {
  const clientRequestId = request.headers['client-request-id'] ?? request.requestId;
  return {
    status: error.status,
    headers: { 'Content-Type': 'application/json', ...error.headers },
    body: {
      error: {
        code: error.code,
        message: error.message,
        innerError: {
          date: new Date().toISOString().slice(0, 19),
          'request-id': request.requestId,
          'client-request-id': clientRequestId,
        },
      },
    },
  };
}

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): SimResponse {
  return { status, headers: { 'Content-Type': JSON_CONTENT_TYPE, 'OData-Version': '4.0', ...headers }, body };
}
