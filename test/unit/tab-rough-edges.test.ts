import assert from 'node:assert/strict';
import { SEGMENT_COLUMNS } from '../../core/results/columns.ts';
import { COLUMN_LABELS, columnLabel, staleness, staleText } from '../../core/segments/segment-columns.ts';
import { staleRules } from '../../core/segments/stale-segment.ts';
import { axisTicks } from '../../tab/web/src/charts/axis-ticks.ts';
import type { ResultsSummary } from '../../tab/web/src/api/types.ts';
import { noResultsReason, resultsTitle } from '../../tab/web/src/screens/results/results-state.tsx';
import {
  apiRuleMessages,
  conditionProblem,
  friendlyConditionMessage,
  friendlyTextMessage,
  newCondition,
  newGroup,
  ruleProblems,
  withColumn,
} from '../../tab/web/src/screens/segments/rule-model.ts';
import { formatDay, formatMonth } from '../../tab/web/src/ui/format.ts';
import {
  STEPS,
  STEP_COUNT,
  entryText,
  stepLabel,
  stepNumber,
  stepPosition,
  trackedSummary,
} from '../../tab/web/src/wizard/wizard-model.ts';
import { evaluateRules } from '../support/rule-evaluator.ts';

describe('admin tab: the wording and numbers a new admin reads', () => {
  it('numbers the wizard one way: the overview unnumbered, then 1 to 6 in the list, the headings and "Step n of m"', () => {
    assert.equal(STEP_COUNT, 6);
    assert.deepEqual(
      STEPS.map((s) => stepLabel(s.id)),
      [
        'Overview',
        '1. Who to track',
        '2. Consent statement',
        '3. Customer dataset',
        '4. Field mapping',
        '5. Names and region',
        '6. Review and save',
      ],
    );
    assert.equal(stepNumber('overview'), undefined);
    assert.equal(stepPosition('overview'), 'Before you start');
    assert.equal(stepPosition('tracked'), 'Step 1 of 6');
    assert.equal(stepPosition('review'), 'Step 6 of 6');
  });

  it('shows a group by name with the people it resolves to, and what the entries add up to', () => {
    const kinds = { 'ussales@fabrikam.com': 'group', 'ana@fabrikam.com': 'user' } as const;
    const labels = {
      'ussales@fabrikam.com': { name: 'US Sales', memberCount: 14 },
      'ana@fabrikam.com': { name: 'Ana Diaz' },
    };
    assert.equal(
      entryText('ussales@fabrikam.com', 'group', labels['ussales@fabrikam.com']),
      'US Sales · 14 people',
    );
    assert.equal(entryText('ana@fabrikam.com', 'user', labels['ana@fabrikam.com']), 'Ana Diaz');
    assert.equal(
      entryText('solo@fabrikam.com', 'group', { name: 'Solo', memberCount: 1 }),
      'Solo · 1 person',
    );
    assert.equal(entryText('nobody@fabrikam.com', undefined, undefined), 'nobody@fabrikam.com');
    assert.equal(
      trackedSummary(['ana@fabrikam.com', 'ussales@fabrikam.com'], kinds, labels),
      '2 listed: 1 person, 1 group. At most 15 people are tracked: the save counts each person once.',
    );
    assert.equal(
      trackedSummary(['ana@fabrikam.com', 'x@fabrikam.com'], {}, {}),
      '2 listed: 2 people, 0 groups.',
    );
    assert.equal(trackedSummary([], {}, {}), 'Nothing listed yet.');
  });

  it('labels a few axis ticks that fit, the latest always, and dates weeks as "6 Oct" and months with their year', () => {
    const weeks = Array.from({ length: 53 }, (_, i) => `w${i}`);
    assert.deepEqual(axisTicks(weeks, 0), weeks, 'not measured yet: every label');
    const narrow = axisTicks(weeks, 260);
    assert.ok(narrow.length >= 2 && narrow.length <= 6, narrow.join());
    assert.equal(narrow.at(-1), 'w52');
    const wide = axisTicks(weeks, 600);
    assert.ok(wide.length > narrow.length && wide.length <= 14, wide.join());
    assert.deepEqual(axisTicks(['Jan 2026', 'Feb 2026'], 600), ['Jan 2026', 'Feb 2026']);
    assert.equal(formatDay('2025-10-06T00:00:00.000Z'), '6 Oct');
    assert.match(formatMonth('2025-11-01T00:00:00.000Z'), /^Nov 2025$/);
  });

  it('marks stale exactly the accounts of the built-in Stale accounts segment', () => {
    const quiet = { DaysSinceLastEmail: 160, DaysSinceLastMeeting: 159 };
    const noMeeting = { DaysSinceLastEmail: 61, DaysSinceLastMeeting: null };
    const nothing = { DaysSinceLastEmail: null, DaysSinceLastMeeting: null };
    const atThreshold = { DaysSinceLastEmail: 60, DaysSinceLastMeeting: 200 };
    const rows = [
      quiet,
      noMeeting,
      nothing,
      atThreshold,
      { DaysSinceLastEmail: 300, DaysSinceLastMeeting: 12 },
      { DaysSinceLastEmail: 0, DaysSinceLastMeeting: 0 },
    ];
    for (const row of rows) {
      assert.equal(staleness(row, 60).stale, evaluateRules(staleRules(60), row), JSON.stringify(row));
    }
    assert.equal(staleText(quiet, 60), 'Stale: no email or meeting for 159 days');
    assert.equal(staleText(noMeeting, 60), 'Stale: no email or meeting for 61 days');
    assert.equal(staleText(nothing, 60), 'Stale: no email or meeting in the last year');
    assert.equal(staleText(atThreshold, 60), undefined);
    assert.equal(staleText(quiet, 200), undefined, 'the enrichment’s own threshold');
  });

  it('names every segment column in words, keeps a compatible value and speaks in sentences, never zod', () => {
    for (const column of SEGMENT_COLUMNS) {
      assert.doesNotMatch(COLUMN_LABELS[column], /_|[a-z][A-Z]/, column);
    }
    assert.equal(columnLabel('NoOfEmails_ToAccount'), 'Emails sent to the customer');

    const score = newCondition('EngagementScore', 'ge', '70');
    assert.deepEqual(
      { ...withColumn(score, 'DaysSinceLastEmail'), id: 0 },
      { ...score, column: 'DaysSinceLastEmail', id: 0 },
    );
    const name = withColumn(score, 'AccountName');
    assert.deepEqual([name.operator, name.value], ['eq', '']);
    const between = { ...newCondition('EngagementScore', 'between', '40'), value2: '69' };
    assert.deepEqual([withColumn(between, 'NoOfEmails_ToAccount').value2], ['69']);

    assert.equal(
      conditionProblem(newCondition('EngagementScore', 'ge', '')),
      'Enter a number for Engagement score.',
    );
    assert.equal(
      conditionProblem(newCondition('AccountName', 'contains', ' ')),
      'Enter what Customer name contains.',
    );
    assert.equal(
      conditionProblem({ ...newCondition('EngagementScore', 'between', '70'), value2: '40' }),
      'The first bound of Engagement score must not be greater than the second: swap them.',
    );
    assert.equal(
      conditionProblem(newCondition('EngagementStartDate', 'before', '2026-13-01')),
      'Enter a date for Engaged since, such as 2026-03-01.',
    );
    assert.equal(conditionProblem(newCondition('DaysSinceLastMeeting', 'isNull')), undefined);

    const rules = newGroup('and', [
      newCondition('EngagementScore', 'ge', '70'),
      newGroup('or', [
        newCondition('AccountName', 'eq', 'x'.repeat(201)),
        { ...newCondition(), touched: false },
      ]),
    ]);
    assert.deepEqual(
      ruleProblems(rules).map((p) => p.field),
      ['rules.rules.1.rules.1'],
    );
    assert.deepEqual(ruleProblems(rules, { touchedOnly: true }), [], 'a condition just added waits');

    // The API's wording, mapped to the condition it names.
    const messages = apiRuleMessages(rules, [
      { field: 'rules.rules.1.rules.0.value', message: 'Too big: expected string to have <=200 characters' },
      { field: 'rules.rules.0.value', message: 'Invalid input: expected number, received null' },
      { field: 'rules.rules.1.rules', message: 'a group needs at least one rule' },
    ]);
    assert.deepEqual(messages, {
      'rules.rules.1.rules.0': 'The value of Customer name is too long: shorten it.',
      'rules.rules.0': 'Enter a number for Engagement score.',
      'rules.rules.1': 'Add a condition to this group, or remove the group.',
    });
    for (const message of Object.values(messages))
      assert.doesNotMatch(message, /expected|received|<=|Invalid/);
    assert.equal(
      friendlyConditionMessage(
        newCondition('EngagementStartDate', 'after', 'x'),
        'must be a date (YYYY-MM-DD) or …',
      ),
      'Enter a date for Engaged since, such as 2026-03-01.',
    );
    assert.equal(
      friendlyTextMessage('name', 'Too big: expected string to have <=100 characters'),
      'Shorten the name: at most 100 characters.',
    );
  });

  it('explains an empty Results page from the last run and the consent, and never calls the table "enriched customers"', () => {
    const summary = (lastRun: ResultsSummary['lastRun']): ResultsSummary => ({
      enrichmentId: 'sales',
      entityName: 'Office',
      results: null,
      lastRun,
    });
    const run = (status: 'queued' | 'running' | 'failed', error: string | null = null) => ({
      runId: 'r1',
      status,
      queuedAt: '2026-06-01T02:00:00.000Z',
      finishedAt: null,
      error,
    });
    assert.equal(noResultsReason(summary(run('running')), 'granted').title, 'The first run is under way');
    assert.match(
      noResultsReason(summary(run('failed', 'Graph refused')), 'granted').text,
      /failed: Graph refused\./,
    );
    assert.deepEqual(
      [noResultsReason(summary(null), 'requested').action, noResultsReason(summary(null), 'granted').action],
      ['consent', 'runs'],
    );
    assert.equal(resultsTitle('Office'), 'Results table (Office)');
  });
});
