/**
 * JSON batching (`POST /$batch`): up to 20 requests (json-batching.md), each dispatched like a request
 * of its own, so each is judged on its own against the per-mailbox limits and can be 429 with its own
 * Retry-After. At most 4 items run at any moment, whatever their mailboxes: "by default, the service
 * executes up to 4 requests in parallel at any point, irrespective of the target mailbox"
 * (throttling-limits.md, Outlook service limits for JSON batching).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { badRequest, jsonResponse, type SimRequest, type SimResponse } from './graph-http';
import { formatIssuePath } from './fixture-schema';

export const MAX_BATCH_REQUESTS = 20;
/** Items of one batch executed in parallel at most. */
export const MAX_BATCH_PARALLEL = 4;

/** A counting semaphore: first come, first served. */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

const batchSchema = z.object({
  requests: z
    .array(
      z.object({
        id: z.string().min(1),
        method: z.string().min(1),
        url: z.string().min(1),
        headers: z.record(z.string(), z.string()).optional(),
        body: z.unknown().optional(),
        dependsOn: z.array(z.string()).optional(),
      }),
    )
    .min(1, 'a batch needs at least one request'),
});

type BatchItem = z.infer<typeof batchSchema>['requests'][number];

export interface BatchResponseItem {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

function itemRequest(outer: SimRequest, item: BatchItem): SimRequest {
  if (/^[a-z]+:\/\//i.test(item.url)) {
    throw badRequest('BadRequest', `Batch request '${item.id}': the url must be relative, such as /users.`);
  }
  const parsed = new URL(item.url.startsWith('/') ? item.url : `/${item.url}`, 'https://batch.invalid');
  const path = parsed.pathname.replace(/^\/v1\.0(?=\/|$)/i, '') || '/';
  const headers: Record<string, string> = {};
  for (const name of ['authorization', 'client-request-id']) {
    const value = outer.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  for (const [name, value] of Object.entries(item.headers ?? {})) headers[name.toLowerCase()] = value;
  return {
    method: item.method.toUpperCase(),
    path,
    query: parsed.searchParams,
    headers,
    body: item.body,
    baseUrl: outer.baseUrl,
    requestId: randomUUID(),
    inBatch: true,
  };
}

/**
 * Runs a batch; `dispatch` serves each item, at most MAX_BATCH_PARALLEL at once, in the batch's order.
 * Items with `dependsOn` wait for (and fail with) theirs.
 */
export async function runBatch(
  outer: SimRequest,
  dispatch: (request: SimRequest) => Promise<SimResponse>,
): Promise<SimResponse> {
  const parsed = batchSchema.safeParse(outer.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badRequest(
      'BadRequest',
      `Invalid batch payload: ${issue ? `${formatIssuePath(issue.path)}: ${issue.message}` : 'unreadable'}.`,
    );
  }
  const items = parsed.data.requests;
  if (items.length > MAX_BATCH_REQUESTS) {
    throw badRequest(
      'BadRequest',
      `Too many requests in the batch: ${items.length}; the limit is ${MAX_BATCH_REQUESTS}.`,
    );
  }
  const ids = new Set<string>();
  for (const item of items) {
    const key = item.id.toLowerCase();
    if (ids.has(key)) throw badRequest('BadRequest', `Batch request id '${item.id}' is used more than once.`);
    ids.add(key);
  }
  for (const item of items) {
    for (const dependency of item.dependsOn ?? []) {
      if (!ids.has(dependency.toLowerCase())) {
        throw badRequest(
          'BadRequest',
          `Batch request '${item.id}' depends on unknown request '${dependency}'.`,
        );
      }
    }
  }
  const byId = new Map(
    items.map((item) => [item.id.toLowerCase(), { item, request: itemRequest(outer, item) }]),
  );
  const visiting = new Set<string>();
  const checked = new Set<string>();
  const checkCycle = (id: string): void => {
    if (checked.has(id)) return;
    if (visiting.has(id))
      throw badRequest('BadRequest', `Batch request '${id}' depends on itself through dependsOn.`);
    visiting.add(id);
    for (const dependency of byId.get(id)?.item.dependsOn ?? []) checkCycle(dependency.toLowerCase());
    visiting.delete(id);
    checked.add(id);
  };
  for (const id of byId.keys()) checkCycle(id);

  const slots = new Slots(MAX_BATCH_PARALLEL);
  const results = new Map<string, Promise<BatchResponseItem>>();
  const resultOf = (id: string): Promise<BatchResponseItem> => {
    let result = results.get(id);
    if (result === undefined) {
      const entry = byId.get(id);
      if (entry === undefined) throw new Error(`unknown batch request ${id}`);
      result = run(entry.item, entry.request);
      results.set(id, result);
    }
    return result;
  };
  const run = async (item: BatchItem, request: SimRequest): Promise<BatchResponseItem> => {
    for (const dependency of item.dependsOn ?? []) {
      const done = await resultOf(dependency.toLowerCase());
      if (done.status >= 400) {
        return {
          id: item.id,
          status: 424,
          headers: { 'Content-Type': 'application/json' },
          body: { error: { code: 'FailedDependency', message: `Request '${dependency}' failed.` } },
        };
      }
    }
    // Waiting for dependencies holds no slot, so a batch cannot stall on its own items.
    await slots.acquire();
    let response: SimResponse;
    try {
      response = await dispatch(request);
    } finally {
      slots.release();
    }
    return {
      id: item.id,
      status: response.status,
      headers: response.headers,
      ...(response.body === undefined ? {} : { body: response.body }),
    };
  };
  const responses = await Promise.all(items.map((item) => resultOf(item.id.toLowerCase())));
  return jsonResponse({ responses });
}
