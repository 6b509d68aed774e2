import assert from 'node:assert/strict';
import {
  Aggregator,
  engagementRowSchema,
  finaliseEngagement,
  userEntityRowSchema,
  type UserEntityRow,
} from '../../core/engine/index.ts';
import { CONTEXT, DAY, email, run, T } from './engine-fixtures.test.ts';
import { foldInto } from '../support/fold-activities.ts';

describe('engine output rows', () => {
  it('validates user entity rows', () => {
    const user: UserEntityRow = {
      UserId: '6f1c1d4e-1b2a-4c3d-9e8f-001122334455',
      Email: 'ana@fabrikam.com',
      DisplayName: 'Ana Diaz',
      Groups: [{ GroupId: '0a1b2c3d-0000-4000-8000-000000000001', DisplayName: 'US Sales' }],
      ListedDirectly: false,
    };
    assert.deepEqual(userEntityRowSchema.parse(user), user);
    assert.equal(userEntityRowSchema.safeParse({ ...user, UserId: '' }).success, false);
    assert.equal(userEntityRowSchema.safeParse({ ...user, Subject: 'x' }).success, false, 'no extra fields');
  });

  it('refuses engagement rows outside the contract', () => {
    const [row] = run([]).rows;
    assert.ok(row);
    assert.equal(engagementRowSchema.safeParse(row).success, true);
    assert.equal(engagementRowSchema.safeParse({ ...row, EngagementScore: 101 }).success, false);
    assert.equal(engagementRowSchema.safeParse({ ...row, AggregationLevel: 'Day' }).success, false);
    assert.equal(engagementRowSchema.safeParse({ ...row, NoOfEmails_ToAccount: -1 }).success, false);
    assert.equal(engagementRowSchema.safeParse({ ...row, Preview: 'hello' }).success, false);
  });

  it('merges any number of partials, and none into an empty partial', () => {
    const parts = [0, 1, 2].map((i) =>
      foldInto(new Aggregator(CONTEXT), [
        email({ id: '<same@test>', from: 'ana@fabrikam.com', to: ['bob@contoso.com'], at: T - DAY }),
        email({ from: 'ana@fabrikam.com', to: ['nina@northwind.io'], at: T - (i + 2) * DAY }),
      ]),
    );
    const merged = finaliseEngagement(Aggregator.mergeAll(parts, CONTEXT));
    assert.equal(merged.totals.emailsCounted, 4);
    assert.equal(merged.totals.emailsRead, 6);
    assert.equal(finaliseEngagement(Aggregator.mergeAll([], CONTEXT)).rows.length, 4);
  });
});
