import assert from 'node:assert/strict';
import { Aggregator, finaliseEngagement, type Activity } from '../../core/engine/index.ts';
import { CONTEXT, DAY, email, HOUR, MINUTE, rowOf, run, T, WINDOW_START } from './engine-fixtures.test.ts';
import { foldInto } from '../support/fold-activities.ts';

const ANA = 'ana@fabrikam.com';
const BEN = 'ben@fabrikam.com';
const BOB = 'bob@contoso.com';
const NINA = 'nina@northwind.io';
const PAT = 'pat@advisors.net';
const t0 = T - 10 * DAY;

const replyHours = (activities: Activity[], account = 'A1'): number | null =>
  rowOf(run(activities), account).AverageDuration_Of_AccountEmailReplies;

describe('engine reply time', () => {
  it('measures a customer reply to a seller email in the same conversation, in hours', () => {
    assert.equal(
      replyHours([
        email({ from: ANA, to: [BOB], at: t0, conversationId: 'c1' }),
        email({ from: BOB, to: [ANA], at: t0 + 5 * HOUR, conversationId: 'c1' }),
      ]),
      5,
    );
  });

  it('keeps fractions of an hour', () => {
    assert.equal(
      replyHours([
        email({ from: ANA, to: [BOB], at: t0, conversationId: 'c1' }),
        email({ from: BOB, to: [ANA], at: t0 + 90 * MINUTE, conversationId: 'c1' }),
      ]),
      1.5,
    );
  });

  it('is broken by an internal email in between', () => {
    assert.equal(
      replyHours([
        email({ from: ANA, to: [BOB], at: t0, conversationId: 'c1' }),
        email({ from: ANA, to: [BEN], at: t0 + HOUR, conversationId: 'c1' }),
        email({ from: BOB, to: [ANA], at: t0 + 5 * HOUR, conversationId: 'c1' }),
      ]),
      null,
    );
  });

  it('is broken by any other email in between, even one that counts for no account', () => {
    assert.equal(
      replyHours([
        email({ from: ANA, to: [BOB], at: t0, conversationId: 'c1' }),
        email({ from: 'vendor@elsewhere.com', to: [ANA], at: t0 + HOUR, conversationId: 'c1' }),
        email({ from: BOB, to: [ANA], at: t0 + 5 * HOUR, conversationId: 'c1' }),
      ]),
      null,
    );
  });

  it('is not broken by drafts or by other conversations', () => {
    assert.equal(
      replyHours([
        email({ from: ANA, to: [BOB], at: t0, conversationId: 'c1' }),
        email({ from: ANA, to: [BEN], at: t0 + HOUR, conversationId: 'c1', isDraft: true }),
        email({ from: ANA, to: [BEN], at: t0 + HOUR, conversationId: 'c2' }),
        email({ from: BOB, to: [ANA], at: t0 + 5 * HOUR, conversationId: 'c1' }),
      ]),
      5,
    );
  });

  it('needs the previous email to be To the same account', () => {
    assert.equal(
      replyHours([
        email({ from: ANA, to: [NINA], at: t0, conversationId: 'c1' }),
        email({ from: BOB, to: [ANA], at: t0 + HOUR, conversationId: 'c1' }),
      ]),
      null,
    );
  });

  it('needs the previous email to be strictly earlier, and ignores emails without a conversation', () => {
    assert.equal(
      replyHours([
        email({ from: ANA, to: [BOB], at: t0, conversationId: 'c1' }),
        email({ from: BOB, to: [ANA], at: t0, conversationId: 'c1' }),
      ]),
      null,
    );
    assert.equal(
      replyHours([email({ from: ANA, to: [BOB], at: t0 }), email({ from: BOB, to: [ANA], at: t0 + HOUR })]),
      null,
    );
  });

  it('pairs only with the latest earlier email: a second customer email is not a reply', () => {
    assert.equal(
      replyHours([
        email({ from: ANA, to: [BOB], at: t0, conversationId: 'c1' }),
        email({ from: BOB, to: [ANA], at: t0 + 2 * HOUR, conversationId: 'c1' }),
        email({ from: BOB, to: [ANA], at: t0 + 7 * HOUR, conversationId: 'c1' }),
        email({ from: ANA, to: [BOB], at: t0 + DAY, conversationId: 'c1' }),
        email({ from: BOB, to: [ANA], at: t0 + DAY + 4 * HOUR, conversationId: 'c1' }),
      ]),
      3, // (2 + 4) / 2
    );
  });

  it('makes the pair when one of several emails at the latest instant is To the account', () => {
    assert.equal(
      replyHours([
        email({ from: ANA, to: [BEN], at: t0, conversationId: 'c1' }),
        email({ from: ANA, to: [BOB], at: t0, conversationId: 'c1' }),
        email({ from: BOB, to: [ANA], at: t0 + HOUR, conversationId: 'c1' }),
      ]),
      1,
    );
  });

  it('counts a reply for each account the reply is From and the previous email To', () => {
    const r = run([
      email({ from: ANA, to: [PAT], at: t0, conversationId: 'c1' }),
      email({ from: PAT, to: [ANA], at: t0 + 2 * HOUR, conversationId: 'c1' }),
    ]);
    assert.equal(rowOf(r, 'A1').AverageDuration_Of_AccountEmailReplies, 2);
    assert.equal(rowOf(r, 'A2').AverageDuration_Of_AccountEmailReplies, 2);
  });

  it("belongs to the reply's period", () => {
    const may31 = Date.UTC(2025, 4, 31, 20);
    const r = run([
      email({ from: ANA, to: [BOB], at: may31, conversationId: 'c1' }),
      email({ from: BOB, to: [ANA], at: may31 + 6 * HOUR, conversationId: 'c1' }),
    ]);
    assert.equal(
      rowOf(r, 'A1', 'Month', '2025-05-01T00:00:00.000Z').AverageDuration_Of_AccountEmailReplies,
      null,
    );
    assert.equal(
      rowOf(r, 'A1', 'Month', '2025-06-01T00:00:00.000Z').AverageDuration_Of_AccountEmailReplies,
      6,
    );
    assert.equal(rowOf(r, 'A1').AverageDuration_Of_AccountEmailReplies, 6);
  });

  it('only pairs emails inside the window', () => {
    assert.equal(
      replyHours([
        email({ from: ANA, to: [BOB], at: WINDOW_START - HOUR, conversationId: 'c1' }),
        email({ from: BOB, to: [ANA], at: WINDOW_START + HOUR, conversationId: 'c1' }),
      ]),
      null,
    );
  });

  it('pairs emails seen in different mailboxes, whatever partial saw which', () => {
    const p = email({ from: ANA, to: [BOB], at: t0, conversationId: 'c1' });
    const internal = email({ from: BEN, to: [ANA], at: t0 + HOUR, conversationId: 'c1' });
    const e = email({ from: BOB, to: [BEN], at: t0 + 5 * HOUR, conversationId: 'c1' });
    const anasMailbox = foldInto(new Aggregator(CONTEXT), [p]);
    const bensMailbox = foldInto(new Aggregator(CONTEXT), [e]);
    const merged = Aggregator.merge(bensMailbox, anasMailbox);
    assert.equal(rowOf(finaliseEngagement(merged), 'A1').AverageDuration_Of_AccountEmailReplies, 5);
    // The internal email, seen only in a third partial, breaks the pair after merging.
    const third = foldInto(new Aggregator(CONTEXT), [internal]);
    const all = Aggregator.merge(merged, third);
    assert.equal(rowOf(finaliseEngagement(all), 'A1').AverageDuration_Of_AccountEmailReplies, null);
    const viaJson = Aggregator.merge(merged, Aggregator.fromJSON(JSON.parse(JSON.stringify(third)), CONTEXT));
    assert.equal(rowOf(finaliseEngagement(viaJson), 'A1').AverageDuration_Of_AccountEmailReplies, null);
  });
});
