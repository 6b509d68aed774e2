import assert from 'node:assert/strict';
import {
  DEFAULT_SETTINGS,
  explainYearScores,
  parseEngagementSettings,
  RAW_UNITS,
  type EngagementResult,
} from '../../core/engine/index.ts';
import { DAY, email, meeting, rowOf, run, T } from './engine-fixtures.test.ts';

function explanationOf(r: EngagementResult, accountId: string) {
  const found = r.explanations.find((e) => e.AccountId === accountId);
  assert.ok(found, `no explanation for ${accountId}`);
  return found;
}

describe('engine score explanation', () => {
  // Ages of 90 and 180 days halve a weight once and twice (H = 90), so every part is exact:
  //   A1 Contoso: two meetings 90 days ago (4 × 0.5 each = 4), an email to it 90 days ago (0.5) and
  //               one from it 180 days ago (1.5 × 0.25 = 0.375): raw 4.875.
  //   A2 Northwind and A3 Solo: an email each way 90 days ago (0.5 + 0.75): raw 1.25, a tie.
  //   A4 Quiet: nothing.
  const activities = [
    meeting({ organizer: 'ana@fabrikam.com', attendees: ['bob@contoso.com'], at: T - 90 * DAY }),
    meeting({ organizer: 'bob@contoso.com', attendees: ['ben@fabrikam.com'], at: T - 90 * DAY }),
    email({ from: 'ana@fabrikam.com', to: ['carol@contoso.com'], at: T - 90 * DAY }),
    email({ from: 'bob@contoso.com', to: ['ana@fabrikam.com'], at: T - 180 * DAY }),
    email({ from: 'ben@fabrikam.com', to: ['nina@northwind.io'], at: T - 90 * DAY }),
    email({ from: 'nina@northwind.io', to: ['ben@fabrikam.com'], at: T - 90 * DAY }),
    email({ from: 'ben@fabrikam.com', to: ['sam.solo@gmail.com'], at: T - 90 * DAY }),
    email({ from: 'sam.solo@gmail.com', to: ['ben@fabrikam.com'], at: T - 90 * DAY }),
  ];
  const r = run(activities);

  it('splits the Year raw by kind, in weight points', () => {
    const a1 = explanationOf(r, 'A1');
    assert.deepEqual([a1.emailsTo, a1.emailsFrom, a1.meetings], [0.5, 0.375, 4]);
    const a2 = explanationOf(r, 'A2');
    assert.deepEqual([a2.emailsTo, a2.emailsFrom, a2.meetings], [0.5, 0.75, 0]);
    const year = r.rows.indexOf(rowOf(r, 'A1'));
    assert.equal(r.rawScores[year], 4.875);
  });

  it('ranks among the active accounts, 1 for the highest, ties sharing a rank', () => {
    assert.deepEqual(
      ['A1', 'A2', 'A3', 'A4'].map((id) => {
        const e = explanationOf(r, id);
        return [e.score, e.rank, e.tiedWith, e.activeAccounts];
      }),
      [
        [100, 1, 0, 3],
        [67, 2, 1, 3], // r = 2 of n = 3, and A3 has the very same raw
        [67, 2, 1, 3],
        [0, null, 0, 3],
      ],
    );
    for (const id of ['A1', 'A2', 'A3', 'A4']) {
      assert.equal(explanationOf(r, id).score, rowOf(r, id).EngagementScore, id);
    }
  });

  it('scores one more meeting at T exactly, an inactive account joining the active ones', () => {
    // A2: 1.25 + 4 = 5.25 passes A1's 4.875: 3 of 3 → 100.
    assert.equal(explanationOf(r, 'A2').scoreWithMeeting, 100);
    // A4: 0 + 4 = 4 is above A2 and A3 only, and A4 joins: n = 4, r = 3 → 75.
    assert.equal(explanationOf(r, 'A4').scoreWithMeeting, 75);
    assert.equal(explanationOf(r, 'A1').scoreWithMeeting, 100);
  });

  it('follows the admin meeting weight', () => {
    // Meeting weight 2: A1's meetings are worth 1 each (raw 2.875); a meeting at T adds 2, so A4
    // (raw 2) passes A2 and A3 (1.25) but not A1: r = 3 of n = 4 → 75; A2 (3.25) passes A1 → 100.
    const weighted = run(activities, undefined, parseEngagementSettings({ weights: { meeting: 2 } }));
    assert.equal(explanationOf(weighted, 'A1').meetings, 2);
    assert.equal(explanationOf(weighted, 'A4').scoreWithMeeting, 75);
    assert.equal(explanationOf(weighted, 'A2').scoreWithMeeting, 100);
  });

  it('counts a tie reached by the added meeting as at most, and says nothing ranks without activity', () => {
    const units = (...points: number[]) => Float64Array.from(points, (p) => p * RAW_UNITS);
    // X: one email to it (raw 1); Y: a meeting and an email to it (raw 5). X with a meeting ties Y.
    const [x, y] = explainYearScores(units(1, 0, 0, 1, 0, 4), DEFAULT_SETTINGS);
    assert.deepEqual([x?.score, x?.rank, x?.scoreWithMeeting], [50, 2, 100]);
    assert.deepEqual([y?.score, y?.rank, y?.scoreWithMeeting], [100, 1, 100]);
    // Nobody active: a meeting makes the account the only active one.
    const [quiet] = explainYearScores(units(0, 0, 0, 0, 0, 0), DEFAULT_SETTINGS);
    assert.deepEqual(quiet, {
      emailsTo: 0,
      emailsFrom: 0,
      meetings: 0,
      score: 0,
      rank: null,
      tiedWith: 0,
      activeAccounts: 0,
      scoreWithMeeting: 100,
    });
  });
});
