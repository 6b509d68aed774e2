import assert from 'node:assert/strict';
import { DAY, email, meeting, run, T, WINDOW_START } from './engine-fixtures.test.ts';

const ANA = 'ana@fabrikam.com';
const ANA2 = 'ana.diaz@fabrikam.com';
const BEN = 'ben@fabrikam.com';
const BOB = 'bob@contoso.com';

describe('engine: the most engaged tracked user per account', () => {
  it('is the tracked user in the most counted emails and meetings, whatever address they used', () => {
    const r = run([
      email({ from: BEN, to: [BOB], at: T - 3 * DAY }),
      email({ from: BEN, to: [BOB], at: T - 4 * DAY }),
      email({ from: ANA, to: [BOB], at: T - 2 * DAY }),
      email({ from: BOB, to: [ANA2], at: T - 2 * DAY }),
      meeting({ organizer: ANA, attendees: [BOB], at: T - 5 * DAY }),
    ]);
    assert.deepEqual(r.mostEngagedUsers, [{ AccountId: 'A1', UserId: 'U1' }]);
  });

  it('breaks ties by the smaller user id and ignores what did not count', () => {
    const r = run([
      email({ from: BEN, to: [BOB], at: T - DAY }),
      email({ from: ANA, to: [BOB], at: T - DAY }),
      email({ from: BEN, to: [BOB], at: T - DAY, isDraft: true }),
      email({ from: BEN, to: [BOB], at: WINDOW_START - DAY }),
      meeting({ organizer: BEN, attendees: [BOB], at: T + DAY }),
    ]);
    assert.deepEqual(r.mostEngagedUsers, [{ AccountId: 'A1', UserId: 'U1' }]);
  });

  it('names nobody for an account without counted activity', () => {
    assert.deepEqual(run([email({ from: ANA, to: [BEN], at: T - DAY })]).mostEngagedUsers, []);
  });
});
