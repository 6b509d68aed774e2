import assert from 'node:assert/strict';
import { buildReportingWindow, periodIndexOf } from '../../core/engine/index.ts';
import { DAY, T } from './engine-fixtures.test.ts';

const iso = (xs: Float64Array): string[] => [...xs].map((x) => new Date(x).toISOString());

describe('engine periods', () => {
  const w = buildReportingWindow(T); // T = 2025-06-15T12:00Z, a Sunday
  const [year, month, week] = w.grids;

  it('makes the window [T − 365 days, T)', () => {
    assert.equal(w.start, T - 365 * DAY);
    assert.deepEqual(iso(year.starts), ['2024-06-15T12:00:00.000Z']);
    assert.deepEqual(iso(year.ends), ['2025-06-15T12:00:00.000Z']);
  });

  it('cuts UTC calendar months, the first clipped to the window start, the last ending at T', () => {
    assert.equal(month.starts.length, 13);
    assert.equal(iso(month.starts)[0], '2024-06-15T12:00:00.000Z');
    assert.equal(iso(month.starts)[1], '2024-07-01T00:00:00.000Z');
    assert.equal(iso(month.starts)[12], '2025-06-01T00:00:00.000Z');
    assert.equal(iso(month.ends)[0], '2024-07-01T00:00:00.000Z');
    assert.equal(iso(month.ends)[12], '2025-06-15T12:00:00.000Z');
    for (let i = 1; i < month.starts.length; i++) assert.equal(month.starts[i], month.ends[i - 1]);
  });

  it('cuts ISO weeks starting Monday 00:00 UTC, the first clipped to the window start', () => {
    // 2024-06-15 is a Saturday: the first week row runs from the window start to Monday 2024-06-17.
    assert.equal(iso(week.starts)[0], '2024-06-15T12:00:00.000Z');
    assert.equal(iso(week.starts)[1], '2024-06-17T00:00:00.000Z');
    const last = week.starts.length - 1;
    assert.equal(iso(week.starts)[last], '2025-06-09T00:00:00.000Z');
    assert.equal(iso(week.ends)[last], '2025-06-15T12:00:00.000Z');
    for (let i = 1; i < week.starts.length; i++) {
      assert.equal(new Date(week.starts[i] ?? 0).getUTCDay(), 1, 'every later week starts on a Monday');
    }
  });

  it('does not add an empty first period when the window starts exactly on a boundary', () => {
    // T − 365 days = Monday 2024-01-08 00:00.
    const onMonday = buildReportingWindow(Date.UTC(2024, 0, 8) + 365 * DAY);
    assert.deepEqual(iso(onMonday.grids[2].starts).slice(0, 2), [
      '2024-01-08T00:00:00.000Z',
      '2024-01-15T00:00:00.000Z',
    ]);
    // T − 365 days = 2024-01-01 00:00 (2024 is a leap year, so T = 2024-12-31).
    const onFirst = buildReportingWindow(Date.UTC(2024, 11, 31));
    assert.deepEqual(iso(onFirst.grids[1].starts).slice(0, 2), [
      '2024-01-01T00:00:00.000Z',
      '2024-02-01T00:00:00.000Z',
    ]);
    assert.equal(onFirst.grids[1].starts.length, 12);
  });

  it('finds the period of an instant, with the window start inclusive and T exclusive', () => {
    assert.equal(periodIndexOf(month, w.start), 0);
    assert.equal(periodIndexOf(month, w.start - 1), -1);
    assert.equal(periodIndexOf(month, T - 1), 12);
    assert.equal(periodIndexOf(month, T), -1);
    assert.equal(periodIndexOf(month, Date.UTC(2024, 6, 1) - 1), 0);
    assert.equal(periodIndexOf(month, Date.UTC(2024, 6, 1)), 1);
    assert.equal(periodIndexOf(week, Date.UTC(2024, 5, 17)), 1);
  });

  it('refuses an as-of instant that is not whole epoch milliseconds', () => {
    assert.throws(() => buildReportingWindow(Number.NaN), RangeError);
    assert.throws(() => buildReportingWindow(1.5), RangeError);
  });
});
