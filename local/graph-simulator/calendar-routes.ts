/**
 * Calendar: `calendarView` (occurrences overlapping [startDateTime, endDateTime), `$select` required)
 * and `calendarView/delta` (the window and options fixed by the first request, then state tokens).
 */
import type { EventDeltaState } from './delta-tokens';
import type { GraphUser } from './fixture-schema';
import { badRequest, GraphHttpError, jsonResponse, type SimRequest, type SimResponse } from './graph-http';
import { EVENT_BASIC_PROPERTIES } from './graph-properties';
import { eventView, itemSelect, removedView } from './item-views';
import { deltaPageSize, PAGE_DEFAULT, PAGE_MAX } from './mail-routes';
import { parseOrderBy, parseSkip, parseTop, queryOption, queryParam } from './odata-query';
import { link, nextQuery, type RouteContext } from './route-context';
import type { EventRecord } from './tenant-source';

function mailboxOwner(context: RouteContext): GraphUser {
  if (context.user === null) throw new Error('calendar route without a mailbox owner');
  return context.user;
}

function parseInstant(value: string): number {
  const withZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value : `${value}Z`;
  return Date.parse(withZone);
}

/** The [start, end) window of a calendarView request (both parameters required). */
function timeWindow(request: SimRequest): { start: number; end: number } {
  const startText = queryParam(request.query, 'startDateTime');
  const endText = queryParam(request.query, 'endDateTime');
  if (startText === undefined || endText === undefined) {
    throw badRequest(
      'ErrorInvalidParameter',
      'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.',
    );
  }
  const start = parseInstant(startText);
  const end = parseInstant(endText);
  if (Number.isNaN(start) || Number.isNaN(end)) {
    throw badRequest(
      'ErrorInvalidParameter',
      'The value of StartDateTime or EndDateTime is not a valid date and time.',
    );
  }
  if (end < start)
    throw badRequest('ErrorInvalidParameter', 'EndDateTime must not be earlier than StartDateTime.');
  return { start, end };
}

export function overlaps(event: EventRecord, start: number, end: number): boolean {
  if (event.start === event.end) return event.start >= start && event.start < end;
  return event.start < end && event.end > start;
}

/** GET /users/{id}/calendarView (and /users/{id}/calendar/calendarView). */
export function calendarView(context: RouteContext): SimResponse {
  const { request, state } = context;
  const user = mailboxOwner(context);
  const select = itemSelect(request, 'Event', true) ?? [];
  const window = timeWindow(request);
  if (
    queryOption(request.query, 'filter') !== undefined ||
    queryOption(request.query, 'search') !== undefined
  ) {
    throw badRequest(
      'ErrorInvalidUrlQuery',
      'calendarView here supports $select, $top, $skip, $orderby and $count.',
    );
  }
  const top =
    parseTop(
      queryOption(request.query, 'top'),
      PAGE_MAX,
      'ErrorInvalidArgument',
      (v) => `The value '${v}' of the query option $top exceeds the maximum page size of ${PAGE_MAX}.`,
    ) ?? PAGE_DEFAULT;
  const skip = parseSkip(queryOption(request.query, 'skip'));
  const order = parseOrderBy(queryOption(request.query, 'orderby'));
  const first = order[0];
  if (
    order.length > 1 ||
    (first !== undefined && !['start/datetime', 'start'].includes(first.property.toLowerCase()))
  ) {
    throw badRequest('ErrorInvalidProperty', 'calendarView here can be ordered by start/dateTime only.');
  }
  let events = state.events(user.id).filter((e) => overlaps(e, window.start, window.end));
  if (first?.descending === true) events = [...events].reverse();
  const slice = events.slice(skip, skip + top);
  const body: Record<string, unknown> = {
    '@odata.context': `${request.baseUrl}/$metadata#users('${user.id}')/calendarView(${select.join(',')})`,
  };
  if (queryOption(request.query, 'count')?.toLowerCase() === 'true') body['@odata.count'] = events.length;
  body['value'] = slice.map((e) => eventView(e, select, state.eventVersion(user.id, e.id)));
  if (skip + top < events.length) {
    body['@odata.nextLink'] = link(
      request,
      request.path,
      nextQuery(request.query, { $skip: String(skip + top), skip: undefined }),
    );
  }
  return jsonResponse(body);
}

/**
 * GET /users/{id}/calendarView/delta. Graph v1.0 takes no `$select` here; this simulator accepts one
 * (checked like calendarView's) and otherwise serves every property except body, bodyPreview and
 * uniqueBody, as an app with Calendars.ReadBasic.All receives them.
 */
export function calendarViewDelta(context: RouteContext): SimResponse {
  const { request, state, tokens } = context;
  const user = mailboxOwner(context);
  const token = queryOption(request.query, 'skiptoken') ?? queryOption(request.query, 'deltatoken');
  let delta: EventDeltaState;
  if (token === undefined) {
    const window = timeWindow(request);
    delta = {
      kind: 'events',
      user: user.id,
      start: window.start,
      end: window.end,
      select: itemSelect(request, 'Event', false),
      since: null,
      round: state.version,
      offset: 0,
      epoch: tokens.currentEpoch,
      issued: Date.now(),
    };
  } else {
    const decoded = tokens.decode(token);
    if (decoded.kind !== 'events' || decoded.user !== user.id) {
      throw new GraphHttpError(
        410,
        'SyncStateNotFound',
        'The sync state generation is not found. The delta token is not valid for this resource.',
      );
    }
    delta =
      queryOption(request.query, 'deltatoken') !== undefined && decoded.offset === 0
        ? { ...decoded, round: state.version }
        : decoded;
  }
  const select = delta.select ?? EVENT_BASIC_PROPERTIES;
  const { size, applied } = deltaPageSize(context);

  let entries: (() => Record<string, unknown>)[];
  if (delta.since === null) {
    entries = state
      .events(user.id)
      .filter((e) => overlaps(e, delta.start, delta.end))
      .map((e) => () => eventView(e, select, state.eventVersion(user.id, e.id), true));
  } else {
    const since = delta.since;
    entries = [...state.eventChanges(user.id)]
      .filter((c) => c.version > since && c.version <= delta.round)
      .sort((a, b) => a.version - b.version)
      .map((change) => {
        const record = change.record;
        return record !== null && overlaps(record, delta.start, delta.end)
          ? () => eventView(record, select, change.version, true)
          : () => removedView('Event', change.id);
      });
  }
  const slice = entries.slice(delta.offset, delta.offset + size);
  const more = delta.offset + size < entries.length;
  const next: EventDeltaState = more
    ? { ...delta, offset: delta.offset + size, issued: Date.now() }
    : { ...delta, since: delta.round, offset: 0, issued: Date.now() };
  const body: Record<string, unknown> = {
    '@odata.context': `${request.baseUrl}/$metadata#Collection(event)`,
    value: slice.map((entry) => entry()),
  };
  const encoded = tokens.encode(next);
  body[more ? '@odata.nextLink' : '@odata.deltaLink'] = link(
    request,
    `/users/${encodeURIComponent(user.id)}/calendarView/delta`,
    new URLSearchParams(more ? { $skiptoken: encoded } : { $deltatoken: encoded }),
  );
  return jsonResponse(body, 200, applied ? { 'Preference-Applied': applied } : {});
}
