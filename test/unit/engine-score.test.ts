import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  contributionUnits,
  DEFAULT_SETTINGS,
  EMAILS_FROM,
  EMAILS_TO,
  EngagementSettingsError,
  FROM_ACCOUNT,
  itemUnits,
  MEETINGS,
  parseEngagementSettings,
  rankScore,
  RAW_UNITS,
  scoreBand,
  scorePeriod,
  scoreTrend,
  TO_ACCOUNT,
} from '../../core/engine/index.ts';
import { DAY, email, meeting, rowOf, run, T } from './engine-fixtures.test.ts';

describe('engine score formula', () => {
  it('decays each contribution by half every half-life', () => {
    assert.equal(contributionUnits(4, 90 * DAY, 90), 2 * RAW_UNITS);
    assert.equal(contributionUnits(1.5, 0, 90), 1.5 * RAW_UNITS);
    assert.equal(contributionUnits(1, 180 * DAY, 90), 0.25 * RAW_UNITS);
    assert.equal(contributionUnits(1, 45 * DAY, 90), Math.round(Math.SQRT1_2 * RAW_UNITS));
  });

  it('matches w × 0.5^(age / H) rounded to whole raw units, for any age, weight and half-life', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 400 * DAY }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        fc.integer({ min: 1, max: 3_650 }),
        (age, weight, halfLife) => {
          const exact = weight * 0.5 ** (age / (halfLife * DAY)) * RAW_UNITS;
          assert.ok(Math.abs(contributionUnits(weight, age, halfLife) - exact) <= 0.5 + 1e-6);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('weighs an email per counted direction and a meeting once, by kind', () => {
    const both = TO_ACCOUNT | FROM_ACCOUNT;
    const parts = new Float64Array(3);
    const kinds = () => [parts[EMAILS_TO], parts[EMAILS_FROM], parts[MEETINGS]];
    assert.equal(itemUnits(false, TO_ACCOUNT, 0, DEFAULT_SETTINGS, parts), 1 * RAW_UNITS);
    assert.deepEqual(kinds(), [RAW_UNITS, 0, 0]);
    assert.equal(itemUnits(false, FROM_ACCOUNT, 0, DEFAULT_SETTINGS, parts), 1.5 * RAW_UNITS);
    assert.deepEqual(kinds(), [0, 1.5 * RAW_UNITS, 0]);
    assert.equal(itemUnits(false, both, 0, DEFAULT_SETTINGS, parts), 2.5 * RAW_UNITS);
    assert.deepEqual(kinds(), [RAW_UNITS, 1.5 * RAW_UNITS, 0]);
    assert.equal(itemUnits(true, both, 90 * DAY, DEFAULT_SETTINGS, parts), 2 * RAW_UNITS);
    assert.deepEqual(kinds(), [0, 0, 2 * RAW_UNITS]);
    assert.equal(itemUnits(true, TO_ACCOUNT, 90 * DAY, DEFAULT_SETTINGS, parts), 2 * RAW_UNITS);
  });

  it('ranks among the accounts with activity: round(100 × r / n), r counting raws ≤ this one', () => {
    assert.deepEqual(scorePeriod([10, 20, 20, 40, 0]), [25, 75, 75, 100, 0]);
    assert.deepEqual(scorePeriod([5]), [100]);
    assert.deepEqual(scorePeriod([0, 0]), [0, 0]);
    assert.deepEqual(scorePeriod([3, 1, 2]), [100, 33, 67]);
  });

  it('rounds half up (12.5 → 13)', () => {
    const eight = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    assert.equal(rankScore(1, eight), 13);
    assert.equal(rankScore(3, eight), 38);
  });

  it('gives ties the same score (both count each other)', () => {
    assert.deepEqual(scorePeriod([7, 7]), [100, 100]);
    assert.deepEqual(scorePeriod([7, 7, 9, 1]), [75, 75, 100, 25]);
  });
});

describe('engine score bands and trend', () => {
  it('bands High 70–100, Medium 40–69, Low 0–39 (edges included)', () => {
    assert.equal(scoreBand(0), 'Low');
    assert.equal(scoreBand(39), 'Low');
    assert.equal(scoreBand(40), 'Medium');
    assert.equal(scoreBand(69), 'Medium');
    assert.equal(scoreBand(70), 'High');
    assert.equal(scoreBand(100), 'High');
  });

  it('shows new without a previous score, flat within 2 points, else up or down', () => {
    assert.equal(scoreTrend(50, null), 'new');
    assert.equal(scoreTrend(50, undefined), 'new');
    assert.equal(scoreTrend(52, 50), 'flat');
    assert.equal(scoreTrend(48, 50), 'flat');
    assert.equal(scoreTrend(50, 50), 'flat');
    assert.equal(scoreTrend(53, 50), 'up');
    assert.equal(scoreTrend(47, 50), 'down');
    assert.equal(scoreTrend(0, 100, 0), 'down');
    assert.equal(scoreTrend(51, 50, 0), 'up');
  });
});

describe('engine score settings', () => {
  it('fills defaults: weights 1, 1.5, 4 and a 90-day half-life', () => {
    assert.deepEqual(parseEngagementSettings(undefined), DEFAULT_SETTINGS);
    assert.deepEqual(parseEngagementSettings({}), DEFAULT_SETTINGS);
    assert.deepEqual(parseEngagementSettings({ weights: { meeting: 5 } }).weights, {
      emailTo: 1,
      emailFrom: 1.5,
      meeting: 5,
    });
  });

  it('accepts each weight within ±50% of its default, bounds included', () => {
    for (const weights of [
      { emailTo: 0.5, emailFrom: 0.75, meeting: 2 },
      { emailTo: 1.5, emailFrom: 2.25, meeting: 6 },
    ]) {
      assert.deepEqual(parseEngagementSettings({ weights }).weights, weights);
    }
  });

  it('refuses a weight beyond ±50%, naming the field', () => {
    for (const [weights, field] of [
      [{ emailTo: 0.49 }, 'weights.emailTo'],
      [{ emailTo: 1.51 }, 'weights.emailTo'],
      [{ emailFrom: 0.74 }, 'weights.emailFrom'],
      [{ emailFrom: 2.26 }, 'weights.emailFrom'],
      [{ meeting: 1.99 }, 'weights.meeting'],
      [{ meeting: 6.01 }, 'weights.meeting'],
      [{ meeting: Number.POSITIVE_INFINITY }, 'weights.meeting'],
      [{ meeting: '4' }, 'weights.meeting'],
    ] as const) {
      assert.throws(
        () => parseEngagementSettings({ weights }),
        (e: unknown) => e instanceof EngagementSettingsError && e.message.startsWith(field),
        JSON.stringify(weights),
      );
    }
  });

  it('accepts a half-life from 7 to 730 days and refuses others', () => {
    assert.equal(parseEngagementSettings({ halfLifeDays: 7 }).halfLifeDays, 7);
    assert.equal(parseEngagementSettings({ halfLifeDays: 730 }).halfLifeDays, 730);
    assert.throws(() => parseEngagementSettings({ halfLifeDays: 6.9 }), /halfLifeDays/);
    assert.throws(() => parseEngagementSettings({ halfLifeDays: 731 }), /halfLifeDays/);
    assert.throws(() => parseEngagementSettings({ halfLifeDays: 0 }), /halfLifeDays/);
  });

  it('refuses unknown settings', () => {
    assert.throws(() => parseEngagementSettings({ weights: { call: 1 } }), /call/);
    assert.throws(() => parseEngagementSettings({ decay: 1 }), /decay/);
  });
});

describe('engine scores of accounts', () => {
  // A1: a meeting 90 days before T (raw 4 × 0.5 = 2). A2 and A3: one To-account email a day
  // before T each (raw 0.5^(1/90) ≈ 0.992, a tie). A4: nothing.
  const activities = [
    meeting({ organizer: 'ana@fabrikam.com', attendees: ['bob@contoso.com'], at: T - 90 * DAY }),
    email({ from: 'ben@fabrikam.com', to: ['nina@northwind.io'], at: T - DAY }),
    email({ from: 'ben@fabrikam.com', to: ['sam.solo@gmail.com'], at: T - DAY }),
  ];

  it('ranks per period with ties, and scores accounts without activity 0', () => {
    const r = run(activities);
    assert.equal(rowOf(r, 'A1').EngagementScore, 100);
    assert.equal(rowOf(r, 'A2').EngagementScore, 67); // r = 2 of n = 3
    assert.equal(rowOf(r, 'A3').EngagementScore, 67);
    assert.equal(rowOf(r, 'A4').EngagementScore, 0);
  });

  it('follows the admin weights', () => {
    // meeting 2 → A1 raw 1.0; emailTo 1.5 → A2, A3 raw ≈ 1.488.
    const r = run(activities, undefined, parseEngagementSettings({ weights: { meeting: 2, emailTo: 1.5 } }));
    assert.equal(rowOf(r, 'A1').EngagementScore, 33);
    assert.equal(rowOf(r, 'A2').EngagementScore, 100);
  });

  it('follows the half-life', () => {
    // H = 7: the meeting 90 days ago is worth 4 × 0.5^(90/7) ≈ 0.0005.
    const r = run(activities, undefined, parseEngagementSettings({ halfLifeDays: 7 }));
    assert.equal(rowOf(r, 'A1').EngagementScore, 33);
    assert.equal(rowOf(r, 'A3').EngagementScore, 100);
  });

  it('ranks Month rows among the accounts active in that month only', () => {
    const r = run(activities);
    // June 2025 holds only the two emails: a tie of two → 100 each. March holds only the meeting.
    assert.equal(rowOf(r, 'A2', 'Month', '2025-06-01T00:00:00.000Z').EngagementScore, 100);
    assert.equal(rowOf(r, 'A3', 'Month', '2025-06-01T00:00:00.000Z').EngagementScore, 100);
    assert.equal(rowOf(r, 'A1', 'Month', '2025-03-01T00:00:00.000Z').EngagementScore, 100);
  });

  it('measures age to the end of the period (the Year row: to T)', () => {
    const monday = Date.UTC(2025, 5, 2, 9); // the week of 2025-06-02 ends 2025-06-09 00:00
    const r = run([meeting({ organizer: 'ana@fabrikam.com', attendees: ['bob@contoso.com'], at: monday })]);
    const raw = (level: 'Year' | 'Month' | 'Week'): number =>
      r.rawScores[r.rows.indexOf(rowOf(r, 'A1', level))] ?? Number.NaN;
    assert.ok(Math.abs(raw('Week') - 4 * 0.5 ** (6.625 / 90)) < 1e-6);
    assert.ok(Math.abs(raw('Month') - 4 * 0.5 ** ((13 * DAY + 3 * 3_600_000) / DAY / 90)) < 1e-6);
    assert.ok(Math.abs(raw('Year') - 4 * 0.5 ** ((13 * DAY + 3 * 3_600_000) / DAY / 90)) < 1e-6);
  });
});
