/** How numbers, dates and durations read on the bot's cards (English, UTC, as the data is). */
import { formatMeetingLength, formatReplyTime } from '../../core/conversation/durations';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export const count = (value: number): string => value.toLocaleString('en-US');

/** "today", "yesterday", "12 days ago", or "none in the last year" for null. */
export function daysAgo(days: number | null): string {
  if (days === null) return 'none in the last year';
  if (days === 0) return 'today';
  if (days === 1) return 'yesterday';
  return `${count(days)} days ago`;
}

/** "3 Mar 2026" */
export function day(iso: string): string {
  const d = new Date(iso);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "Tue 17 Mar 2026, 14:00 UTC" */
export function dayAndTime(iso: string): string {
  const d = new Date(iso);
  const time = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  return `${DAYS[d.getUTCDay()]} ${day(iso)}, ${time} UTC`;
}

/** A round axis maximum at or above `value` (1, 2, 2.5 or 5 times a power of ten). */
export function axisMax(value: number): number {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 2.5, 5, 10].find((step) => step * power >= value) ?? 10) * power;
}

/** An average meeting length as the tab shows it ("47.5 min"); "no meetings" for null. */
export function minutes(value: number | null): string {
  return value === null ? 'no meetings' : formatMeetingLength(value, 'en-US');
}

/** Hours as "under an hour", "5.5 h" or "2.5 days"; "no replies" for null. */
export function hours(value: number | null): string {
  return value === null ? 'no replies' : formatReplyTime(value, 'en-US');
}

/** "1 account", "3 accounts" */
export function plural(value: number, one: string, many = `${one}s`): string {
  return `${count(value)} ${value === 1 ? one : many}`;
}
