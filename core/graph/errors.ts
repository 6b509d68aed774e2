import { GraphError } from '@microsoft/microsoft-graph-client';
import { errorMessage } from '../text/error-text.ts';

/**
 * Typed errors for everything that can go wrong talking to Microsoft Graph, so callers branch on the
 * class (or `kind`) instead of on status codes. `toGraphIngestionError` maps what the Graph client
 * throws onto these classes.
 */

export type GraphErrorKind =
  | 'permission'
  | 'credentials'
  | 'not-found'
  | 'bad-request'
  | 'throttled'
  | 'unavailable'
  | 'network'
  | 'unexpected';

export interface GraphErrorDetails {
  status?: number;
  code?: string;
  requestId?: string;
  cause?: unknown;
}

export abstract class GraphIngestionError extends Error {
  abstract readonly kind: GraphErrorKind;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly requestId: string | undefined;

  constructor(message: string, details: GraphErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.status = details.status;
    this.code = details.code;
    this.requestId = details.requestId;
  }
}

/** 401 or 403: the app lacks a permission or consent, or the mailbox refuses app access. */
export class GraphPermissionError extends GraphIngestionError {
  readonly kind = 'permission';
}

/** No app-only token could be obtained (wrong tenant, client id or secret, or no consent yet). */
export class GraphCredentialsError extends GraphIngestionError {
  readonly kind = 'credentials';
}

export class GraphNotFoundError extends GraphIngestionError {
  readonly kind = 'not-found';
}

export class GraphBadRequestError extends GraphIngestionError {
  readonly kind = 'bad-request';
}

/** 429 that outlasted every retry. */
export class GraphThrottledError extends GraphIngestionError {
  readonly kind = 'throttled';
}

/** 5xx that outlasted every retry. */
export class GraphUnavailableError extends GraphIngestionError {
  readonly kind = 'unavailable';
}

/** The connection failed or dropped (and kept failing through every retry). */
export class GraphNetworkError extends GraphIngestionError {
  readonly kind = 'network';
}

export class GraphUnexpectedError extends GraphIngestionError {
  readonly kind = 'unexpected';
}

function describe(status: number, code: string | undefined, message: string): string {
  const parts = [`HTTP ${status}`];
  if (code) parts.push(code);
  return message ? `${parts.join(' ')}: ${message}` : parts.join(' ');
}

/**
 * Maps a Graph response status (and the error body's code and message) onto a typed error.
 * `what` names the operation for the message, e.g. "listing messages of inbox for mailbox …".
 */
export function errorForStatus(
  status: number,
  what: string,
  details: { code?: string; message?: string; requestId?: string; cause?: unknown } = {},
): GraphIngestionError {
  const text = describe(status, details.code, details.message ?? '');
  const base: GraphErrorDetails = {
    status,
    code: details.code,
    requestId: details.requestId,
    cause: details.cause,
  };
  if (status === 401) {
    return new GraphPermissionError(
      `Microsoft Graph refused the app's token while ${what} (${text}). Check the app registration and admin consent.`,
      base,
    );
  }
  if (status === 403) {
    return new GraphPermissionError(
      `Microsoft Graph denied access while ${what} (${text}). The app needs admin consent for Mail.ReadBasic.All, Calendars.ReadBasic.All, User.Read.All and GroupMember.Read.All, and the mailbox must not be excluded by an application access policy.`,
      base,
    );
  }
  if (status === 404) return new GraphNotFoundError(`Not found while ${what} (${text}).`, base);
  if (status === 400)
    return new GraphBadRequestError(`Microsoft Graph rejected the request while ${what} (${text}).`, base);
  if (status === 429) {
    return new GraphThrottledError(
      `Microsoft Graph kept throttling while ${what} (${text}); retries were exhausted.`,
      base,
    );
  }
  if (status >= 500) {
    return new GraphUnavailableError(
      `Microsoft Graph was unavailable while ${what} (${text}); retries were exhausted.`,
      base,
    );
  }
  return new GraphUnexpectedError(`Unexpected answer from Microsoft Graph while ${what} (${text}).`, base);
}

/**
 * Turns anything the Graph client throws into a `GraphIngestionError`.
 * The client wraps errors raised inside its middleware chain into its own `GraphError` with status -1,
 * keeping the original error's name as `code`: that is how a transport failure (`GraphNetworkError`)
 * and a token failure (`GraphCredentialsError`) raised below the client are recognised here.
 */
export function toGraphIngestionError(error: unknown, what: string): GraphIngestionError {
  if (error instanceof GraphIngestionError) return error;
  if (error instanceof GraphError) {
    const code = error.code ?? undefined;
    if (error.statusCode > 0) {
      return errorForStatus(error.statusCode, what, {
        code,
        message: error.message,
        requestId: error.requestId ?? undefined,
        cause: error,
      });
    }
    if (code === GraphNetworkError.name) {
      return new GraphNetworkError(
        `The connection to Microsoft Graph failed while ${what}: ${error.message}`,
        {
          cause: error,
        },
      );
    }
    if (code === GraphCredentialsError.name) {
      return new GraphCredentialsError(`${error.message} (while ${what})`, { cause: error });
    }
    return new GraphUnexpectedError(`Microsoft Graph request failed while ${what}: ${error.message}`, {
      code,
      cause: error,
    });
  }
  const message = errorMessage(error);
  return new GraphUnexpectedError(`Microsoft Graph request failed while ${what}: ${message}`, {
    cause: error,
  });
}
