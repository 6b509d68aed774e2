/**
 * An account's email and meeting history by month or week, as both the bot's card and the tab's
 * customer card show it: the same periods, the same numbers, the same labels. Pure (no I/O, no
 * Node APIs), so the tab's web code can import it too.
 */
import { buildReportingWindow, mondayOnOrBefore } from '../engine/periods';
import { WEEK_MS } from '../time/durations';
import type { EngagementRow } from '../engine/rows';

export type HistoryLevel = 'Month' | 'Week';

/**
 * A period the reporting window cuts: `from` is its first, which starts with the window (after
 * the period's own start); `so-far` is the current one, which ends at the as-of instant.
 */
export type PartialPeriod = 'from' | 'so-far';

/** One period of an account's history; periods without activity have zeros. */
export interface HistoryPoint {
  /** The period's start within the window (ISO): for a `from` period, the window's start. */
  start: string;
  /** The period's end within the window (ISO, exclusive): for a `so-far` period, the as-of instant. */
  end: string;
  emailsTo: number;
  emailsFrom: number;
  /** Meetings we set up. */
  meetingsTo: number;
  /** Meetings they set up. */
  meetingsFrom: number;
  /** Both. */
  meetings: number;
  /** Set when the window holds only part of the period. */
  partial?: PartialPeriod;
}

/**
 * Periods a history shows: every month of the score's 365-day window (12 or 13: the first and the
 * current month are usually partial), or the last 13 weeks (the current one so far included).
 */
export const HISTORY_PERIODS: Record<HistoryLevel, number> = { Month: 13, Week: 13 };

/** A period's counts as a customer card stores them: emails to, emails from, meetings we and they set up. */
export type PeriodCounts = readonly [
  emailsTo: number,
  emailsFrom: number,
  meetingsTo: number,
  meetingsFrom: number,
];

const NO_COUNTS: PeriodCounts = [0, 0, 0, 0];

interface Period {
  start: number;
  end: number;
  partial?: PartialPeriod;
}

/** Whether the period `[start, end)` is all of its month or week, or which end the window cuts. */
function partialOf(level: HistoryLevel, start: number, end: number): PartialPeriod | undefined {
  const d = new Date(start);
  const whole =
    level === 'Month'
      ? {
          start: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1),
          end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1),
        }
      : { start: mondayOnOrBefore(start), end: mondayOnOrBefore(start) + WEEK_MS };
  if (start > whole.start) return 'from';
  if (end < whole.end) return 'so-far';
  return undefined;
}

interface Window {
  periods: readonly Period[];
  /** Period start (epoch ms) → its place in `periods`. */
  index: ReadonlyMap<number, number>;
}

/** The window's periods by level and as-of: a run builds every account's card for one as-of. */
const windows = new Map<string, Window>();

function windowOf(asOf: string, level: HistoryLevel): Window {
  const key = `${level}\n${asOf}`;
  let window = windows.get(key);
  if (!window) {
    const grid = buildReportingWindow(Date.parse(asOf)).grids[level === 'Month' ? 1 : 2];
    const all = Array.from(grid.starts, (start, i) => {
      const end = grid.ends[i] ?? start;
      const partial = partialOf(level, start, end);
      return { start, end, ...(partial ? { partial } : {}) };
    });
    window = { periods: all, index: new Map(all.map((period, i) => [period.start, i])) };
    if (windows.size >= 8) windows.clear();
    windows.set(key, window);
  }
  return window;
}

function periods(asOf: string, level: HistoryLevel, wholeWindow = false): readonly Period[] {
  const all = windowOf(asOf, level).periods;
  return wholeWindow ? all : all.slice(-HISTORY_PERIODS[level]);
}

/** The starts (ISO, as rows carry them) of the periods a history shows, oldest first. */
export function historyPeriods(
  asOf: string,
  level: HistoryLevel,
  options: { wholeWindow?: boolean } = {},
): string[] {
  return periods(asOf, level, options.wholeWindow).map((p) => new Date(p.start).toISOString());
}

function toPoint({ start, end, partial }: Period, counts: PeriodCounts): HistoryPoint {
  const [emailsTo, emailsFrom, meetingsTo, meetingsFrom] = counts;
  return {
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    emailsTo,
    emailsFrom,
    meetingsTo,
    meetingsFrom,
    meetings: meetingsTo + meetingsFrom,
    ...(partial ? { partial } : {}),
  };
}

/**
 * Every period the history shows, oldest first, with the account's counts where it has a row.
 * Rows exist only for periods with activity, so a chart from the rows alone would skip the quiet
 * periods a seller most needs to see. `wholeWindow`: every period of the window, weeks included
 * (the tab's customer card shows all 53 weeks; the bot's card the last 13).
 */
export function historySeries(
  asOf: string,
  level: HistoryLevel,
  rows: readonly HistoryRow[],
  options: { wholeWindow?: boolean } = {},
): HistoryPoint[] {
  return historyFromCounts(asOf, level, periodCounts(asOf, level, rows), options);
}

type HistoryRow = Pick<
  EngagementRow,
  | 'AggregationStartDate'
  | 'NoOfEmails_ToAccount'
  | 'NoOfEmails_FromAccount'
  | 'NoOfMeetings_ToAccount'
  | 'NoOfMeetings_FromAccount'
>;

/** The counts of every period of the window, oldest first, from an account's rows of the level. */
export function periodCounts(asOf: string, level: HistoryLevel, rows: readonly HistoryRow[]): PeriodCounts[] {
  const { periods: all, index } = windowOf(asOf, level);
  const counts: PeriodCounts[] = all.map(() => NO_COUNTS);
  for (const row of rows) {
    const i = index.get(Date.parse(row.AggregationStartDate));
    if (i === undefined) continue;
    counts[i] = [
      row.NoOfEmails_ToAccount,
      row.NoOfEmails_FromAccount,
      row.NoOfMeetings_ToAccount,
      row.NoOfMeetings_FromAccount,
    ];
  }
  return counts;
}

/**
 * The history from the counts a customer card stores (one per period of the whole window, oldest
 * first): the same points `historySeries` gives from the rows.
 */
export function historyFromCounts(
  asOf: string,
  level: HistoryLevel,
  counts: readonly PeriodCounts[],
  options: { wholeWindow?: boolean } = {},
): HistoryPoint[] {
  const points = periods(asOf, level, true).map((period, i) => toPoint(period, counts[i] ?? NO_COUNTS));
  return options.wholeWindow ? points : points.slice(-HISTORY_PERIODS[level]);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "4th", "21st", "2nd", "13th" */
function ordinal(day: number): string {
  const teen = day % 100 >= 11 && day % 100 <= 13;
  const suffix = teen ? 'th' : (['th', 'st', 'nd', 'rd'][day % 10] ?? 'th');
  return `${day}${suffix}`;
}

/**
 * The chart labels of a history (English, UTC), one per point and all different. Months read
 * "Mar", with the year ("Mar '25") on the first and last months and on each January when the
 * history spans two years; weeks read "9 Mar" (the Monday they start). A partial period says so:
 * "Mar '25 (from 4th)" for the window's first month, "Mar '26 (so far)" for the current one.
 */
export function historyLabels(points: readonly HistoryPoint[], level: HistoryLevel): string[] {
  const years = new Set(points.map((p) => new Date(p.start).getUTCFullYear()));
  return points.map((point, i) => {
    const d = new Date(point.start);
    let label: string;
    if (level === 'Week') {
      const monday = new Date(mondayOnOrBefore(d.getTime()));
      label = `${monday.getUTCDate()} ${MONTHS[monday.getUTCMonth()] ?? ''}`;
    } else {
      const month = MONTHS[d.getUTCMonth()] ?? '';
      const withYear = years.size > 1 && (i === 0 || i === points.length - 1 || d.getUTCMonth() === 0);
      label = withYear ? `${month} '${String(d.getUTCFullYear() % 100).padStart(2, '0')}` : month;
    }
    return `${label}${partialMark(point)}`;
  });
}

/** What a label adds for a partial period: " (so far)", " (from 4th)", or nothing. */
export function partialMark(point: Pick<HistoryPoint, 'start' | 'partial'>): string {
  if (point.partial === 'so-far') return ' (so far)';
  if (point.partial === 'from') return ` (from ${ordinal(new Date(point.start).getUTCDate())})`;
  return '';
}

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * The partial periods of a history in words, for a caption under its title (narrow charts
 * shorten their labels): "Part months: March 2025 from the 4th, March 2026 so far." Undefined
 * when every period is whole.
 */
export function partialPeriodsNote(points: readonly HistoryPoint[], level: HistoryLevel): string | undefined {
  const parts = points.flatMap((point) => {
    if (!point.partial) return [];
    const d = new Date(point.start);
    if (level === 'Week') {
      const monday = new Date(mondayOnOrBefore(d.getTime()));
      const week = `the week of ${monday.getUTCDate()} ${MONTHS[monday.getUTCMonth()] ?? ''}`;
      return [point.partial === 'so-far' ? `${week} so far` : `${week} from the ${ordinal(d.getUTCDate())}`];
    }
    const month = `${MONTH_NAMES[d.getUTCMonth()] ?? ''} ${d.getUTCFullYear()}`;
    return [point.partial === 'so-far' ? `${month} so far` : `${month} from the ${ordinal(d.getUTCDate())}`];
  });
  if (!parts.length) return undefined;
  const unit = level === 'Month' ? 'month' : 'week';
  return `Part ${unit}${parts.length > 1 ? 's' : ''}: ${parts.join(', ')}.`;
}

/**
 * The span of a history with its years, for an axis title that narrow charts do not shorten:
 * "Dec 2025 – Dec 2026" by month, "8 Sep – 1 Dec 2026" by week (the Mondays of the first and last
 * weeks; both years when they differ).
 */
export function historyRange(points: readonly HistoryPoint[], level: HistoryLevel): string {
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last) return '';
  const from = new Date(first.start);
  const to = new Date(last.start);
  if (level === 'Month') {
    const month = (d: Date) => `${MONTHS[d.getUTCMonth()] ?? ''} ${d.getUTCFullYear()}`;
    return `${month(from)} – ${month(to)}`;
  }
  const monday = (d: Date) => new Date(mondayOnOrBefore(d.getTime()));
  const [a, b] = [monday(from), monday(to)];
  const dayMonth = (d: Date) => `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()] ?? ''}`;
  const sameYear = a.getUTCFullYear() === b.getUTCFullYear();
  return `${dayMonth(a)}${sameYear ? '' : ` ${a.getUTCFullYear()}`} – ${dayMonth(b)} ${b.getUTCFullYear()}`;
}
