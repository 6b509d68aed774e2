import assert from 'node:assert/strict';
import sinon from 'sinon';
import type { RunProgress } from '../../core/runs/enrichment-run';
import { ProgressThrottle } from '../../core/runs/progress-throttle';
import { advanceSteps } from '../../core/runs/run-record';
import {
  FIRST_RUN_DELAY_MS,
  nextAutomaticRun,
  nextSlotAfter,
  ScheduleLoop,
  type Schedule,
} from '../../core/runs/schedule';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? ms : new Date(ms).toISOString();

const weekly = (dayOfWeek: number, hourUtc: number): Schedule => ({ cadence: 'weekly', dayOfWeek, hourUtc });
const granted = (grantedAt: string) => ({ status: 'granted' as const, grantedAt });

describe('schedule math', () => {
  describe('nextSlotAfter', () => {
    it('daily: later today when the hour is still ahead, else tomorrow; never the instant itself', () => {
      const daily: Schedule = { cadence: 'daily', hourUtc: 2 };
      assert.equal(iso(nextSlotAfter(daily, at('2026-03-10T01:59:59.999Z'))), '2026-03-10T02:00:00.000Z');
      assert.equal(iso(nextSlotAfter(daily, at('2026-03-10T02:00:00.000Z'))), '2026-03-11T02:00:00.000Z');
      assert.equal(iso(nextSlotAfter(daily, at('2026-12-31T23:00:00.000Z'))), '2027-01-01T02:00:00.000Z');
    });

    it('weekly: the next chosen weekday (0 = Sunday) at the hour, a week on when it is that moment', () => {
      // 2026-03-10 is a Tuesday.
      assert.equal(iso(nextSlotAfter(weekly(1, 2), at('2026-03-10T12:00:00Z'))), '2026-03-16T02:00:00.000Z');
      assert.equal(iso(nextSlotAfter(weekly(2, 13), at('2026-03-10T12:00:00Z'))), '2026-03-10T13:00:00.000Z');
      assert.equal(iso(nextSlotAfter(weekly(2, 12), at('2026-03-10T12:00:00Z'))), '2026-03-17T12:00:00.000Z');
      assert.equal(iso(nextSlotAfter(weekly(0, 0), at('2026-03-14T23:59:00Z'))), '2026-03-15T00:00:00.000Z');
      // Without a day, Monday.
      assert.equal(
        iso(nextSlotAfter({ cadence: 'weekly', hourUtc: 6 }, at('2026-03-10T12:00:00Z'))),
        '2026-03-16T06:00:00.000Z',
      );
    });

    it('monthly: the day of this month or the next; a short month runs on its last day', () => {
      const monthly = (dayOfMonth: number): Schedule => ({ cadence: 'monthly', dayOfMonth, hourUtc: 3 });
      assert.equal(iso(nextSlotAfter(monthly(15), at('2026-03-10T00:00:00Z'))), '2026-03-15T03:00:00.000Z');
      assert.equal(iso(nextSlotAfter(monthly(15), at('2026-03-15T03:00:00Z'))), '2026-04-15T03:00:00.000Z');
      assert.equal(iso(nextSlotAfter(monthly(31), at('2026-02-10T00:00:00Z'))), '2026-02-28T03:00:00.000Z');
      assert.equal(iso(nextSlotAfter(monthly(1), at('2026-12-05T00:00:00Z'))), '2027-01-01T03:00:00.000Z');
    });

    it('off: never', () => {
      assert.equal(nextSlotAfter({ cadence: 'off', hourUtc: 2 }, at('2026-03-10T00:00:00Z')), null);
    });

    it('is strictly after the given instant and on the hour, for any instant and cadence', () => {
      const cadences: Schedule[] = [
        { cadence: 'daily', hourUtc: 7 },
        weekly(4, 22),
        { cadence: 'monthly', dayOfMonth: 28, hourUtc: 0 },
      ];
      for (let i = 0; i < 500; i++) {
        const after = at('2025-01-01T00:00:00Z') + i * 7_919_993;
        for (const schedule of cadences) {
          const slot = nextSlotAfter(schedule, after);
          assert.ok(slot !== null && slot > after, `${schedule.cadence} after ${iso(after)}`);
          assert.equal(new Date(slot).getUTCHours(), schedule.hourUtc);
          assert.equal(slot % 3_600_000, 0);
          const limit = schedule.cadence === 'daily' ? 1 : schedule.cadence === 'weekly' ? 7 : 31;
          assert.ok(slot - after <= limit * 86_400_000, `${schedule.cadence} slot too far: ${iso(slot)}`);
        }
      }
    });
  });

  describe('nextAutomaticRun', () => {
    const schedule = weekly(1, 2);

    it('runs first six hours after consent was granted', () => {
      const next = nextAutomaticRun({
        schedule,
        consent: granted('2026-03-10T09:30:00Z'),
        lastQueuedAt: undefined,
      });
      assert.deepEqual(next, {
        at: at('2026-03-10T09:30:00Z') + FIRST_RUN_DELAY_MS,
        trigger: 'first-run-after-consent',
      });
      assert.equal(iso(next?.at), '2026-03-10T15:30:00.000Z');
    });

    it('ignores runs from before the grant (e.g. consent revoked and granted again)', () => {
      const next = nextAutomaticRun({
        schedule,
        consent: granted('2026-03-10T09:30:00Z'),
        lastQueuedAt: at('2026-03-01T00:00:00Z'),
      });
      assert.equal(next?.trigger, 'first-run-after-consent');
    });

    it('follows the cadence after any run since the grant, the first run or an earlier manual one', () => {
      const consent = granted('2026-03-10T09:30:00Z');
      const afterFirst = nextAutomaticRun({ schedule, consent, lastQueuedAt: at('2026-03-10T15:30:00Z') });
      assert.deepEqual(afterFirst, { at: at('2026-03-16T02:00:00Z'), trigger: 'schedule' });
      const afterManual = nextAutomaticRun({ schedule, consent, lastQueuedAt: at('2026-03-10T10:00:00Z') });
      assert.deepEqual(afterManual, { at: at('2026-03-16T02:00:00Z'), trigger: 'schedule' });
    });

    it('none without consent, or with the cadence off', () => {
      for (const consent of [
        { status: 'requested', grantedAt: null },
        { status: 'revoked', grantedAt: null },
        { status: 'granted', grantedAt: null },
      ] as const) {
        assert.equal(nextAutomaticRun({ schedule, consent, lastQueuedAt: undefined }), null);
      }
      assert.equal(
        nextAutomaticRun({
          schedule: { cadence: 'off', hourUtc: 2 },
          consent: granted('2026-03-10T09:30:00Z'),
          lastQueuedAt: undefined,
        }),
        null,
      );
    });
  });
});

describe('schedule loop', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: at('2026-03-10T00:00:00Z') });
  });
  afterEach(() => clock.restore());

  it('ticks once per interval, one tick at a time, until stopped', async () => {
    const ticks: number[] = [];
    let release: (() => void) | undefined;
    const loop = new ScheduleLoop(
      () => {
        ticks.push(Date.now());
        return new Promise<void>((resolve) => (release = resolve));
      },
      60_000,
      () => assert.fail('no tick fails'),
    );
    loop.start();
    await clock.tickAsync(59_999);
    assert.equal(ticks.length, 0);
    await clock.tickAsync(1);
    assert.equal(ticks.length, 1);
    // The first tick is still running: no second one starts.
    await clock.tickAsync(180_000);
    assert.equal(ticks.length, 1);
    release?.();
    await clock.tickAsync(60_000);
    assert.equal(ticks.length, 2);
    assert.deepEqual(
      ticks.map((t) => t - at('2026-03-10T00:00:00Z')),
      [60_000, 300_000],
    );
    release?.();
    await loop.stop();
    await clock.tickAsync(600_000);
    assert.equal(ticks.length, 2);
  });

  it('goes on after a failing tick and reports the failure', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const loop = new ScheduleLoop(
      () => {
        calls += 1;
        return calls === 1 ? Promise.reject(new Error('store unavailable')) : Promise.resolve();
      },
      1_000,
      (error) => errors.push(error),
    );
    loop.start();
    await clock.tickAsync(3_000);
    await loop.stop();
    assert.equal(calls, 3);
    assert.deepEqual(
      errors.map((e) => (e as Error).message),
      ['store unavailable'],
    );
  });
});

describe('progress throttle', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: 0 });
  });
  afterEach(() => clock.restore());

  const progress = (step: RunProgress['step'], messages: number): RunProgress => ({
    step,
    mailboxesDone: 0,
    mailboxesTotal: 2,
    messages,
    meetings: 0,
  });

  it('writes step changes at once and otherwise at most once per interval, the latest state winning', async () => {
    const written: [number, string, number][] = [];
    const throttle = new ProgressThrottle((p) => {
      written.push([Date.now(), p.step, p.messages]);
      return Promise.resolve();
    }, 500);
    throttle.report(progress('resolving-users', 0));
    throttle.report(progress('reading-mailboxes', 0));
    for (let i = 1; i <= 10; i++) {
      await clock.tickAsync(100);
      throttle.report(progress('reading-mailboxes', i * 10));
    }
    throttle.report(progress('aggregating', 100));
    await throttle.flush();
    assert.deepEqual(written, [
      [0, 'resolving-users', 0],
      [0, 'reading-mailboxes', 0],
      // The timer of each interval fires before the report made at the same instant.
      [500, 'reading-mailboxes', 40],
      [1000, 'reading-mailboxes', 90],
      [1000, 'aggregating', 100],
    ]);
  });

  it('writes a change left pending at the end of its interval, and nothing after cancel', async () => {
    const written: number[] = [];
    const throttle = new ProgressThrottle((p) => {
      written.push(p.messages);
      return Promise.resolve();
    }, 500);
    throttle.report(progress('reading-mailboxes', 1));
    await clock.tickAsync(100);
    throttle.report(progress('reading-mailboxes', 2));
    await clock.tickAsync(400);
    assert.deepEqual(written, [1, 2]);
    await clock.tickAsync(100);
    throttle.report(progress('reading-mailboxes', 3));
    throttle.cancel();
    await clock.tickAsync(1_000);
    await throttle.flush();
    assert.deepEqual(written, [1, 2]);
  });
});

describe('step timings', () => {
  it('closes the open step when the next starts, and all of them at the end', () => {
    let steps = advanceSteps([], 'resolving-users', 1_000);
    steps = advanceSteps(steps, 'resolving-users', 1_200);
    steps = advanceSteps(steps, 'reading-mailboxes', 1_500);
    steps = advanceSteps(steps, null, 4_000);
    assert.deepEqual(
      steps.map((s) => [s.step, s.durationMs]),
      [
        ['resolving-users', 500],
        ['reading-mailboxes', 2_500],
      ],
    );
    assert.ok(steps.every((s) => s.finishedAt !== null));
  });
});
