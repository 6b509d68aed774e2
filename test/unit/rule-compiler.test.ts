import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileRules, dateComparison, segmentWhere } from '../../core/store/rule-compiler';
import type { RuleGroup } from '../../core/segments/segment-rules';
import { staleRules } from '../../core/segments/stale-segment';

describe('segment rule compiler', () => {
  it('compiles the stale rules to a parameterised condition', () => {
    assert.deepEqual(compileRules(staleRules(60)), {
      clause:
        '(c.DaysSinceLastEmail > @p0 OR IS_NULL(c.DaysSinceLastEmail)) AND (c.DaysSinceLastMeeting > @p1 OR IS_NULL(c.DaysSinceLastMeeting))',
      parameters: [
        { name: '@p0', value: 60 },
        { name: '@p1', value: 60 },
      ],
    });
  });

  it('scopes the rules to the Year rows of one run of one entity of the tenant', () => {
    const where = segmentWhere(
      { tenantId: 't1', entity: 'Office', runId: 'r1' },
      { combinator: 'or', rules: [{ column: 'AccountName', operator: 'startsWith', value: 'Con' }] },
    );
    assert.equal(
      where.clause,
      "c.tenantId = @tenant AND c.type = 'row' AND c.entity = @entity AND c.runId = @run AND c.AggregationLevel = 'Year' AND STARTSWITH(LOWER(c.AccountName), @p0)",
    );
    assert.deepEqual(where.parameters, [
      { name: '@tenant', value: 't1' },
      { name: '@entity', value: 'Office' },
      { name: '@run', value: 'r1' },
      { name: '@p0', value: 'con' },
    ]);
  });

  it('compiles signal conditions to array tests that rows without Signals never pass', () => {
    assert.deepEqual(
      compileRules({
        combinator: 'and',
        rules: [
          { column: 'Signals', operator: 'has', value: 'Unanswered' },
          { column: 'Signals', operator: 'hasNot', value: 'Stale' },
        ],
      }),
      {
        clause:
          'ARRAY_CONTAINS(c.Signals, @p0) AND IS_ARRAY(c.Signals) AND NOT ARRAY_CONTAINS(c.Signals, @p1)',
        parameters: [
          { name: '@p0', value: 'Unanswered' },
          { name: '@p1', value: 'Stale' },
        ],
      },
    );
  });

  it('puts parentheses only around OR groups inside AND', () => {
    const rules: RuleGroup = {
      combinator: 'or',
      rules: [
        { column: 'EngagementScore', operator: 'between', value: [1, 2] },
        {
          combinator: 'and',
          rules: [
            { column: 'EngagementScore', operator: 'ne', value: 3 },
            {
              combinator: 'or',
              rules: [
                { column: 'AccountId', operator: 'ne', value: 'A' },
                { combinator: 'and', rules: [{ column: 'EngagementStartDate', operator: 'isNull' }] },
              ],
            },
          ],
        },
      ],
    };
    assert.equal(
      compileRules(rules).clause,
      '(c.EngagementScore >= @p0 AND c.EngagementScore <= @p1 OR IS_NUMBER(c.EngagementScore) AND c.EngagementScore != @p2 AND (IS_STRING(c.AccountId) AND LOWER(c.AccountId) != @p3 OR IS_NULL(c.EngagementStartDate)))',
    );
  });

  it('never puts a value into the query text', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        (text, number) => {
          const { clause, parameters } = compileRules({
            combinator: 'and',
            rules: [
              { column: 'AccountName', operator: 'contains', value: text },
              { column: 'AccountId', operator: 'eq', value: text },
              { column: 'EngagementScore', operator: 'gt', value: number },
            ],
          });
          assert.equal(
            clause,
            'CONTAINS(LOWER(c.AccountName), @p0) AND LOWER(c.AccountId) = @p1 AND c.EngagementScore > @p2',
          );
          assert.deepEqual(
            parameters.map((p) => p.value),
            [text.toLowerCase(), text.toLowerCase(), number],
          );
        },
      ),
    );
  });

  it('refuses a column outside the allow-list even if the types were bypassed', () => {
    const forged = {
      combinator: 'and',
      rules: [{ column: 'id = c.id OR 1', operator: 'eq', value: 1 }],
    } as unknown as RuleGroup;
    assert.throws(() => compileRules(forged), /Not a segment column/);
  });

  it('compares days as whole UTC days and date-times as instants', () => {
    assert.deepEqual(dateComparison('before', '2026-03-01'), { op: '<', bound: '2026-03-01T00:00:00.000Z' });
    assert.deepEqual(dateComparison('after', '2026-03-01'), { op: '>=', bound: '2026-03-02T00:00:00.000Z' });
    assert.deepEqual(dateComparison('after', '2026-03-01T10:30:00+02:00'), {
      op: '>',
      bound: '2026-03-01T08:30:00.000Z',
    });
    assert.deepEqual(dateComparison('before', '2026-03-01T10:30:00Z'), {
      op: '<',
      bound: '2026-03-01T10:30:00.000Z',
    });
  });
});
