import { parseRetryAfter } from '../../core/graph/retry';

/**
 * What a failed send means for the message:
 * - `retry`: the Bot Connector refused it (429, 412, 5xx) or it never left (connection refused):
 *   it did not arrive and may be sent again, after `retryAfterMs` when the service said so;
 * - `final`: refused for good (403 the user blocked the bot, 404 the conversation is gone, …);
 * - `unknown`: the connection broke while the request was out: it may have arrived.
 */
export type SendFailure =
  | { kind: 'retry'; status: number | null; retryAfterMs: number | undefined; message: string }
  | { kind: 'final'; status: number; message: string }
  | { kind: 'unknown'; message: string };

/** The request never reached a server: nothing can have been delivered. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

interface RestErrorLike {
  statusCode?: number;
  code?: string;
  message?: string;
  response?: { headers?: { get(name: string): string | undefined | null } };
}

export function isRetryableSendStatus(status: number): boolean {
  return (
    status === 429 || status === 412 || (status >= 500 && status <= 599 && status !== 501 && status !== 505)
  );
}

export function classifySendFailure(error: unknown, now: number): SendFailure {
  const failure = (typeof error === 'object' && error !== null ? error : {}) as RestErrorLike;
  const status = typeof failure.statusCode === 'number' ? failure.statusCode : undefined;
  const text = failure.message || (error instanceof Error ? error.name : String(error));
  if (status !== undefined) {
    const message = `HTTP ${status}${failure.code ? ` ${failure.code}` : ''}${text ? `: ${text}` : ''}`;
    if (!isRetryableSendStatus(status)) return { kind: 'final', status, message };
    const retryAfterMs = parseRetryAfter(failure.response?.headers?.get('retry-after'), now);
    return { kind: 'retry', status, retryAfterMs, message };
  }
  if (failure.code && NOT_SENT_CODES.has(failure.code)) {
    return { kind: 'retry', status: null, retryAfterMs: undefined, message: `${failure.code}: ${text}` };
  }
  return { kind: 'unknown', message: failure.code ? `${failure.code}: ${text}` : text };
}
