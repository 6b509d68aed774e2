import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SIGNALS, type EngagementRow, type SignalName } from '../../core/engine';
import { NUMERIC_COLUMNS, TEXT_COLUMNS } from '../../core/results/columns';
import { SegmentQueries } from '../../core/store/segment-queries';
import {
  MAX_CONDITIONS,
  ruleGroupSchema,
  type Condition,
  type Rule,
  type RuleGroup,
} from '../../core/segments/segment-rules';
import { ensureContainers, type Containers } from '../../core/store/containers';
import { outputRowKey } from '../../core/results/stored-rows';
import { ResultsRepository } from '../../core/store/results-repository';
import { localCertificate } from '../../local/certificate';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../../local/embedded-cosmos';
import { evaluateRules } from '../support/rule-evaluator';
import { publishRows, yearRow } from '../support/segment-rows';
import { tempDir } from '../support/temp-dir';

const TENANT = 'tenant-segments';
const ENTITY = 'Office';
const RUN = 'run-visible';
const scope = { tenantId: TENANT, entity: ENTITY, runId: RUN };

/** A Year row with its true signals, as a run stores them. */
const signalled = (row: EngagementRow, signals: SignalName[]): EngagementRow =>
  Object.assign(row, { Signals: signals });

/** Five accounts whose membership per operator is written out by hand below (H4 of a run before signals). */
const HAND_ROWS: EngagementRow[] = [
  signalled(
    yearRow({
      AccountId: 'H1',
      AccountName: 'Contoso Ltd',
      EngagementScore: 80,
      DaysSinceLastEmail: 3,
      EngagementStartDate: '2025-06-15T12:00:00.000Z',
    }),
    ['Unanswered', 'Cooling'],
  ),
  signalled(
    yearRow({
      AccountId: 'H2',
      AccountName: 'contoso Group',
      EngagementScore: 40,
      DaysSinceLastEmail: 70,
      EngagementStartDate: '2025-06-16T00:00:00.000Z',
    }),
    ['Stale'],
  ),
  signalled(
    yearRow({ AccountId: 'H3', AccountName: 'Fabrikam', EngagementScore: 40, DaysSinceLastEmail: null }),
    [],
  ),
  yearRow({
    AccountId: 'H4',
    AccountName: 'Northwind CONTOSO',
    EngagementScore: 0,
    DaysSinceLastEmail: 0,
    EngagementStartDate: '2025-06-14T23:59:59.999Z',
  }),
  signalled(
    yearRow({ AccountId: 'h5', AccountName: 'Tailspin', EngagementScore: 100, DaysSinceLastEmail: 365 }),
    ['Cooling', 'Stale'],
  ),
];

const OPERATOR_CASES: { condition: Condition; members: string[] }[] = [
  { condition: { column: 'EngagementScore', operator: 'eq', value: 40 }, members: ['H2', 'H3'] },
  { condition: { column: 'EngagementScore', operator: 'ne', value: 40 }, members: ['H1', 'H4', 'h5'] },
  { condition: { column: 'EngagementScore', operator: 'gt', value: 40 }, members: ['H1', 'h5'] },
  { condition: { column: 'EngagementScore', operator: 'ge', value: 40 }, members: ['H1', 'H2', 'H3', 'h5'] },
  { condition: { column: 'EngagementScore', operator: 'lt', value: 40 }, members: ['H4'] },
  { condition: { column: 'EngagementScore', operator: 'le', value: 40 }, members: ['H2', 'H3', 'H4'] },
  {
    condition: { column: 'EngagementScore', operator: 'between', value: [40, 80] },
    members: ['H1', 'H2', 'H3'],
  },
  // Nulls: comparisons never match them, `ne` included; only isNull does.
  { condition: { column: 'DaysSinceLastEmail', operator: 'ne', value: 3 }, members: ['H2', 'H4', 'h5'] },
  { condition: { column: 'DaysSinceLastEmail', operator: 'lt', value: 100 }, members: ['H1', 'H2', 'H4'] },
  { condition: { column: 'DaysSinceLastEmail', operator: 'isNull' }, members: ['H3'] },
  { condition: { column: 'DaysSinceLastEmail', operator: 'isNotNull' }, members: ['H1', 'H2', 'H4', 'h5'] },
  // Text compares without regard to case.
  { condition: { column: 'AccountName', operator: 'eq', value: 'CONTOSO LTD' }, members: ['H1'] },
  {
    condition: { column: 'AccountName', operator: 'ne', value: 'fabrikam' },
    members: ['H1', 'H2', 'H4', 'h5'],
  },
  {
    condition: { column: 'AccountName', operator: 'contains', value: 'Contoso' },
    members: ['H1', 'H2', 'H4'],
  },
  { condition: { column: 'AccountName', operator: 'startsWith', value: 'CONTOSO' }, members: ['H1', 'H2'] },
  { condition: { column: 'AccountId', operator: 'eq', value: 'H5' }, members: ['h5'] },
  // A day is the whole UTC day; a date-time compares as an instant (here 10:00 UTC).
  { condition: { column: 'EngagementStartDate', operator: 'before', value: '2025-06-15' }, members: ['H4'] },
  { condition: { column: 'EngagementStartDate', operator: 'after', value: '2025-06-15' }, members: ['H2'] },
  {
    condition: { column: 'EngagementStartDate', operator: 'after', value: '2025-06-15T12:00:00+02:00' },
    members: ['H1', 'H2'],
  },
  {
    condition: { column: 'EngagementStartDate', operator: 'before', value: '2025-06-15T12:00:00Z' },
    members: ['H4'],
  },
  { condition: { column: 'EngagementStartDate', operator: 'isNull' }, members: ['H3', 'h5'] },
  // Signals: a row of a run before signals (H4) matches neither has nor hasNot.
  { condition: { column: 'Signals', operator: 'has', value: 'Cooling' }, members: ['H1', 'h5'] },
  { condition: { column: 'Signals', operator: 'has', value: 'Stale' }, members: ['H2', 'h5'] },
  { condition: { column: 'Signals', operator: 'has', value: 'SingleThreaded' }, members: [] },
  { condition: { column: 'Signals', operator: 'hasNot', value: 'Cooling' }, members: ['H2', 'H3'] },
];

// ---- random rows and rules for the property test ----

const NAMES = [
  'Contoso',
  'contoso Ltd',
  'CONTOSO Group',
  'Fabrikam',
  'Fabrikam Inc',
  'Northwind',
  'Ölwerk',
  'Tailspin',
];
const INSTANTS = [
  '2025-06-14T23:59:59.999Z',
  '2025-06-15T00:00:00.000Z',
  '2025-06-15T10:00:00.000Z',
  '2025-06-15T12:00:00.000Z',
  '2025-06-16T00:00:00.000Z',
  '2025-09-01T08:30:00.000Z',
];
const DATE_VALUES = [
  '2025-06-15',
  '2025-06-16',
  '2025-06-15T12:00:00Z',
  '2025-06-15T12:00:00+02:00',
  '2025-09-01',
];
const TEXT_VALUES = ['contoso', 'CONTOSO', 'Ltd', 'fab', 'wind', 'ö', 'Öl', 'r1', 'R1', 'tailspin', 'x'];
const small = fc.oneof(fc.integer({ min: 0, max: 12 }), fc.constantFrom(40, 100));
const nullableSmall = fc.oneof(fc.constant(null), small);

const randomRow = (i: number) =>
  fc
    .record({
      AccountName: fc.constantFrom(...NAMES),
      EngagementScore: small,
      NoOfEmails_ToAccount: small,
      NoOfMeetings_FromAccount: small,
      DaysSinceLastEmail: nullableSmall,
      DaysSinceLastMeeting: nullableSmall,
      AverageDuration_Of_Meetings: fc.oneof(fc.constant(null), fc.constantFrom(0.5, 12.5, 30)),
      EngagementStartDate: fc.oneof(fc.constant(null), fc.constantFrom(...INSTANTS)),
      signals: fc.oneof(fc.constant(undefined), fc.subarray([...SIGNALS])),
    })
    .map(({ signals, ...fields }) => {
      const row = yearRow({ AccountId: `R${i}`, ...fields });
      return signals ? signalled(row, signals) : row;
    });

const numericCondition = fc.oneof(
  fc.record({
    column: fc.constantFrom(...NUMERIC_COLUMNS),
    operator: fc.constantFrom(
      'eq' as const,
      'ne' as const,
      'gt' as const,
      'ge' as const,
      'lt' as const,
      'le' as const,
    ),
    value: fc.oneof(small, fc.constant(12.5)),
  }),
  fc.record({
    column: fc.constantFrom(...NUMERIC_COLUMNS),
    operator: fc.constant('between' as const),
    value: fc.tuple(small, small).map(([a, b]): [number, number] => (a <= b ? [a, b] : [b, a])),
  }),
  fc.record({
    column: fc.constantFrom(...NUMERIC_COLUMNS),
    operator: fc.constantFrom('isNull' as const, 'isNotNull' as const),
  }),
);
const textCondition = fc.record({
  column: fc.constantFrom(...TEXT_COLUMNS),
  operator: fc.constantFrom('eq' as const, 'ne' as const, 'contains' as const, 'startsWith' as const),
  value: fc.constantFrom(...TEXT_VALUES, ...NAMES),
});
const dateCondition = fc.oneof(
  fc.record({
    column: fc.constant('EngagementStartDate' as const),
    operator: fc.constantFrom('before' as const, 'after' as const),
    value: fc.constantFrom(...DATE_VALUES),
  }),
  fc.record({
    column: fc.constant('EngagementStartDate' as const),
    operator: fc.constant('isNull' as const),
  }),
);
const signalCondition = fc.record({
  column: fc.constant('Signals' as const),
  operator: fc.constantFrom('has' as const, 'hasNot' as const),
  value: fc.constantFrom(...SIGNALS),
});
const condition: fc.Arbitrary<Condition> = fc.oneof(
  numericCondition,
  textCondition,
  dateCondition,
  signalCondition,
);

function groupAt(depth: number): fc.Arbitrary<RuleGroup> {
  const rule: fc.Arbitrary<Rule> = depth < 4 ? fc.oneof(condition, condition, groupAt(depth + 1)) : condition;
  return fc.record({
    combinator: fc.constantFrom('and' as const, 'or' as const),
    rules: fc.array(rule, { minLength: 1, maxLength: 3 }),
  });
}

const countConditions = (group: RuleGroup): number =>
  group.rules.reduce((n, r) => n + ('rules' in r ? countConditions(r) : 1), 0);

describe('segment queries against the embedded Cosmos DB', () => {
  const data = tempDir('segments');
  let cosmos: EmbeddedCosmos;
  let containers: Containers;
  let queries: SegmentQueries;
  let randomRows: EngagementRow[];

  before(async () => {
    cosmos = await startEmbeddedCosmos({ port: 0, certificate: await localCertificate(data.path) });
    containers = await ensureContainers(cosmos.client, 'segments-test');
    queries = new SegmentQueries(containers.results);
    const [sample] = fc.sample(fc.tuple(...Array.from({ length: 40 }, (_, i) => randomRow(i))), {
      numRuns: 1,
      seed: 1000,
    });
    randomRows = sample ?? assert.fail('no sample');
    const results = new ResultsRepository(containers.results, TENANT);
    await publishRows(results, ENTITY, RUN, [...HAND_ROWS, ...randomRows]);
    // Rows no segment may see: other levels, an unpublished run, another entity, another tenant.
    const everyone = [...HAND_ROWS, ...randomRows];
    const month = everyone.map((r) => ({ ...r, AggregationLevel: 'Month' as const }));
    await results.writeRows(ENTITY, RUN, month, outputRowKey);
    await results.writeRows(ENTITY, 'run-unpublished', everyone, outputRowKey);
    await results.writeRows('Other', RUN, everyone, outputRowKey);
    await new ResultsRepository(containers.results, 'tenant-other').writeRows(
      ENTITY,
      RUN,
      everyone,
      outputRowKey,
    );
  });
  after(async () => {
    await cosmos.close();
    data.cleanup();
  });

  const membersOf = async (rules: RuleGroup) =>
    (await queries.allMembers<EngagementRow>(scope, rules))
      .map((r) => r.AccountId)
      .filter((id) => id.startsWith('H') || id.startsWith('h'))
      .sort();

  for (const { condition: c, members } of OPERATOR_CASES) {
    it(`${c.column} ${c.operator} ${JSON.stringify(c.value ?? null)} selects ${members.join(', ')}`, async () => {
      const rules = ruleGroupSchema.parse({ combinator: 'and', rules: [c] });
      assert.deepEqual(await membersOf(rules), [...members].sort());
    });
  }

  it('selects only the Year rows of the visible run, of the tenant and entity; counts agree', async () => {
    const all = await queries.allMembers<EngagementRow>(scope);
    assert.equal(all.length, HAND_ROWS.length + randomRows.length);
    assert.ok(all.every((r) => r.AggregationLevel === 'Year' && r.runId === RUN && r.tenantId === TENANT));
    assert.equal(await queries.count(scope), all.length);
    const rules: RuleGroup = {
      combinator: 'and',
      rules: [{ column: 'EngagementScore', operator: 'eq', value: 40 }],
    };
    assert.equal(await queries.count(scope, rules), all.filter((r) => r.EngagementScore === 40).length);
  });

  it('selects exactly the rows the documented semantics select, for random rule trees', async () => {
    const rules = groupAt(1).filter((g) => countConditions(g) <= MAX_CONDITIONS);
    let nonTrivial = 0;
    await fc.assert(
      fc.asyncProperty(rules, async (group) => {
        // Every generated tree is a valid rule set.
        const parsed = ruleGroupSchema.parse(group);
        const fromCosmos = (await queries.allMembers<EngagementRow>(scope, parsed))
          .map((r) => r.AccountId)
          .sort();
        const expected = [...HAND_ROWS, ...randomRows]
          .filter((row) => evaluateRules(parsed, row as unknown as Record<string, unknown>))
          .map((r) => r.AccountId)
          .sort();
        assert.deepEqual(fromCosmos, expected);
        if (expected.length > 0 && expected.length < 45) nonTrivial += 1;
      }),
      { numRuns: 60, seed: 20260301 },
    );
    // The generated rules are not all empty or all-selecting.
    assert.ok(nonTrivial > 12, `${nonTrivial} of 60 rule sets selected some but not all rows`);
  });

  it('measures a column over the members in Cosmos DB, leaving nulls out', async () => {
    const rules: RuleGroup = {
      combinator: 'and',
      rules: [{ column: 'AccountName', operator: 'contains', value: 'contoso' }],
    };
    // H1 (3), H2 (70), H4 (0) are the Contoso accounts; all have a DaysSinceLastEmail.
    const hand = await queries.measures({ ...scope }, 'DaysSinceLastEmail', {
      combinator: 'and',
      rules: [...rules.rules, { column: 'AccountId', operator: 'startsWith', value: 'h' }],
    });
    assert.deepEqual(hand, { accounts: 3, count: 3, sum: 73, average: 73 / 3, min: 0, max: 70 });
    // H3 has no email at all: counted as an account, not as a value.
    const withNull = await queries.measures(scope, 'DaysSinceLastEmail', {
      combinator: 'or',
      rules: [
        { column: 'AccountId', operator: 'eq', value: 'H3' },
        { column: 'AccountId', operator: 'eq', value: 'H1' },
      ],
    });
    assert.deepEqual(withNull, { accounts: 2, count: 1, sum: 3, average: 3, min: 3, max: 3 });
    const none = await queries.measures(scope, 'EngagementScore', {
      combinator: 'and',
      rules: [{ column: 'AccountId', operator: 'eq', value: 'nobody' }],
    });
    assert.deepEqual(none, { accounts: 0, count: 0, sum: 0, average: null, min: null, max: null });
  });
});
