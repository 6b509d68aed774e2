import type { GraphConnection } from './client.ts';
import { errorForStatus, type GraphIngestionError } from './errors.ts';
import { graphPost } from './request.ts';
import { isRetryableStatus, parseRetryAfter, RetryBudget } from './retry.ts';

/**
 * GET requests sent through JSON batching (`POST /$batch`, at most 20 requests per batch).
 * Graph answers each inner request on its own, so an inner 429 or 5xx is retried here, under the same
 * retry policy as single requests (the batch POST itself is retried by the client's middleware).
 */

export const MAX_BATCH_SIZE = 20;

export interface BatchGetRequest {
  id: string;
  /** Relative to the version root, starting with "/". */
  url: string;
}

export interface BatchAnswer {
  status: number;
  body: unknown;
}

interface InnerResponse {
  id?: unknown;
  status?: unknown;
  headers?: Record<string, unknown>;
  body?: unknown;
}

function header(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name && typeof value === 'string') return value;
  }
  return undefined;
}

/** The error an inner answer stands for (status ≥ 400), with Graph's code and message when present. */
export function batchAnswerError(answer: BatchAnswer, what: string): GraphIngestionError {
  const error = (answer.body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return errorForStatus(answer.status, what, {
    ...(typeof error?.code === 'string' ? { code: error.code } : {}),
    ...(typeof error?.message === 'string' ? { message: error.message } : {}),
  });
}

async function runBatch(
  graph: GraphConnection,
  requests: readonly BatchGetRequest[],
  what: string,
  answers: Map<string, BatchAnswer>,
): Promise<void> {
  const budget = new RetryBudget(graph.retryPolicy, graph.random);
  let pending = [...requests];
  while (pending.length > 0) {
    const result = await graphPost<{ responses?: InnerResponse[] }>(
      graph,
      '/$batch',
      { requests: pending.map((request) => ({ id: request.id, method: 'GET', url: request.url })) },
      { what },
    );
    const retry: BatchGetRequest[] = [];
    let throttledItems = 0;
    let retryAfter: number | undefined;
    let lastRetryable: BatchAnswer | undefined;
    const byId = new Map(pending.map((request) => [request.id, request]));
    for (const inner of result.responses ?? []) {
      const request = typeof inner.id === 'string' ? byId.get(inner.id) : undefined;
      if (!request || typeof inner.status !== 'number') continue;
      byId.delete(request.id);
      const answer = { status: inner.status, body: inner.body ?? null };
      if (isRetryableStatus(inner.status)) {
        retry.push(request);
        lastRetryable = answer;
        const wait = parseRetryAfter(header(inner.headers, 'retry-after'), graph.clock.now());
        if (wait !== undefined) retryAfter = Math.max(retryAfter ?? 0, wait);
        if (inner.status === 429) throttledItems += 1;
      } else {
        answers.set(request.id, answer);
      }
    }
    // A request the batch did not answer at all is sent again.
    retry.push(...byId.values());
    if (retry.length === 0) return;
    const delay = budget.next(retryAfter);
    // Inner 429s count like single ones: the batch's items are throttled per request (json-batching.md).
    for (let i = 0; i < throttledItems; i++) graph.limiter.onThrottled(undefined, i === 0 ? (delay ?? 0) : 0);
    if (delay === undefined) {
      throw lastRetryable
        ? batchAnswerError(lastRetryable, what)
        : errorForStatus(502, what, { message: 'the batch response left requests unanswered' });
    }
    await graph.clock.sleep(delay);
    pending = retry;
  }
}

/** Sends the GETs in batches of 20 and returns each answer by request id. */
export async function batchGet(
  graph: GraphConnection,
  requests: readonly BatchGetRequest[],
  what: string,
): Promise<Map<string, BatchAnswer>> {
  const answers = new Map<string, BatchAnswer>();
  const chunks: BatchGetRequest[][] = [];
  for (let i = 0; i < requests.length; i += MAX_BATCH_SIZE)
    chunks.push(requests.slice(i, i + MAX_BATCH_SIZE));
  await Promise.all(chunks.map((chunk) => runBatch(graph, chunk, what, answers)));
  return answers;
}
