import type { Activity } from '../engine/activity.ts';
import type { GraphConnection } from './client.ts';
import type { DeltaState, DeltaStateKey, DeltaStateStore } from './delta-state.ts';
import { DeltaLinkExpiredError, GraphCredentialsError, GraphIngestionError } from './errors.ts';
import { eventToActivity, messageToActivity, type GraphEvent, type GraphMessage } from './mapping.ts';
import { graphPages, type GraphRequestOptions } from './request.ts';
import { EVENT_FIELDS, MESSAGE_FIELDS, selectParam } from './select.ts';

/**
 * One mailbox's activity, streamed to a sink.
 *
 * Messages: one delta query per mail folder (`/users/{id}/mailFolders/{folder}/messages/delta`).
 * Delta was chosen over `/users/{id}/messages?$filter=sentDateTime …` because a stored delta link
 * makes the next run read only what changed (new, updated and removed messages) instead of the whole
 * year again. Delta is per folder, so the folders are listed explicitly (default: inbox and sent
 * items, where a seller's correspondence with customers lives; drafts never count). The baseline
 * asks for `receivedDateTime ge <window start>` (the only filter delta accepts) and messages sent
 * before the window start are dropped here. Messages sent after the as-of instant are passed on: a
 * delta round hands each change over only once, so dropping them would lose them for later runs;
 * the engine counts only [T − 365 d, T). The same message can appear in two folders or mailboxes;
 * it carries its internetMessageId, by which the engine de-duplicates.
 *
 * Meetings: `calendarView` for [window start, T + 90 days), read in full on every run: calendarView
 * delta accepts no `$select` (it would return subjects and bodies) and fixes its date range in the
 * token, while the product's window slides with every run.
 *
 * Removals: a delta round reports deleted or moved messages as `@removed` with the Graph id only.
 * They are passed to the sink as `removed` events (ids are requested as immutable ids so they match
 * the ids of earlier rounds); what to do with them is the caller's choice, since nothing per message
 * is kept between runs.
 *
 * Delta links are saved only after the whole mailbox succeeded, so a mailbox that failed half-way
 * is read from its previous state again next time. A 410 (an expired stored link, or a skip token
 * that expired during a round) discards the link, emits a `reset` event and reads a fresh baseline.
 */

export const DEFAULT_MAIL_FOLDERS: readonly string[] = ['inbox', 'sentitems'];
export const CALENDAR_SOURCE = 'calendar';

export type IngestionMode = 'baseline' | 'changes';

export type IngestionEvent =
  | {
      type: 'activity';
      mailboxId: string;
      /** Mail folder name, or "calendar". */
      source: string;
      /** "baseline": part of a full read of the source; "changes": a change since the stored delta link. */
      mode: IngestionMode;
      graphId: string;
      activity: Activity;
    }
  | { type: 'removed'; mailboxId: string; source: string; kind: 'email'; graphId: string; reason: string }
  | {
      /** Earlier rounds of this source no longer apply; a baseline of it follows. */
      type: 'reset';
      mailboxId: string;
      source: string;
      reason: 'delta-expired' | 'window-extended';
    };

/** Receives events one at a time; a returned promise is awaited (back-pressure). */
export type IngestionSink = (event: IngestionEvent) => void | Promise<void>;

export interface IngestionWindow {
  /** T, epoch ms. */
  asOf: number;
  /** T − 365 days. */
  windowStart: number;
  /** T + 90 days: how far ahead the calendar is read (for the next meeting). */
  calendarEnd: number;
}

const DAY_MS = 86_400_000;

export function ingestionWindow(asOf: number, windowDays = 365, lookaheadDays = 90): IngestionWindow {
  return { asOf, windowStart: asOf - windowDays * DAY_MS, calendarEnd: asOf + lookaheadDays * DAY_MS };
}

export interface MailboxRef {
  /** Entra object id. */
  id: string;
  address?: string;
}

export interface MailboxIngestionOptions {
  tenantId: string;
  window: IngestionWindow;
  folders?: readonly string[];
  /** Without a store every run reads a full baseline and no delta link is kept. */
  deltaStore?: DeltaStateStore;
  /** Items per page asked of Graph (1..1000, default 1000). */
  pageSize?: number;
  signal?: AbortSignal;
  /** Called after each page with the messages and meetings it yielded. */
  onPage?: (messages: number, meetings: number) => void;
}

export interface SourceResult {
  source: string;
  mode: IngestionMode;
  /** Activities passed to the sink. */
  items: number;
  removals: number;
  /** Items that could not be mapped (no id or no readable time). */
  skipped: number;
}

export type MailboxStatus = 'ok' | 'permission-denied' | 'failed';

export interface MailboxResult {
  mailboxId: string;
  address?: string;
  status: MailboxStatus;
  /** Why the mailbox was not read completely. */
  error?: GraphIngestionError;
  messages: number;
  meetings: number;
  removals: number;
  skipped: number;
  sources: SourceResult[];
}

function isoInstant(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

interface StreamContext {
  graph: GraphConnection;
  mailbox: MailboxRef;
  options: MailboxIngestionOptions;
  pageSize: number;
  sink: IngestionSink;
  signal: AbortSignal;
}

async function readMessages(
  ctx: StreamContext,
  folder: string,
  url: string,
  mode: IngestionMode,
  result: SourceResult,
): Promise<string | undefined> {
  const { graph, mailbox, sink, signal } = ctx;
  const request: GraphRequestOptions = {
    mailboxId: mailbox.id,
    headers: { Prefer: `odata.maxpagesize=${ctx.pageSize}, IdType="ImmutableId"` },
    what: `reading ${folder} messages of mailbox ${mailbox.address ?? mailbox.id}`,
  };
  let deltaLink: string | undefined;
  for await (const page of graphPages<GraphMessage>(graph, url, request)) {
    signal.throwIfAborted();
    let items = 0;
    for (const message of page.value) {
      const graphId = typeof message.id === 'string' ? message.id : undefined;
      if (message['@removed']) {
        if (graphId === undefined) continue;
        result.removals += 1;
        const reason = message['@removed'].reason ?? 'deleted';
        await sink({
          type: 'removed',
          mailboxId: mailbox.id,
          source: folder,
          kind: 'email',
          graphId,
          reason,
        });
        continue;
      }
      const activity = messageToActivity(message);
      if (!activity || graphId === undefined) {
        result.skipped += 1;
        continue;
      }
      if (activity.sent < ctx.options.window.windowStart) continue;
      items += 1;
      await sink({ type: 'activity', mailboxId: mailbox.id, source: folder, mode, graphId, activity });
    }
    result.items += items;
    ctx.options.onPage?.(items, 0);
    deltaLink = page.deltaLink ?? deltaLink;
  }
  return deltaLink;
}

/** What reading one source gave: its counts, and for a folder the delta state to save once the whole mailbox succeeded. */
interface SourceOutcome {
  result: SourceResult;
  state?: DeltaState;
}

async function ingestFolder(ctx: StreamContext, folder: string): Promise<SourceOutcome> {
  const { options, mailbox, sink, graph } = ctx;
  const { window } = options;
  const key: DeltaStateKey = { tenantId: options.tenantId, mailboxId: mailbox.id, folder };
  const baselineUrl =
    `/users/${encodeURIComponent(mailbox.id)}/mailFolders/${encodeURIComponent(folder)}/messages/delta` +
    `?${selectParam(MESSAGE_FIELDS)}&$filter=${encodeURIComponent(`receivedDateTime ge ${isoInstant(window.windowStart)}`)}`;

  const stored = options.deltaStore ? await options.deltaStore.get(key) : undefined;
  const usable = stored !== undefined && stored.windowStart <= window.windowStart;
  if (stored && !usable) {
    await sink({ type: 'reset', mailboxId: mailbox.id, source: folder, reason: 'window-extended' });
  }
  const fresh = (): SourceResult => ({ source: folder, mode: 'baseline', items: 0, removals: 0, skipped: 0 });
  let result: SourceResult = usable ? { ...fresh(), mode: 'changes' } : fresh();
  let deltaLink: string | undefined;
  let baselineStart = usable ? stored.windowStart : window.windowStart;
  try {
    deltaLink = await readMessages(ctx, folder, usable ? stored.deltaLink : baselineUrl, result.mode, result);
  } catch (error) {
    // 410: the stored link, or a skip token of this round, expired. Start over once, from a baseline.
    if (!(error instanceof DeltaLinkExpiredError)) throw error;
    if (stored) await options.deltaStore?.delete(key);
    await sink({ type: 'reset', mailboxId: mailbox.id, source: folder, reason: 'delta-expired' });
    result = fresh();
    baselineStart = window.windowStart;
    deltaLink = await readMessages(ctx, folder, baselineUrl, 'baseline', result);
  }
  const state =
    deltaLink === undefined
      ? undefined
      : { deltaLink, windowStart: baselineStart, savedAt: graph.clock.now() };
  return state ? { result, state } : { result };
}

async function ingestCalendar(ctx: StreamContext): Promise<SourceOutcome> {
  const { graph, mailbox, sink, signal, options } = ctx;
  const result: SourceResult = {
    source: CALENDAR_SOURCE,
    mode: 'baseline',
    items: 0,
    removals: 0,
    skipped: 0,
  };
  const url =
    `/users/${encodeURIComponent(mailbox.id)}/calendarView` +
    `?startDateTime=${isoInstant(options.window.windowStart)}&endDateTime=${isoInstant(options.window.calendarEnd)}` +
    `&${selectParam(EVENT_FIELDS)}&$top=${ctx.pageSize}`;
  const request: GraphRequestOptions = {
    mailboxId: mailbox.id,
    headers: { Prefer: `outlook.timezone="UTC", odata.maxpagesize=${ctx.pageSize}, IdType="ImmutableId"` },
    what: `reading the calendar of mailbox ${mailbox.address ?? mailbox.id}`,
  };
  for await (const page of graphPages<GraphEvent>(graph, url, request)) {
    signal.throwIfAborted();
    let items = 0;
    for (const event of page.value) {
      const activity = eventToActivity(event);
      if (!activity || typeof event.id !== 'string') {
        if (event.type !== 'seriesMaster') result.skipped += 1;
        continue;
      }
      items += 1;
      await sink({
        type: 'activity',
        mailboxId: mailbox.id,
        source: CALENDAR_SOURCE,
        mode: 'baseline',
        graphId: event.id,
        activity,
      });
    }
    result.items += items;
    options.onPage?.(0, items);
  }
  return { result };
}

/**
 * Reads one mailbox (its folders and its calendar side by side) into the sink.
 * A Graph error for this mailbox (403, 404, retries exhausted, …) does not throw: it is returned as
 * the mailbox's status, so a run can go on with other mailboxes. A credentials failure, an error of
 * the sink and an abort do throw.
 */
export async function ingestMailbox(
  graph: GraphConnection,
  mailbox: MailboxRef,
  sink: IngestionSink,
  options: MailboxIngestionOptions,
): Promise<MailboxResult> {
  const pageSize = options.pageSize ?? 1000;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
    throw new RangeError(`pageSize must be 1..1000, got ${pageSize}`);
  }
  options.signal?.throwIfAborted();
  const controller = new AbortController();
  const stopSiblings = (): void => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', stopSiblings, { once: true });
  const ctx: StreamContext = { graph, mailbox, options, pageSize, sink, signal: controller.signal };

  let firstError: unknown;
  const guard = <T>(task: Promise<T>): Promise<T> =>
    task.catch((error: unknown) => {
      if (firstError === undefined) firstError = error;
      controller.abort(error);
      throw error;
    });
  const folders = options.folders ?? DEFAULT_MAIL_FOLDERS;
  const outcomes = await Promise.allSettled([
    ...folders.map((folder) => guard(ingestFolder(ctx, folder))),
    guard(ingestCalendar(ctx)),
  ]).finally(() => options.signal?.removeEventListener('abort', stopSiblings));
  const done = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const sources = done.map((outcome) => outcome.result);
  const base = {
    mailboxId: mailbox.id,
    ...(mailbox.address !== undefined ? { address: mailbox.address } : {}),
    messages: sources.filter((s) => s.source !== CALENDAR_SOURCE).reduce((n, s) => n + s.items, 0),
    meetings: sources.filter((s) => s.source === CALENDAR_SOURCE).reduce((n, s) => n + s.items, 0),
    removals: sources.reduce((n, s) => n + s.removals, 0),
    skipped: sources.reduce((n, s) => n + s.skipped, 0),
    sources,
  };

  if (firstError !== undefined) {
    if (!(firstError instanceof GraphIngestionError) || firstError instanceof GraphCredentialsError)
      throw firstError;
    return {
      ...base,
      status: firstError.kind === 'permission' ? 'permission-denied' : 'failed',
      error: firstError,
    };
  }
  for (const { result, state } of done) {
    if (state && options.deltaStore) {
      await options.deltaStore.put(
        { tenantId: options.tenantId, mailboxId: mailbox.id, folder: result.source },
        state,
      );
    }
  }
  return { ...base, status: 'ok' };
}
