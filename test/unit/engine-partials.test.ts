import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  Aggregator,
  finaliseEngagement,
  mergeAggregates,
  PartialFormatError,
  type Activity,
  type EmailActivity,
  type MeetingActivity,
} from '../../core/engine/index.ts';
import { CONTEXT, DAY, email, HOUR, makeContext, MINUTE, T, WINDOW_START } from './engine-fixtures.test.ts';
import { foldInto } from '../support/fold-activities.ts';

const ADDRESSES = [
  'ana@fabrikam.com',
  'ana.diaz@fabrikam.com',
  'ben@fabrikam.com',
  'bob@contoso.com',
  'carol@contoso.com',
  'dave@contoso.com', // domain match
  'pat@advisors.net', // two accounts
  'nina@northwind.io',
  'zed@contoso.com', // explicit in A2 over the A1 domain
  'sam.solo@gmail.com',
  'x@gmail.com',
  'colleague@fabrikam.com',
  'vendor@elsewhere.com',
];
const INSTANTS = [
  WINDOW_START - HOUR,
  WINDOW_START,
  WINDOW_START + 2 * DAY,
  Date.UTC(2024, 6, 1),
  Date.UTC(2024, 11, 31, 23, 59),
  Date.UTC(2025, 2, 3, 9),
  Date.UTC(2025, 2, 3, 11),
  T - 3 * DAY,
  T - DAY,
  T - DAY + 30 * MINUTE,
  T - 1,
  T,
  T + 2 * DAY,
];
const MAILBOXES = 6;

const copies = fc.array(
  fc.record({
    mailbox: fc.integer({ min: 0, max: MAILBOXES - 1 }),
    hide: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 15 })),
    cancelled: fc.oneof(fc.constant(false), fc.boolean()),
    skew: fc.constantFrom(0, 0, 0, 0, HOUR),
  }),
  { minLength: 1, maxLength: 3 },
);

const logicalEmail = fc.record({
  conv: fc.option(fc.constantFrom('c0', 'c1', 'c2'), { nil: null }),
  at: fc.constantFrom(...INSTANTS),
  from: fc.option(fc.constantFrom(...ADDRESSES), { nil: null }),
  to: fc.uniqueArray(fc.constantFrom(...ADDRESSES), { minLength: 1, maxLength: 4 }),
  isDraft: fc.oneof(fc.constant(false), fc.boolean()),
  copies,
});

const logicalMeeting = fc.record({
  at: fc.constantFrom(...INSTANTS),
  minutes: fc.constantFrom(15, 30, 60, -5),
  organizer: fc.option(fc.constantFrom(...ADDRESSES), { nil: null }),
  attendees: fc.uniqueArray(fc.constantFrom(...ADDRESSES), { minLength: 1, maxLength: 4 }),
  isAllDay: fc.oneof(fc.constant(false), fc.boolean()),
  copies,
});

const tenant = fc.record({
  emails: fc.array(logicalEmail, { maxLength: 25 }),
  meetings: fc.array(logicalMeeting, { maxLength: 10 }),
});

type Tenant = typeof tenant extends fc.Arbitrary<infer X> ? X : never;

const visible = (list: string[], hide: number): string[] => list.filter((_, i) => ((hide >> i) & 1) === 0);

/** Every copy of every logical email / meeting, placed in its mailbox. */
function mailboxesOf(t: Tenant): Activity[][] {
  const boxes: Activity[][] = Array.from({ length: MAILBOXES }, () => []);
  t.emails.forEach((e, i) => {
    for (const c of e.copies) {
      const copy: EmailActivity = {
        kind: 'email',
        id: `<e${i}@test>`,
        conversationId: e.conv,
        isDraft: e.isDraft,
        sent: e.at + c.skew,
        from: e.from,
        recipients: visible(e.to, c.hide),
      };
      boxes[c.mailbox]?.push(copy);
    }
  });
  t.meetings.forEach((m, i) => {
    for (const c of m.copies) {
      const copy: MeetingActivity = {
        kind: 'meeting',
        id: `occurrence-${i}`,
        isCancelled: c.cancelled,
        isAllDay: m.isAllDay,
        start: m.at + c.skew,
        end: m.at + c.skew + m.minutes * MINUTE,
        organizer: m.organizer,
        attendees: visible(m.attendees, c.hide),
      };
      boxes[c.mailbox]?.push(copy);
    }
  });
  return boxes;
}

function onePass(boxes: Activity[][]): Aggregator {
  const agg = new Aggregator(CONTEXT);
  for (const box of boxes) foldInto(agg, box);
  return agg;
}

/** Partials per part, each maybe sent through JSON, merged in the order `picks` dictates. */
function partitioned(boxes: Activity[][], partOf: number[], viaJson: boolean[], picks: number[]): Aggregator {
  const parts = new Map<number, Aggregator>();
  boxes.forEach((box, i) => {
    const p = partOf[i] ?? 0;
    const agg = parts.get(p) ?? new Aggregator(CONTEXT);
    foldInto(agg, box);
    parts.set(p, agg);
  });
  let pool = [...parts.values()].map((agg, i) =>
    viaJson[i] ? Aggregator.fromJSON(JSON.parse(JSON.stringify(agg)), CONTEXT) : agg,
  );
  let k = 0;
  while (pool.length > 1) {
    const i = (picks[k++ % Math.max(1, picks.length)] ?? 0) % pool.length;
    const a = pool[i] ?? new Aggregator(CONTEXT);
    const rest = pool.filter((_, x) => x !== i);
    const j = (picks[k++ % Math.max(1, picks.length)] ?? 0) % rest.length;
    const b = rest[j] ?? new Aggregator(CONTEXT);
    pool = [...rest.filter((_, x) => x !== j), mergeAggregates(a, b)];
  }
  return pool[0] ?? new Aggregator(CONTEXT);
}

describe('engine partial aggregates', () => {
  it('give the same rows for any partition of the mailboxes and any merge order', () => {
    fc.assert(
      fc.property(
        tenant,
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: MAILBOXES, maxLength: MAILBOXES }),
        fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
        (t, partOf, viaJson, picks) => {
          const boxes = mailboxesOf(t);
          const single = onePass(boxes);
          const merged = partitioned(boxes, partOf, viaJson, picks);
          assert.deepStrictEqual(finaliseEngagement(merged), finaliseEngagement(single));
          assert.deepStrictEqual(merged.toJSON(), single.toJSON());
        },
      ),
      { numRuns: 300 },
    );
  });

  it('merge is commutative and associative, and JSON round trips', () => {
    fc.assert(
      fc.property(tenant, (t) => {
        const [a, b, c] = [0, 1, 2].map((p) => {
          const agg = new Aggregator(CONTEXT);
          mailboxesOf(t).forEach((box, i) => i % 3 === p && foldInto(agg, box));
          return agg;
        }) as [Aggregator, Aggregator, Aggregator];
        assert.deepStrictEqual(mergeAggregates(a, b).toJSON(), mergeAggregates(b, a).toJSON());
        assert.deepStrictEqual(
          mergeAggregates(mergeAggregates(a, b), c).toJSON(),
          mergeAggregates(a, mergeAggregates(b, c)).toJSON(),
        );
        const json = JSON.parse(JSON.stringify(a)) as unknown;
        assert.deepStrictEqual(Aggregator.fromJSON(json, CONTEXT).toJSON(), a.toJSON());
      }),
      { numRuns: 150 },
    );
  });

  it('leaves its inputs unchanged when merging', () => {
    const a = foldInto(new Aggregator(CONTEXT), [
      email({ from: 'ana@fabrikam.com', to: ['bob@contoso.com'], at: T - DAY }),
    ]);
    const before = JSON.stringify(a);
    mergeAggregates(a, a);
    mergeAggregates(a, new Aggregator(CONTEXT));
    assert.equal(JSON.stringify(a), before);
  });

  it('refuses partials of another run and malformed JSON', () => {
    const other = makeContext({ asOf: T + DAY });
    const a = new Aggregator(CONTEXT);
    assert.throws(() => mergeAggregates(a, new Aggregator(other)), /different runs/);
    assert.throws(() => Aggregator.fromJSON(new Aggregator(other).toJSON(), CONTEXT), PartialFormatError);
    const json = a.toJSON();
    assert.throws(() => Aggregator.fromJSON({ ...json, format: 'x' }, CONTEXT), PartialFormatError);
    assert.throws(
      () => Aggregator.fromJSON({ ...json, items: { ...json.items, flags: [0] } }, CONTEXT),
      PartialFormatError,
    );
    assert.throws(
      () => Aggregator.fromJSON({ ...json, addresses: ['stranger@elsewhere.com'] }, CONTEXT),
      /neither tracked nor an account person/,
    );
    assert.throws(() => Aggregator.fromJSON(null, CONTEXT), PartialFormatError);
  });
});

describe('engine memory model', () => {
  it('keeps nothing for emails that count for no account and have no conversation', () => {
    const agg = new Aggregator(CONTEXT);
    for (let i = 0; i < 2000; i++) {
      agg.add(
        email({ from: 'ana@fabrikam.com', to: ['ben@fabrikam.com', `news${i}@elsewhere.com`], at: T - DAY }),
      );
      agg.add(email({ from: `news${i}@elsewhere.com`, to: ['ana@fabrikam.com'], at: T - DAY }));
    }
    const f = agg.footprint();
    assert.equal(f.items, 0);
    assert.equal(f.replyCandidates, 0);
    assert.equal(f.addresses, 2, 'only the tracked addresses seen are interned');
  });

  it('keeps one 16-byte reply candidate per non-counted email with a conversation', () => {
    const agg = new Aggregator(CONTEXT);
    for (let i = 0; i < 100; i++) {
      agg.add(
        email({ from: 'ana@fabrikam.com', to: ['ben@fabrikam.com'], at: T - DAY, conversationId: `c${i}` }),
      );
    }
    assert.equal(agg.footprint().replyCandidates, 100);
    assert.equal(agg.footprint().items, 0);
  });

  it('keeps one row per counted message however many mailboxes hold it', () => {
    const agg = new Aggregator(CONTEXT);
    const m = email({ from: 'ana@fabrikam.com', to: ['bob@contoso.com', 'ben@fabrikam.com'], at: T - DAY });
    for (let i = 0; i < 50; i++) agg.add({ ...m });
    const f = agg.footprint();
    assert.equal(f.items, 1);
    assert.equal(f.participantSlots, 2);
  });

  it('bounds the cache of addresses that match nothing', () => {
    const agg = new Aggregator(CONTEXT);
    for (let i = 0; i < 20_000; i++) {
      agg.add(email({ from: `someone${i}@elsewhere.com`, to: ['ana@fabrikam.com'], at: T - DAY }));
    }
    assert.ok(agg.footprint().cachedNonMatching <= 4096);
    assert.equal(agg.footprint().items, 0);
  });
});
