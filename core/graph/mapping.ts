import type { EmailActivity, MeetingActivity, MeetingSensitivity } from '../engine/activity.ts';
import { normaliseEmail } from '../engine/addresses.ts';

/**
 * Graph `message` and `event` items (as selected in select.ts) → the engine's `Activity`.
 * Addresses are trimmed and lower-cased, instants are epoch milliseconds (UTC). An item that lacks
 * what the engine needs (an id, a time) maps to undefined and is counted as skipped by the caller.
 */

export interface GraphEmailAddress {
  emailAddress?: { address?: string | null; name?: string | null } | null;
}

export interface GraphRemoved {
  '@removed'?: { reason?: string } | null;
}

export interface GraphMessage extends GraphRemoved {
  id?: string;
  internetMessageId?: string | null;
  conversationId?: string | null;
  isDraft?: boolean | null;
  sentDateTime?: string | null;
  receivedDateTime?: string | null;
  from?: GraphEmailAddress | null;
  toRecipients?: GraphEmailAddress[] | null;
  ccRecipients?: GraphEmailAddress[] | null;
  bccRecipients?: GraphEmailAddress[] | null;
  parentFolderId?: string | null;
}

export interface GraphDateTimeTimeZone {
  dateTime?: string | null;
  timeZone?: string | null;
}

export interface GraphEvent extends GraphRemoved {
  id?: string;
  iCalUId?: string | null;
  type?: string | null;
  seriesMasterId?: string | null;
  isCancelled?: boolean | null;
  isAllDay?: boolean | null;
  sensitivity?: string | null;
  start?: GraphDateTimeTimeZone | null;
  end?: GraphDateTimeTimeZone | null;
  organizer?: GraphEmailAddress | null;
  attendees?: GraphEmailAddress[] | null;
}

export function normalizeAddress(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const address = normaliseEmail(value);
  return address === '' ? null : address;
}

function addressOf(entry: GraphEmailAddress | null | undefined): string | null {
  return normalizeAddress(entry?.emailAddress?.address);
}

/** Distinct addresses of a list of recipients or attendees, in order of first appearance. */
function addressesOf(...lists: (GraphEmailAddress[] | null | undefined)[]): string[] {
  const seen = new Set<string>();
  for (const list of lists) {
    for (const entry of list ?? []) {
      const address = addressOf(entry);
      if (address) seen.add(address);
    }
  }
  return [...seen];
}

const SENSITIVITIES: ReadonlySet<string> = new Set<MeetingSensitivity>([
  'normal',
  'personal',
  'private',
  'confidential',
]);

/** Graph's sensitivity, or `normal` when it is missing or a value this product does not know. */
function sensitivityOf(value: string | null | undefined): MeetingSensitivity {
  return value && SENSITIVITIES.has(value) ? (value as MeetingSensitivity) : 'normal';
}

function nonEmpty(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function instant(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export function messageToActivity(message: GraphMessage): EmailActivity | undefined {
  const graphId = nonEmpty(message.id);
  if (!graphId) return undefined;
  const sent =
    instant(message.sentDateTime) ?? (message.isDraft ? undefined : instant(message.receivedDateTime));
  if (sent === undefined) return undefined;
  return {
    kind: 'email',
    id: nonEmpty(message.internetMessageId) ?? graphId,
    conversationId: nonEmpty(message.conversationId),
    isDraft: message.isDraft === true,
    sent,
    from: addressOf(message.from),
    recipients: addressesOf(message.toRecipients, message.ccRecipients, message.bccRecipients),
  };
}

export function eventToActivity(event: GraphEvent): MeetingActivity | undefined {
  const graphId = nonEmpty(event.id);
  if (!graphId || event.type === 'seriesMaster') return undefined;
  const start = event.start ? parseGraphDateTime(event.start) : undefined;
  const end = event.end ? parseGraphDateTime(event.end) : undefined;
  if (start === undefined || end === undefined) return undefined;
  return {
    kind: 'meeting',
    id: nonEmpty(event.iCalUId) ?? graphId,
    isCancelled: event.isCancelled === true,
    isAllDay: event.isAllDay === true,
    sensitivity: sensitivityOf(event.sensitivity),
    start,
    end,
    organizer: addressOf(event.organizer),
    attendees: addressesOf(event.attendees),
  };
}

const UTC_NAMES = new Set([
  '',
  'utc',
  'etc/utc',
  'gmt',
  'etc/gmt',
  'z',
  'coordinated universal time',
  'tzone://microsoft/utc',
]);
const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?$/;
const EXPLICIT_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;

function zoneOffsetMs(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(utcMs / 1000) * 1000;
}

/**
 * A Graph `dateTimeTimeZone` as epoch ms. Requests ask for UTC (`Prefer: outlook.timezone="UTC"`),
 * so `dateTime` is normally a UTC wall-clock time such as "2026-03-02T15:00:00.0000000"; an IANA
 * zone is converted as well. Returns undefined for an unreadable value or an unknown zone name.
 */
export function parseGraphDateTime(value: GraphDateTimeTimeZone): number | undefined {
  const dateTime = value.dateTime?.trim();
  if (!dateTime) return undefined;
  if (EXPLICIT_OFFSET.test(dateTime)) return instant(dateTime);
  const match = WALL_CLOCK.exec(dateTime);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction] = match;
  const wall = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s ?? 0),
    Number((fraction ?? '0').padEnd(3, '0').slice(0, 3)),
  );
  const zone = (value.timeZone ?? '').trim();
  if (UTC_NAMES.has(zone.toLowerCase())) return wall;
  try {
    // Two passes settle the offset across a daylight-saving change.
    const first = wall - zoneOffsetMs(wall, zone);
    return wall - zoneOffsetMs(first, zone);
  } catch {
    return undefined;
  }
}
