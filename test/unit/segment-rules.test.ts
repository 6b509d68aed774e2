import assert from 'node:assert/strict';
import { engagementRowSchema } from '../../core/engine';
import {
  columnType,
  DATE_COLUMNS,
  NUMERIC_COLUMNS,
  SEGMENT_COLUMNS,
  TEXT_COLUMNS,
} from '../../core/results/columns';
import {
  MAX_CONDITIONS,
  MAX_DEPTH,
  ruleGroupSchema,
  segmentDefinitionSchema,
  type RuleGroup,
} from '../../core/segments/segment-rules';

const problems = (value: unknown) => {
  const result = segmentDefinitionSchema.safeParse(value);
  assert.ok(!result.success, 'expected the definition to be refused');
  return result.error.issues.map((issue) => [issue.path.join('.'), issue.message] as const);
};

const segment = (...rules: unknown[]) => ({ name: 'S', rules: { combinator: 'and', rules } });

function nested(depth: number): unknown {
  let group: unknown = { column: 'EngagementScore', operator: 'gt', value: 1 };
  for (let i = 0; i < depth; i++) group = { combinator: i % 2 ? 'and' : 'or', rules: [group] };
  return group;
}

describe('segment rule model', () => {
  it("covers every metric column of the output entity's rows, each with its type", () => {
    const shape = engagementRowSchema.shape;
    assert.deepEqual(
      [...SEGMENT_COLUMNS, 'AggregationLevel', 'AggregationStartDate'].sort(),
      Object.keys(shape).sort(),
    );
    for (const column of NUMERIC_COLUMNS) {
      assert.equal(columnType(column), 'numeric');
      assert.ok(shape[column].safeParse(7).success, `${column} holds numbers`);
    }
    for (const column of TEXT_COLUMNS)
      assert.ok(shape[column].safeParse('x').success, `${column} holds text`);
    for (const column of DATE_COLUMNS) {
      assert.ok(shape[column].safeParse('2026-01-01T00:00:00.000Z').success, `${column} holds instants`);
    }
    assert.equal(columnType('AggregationLevel'), undefined);
  });

  it('accepts conditions of every type and nested groups, trimming text', () => {
    const parsed = segmentDefinitionSchema.parse({
      name: ' Quiet big accounts ',
      rules: {
        combinator: 'and',
        rules: [
          { column: 'EngagementScore', operator: 'between', value: [10, 40] },
          { column: 'AccountName', operator: 'contains', value: ' Contoso ' },
          {
            combinator: 'or',
            rules: [
              { column: 'DaysSinceLastEmail', operator: 'isNull' },
              { column: 'DaysSinceLastEmail', operator: 'gt', value: 30 },
              { column: 'EngagementStartDate', operator: 'before', value: '2026-01-01' },
              { column: 'EngagementStartDate', operator: 'after', value: '2026-01-01T08:00:00+01:00' },
              { column: 'AverageDuration_Of_Meetings', operator: 'isNotNull', value: null },
            ],
          },
        ],
      },
    });
    assert.equal(parsed.name, 'Quiet big accounts');
    assert.deepEqual(parsed.rules.rules[1], {
      column: 'AccountName',
      operator: 'contains',
      value: 'Contoso',
    });
  });

  it('names the path of each bad value, column and operator, all at once', () => {
    assert.deepEqual(
      problems(
        segment(
          { column: 'EngagementScore', operator: 'gt', value: 10 },
          { column: 'EngagementScore', operator: 'gt', value: 'ten' },
          { column: 'Revenue', operator: 'gt', value: 1 },
          { column: 'AccountName', operator: 'gt', value: 'a' },
          { column: 'EngagementStartDate', operator: 'after', value: '2026-02-30' },
          { column: 'EngagementStartDate', operator: 'after', value: '2026-02-01T10:00:00' },
          { column: 'EngagementScore', operator: 'between', value: [50, 10] },
          { column: 'AccountId', operator: 'eq', value: '   ' },
          { column: 'DaysSinceLastMeeting', operator: 'isNull', value: 3 },
          { column: 'EngagementScore', operator: 'gt', value: 1, extra: true },
        ),
      ).map(([path]) => path),
      [
        'rules.rules.1.value',
        'rules.rules.2.column',
        'rules.rules.3.operator',
        'rules.rules.4.value',
        'rules.rules.5.value',
        'rules.rules.6.value',
        'rules.rules.7.value',
        'rules.rules.8.value',
        'rules.rules.9',
      ],
    );
  });

  it('explains unknown columns and operators in words', () => {
    const [column, operator, missing] = problems(
      segment(
        { column: 'Revenue', operator: 'gt', value: 1 },
        { column: 'AccountName', operator: 'between', value: 'a' },
        { operator: 'gt', value: 1 },
      ),
    ).map(([, message]) => message);
    assert.match(column ?? '', /"Revenue" is not a column a segment can use; use one of EngagementScore, /);
    assert.match(
      operator ?? '',
      /"between" is not an operator of the text column AccountName; use one of eq, ne, contains, startsWith/,
    );
    assert.match(missing ?? '', /a condition names a column .*; a group names a combinator/);
  });

  it('takes risk signals as conditions: has or has not one of the four', () => {
    const rules = ruleGroupSchema.parse({
      combinator: 'or',
      rules: [
        { column: 'Signals', operator: 'has', value: 'Cooling' },
        { column: 'Signals', operator: 'hasNot', value: 'Stale' },
      ],
    });
    assert.equal(rules.rules.length, 2);
    assert.deepEqual(
      problems(
        segment(
          { column: 'Signals', operator: 'has', value: 'Ghosted' },
          { column: 'Signals', operator: 'eq', value: 'Stale' },
          { column: 'Signals', operator: 'has' },
        ),
      ),
      [
        ['rules.rules.0.value', 'must be a signal: one of Stale, Unanswered, SingleThreaded, Cooling'],
        [
          'rules.rules.1.operator',
          '"eq" is not an operator of the signal column Signals; use one of has, hasNot',
        ],
        ['rules.rules.2.value', 'must be a signal: one of Stale, Unanswered, SingleThreaded, Cooling'],
      ],
    );
  });

  it('refuses bad groups: unknown combinator, no rules', () => {
    assert.deepEqual(problems({ name: 'S', rules: { combinator: 'xor', rules: [] } }), [
      ['rules.combinator', 'must be "and" or "or"'],
      ['rules.rules', 'a group needs at least one rule'],
    ]);
    assert.deepEqual(problems(segment({ combinator: 'nand', rules: [] }))[0], [
      'rules.rules.0.combinator',
      'must be "and" or "or"',
    ]);
  });

  it(`allows groups ${MAX_DEPTH} deep and ${MAX_CONDITIONS} conditions, no more`, () => {
    assert.ok(ruleGroupSchema.safeParse(nested(MAX_DEPTH)).success);
    assert.deepEqual(problems({ name: 'S', rules: nested(MAX_DEPTH + 1) }), [
      ['rules.rules.0.rules.0.rules.0.rules.0', `groups nest at most ${MAX_DEPTH} deep`],
    ]);
    const condition = { column: 'NoOfEmails_ToAccount', operator: 'ge', value: 1 };
    const fifty: RuleGroup = ruleGroupSchema.parse({
      combinator: 'or',
      rules: [
        { combinator: 'and', rules: Array(25).fill(condition) },
        { combinator: 'and', rules: Array(25).fill(condition) },
      ],
    });
    assert.equal(fifty.rules.length, 2);
    assert.deepEqual(
      problems({
        name: 'S',
        rules: { combinator: 'or', rules: [fifty, condition] },
      }),
      [['rules', `has ${MAX_CONDITIONS + 1} conditions; a segment has at most ${MAX_CONDITIONS}`]],
    );
  });

  it('refuses absurdly deep nesting as a problem, not a crash', () => {
    assert.deepEqual(
      problems({ name: 'S', rules: nested(5_000) }).map(([, message]) => message),
      [`groups nest at most ${MAX_DEPTH} deep`],
    );
  });
});
