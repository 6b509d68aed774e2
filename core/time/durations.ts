/** Durations in milliseconds, for arithmetic on epoch instants (a day is exactly 24 hours, as in UTC). */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;
