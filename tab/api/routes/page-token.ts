import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ApiError } from '../errors';

/** What a page token carries: the store's continuation and, for results, the run it pages through. */
export interface PageToken {
  continuation: string;
  runId?: string;
}

const tokenSchema = z.object({
  continuation: z.string().min(1),
  runId: z.string().optional(),
  check: z.string(),
});

/**
 * A checksum that tells our tokens from edited or made-up ones before they reach the store (the
 * store may take a malformed continuation for none at all). Not a secret: it guards against
 * mistakes, and every read stays scoped to the caller's tenant anyway.
 */
function checkOf(token: PageToken): string {
  return createHash('sha256')
    .update(JSON.stringify([token.continuation, token.runId ?? null]))
    .digest('base64url')
    .slice(0, 16);
}

/** An opaque, URL-safe token for the next page. */
export function encodePageToken(token: PageToken): string {
  return Buffer.from(JSON.stringify({ ...token, check: checkOf(token) })).toString('base64url');
}

function badToken(field: string): ApiError {
  const message = 'is not a page token from a previous answer';
  return new ApiError(400, 'BadRequest', `The request's query is not valid: query.${field}: ${message}`, [
    { field: `query.${field}`, message },
  ]);
}

/** The token given back by a client; 400 naming the query field when it is not one we made. */
export function decodePageToken(text: string, field: string): PageToken {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  const result = tokenSchema.safeParse(value);
  if (!result.success) throw badToken(field);
  const { check, ...token } = result.data;
  if (check !== checkOf(token)) throw badToken(field);
  return token;
}

/**
 * Runs a paged read that continues from a client's token. A token that decodes but that the store
 * (or its SDK, which parses it) rejects is the client's error too: a 400, not a 500.
 */
export async function continuePaging<T>(token: PageToken | undefined, field: string, read: () => Promise<T>) {
  try {
    return await read();
  } catch (error) {
    const status = (error as { code?: unknown } | null)?.code;
    if (token && (status === 400 || error instanceof SyntaxError)) throw badToken(field);
    throw error;
  }
}
