import { DAY_MS } from '../time/durations.ts';

/** Instants from 1970 to the end of 9999, where the ISO form has a four-digit year. */
const LAST_FAST_INSTANT = 253_402_300_799_999;
const DAY_PREFIX_CACHE_SIZE = 4_096;
/** Day number → 'YYYY-MM-DDT'. */
const dayPrefixes = new Map<number, string>();

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

function pad3(n: number): string {
  return n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`;
}

/**
 * `new Date(t).toISOString()`, about five times faster for whole-millisecond instants: the date
 * part is formatted once per day. Finalisation formats an instant for every output row.
 */
export function iso(t: number): string {
  if (!(Number.isInteger(t) && t >= 0 && t <= LAST_FAST_INSTANT)) return new Date(t).toISOString();
  const day = Math.floor(t / DAY_MS);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    if (dayPrefixes.size >= DAY_PREFIX_CACHE_SIZE) dayPrefixes.clear();
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  const ms = t - day * DAY_MS;
  const seconds = Math.floor(ms / 1000);
  return `${prefix}${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}.${pad3(ms % 1000)}Z`;
}
