import assert from 'node:assert/strict';
import { loadEnrichment } from '../../core/config/enrichment-config';
import { importDataset } from '../../core/datasets/dataset-library';
import type { EngagementRow, SignalName } from '../../core/engine';
import { awaitsDelivery, MAX_DELIVERY_ATTEMPTS } from '../../core/segments/alert-delivery-policy';
import type { AlertSummary } from '../../core/segments/alert-queries';
import { AlertStore, type StaleAlert } from '../../core/store/alert-store';
import { SegmentQueries } from '../../core/store/segment-queries';
import {
  declineAccount,
  evaluateSignalAlerts,
  pendingAlerts,
  recordDelivery,
  snoozeAccount,
  SnoozeError,
  type StaleOutcome,
} from '../../core/segments/stale-alerts';
import { staleRules } from '../../core/segments/stale-segment';
import type { Containers } from '../../core/store/containers';
import { ResultsRepository } from '../../core/store/results-repository';
import { appContainers, saveEnrichment, tenantOf } from '../support/enrichment-fixture';
import { DAY_MS, runToEnd } from '../support/run-api';
import { changeEnrichment } from '../support/segment-fixture';
import { publishRows, yearRow } from '../support/segment-rows';
import { startTestApp, type TestApp } from '../support/test-app';

const ONE = 'owner.one@fabrikam.com';
const TWO = 'owner.two@fabrikam.com';
const SELLER = 'seller@fabrikam.com';

/** The customers of the hand-driven runs: who owns which account (B3, B4 have no mapped owner). */
const CUSTOMERS = {
  accounts: [
    { AccountId: 'B1', Name: 'Bolt', OwnerEmail: 'Owner.One@Fabrikam.com' },
    { AccountId: 'B2', Name: 'Birch', OwnerEmail: TWO },
    { AccountId: 'B3', Name: 'Cedar', OwnerEmail: '' },
    { AccountId: 'B4', Name: 'Dune', OwnerEmail: '' },
    { AccountId: 'B5', Name: 'Elm', OwnerEmail: ONE },
    { AccountId: 'B6', Name: 'Fir', OwnerEmail: TWO },
  ],
  contacts: [{ ContactId: 'C1', AccountId: 'B1', Email: 'buyer@bolt.example' }],
};

type Row = EngagementRow & { TopEngagedUserEmail?: string; Signals?: SignalName[] };

/** Stale at a 30-day threshold, or active. */
const stale = (AccountId: string, extra: Partial<Row> = {}): Row => ({
  ...yearRow({ AccountId, DaysSinceLastEmail: 40, DaysSinceLastMeeting: null, EngagementScore: 5 }),
  ...extra,
});
const active = (AccountId: string): Row =>
  yearRow({ AccountId, DaysSinceLastEmail: 1, DaysSinceLastMeeting: 2, EngagementScore: 60 });

interface AlertPage {
  alerts: StaleAlert[];
  nextPage?: string;
}

describe('stale-account alerts', () => {
  let app: TestApp;
  let containers: Containers;
  let tenantId: string;
  let clock = Date.now();
  const start = Date.parse('2026-03-01T00:00:00.000Z');
  const asOf = (days: number) => new Date(start + days * DAY_MS).toISOString();

  /**
   * Publishes a run's rows and evaluates them as the follow-up registered on the run service does
   * after a successful run (that registration is checked with real runs at the end).
   */
  async function succeed(runId: string, rows: Row[], at: string): Promise<StaleOutcome> {
    const results = new ResultsRepository(containers.results, tenantId);
    await publishRows(results, 'Office', runId, rows, at);
    const config = (await loadEnrichment(containers, tenantId, 'sales')) ?? assert.fail('no enrichment');
    const visible = (await results.visibleRun('Office')) ?? assert.fail('not published');
    return evaluateSignalAlerts(containers, { tenantId, enrichment: config, visible, now: clock });
  }

  const alerts = async (query = '') => {
    const answer = await app.api<AlertPage>('GET', `/api/enrichments/sales/alerts${query}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body.alerts;
  };
  const byAccount = (list: StaleAlert[]) =>
    Object.fromEntries(list.map((a) => [a.accountId, a])) as Record<string, StaleAlert | undefined>;

  before(async () => {
    app = await startTestApp({}, { now: () => clock });
    containers = await appContainers(app);
    tenantId = tenantOf(app);
    await saveEnrichment(app, {
      enrichmentId: 'sales',
      tracked: ['ana@fabrikam.com'],
      consentGrantedAt: null,
    });
    await importDataset(
      { containers, tenantId, now: () => clock },
      {
        datasetId: 'alert-customers',
        name: 'Alert customers',
        upload: { format: 'json', file: { text: JSON.stringify(CUSTOMERS) } },
        importedBy: null,
        create: true,
      },
    );
    await changeEnrichment(app, 'sales', { datasetId: 'alert-customers', staleThresholdDays: 30 });
  });
  after(async () => app?.close());

  it('raises nothing for the first run: it records who is stale', async () => {
    const outcome = await succeed(
      'run-1',
      [stale('B1'), active('B2'), active('B3'), stale('B4'), active('B5')],
      asOf(0),
    );
    assert.deepEqual(outcome, { baseline: true, stale: 2, created: [], deferred: 0, recovered: 0 });
    assert.deepEqual(await alerts(), []);
  });

  it('raises one alert per newly stale account, for its owner, and none for accounts stale before', async () => {
    await snoozeAccount(containers, tenantId, {
      enrichmentId: 'sales',
      accountId: 'B5',
      by: ONE,
      now: clock,
      until: clock + 20 * DAY_MS,
    });
    const outcome = await succeed(
      'run-2',
      [
        stale('B1'),
        stale('B2', { AccountName: 'Birch' }),
        stale('B3', { TopEngagedUserEmail: 'Seller@Fabrikam.com' }),
        active('B4'),
        stale('B5'),
        stale('B6'),
      ],
      asOf(7),
    );
    assert.deepEqual(
      {
        baseline: outcome.baseline,
        stale: outcome.stale,
        deferred: outcome.deferred,
        recovered: outcome.recovered,
      },
      { baseline: false, stale: 5, deferred: 1, recovered: 1 },
    );
    assert.deepEqual(outcome.created.map((a) => a.accountId).sort(), ['B2', 'B3', 'B6']);
    const raised = byAccount(await alerts());
    // B1 was stale already, B4 recovered, B5 is snoozed.
    assert.deepEqual(Object.keys(raised).sort(), ['B2', 'B3', 'B6']);
    assert.deepEqual(raised.B2?.owner, { email: TWO, source: 'owner-field' });
    assert.deepEqual(raised.B3?.owner, { email: SELLER, source: 'top-engaged-user' });
    assert.deepEqual(raised.B6?.owner, { email: TWO, source: 'owner-field' });
    assert.deepEqual(
      {
        accountName: raised.B2?.accountName,
        episodeRunId: raised.B2?.episodeRunId,
        staleSince: raised.B2?.staleSince,
        thresholdDays: raised.B2?.thresholdDays,
        daysSinceLastEmail: raised.B2?.daysSinceLastEmail,
        daysSinceLastMeeting: raised.B2?.daysSinceLastMeeting,
        status: raised.B2?.status,
        ownerReason: raised.B2?.ownerReason,
        delivery: raised.B2?.delivery,
      },
      {
        accountName: 'Birch',
        episodeRunId: 'run-2',
        staleSince: asOf(7),
        thresholdDays: 30,
        daysSinceLastEmail: 40,
        daysSinceLastMeeting: null,
        status: 'open',
        ownerReason: null,
        delivery: { status: 'pending', attempts: 0 },
      },
    );
    assert.deepEqual((await pendingAlerts(containers, tenantId)).map((a) => a.accountId).sort(), [
      'B2',
      'B3',
      'B6',
    ]);
  });

  it('does not raise an alert twice when a run is evaluated again, and keeps its delivery', async () => {
    const b2 = byAccount(await alerts()).B2 ?? assert.fail('B2');
    const sent = await recordDelivery(containers, tenantId, b2.alertId, { status: 'sent', at: clock });
    assert.equal(sent?.delivery.sentAt, new Date(clock).toISOString());
    const outcome = await succeed(
      'run-2',
      [
        stale('B1'),
        stale('B2', { AccountName: 'Birch' }),
        stale('B3', { TopEngagedUserEmail: SELLER }),
        active('B4'),
        stale('B5'),
        stale('B6'),
      ],
      asOf(7),
    );
    assert.deepEqual(outcome.created, []);
    const again = await alerts();
    assert.equal(again.length, 3);
    assert.deepEqual(byAccount(again).B2?.delivery, {
      status: 'sent',
      attempts: 1,
      sentAt: new Date(clock).toISOString(),
      lastAttemptAt: new Date(clock).toISOString(),
    });
    assert.deepEqual((await pendingAlerts(containers, tenantId)).map((a) => a.accountId).sort(), [
      'B3',
      'B6',
    ]);
  });

  it('records failed deliveries and stops offering an alert after the last attempt', async () => {
    const b6 = byAccount(await alerts()).B6 ?? assert.fail('B6');
    for (let attempt = 1; attempt <= MAX_DELIVERY_ATTEMPTS; attempt++) {
      assert.ok((await pendingAlerts(containers, tenantId)).some((a) => a.alertId === b6.alertId));
      await recordDelivery(containers, tenantId, b6.alertId, {
        status: 'failed',
        error: 'bot unreachable',
        at: clock,
      });
    }
    const failed = byAccount(await alerts('?delivery=failed')).B6;
    assert.deepEqual(failed?.delivery, {
      status: 'failed',
      attempts: MAX_DELIVERY_ATTEMPTS,
      lastError: 'bot unreachable',
      lastAttemptAt: new Date(clock).toISOString(),
    });
    assert.deepEqual(
      (await pendingAlerts(containers, tenantId)).map((a) => a.accountId),
      ['B3'],
    );
    assert.equal(
      await recordDelivery(containers, tenantId, 'no-such-alert', { status: 'sent', at: clock }),
      undefined,
    );
  });

  it('records a delivery whose outcome is unknown and never offers it again', async () => {
    const waiting = async () => ({
      offered: (await pendingAlerts(containers, tenantId)).map((a) => a.accountId),
      awaiting: (await alerts()).filter(awaitsDelivery).map((a) => a.accountId),
    });
    assert.deepEqual(await waiting(), { offered: ['B3'], awaiting: ['B3'] });
    const b3 = byAccount(await alerts()).B3 ?? assert.fail('B3');
    await recordDelivery(containers, tenantId, b3.alertId, {
      status: 'unknown',
      error: 'ECONNRESET: socket hang up',
      at: clock,
    });
    assert.deepEqual(byAccount(await alerts('?delivery=unknown')).B3?.delivery, {
      status: 'unknown',
      attempts: 1,
      lastError: 'ECONNRESET: socket hang up',
      lastAttemptAt: new Date(clock).toISOString(),
    });
    assert.deepEqual(await waiting(), { offered: [], awaiting: [] });
  });

  it('closes alerts the owner declines or the account recovers from, and skips declined owners later', async () => {
    const declined = await declineAccount(containers, tenantId, {
      enrichmentId: 'sales',
      accountId: 'B2',
      by: 'Owner.Two@fabrikam.com',
      now: clock,
    });
    assert.deepEqual(declined, { closedAlerts: 1 });
    // Several sellers may decline one account; each is remembered once.
    for (const by of [SELLER, TWO]) {
      await declineAccount(containers, tenantId, { enrichmentId: 'sales', accountId: 'B2', by, now: clock });
    }
    const store = new AlertStore(containers.alerts, tenantId);
    assert.deepEqual((await store.read('decline', store.idOf('decline', 'sales', 'B2')))?.value.declinedBy, [
      TWO,
      SELLER,
    ]);

    clock += 7 * DAY_MS;
    // B2 and B3 recover; B4 goes stale again; B5 is still snoozed.
    await succeed(
      'run-3',
      [stale('B1'), active('B2'), active('B3'), stale('B4'), stale('B5'), stale('B6')],
      asOf(14),
    );
    const now = byAccount(await alerts());
    assert.equal(now.B2?.status, 'declined');
    assert.equal(now.B2?.closedBy, TWO);
    assert.equal(now.B3?.status, 'resolved');
    assert.equal(now.B3?.closedBy, null);
    assert.deepEqual(
      { owner: now.B4?.owner, ownerReason: now.B4?.ownerReason, episode: now.B4?.episodeRunId },
      { owner: null, ownerReason: 'no-owner', episode: 'run-3' },
    );
    assert.equal(now.B5, undefined);

    // B2 goes stale again: its only owner candidate declined it.
    await succeed(
      'run-4',
      [stale('B1'), stale('B2'), active('B3'), stale('B4'), stale('B5'), stale('B6')],
      asOf(21),
    );
    const b2 = (await alerts('?status=open')).find((a) => a.accountId === 'B2');
    assert.deepEqual(
      { owner: b2?.owner, ownerReason: b2?.ownerReason },
      { owner: null, ownerReason: 'owner-declined' },
    );
    assert.ok(!(await pendingAlerts(containers, tenantId)).some((a) => a.accountId === 'B2'));
  });

  it('raises a snoozed account’s alert at the first run after the snooze if it is still stale', async () => {
    clock += 14 * DAY_MS;
    await succeed(
      'run-5',
      [stale('B1'), stale('B2'), active('B3'), stale('B4'), stale('B5'), stale('B6')],
      asOf(28),
    );
    const b5 = byAccount(await alerts()).B5 ?? assert.fail('B5 alerted after the snooze');
    assert.deepEqual(
      { episode: b5.episodeRunId, staleSince: b5.staleSince, runId: b5.runId, owner: b5.owner },
      { episode: 'run-2', staleSince: asOf(7), runId: 'run-5', owner: { email: ONE, source: 'owner-field' } },
    );

    // Snoozing closes the open alert; the same episode never alerts again.
    const snoozed = await snoozeAccount(containers, tenantId, {
      enrichmentId: 'sales',
      accountId: 'B5',
      by: ONE,
      now: clock,
    });
    assert.deepEqual(snoozed, { until: new Date(clock + 30 * DAY_MS).toISOString(), closedAlerts: 1 });
    clock += 31 * DAY_MS;
    await succeed(
      'run-6',
      [stale('B1'), stale('B2'), active('B3'), stale('B4'), stale('B5'), stale('B6')],
      asOf(60),
    );
    assert.deepEqual(
      (await alerts()).filter((a) => a.accountId === 'B5').map((a) => a.status),
      ['snoozed'],
    );
    await assert.rejects(
      snoozeAccount(containers, tenantId, {
        enrichmentId: 'sales',
        accountId: 'B5',
        by: ONE,
        now: clock,
        until: clock - 1,
      }),
      SnoozeError,
    );
  });

  it('lists alerts newest first, by status and delivery, page by page', async () => {
    const all = await alerts('?pageSize=100');
    const created = all.map((a) => a.createdAt);
    assert.deepEqual(created, [...created].sort().reverse());
    const first = await app.api<AlertPage>('GET', '/api/enrichments/sales/alerts?pageSize=2');
    assert.equal(first.body.alerts.length, 2);
    const rest = await app.api<AlertPage>(
      `GET`,
      `/api/enrichments/sales/alerts?pageSize=100&page=${first.body.nextPage}`,
    );
    assert.deepEqual(
      [...first.body.alerts, ...rest.body.alerts].map((a) => a.alertId),
      all.map((a) => a.alertId),
    );
    assert.deepEqual(
      (await alerts('?status=resolved')).map((a) => a.accountId),
      ['B3'],
    );
    const bad = await app.api<{ error: { fields: { field: string }[] } }>(
      'GET',
      '/api/enrichments/sales/alerts?status=gone',
    );
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.fields[0]?.field, 'query.status');
  });

  it('counts alerts by status and by delivery, each under the other filter', async () => {
    const summary = async (query = '') => {
      const answer = await app.api<AlertSummary>('GET', `/api/enrichments/sales/alerts/summary${query}`);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      return answer.body;
    };
    // B2 declined (sent), B3 resolved (unknown), B6 open (failed), B4 and B2's second episode open
    // without an owner, B5 snoozed before it went out.
    const none = { pending: 0, sent: 0, failed: 0, unknown: 0, 'skipped-not-installed': 0 };
    const byStatus = { open: 3, snoozed: 1, declined: 1, resolved: 1 };
    assert.deepEqual(await summary(), {
      // The first run here was published without a run record.
      baseline: { runId: 'run-1', asOf: null },
      lastRunId: 'run-6',
      total: 6,
      status: byStatus,
      delivery: { ...none, pending: 3, sent: 1, failed: 1, unknown: 1 },
      withoutOwner: 2,
    });
    const open = await summary('?status=open');
    assert.deepEqual(
      { total: open.total, status: open.status, delivery: open.delivery, withoutOwner: open.withoutOwner },
      { total: 3, status: byStatus, delivery: { ...none, pending: 2, failed: 1 }, withoutOwner: 2 },
    );
    const pending = await summary('?delivery=pending');
    assert.deepEqual(
      { total: pending.total, status: pending.status, withoutOwner: pending.withoutOwner },
      { total: 3, status: { open: 2, snoozed: 1, declined: 0, resolved: 0 }, withoutOwner: 2 },
    );
    assert.equal((await summary('?status=open&delivery=pending')).total, 2);
    assert.equal((await app.api('GET', '/api/enrichments/sales/alerts/summary?delivery=lost')).status, 400);
  });

  it('raises alerts for another signal the admin turns on: a baseline, then one per account and episode', async () => {
    const config = (await loadEnrichment(containers, tenantId, 'sales')) ?? assert.fail('no enrichment');
    await changeEnrichment(app, 'sales', {
      engagement: {
        ...config.engagement,
        signals: { ...config.engagement.signals, alerts: ['Stale', 'Cooling'] },
      },
    });
    const cooling = (AccountId: string): Row => ({ ...active(AccountId), Signals: ['Cooling'] });
    const evaluate = async (runId: string, rows: Row[], at: string) => {
      const results = new ResultsRepository(containers.results, tenantId);
      await publishRows(results, 'Office', runId, rows, at);
      const enrichment =
        (await loadEnrichment(containers, tenantId, 'sales')) ?? assert.fail('no enrichment');
      const visible = (await results.visibleRun('Office')) ?? assert.fail('not published');
      return evaluateSignalAlerts(containers, {
        tenantId,
        enrichment,
        visible,
        now: clock,
        signal: 'Cooling',
      });
    };

    // The first Cooling evaluation is its baseline, whatever Stale saw before.
    const first = await evaluate('run-c1', [cooling('B1'), active('B2'), active('B6')], asOf(200));
    assert.deepEqual(first, { baseline: true, stale: 1, created: [], deferred: 0, recovered: 0 });

    const second = await evaluate('run-c2', [cooling('B1'), cooling('B6'), active('B2')], asOf(207));
    assert.equal(second.created.length, 1);
    const [alert] = second.created;
    assert.equal(alert?.signal, 'Cooling');
    assert.equal(alert?.accountId, 'B6');
    assert.equal(alert?.owner?.email, TWO);
    assert.equal(alert?.thresholdDays, 30, "Cooling's recent span");
    assert.equal(
      (await evaluate('run-c2', [cooling('B1'), cooling('B6'), active('B2')], asOf(207))).created.length,
      0,
    );

    // B6 stops cooling: its alert is resolved; the Stale alerts of the same accounts are untouched.
    const staleBefore = (await alerts()).filter((a) => (a.signal ?? 'Stale') === 'Stale');
    const third = await evaluate('run-c3', [cooling('B1'), active('B6'), active('B2')], asOf(214));
    assert.equal(third.recovered, 1);
    const listed = byAccount((await alerts()).filter((a) => a.signal === 'Cooling'));
    assert.equal(listed.B6?.status, 'resolved');
    assert.deepEqual(
      (await alerts()).filter((a) => (a.signal ?? 'Stale') === 'Stale'),
      staleBefore,
    );
  });

  it('follows real runs: after the first, who is stale is recorded as the baseline, without alerts', async () => {
    await saveEnrichment(app, {
      enrichmentId: 'live',
      tracked: ['ana@fabrikam.com', 'ruth.mehta@fabrikam.com'],
      consentGrantedAt: clock,
      schedule: { cadence: 'off' },
      entityName: 'Live',
    });
    const queries = new SegmentQueries(containers.results);
    const staleIds = async (runId: string) =>
      (await queries.allMembers<EngagementRow>({ tenantId, entity: 'Live', runId }, staleRules(60)))
        .map((r) => r.AccountId)
        .sort();
    const store = new AlertStore(containers.alerts, tenantId);

    const first = await runToEnd(app, 'live');
    assert.equal(first.status, 'succeeded', first.error ?? '');
    await app.stack.runs.idle();
    const staleFirst = await staleIds(first.runId);
    assert.ok(staleFirst.length > 0, 'the demo tenant has stale accounts');
    assert.deepEqual((await store.read('watch', store.watchId('live')))?.value, {
      enrichmentId: 'live',
      baselineRunId: first.runId,
      lastRunId: first.runId,
    });
    assert.deepEqual((await store.list('state', 'live')).map((s) => s.accountId).sort(), staleFirst);

    const raised = await app.api<AlertPage>('GET', '/api/enrichments/live/alerts');
    assert.deepEqual(raised.body.alerts, []);
    const summary = await app.api<AlertSummary>('GET', '/api/enrichments/live/alerts/summary');
    assert.deepEqual(
      { baseline: summary.body.baseline, lastRunId: summary.body.lastRunId, total: summary.body.total },
      { baseline: { runId: first.runId, asOf: first.asOf }, lastRunId: first.runId, total: 0 },
    );
  });
});
