import assert from 'node:assert/strict';
import { Aggregator } from '../../core/engine/aggregator';
import type { Activity } from '../../core/engine/activity';
import { finaliseEngagement } from '../../core/engine/finalise';
import { DEFAULT_SETTINGS } from '../../core/engine/settings';
import { signalThresholdsSchema, type AccountSignals, type SignalName } from '../../core/engine/signals';
import { CONTEXT, DAY, email, HOUR, meeting, T } from './engine-fixtures.test.ts';
import { foldInto } from '../support/fold-activities.ts';

const ANA = 'ana@fabrikam.com';
const BEN = 'ben@fabrikam.com';
const BOB = 'bob@contoso.com';
const CAROL = 'carol@contoso.com';

/** The signals of account A1 (Contoso) after one run over the activities, with thresholds. */
function contoso(activities: Activity[], thresholds: Record<string, number> = {}): AccountSignals {
  const result = finaliseEngagement(foldInto(new Aggregator(CONTEXT), activities), {
    ...DEFAULT_SETTINGS,
    signals: signalThresholdsSchema.parse(thresholds),
  });
  const row = result.signals.find((s) => s.AccountId === 'A1');
  assert.ok(row, 'every account of the dataset has its signals');
  const { AccountId: _id, ...signals } = row;
  return signals;
}

const on = (signals: AccountSignals): SignalName[] =>
  (Object.keys(signals) as SignalName[]).filter((name) => signals[name]);

/** `n` emails between Ana and Bob, `every` days apart, the first `start` days before T. */
function emails(n: number, start: number, every: number, direction: 'to' | 'from', who = BOB): Activity[] {
  return Array.from({ length: n }, (_, i) =>
    direction === 'to'
      ? email({ from: ANA, to: [who], at: T - (start - i * every) * DAY })
      : email({ from: who, to: [ANA], at: T - (start - i * every) * DAY }),
  );
}

describe('engine: risk signals at T (the contract, "Signals")', () => {
  it('gives every account of the dataset its signals, a quiet one Stale only', () => {
    const result = finaliseEngagement(foldInto(new Aggregator(CONTEXT), []));
    assert.deepEqual(
      result.signals.map((s) => s.AccountId),
      ['A1', 'A2', 'A3', 'A4'],
    );
    assert.deepEqual(on(contoso([])), ['Stale']);
  });

  describe('Stale: no counted email and no counted meeting for more than 60 days', () => {
    it('is false at exactly 60 whole days and true past 60, for emails and meetings alike', () => {
      const sixty = T - 60 * DAY - 23 * HOUR; // 60 days and 23 hours: 60 whole days
      assert.equal(contoso([email({ from: ANA, to: [BOB], at: sixty })]).Stale, false);
      assert.equal(contoso([email({ from: ANA, to: [BOB], at: T - 61 * DAY })]).Stale, true);
      assert.equal(contoso([meeting({ organizer: ANA, attendees: [BOB], at: sixty })]).Stale, false);
    });

    it('ignores what does not count: a meeting after T, a draft', () => {
      const signals = contoso([
        email({ from: ANA, to: [BOB], at: T - 100 * DAY }),
        meeting({ organizer: ANA, attendees: [BOB], at: T + DAY }),
        email({ from: ANA, to: [BOB], at: T - DAY, isDraft: true }),
      ]);
      assert.equal(signals.Stale, true);
    });

    it('follows the admin threshold', () => {
      const activity = [email({ from: ANA, to: [BOB], at: T - 20 * DAY })];
      assert.equal(contoso(activity, { staleDays: 14 }).Stale, true);
      assert.equal(contoso(activity, { staleDays: 30 }).Stale, false);
    });
  });

  describe('Unanswered: 3 emails to the account in 30 days, none from it, while it wrote earlier', () => {
    const earlier = email({ from: BOB, to: [ANA], at: T - 45 * DAY });

    it('is true with 3 unanswered emails and an earlier one from the account', () => {
      assert.equal(contoso([earlier, ...emails(3, 29, 10, 'to')]).Unanswered, true);
    });

    it('is false with 2 emails, with an answer in the 30 days, or when the account never wrote', () => {
      assert.equal(contoso([earlier, ...emails(2, 29, 10, 'to')]).Unanswered, false);
      assert.equal(
        contoso([earlier, ...emails(3, 29, 10, 'to'), ...emails(1, 1, 0, 'from')]).Unanswered,
        false,
      );
      assert.equal(contoso(emails(3, 29, 10, 'to')).Unanswered, false);
    });

    it('counts only emails inside [T − 30 d, T): one 30 days and a minute back is earlier', () => {
      const edge = email({ from: ANA, to: [BOB], at: T - 30 * DAY });
      const before = email({ from: ANA, to: [BOB], at: T - 30 * DAY - 60_000 });
      assert.equal(contoso([earlier, edge, ...emails(2, 10, 5, 'to')]).Unanswered, true);
      assert.equal(contoso([earlier, before, ...emails(2, 10, 5, 'to')]).Unanswered, false);
    });

    it('does not count meetings as answers or as emails', () => {
      const met = meeting({ organizer: BOB, attendees: [ANA], at: T - 2 * DAY });
      assert.equal(contoso([earlier, ...emails(3, 29, 10, 'to'), met]).Unanswered, true);
    });
  });

  describe('SingleThreaded: one person of the account in 90 days, at least 5 activities', () => {
    it('is true with 5 activities all with Bob, emails and meetings', () => {
      const activity = [
        ...emails(3, 80, 20, 'to'),
        email({ from: BOB, to: [ANA, BEN], at: T - 5 * DAY }),
        meeting({ organizer: ANA, attendees: [BOB], at: T - 3 * DAY }),
      ];
      assert.equal(contoso(activity).SingleThreaded, true);
    });

    it('is false with 4 activities, or when Carol takes part once', () => {
      assert.equal(contoso(emails(4, 80, 20, 'to')).SingleThreaded, false);
      assert.equal(
        contoso([...emails(5, 80, 15, 'to'), email({ from: ANA, to: [CAROL], at: T - DAY })]).SingleThreaded,
        false,
      );
      assert.equal(
        contoso([...emails(5, 80, 15, 'to'), email({ from: ANA, to: [BOB, CAROL], at: T - DAY })])
          .SingleThreaded,
        false,
      );
    });

    it('looks at [T − 90 d, T) only: Carol 91 days back does not break it', () => {
      const old = email({ from: ANA, to: [CAROL], at: T - 91 * DAY });
      assert.equal(contoso([old, ...emails(5, 80, 15, 'to')]).SingleThreaded, true);
    });
  });

  describe('Cooling: the last 30 days below half the mean per 30 days of the 90 before, that mean ≥ 4', () => {
    // 12 activities in [T − 120 d, T − 30 d): a mean of 4 per 30 days; half of it is 2.
    const baseline = emails(12, 118, 7, 'to');

    it('is true with 1 activity in the last 30 days, false with 2 (not below half)', () => {
      assert.equal(contoso([...baseline, ...emails(1, 5, 0, 'to')]).Cooling, true);
      assert.equal(contoso([...baseline, ...emails(2, 5, 1, 'to')]).Cooling, false);
    });

    it('is false when the baseline mean is below 4 (11 activities)', () => {
      assert.equal(contoso([...emails(11, 118, 7, 'to')]).Cooling, false);
    });

    it('leaves out activity older than T − 120 d from the baseline', () => {
      const older = emails(12, 200, 5, 'to');
      assert.equal(contoso([...older, ...emails(1, 5, 0, 'to')]).Cooling, false);
    });

    it('follows the admin thresholds', () => {
      const activity = emails(6, 118, 14, 'to');
      assert.equal(contoso(activity).Cooling, false, 'a mean of 2 is below the default minimum of 4');
      assert.equal(contoso(activity, { coolingMinMean: 2 }).Cooling, true);
    });
  });
});
