import assert from 'node:assert/strict';
import { ApiProblem } from '../../tab/web/src/api/client';
import type { EngagementRow } from '../../tab/web/src/api/types';
import { parseHash } from '../../tab/web/src/router';
import type { Alert } from '../../tab/web/src/api/types';
import {
  deliveryVerdict,
  isAlertStatus,
  isDeliveryStatus,
  ownerVerdict,
  quietFor,
  statusVerdict,
} from '../../tab/web/src/screens/alerts/alert-labels';
import { historySeries } from '../../core/conversation/history-series';
import {
  describeRules,
  fromRules,
  newCondition,
  newGroup,
  toRules,
} from '../../tab/web/src/screens/segments/rule-model';
import { stepOfField, stepProblems } from '../../tab/web/src/wizard/wizard-model';

/** The tab's own logic, without a browser: routes, field problems, wizard checks, rules and history periods. */
describe('admin tab logic', function () {
  it('reads hash routes, deep links to customer cards included, and falls back to the overview', () => {
    assert.deepEqual(
      { ...parseHash('#/customers/AC%2F7'), query: undefined },
      { screen: 'customers', accountId: 'AC/7', query: undefined },
    );
    const consent = parseHash('#/consent?outcome=granted');
    assert.equal(consent.screen, 'consent');
    assert.equal(consent.query.get('outcome'), 'granted');
    assert.equal(parseHash('').screen, 'overview');
    assert.equal(parseHash('#/nowhere').screen, 'overview');
    assert.equal(parseHash('#/customers').accountId, undefined);
  });

  it('finds the problems of a field and of everything inside it', () => {
    const problem = new ApiProblem(422, 'Unprocessable', 'no', [
      { field: 'mapping.emailField', message: 'Choose it.' },
      { field: 'rules.rules.0.value', message: 'expected number' },
      { field: 'rules.rules.10.value', message: 'too big' },
    ]);
    assert.equal(problem.fieldMessage('mapping'), 'Choose it.');
    assert.equal(problem.fieldMessage('rules.rules.0'), 'expected number');
    assert.equal(problem.fieldMessage('rules.rules.1'), undefined);
    assert.equal(problem.fieldMessage('name'), undefined);
  });

  it('checks each wizard step and sends every API field to its step', () => {
    assert.match(stepProblems('tracked', { tracked: [] }, {})[0]?.message ?? '', /List the addresses/);
    assert.match(
      stepProblems('tracked', { tracked: ['ana@fabrikam.com'] }, {})[0]?.message ?? '',
      /At least 2 users/,
    );
    assert.deepEqual(
      stepProblems('tracked', { tracked: ['sales@fabrikam.com'] }, { 'sales@fabrikam.com': 'group' }),
      [],
    );
    assert.match(
      stepProblems('tracked', { tracked: ['not an address', 'ana@fabrikam.com'] }, {})[0]?.message ?? '',
      /not an address/,
    );
    assert.deepEqual(
      stepProblems('names', { name: ' ', entityName: '9x' }, {}).map((p) => p.field),
      ['name', 'entityName', 'region'],
    );
    assert.deepEqual(stepProblems('consent', { consentStatement: { accepted: true } }, {}), []);
    assert.equal(stepOfField('tracked'), 'tracked');
    assert.equal(stepOfField('consentStatement.accepted'), 'consent');
    assert.equal(stepOfField('mapping.domainField'), 'mapping');
    assert.equal(stepOfField('entityName'), 'names');
    assert.equal(stepOfField('engagement.weights.meeting'), 'review');
  });

  it('turns the rule editor into API rules and back, values as the API types them', () => {
    const edited = newGroup('and', [
      newCondition('EngagementScore', 'between', '40'),
      newGroup('or', [
        newCondition('AccountName', 'contains', 'toys'),
        newCondition('DaysSinceLastEmail', 'isNull'),
      ]),
    ]);
    const first = edited.rules[0];
    if (first?.kind === 'condition') first.value2 = '69';
    const rules = toRules(edited);
    assert.deepEqual(rules, {
      combinator: 'and',
      rules: [
        { column: 'EngagementScore', operator: 'between', value: [40, 69] },
        {
          combinator: 'or',
          rules: [
            { column: 'AccountName', operator: 'contains', value: 'toys' },
            { column: 'DaysSinceLastEmail', operator: 'isNull' },
          ],
        },
      ],
    });
    assert.deepEqual(toRules(fromRules(rules)), rules);
    assert.equal(
      describeRules(rules),
      'Engagement score is between 40 and 69 and (Customer name contains toys or Days since the last email is empty)',
    );
    // A number not typed yet goes as NaN, which JSON sends as null: the API names the field.
    assert.equal(
      JSON.stringify(toRules(newGroup('and', [newCondition('EngagementScore', 'ge', '')]))).includes('null'),
      true,
    );
  });

  it('lays an account’s month rows on every month of the window, zeros where it had no activity', () => {
    const asOf = '2026-11-01T00:00:00.000Z';
    const row = (start: string, to: number): EngagementRow =>
      ({
        AggregationStartDate: start,
        NoOfEmails_ToAccount: to,
        NoOfEmails_FromAccount: 1,
        NoOfMeetings_ToAccount: 0,
        NoOfMeetings_FromAccount: 2,
      }) as EngagementRow;
    const series = historySeries(
      asOf,
      'Month',
      [row('2026-03-01T00:00:00.000Z', 5), row('2025-11-01T00:00:00.000Z', 2)],
      { wholeWindow: true },
    );
    // [T − 365 days, T): 1 Nov 2025 to 31 Oct 2026, twelve calendar months.
    assert.equal(series.length, 12);
    assert.equal(series[0]?.start, '2025-11-01T00:00:00.000Z');
    assert.deepEqual(
      series.map((p) => p.emailsTo),
      [2, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0],
    );
    assert.equal(series[4]?.meetingsFrom, 2);
    const weeks = historySeries(asOf, 'Week', [], { wholeWindow: true });
    assert.ok(weeks.length >= 52 && weeks.length <= 54);
    assert.ok(weeks.every((p) => p.emailsTo === 0));
  });
  it('says who an alert is for, what became of its message and what happens next', () => {
    const alert: Alert = {
      alertId: 'a1',
      enrichmentId: 'sales',
      entityName: 'Office',
      accountId: 'AC-1',
      accountName: 'Contoso',
      episodeRunId: 'run-2',
      staleSince: '2026-03-01T00:00:00.000Z',
      runId: 'run-2',
      asOf: '2026-03-01T00:00:00.000Z',
      createdAt: '2026-03-01T01:00:00.000Z',
      thresholdDays: 60,
      daysSinceLastEmail: 75,
      daysSinceLastMeeting: null,
      engagementScore: 12,
      owner: { email: 'ana@fabrikam.com', source: 'owner-field' },
      ownerReason: null,
      status: 'open',
      closedAt: null,
      closedBy: null,
      delivery: { status: 'pending', attempts: 0 },
    };
    const failed = (attempts: number, status: Alert['status'] = 'open') =>
      deliveryVerdict({
        ...alert,
        status,
        delivery: { status: 'failed', attempts, lastError: 'HTTP 502: unavailable' },
      }).detail;

    assert.deepEqual(
      [deliveryVerdict(alert).label, deliveryVerdict({ ...alert, status: 'resolved' }).label],
      ['Pending', 'Not sent'],
    );
    assert.match(deliveryVerdict({ ...alert, status: 'snoozed' }).detail, /snoozed before it went out/);
    assert.match(failed(1), /^HTTP 502: unavailable\. Tried 1 of 3 times; the bot tries again/);
    assert.match(failed(3), /Gave up after 3 tries\.$/);
    assert.match(failed(1, 'declined'), /Not tried again: the alert is declined\.$/);
    assert.match(
      deliveryVerdict({
        ...alert,
        delivery: { status: 'failed', attempts: 1, lastError: 'HTTP 403: blocked', refused: true },
      }).detail,
      /^HTTP 403: blocked\. Refused for good \(the bot is blocked or the chat is gone\): not tried again\.$/,
    );
    const unconfirmed = deliveryVerdict({
      ...alert,
      delivery: {
        status: 'unknown',
        attempts: 1,
        lastError: 'ECONNRESET: socket hang up. The alert may have arrived, so it is not sent again.',
        lastAttemptAt: '2026-03-01T01:00:05.000Z',
      },
    });
    assert.equal(unconfirmed.label, 'Delivery unconfirmed');
    assert.match(
      unconfirmed.detail,
      /^(?!ECONNRESET).+: ECONNRESET: socket hang up\. The alert may have arrived/,
    );
    const notInstalled = { ...alert, delivery: { status: 'skipped-not-installed' as const, attempts: 1 } };
    assert.match(
      deliveryVerdict(notInstalled).detail,
      /^The owner had not installed the app in Teams.*The bot sends it as soon as they install it\.$/,
    );
    assert.match(
      deliveryVerdict({ ...notInstalled, status: 'resolved' }).detail,
      /had not installed the app.*Not sent later: the alert is resolved\.$/,
    );
    const requeued = { ...alert, delivery: { status: 'pending' as const, attempts: 1 } };
    assert.deepEqual(
      [deliveryVerdict(requeued).label, deliveryVerdict(requeued).detail],
      [
        'Pending',
        'Not sent yet: the owner has installed the app since it was skipped, so the bot sends it now, or at its next retry pass.',
      ],
    );
    assert.match(
      deliveryVerdict({ ...alert, delivery: { status: 'sent', attempts: 1, sentAt: alert.createdAt } })
        .detail,
      /^Sent \w+/,
    );

    const nobody = { ...alert, owner: null, ownerReason: 'no-owner' as const };
    assert.deepEqual(deliveryVerdict(nobody).label, 'Not sent');
    assert.match(ownerVerdict(nobody).detail, /names no owner and no tracked user was in touch with it/);
    assert.match(
      ownerVerdict({ ...nobody, ownerReason: 'owner-declined' }).detail,
      /said it is not their account/,
    );
    assert.equal(ownerVerdict(alert).detail, 'Owner in the customer dataset');

    const closed = { ...alert, closedAt: '2026-03-08T00:00:00.000Z' };
    assert.match(
      statusVerdict({ ...closed, status: 'snoozed', closedBy: 'ana@fabrikam.com' }).detail,
      /^The owner snoozed/,
    );
    assert.match(
      statusVerdict({ ...closed, status: 'declined', closedBy: 'ben@fabrikam.com' }).detail,
      /^ben@fabrikam\.com said it is not their account/,
    );
    assert.deepEqual(quietFor(alert), ['75 days without email', 'No meeting in the year']);
    assert.deepEqual(
      [
        isAlertStatus('snoozed'),
        isAlertStatus('toString'),
        isDeliveryStatus('unknown'),
        isDeliveryStatus(null),
      ],
      [true, false, true, false],
    );
  });
});
