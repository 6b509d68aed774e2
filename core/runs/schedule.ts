/**
 * When an enrichment runs by itself. Pure functions of the configuration and the last run, plus
 * the loop that checks for due enrichments.
 *
 * - No automatic run before consent is granted, nor while the cadence is `off` (Run still works).
 * - The first run comes six hours after consent was granted, unless a run (e.g. the admin's Run)
 *   was queued since the grant.
 * - Afterwards: the first slot of the cadence (daily / weekly / monthly at `hourUtc`) after the
 *   last run was queued, whatever started that run and however it ended. A slot missed while no
 *   server was up is run once, as soon as one is; missed slots are not made up one by one.
 */

import type { ConsentState, Schedule as ScheduleSettings } from '../config/enrichment-config';
import { DAY_MS, HOUR_MS } from '../time/durations';

export const FIRST_RUN_DELAY_MS = 6 * HOUR_MS;

/**
 * An enrichment's schedule. Weekly: `dayOfWeek` 0 = Sunday … 6 = Saturday (default Monday).
 * Monthly: `dayOfMonth`, where a shorter month runs on its last day (default 1). At `hourUtc`.
 */
export type Schedule = Pick<ScheduleSettings, 'cadence' | 'hourUtc'> &
  Partial<Pick<ScheduleSettings, 'dayOfWeek' | 'dayOfMonth'>>;

export type AutomaticTrigger = 'first-run-after-consent' | 'schedule';

export interface NextRun {
  /** Epoch milliseconds. */
  at: number;
  trigger: AutomaticTrigger;
}

const DEFAULT_DAY_OF_WEEK = 1;
const DEFAULT_DAY_OF_MONTH = 1;

function atHour(dayStart: number, hourUtc: number): number {
  return dayStart + hourUtc * HOUR_MS;
}

function monthSlot(year: number, month: number, schedule: Schedule): number {
  const daysInMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(schedule.dayOfMonth ?? DEFAULT_DAY_OF_MONTH, daysInMonth);
  return Date.UTC(year, month, day, schedule.hourUtc);
}

/** The first slot of the cadence strictly after `after` (epoch ms); null when the cadence is off. */
export function nextSlotAfter(schedule: Schedule, after: number): number | null {
  const date = new Date(after);
  const dayStart = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  switch (schedule.cadence) {
    case 'off':
      return null;
    case 'daily': {
      const slot = atHour(dayStart, schedule.hourUtc);
      return slot > after ? slot : slot + DAY_MS;
    }
    case 'weekly': {
      const ahead = ((schedule.dayOfWeek ?? DEFAULT_DAY_OF_WEEK) - date.getUTCDay() + 7) % 7;
      const slot = atHour(dayStart + ahead * DAY_MS, schedule.hourUtc);
      return slot > after ? slot : slot + 7 * DAY_MS;
    }
    case 'monthly': {
      const slot = monthSlot(date.getUTCFullYear(), date.getUTCMonth(), schedule);
      return slot > after ? slot : monthSlot(date.getUTCFullYear(), date.getUTCMonth() + 1, schedule);
    }
  }
}

/**
 * The next automatic run of an enrichment, or null when none will happen by itself.
 * `lastQueuedAt` is when its latest run (of any kind) was queued, epoch ms.
 */
export function nextAutomaticRun(input: {
  schedule: Schedule;
  consent: Pick<ConsentState, 'status' | 'grantedAt'>;
  lastQueuedAt: number | undefined;
}): NextRun | null {
  const { schedule, consent, lastQueuedAt } = input;
  if (consent.status !== 'granted' || !consent.grantedAt || schedule.cadence === 'off') return null;
  const grantedAt = Date.parse(consent.grantedAt);
  if (lastQueuedAt === undefined || lastQueuedAt < grantedAt) {
    return { at: grantedAt + FIRST_RUN_DELAY_MS, trigger: 'first-run-after-consent' };
  }
  const at = nextSlotAfter(schedule, lastQueuedAt);
  return at === null ? null : { at, trigger: 'schedule' };
}

export interface LoopTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemTimers: LoopTimers = {
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Calls `tick` every `intervalMs`, one tick at a time (the next waits for the previous to end);
 * a failing tick is reported and the loop goes on.
 */
export class ScheduleLoop {
  private handle: unknown;
  private running: Promise<void> = Promise.resolve();
  private stopped = true;

  constructor(
    private readonly tick: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
    private readonly timers: LoopTimers = systemTimers,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.arm();
  }

  /** Stops the loop; resolves once a tick in progress has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timers.clearTimeout(this.handle);
    await this.running;
  }

  private arm(): void {
    this.handle = this.timers.setTimeout(() => {
      this.running = this.tick()
        .catch(this.onError)
        .finally(() => {
          if (!this.stopped) this.arm();
        });
    }, this.intervalMs);
  }
}
