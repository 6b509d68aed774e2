import type { Activity } from '../engine/activity.ts';
import { DAY_MS } from '../time/durations.ts';
import type { GraphConnection } from './client.ts';
import { GraphCredentialsError, GraphIngestionError } from './errors.ts';
import { countedMailFolders, type CountedFolder } from './mail-folders.ts';
import { eventToActivity, messageToActivity, type GraphEvent, type GraphMessage } from './mapping.ts';
import { graphPages, type GraphRequestOptions } from './request.ts';
import { EVENT_FIELDS, MESSAGE_FIELDS, selectParam } from './select.ts';

/**
 * One mailbox's activity, streamed to a sink.
 *
 * Messages: every counted mail folder (see mail-folders.ts) is listed with
 * `GET /users/{id}/mailFolders/{folderId}/messages?$filter=receivedDateTime ge <window start>`,
 * following `@odata.nextLink` whole. No documented limit truncates this request shape, unlike a
 * filtered delta query, which stops at 5,000 messages and still ends with a deltaLink
 * (delta-query-messages.md); `/users/{id}/messages` would also return Junk Email, Drafts and Teams
 * chat messages. A message received before the window start was sent before it too, so the filter
 * loses nothing; messages sent outside [T − 365 d, T) are dropped here. Nothing is read
 * incrementally: a run recomputes the whole window, because no per-message record may outlive a run,
 * and without one a change since the last run cannot be subtracted exactly. The same message can
 * appear in two folders or mailboxes; it carries its internetMessageId, by which the engine
 * de-duplicates (ids are asked for as immutable ids, so one moved while it is read keeps its id).
 *
 * Meetings: `calendarView` for [window start, T + 90 days), in full on every run.
 *
 * Every request is made through the client's limiter under the mailbox's key, so the folders and
 * the calendar of one mailbox are read side by side within its concurrency limit.
 */

/** One activity read from a mailbox. */
export interface IngestionEvent {
  mailboxId: string;
  /** The mail folder's path ("Inbox/Customers"), or "calendar". */
  source: string;
  graphId: string;
  activity: Activity;
}

/** Receives events one at a time; a returned promise is awaited (back-pressure). */
export type IngestionSink = (event: IngestionEvent) => void | Promise<void>;

export const CALENDAR_SOURCE = 'calendar';

export interface IngestionWindow {
  /** T, epoch ms. */
  asOf: number;
  /** T − 365 days. */
  windowStart: number;
  /** T + 90 days: how far ahead the calendar is read (for the next meeting). */
  calendarEnd: number;
}

export function ingestionWindow(asOf: number, windowDays = 365, lookaheadDays = 90): IngestionWindow {
  return { asOf, windowStart: asOf - windowDays * DAY_MS, calendarEnd: asOf + lookaheadDays * DAY_MS };
}

export interface MailboxRef {
  /** Entra object id. */
  id: string;
  address?: string;
}

export interface MailboxIngestionOptions {
  window: IngestionWindow;
  /** Items per page asked of Graph (1..1000, default 1000). */
  pageSize?: number;
  signal?: AbortSignal;
  /** Called after each page with the messages and meetings it yielded. */
  onPage?: (messages: number, meetings: number) => void;
}

export interface SourceResult {
  /** The folder's path, or "calendar". */
  source: string;
  /** Activities passed to the sink. */
  items: number;
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
  /** Counted mail folders found (0 when the folder tree could not be read). */
  folders: number;
  messages: number;
  meetings: number;
  skipped: number;
  sources: SourceResult[];
}

function isoInstant(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

interface StreamContext {
  graph: GraphConnection;
  mailbox: MailboxRef;
  label: string;
  options: MailboxIngestionOptions;
  pageSize: number;
  sink: IngestionSink;
  signal: AbortSignal;
}

async function ingestFolder(ctx: StreamContext, folder: CountedFolder): Promise<SourceResult> {
  const { graph, mailbox, sink, signal, options } = ctx;
  const { windowStart, asOf } = options.window;
  const result: SourceResult = { source: folder.path, items: 0, skipped: 0 };
  const url =
    `/users/${encodeURIComponent(mailbox.id)}/mailFolders/${encodeURIComponent(folder.id)}/messages` +
    `?${selectParam(MESSAGE_FIELDS)}&$filter=${encodeURIComponent(`receivedDateTime ge ${isoInstant(windowStart)}`)}` +
    `&$top=${ctx.pageSize}`;
  const request: GraphRequestOptions = {
    mailboxId: mailbox.id,
    headers: { Prefer: 'IdType="ImmutableId"' },
    what: `reading the messages of folder ${folder.path} of mailbox ${ctx.label}`,
  };
  for await (const page of graphPages<GraphMessage>(graph, url, request)) {
    signal.throwIfAborted();
    let items = 0;
    for (const message of page.value) {
      const activity = messageToActivity(message);
      if (!activity || typeof message.id !== 'string') {
        result.skipped += 1;
        continue;
      }
      if (activity.sent < windowStart || activity.sent >= asOf) continue;
      items += 1;
      await sink({ mailboxId: mailbox.id, source: folder.path, graphId: message.id, activity });
    }
    result.items += items;
    options.onPage?.(items, 0);
  }
  return result;
}

async function ingestCalendar(ctx: StreamContext): Promise<SourceResult> {
  const { graph, mailbox, sink, signal, options } = ctx;
  const result: SourceResult = { source: CALENDAR_SOURCE, items: 0, skipped: 0 };
  const url =
    `/users/${encodeURIComponent(mailbox.id)}/calendarView` +
    `?startDateTime=${isoInstant(options.window.windowStart)}&endDateTime=${isoInstant(options.window.calendarEnd)}` +
    `&${selectParam(EVENT_FIELDS)}&$top=${ctx.pageSize}`;
  const request: GraphRequestOptions = {
    mailboxId: mailbox.id,
    headers: { Prefer: `outlook.timezone="UTC", odata.maxpagesize=${ctx.pageSize}, IdType="ImmutableId"` },
    what: `reading the calendar of mailbox ${ctx.label}`,
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
      await sink({ mailboxId: mailbox.id, source: CALENDAR_SOURCE, graphId: event.id, activity });
    }
    result.items += items;
    options.onPage?.(0, items);
  }
  return result;
}

/** Walks the folder tree, then reads every counted folder; the results of the folders read. */
async function ingestMail(ctx: StreamContext, found: (folders: number) => void): Promise<SourceResult[]> {
  const folders = await countedMailFolders(ctx.graph, ctx.mailbox.id, ctx.label, ctx.signal);
  found(folders.length);
  return Promise.all(folders.map((folder) => ingestFolder(ctx, folder)));
}

/**
 * Reads one mailbox (its mail folders and its calendar side by side) into the sink.
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
  const ctx: StreamContext = {
    graph,
    mailbox,
    label: mailbox.address ?? mailbox.id,
    options,
    pageSize,
    sink,
    signal: controller.signal,
  };

  let firstError: unknown;
  const guard = <T>(task: Promise<T>): Promise<T> =>
    task.catch((error: unknown) => {
      if (firstError === undefined) firstError = error;
      controller.abort(error);
      throw error;
    });
  let folders = 0;
  const [mail, calendar] = await Promise.allSettled([
    guard(ingestMail(ctx, (count) => (folders = count))),
    guard(ingestCalendar(ctx)),
  ]).finally(() => options.signal?.removeEventListener('abort', stopSiblings));
  const mailSources = mail.status === 'fulfilled' ? mail.value : [];
  const sources = [...mailSources, ...(calendar.status === 'fulfilled' ? [calendar.value] : [])];
  const base = {
    mailboxId: mailbox.id,
    ...(mailbox.address !== undefined ? { address: mailbox.address } : {}),
    folders,
    messages: mailSources.reduce((n, s) => n + s.items, 0),
    meetings: calendar.status === 'fulfilled' ? calendar.value.items : 0,
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
  return { ...base, status: 'ok' };
}
