const numberFormat = new Intl.NumberFormat();
const decimalFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });
const shortDateTimeFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
});
const dayParts = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });
const longDayFormat = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

export const formatCount = (value: number): string => numberFormat.format(value);

/** One decimal at most; an em dash for a missing value. */
export const formatDecimal = (value: number | null | undefined, unit = ''): string =>
  value === null || value === undefined ? '—' : `${decimalFormat.format(value)}${unit}`;

export const formatDate = (iso: string | null | undefined): string =>
  iso ? dateFormat.format(new Date(iso)) : '—';

export const formatDateTime = (iso: string | null | undefined): string =>
  iso ? dateTimeFormat.format(new Date(iso)) : '—';

/** "Nov 2025": a month on a chart's axis (never "Nov 25", which reads as a day). */
export const formatMonth = (iso: string): string => monthFormat.format(new Date(iso));

/** "6 Oct": a week on a chart's axis, the day first whatever the locale's order, UTC. */
export function formatDay(iso: string): string {
  const parts = dayParts.formatToParts(new Date(iso));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('day')} ${part('month')}`;
}

/** "Week of Oct 6, 2025": a week in a chart's callout. */
export const formatWeekOf = (iso: string): string => `Week of ${longDayFormat.format(new Date(iso))}`;

/** "Nov 22, 7:20 PM": one run among several on a chart's axis. */
export const formatShortDateTime = (iso: string): string => shortDateTimeFormat.format(new Date(iso));

/** "3 min", "1 h 20 min", "2 d 4 h". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "in 5 hours", "3 days ago", relative to `now`. */
export function formatRelative(iso: string, now = Date.now()): string {
  const seconds = (new Date(iso).getTime() - now) / 1000;
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return relative.format(Math.round(seconds), 'second');
}
