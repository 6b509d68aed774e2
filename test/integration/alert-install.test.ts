import assert from 'node:assert/strict';
import { alertCard } from '../../bot/cards/alert-card';
import { tabLinks } from '../../bot/cards/tab-links';
import { AlertDelivery } from '../../bot/proactive/alert-delivery';
import { AlertSender } from '../../bot/proactive/alert-sender';
import { AlertStore, type StaleAlert } from '../../core/store/alert-store';
import { declineAccount, snoozeAccount } from '../../core/segments/stale-alerts';
import type { Containers } from '../../core/store/containers';
import { ConversationRepository } from '../../core/store/conversation-repository';
import { appContainers, tenantOf } from '../support/enrichment-fixture';
import { FakeConnector } from '../../local/fake-connector';
import { pendingAlert } from '../support/pending-alert';
import { startTestApp, type TestApp } from '../support/test-app';

const GAIL = { id: '29:gail', aadObjectId: '7d1c3a52-0b7e-4a55-9d2f-6f1f0c2a9b11', name: 'Gail Ortiz' };
const GAIL_EMAIL = 'gail.ortiz@fabrikam.com';
const BOT = { id: '28:account-engagement', name: 'Account engagement' };
/** Sends are paced hard on the tenant, so the sender's workers queue up and wait at the same time. */
const RATES = { tenant: { perSecond: 25, burst: 1 }, conversation: { perSecond: 100, burst: 10 } };

let counter = 0;

function alertFor(owner: string): StaleAlert {
  const accountId = `AC-${String(++counter).padStart(5, '0')}`;
  return pendingAlert(owner, {
    alertId: `install-${accountId}`,
    accountId,
    createdAt: new Date(Date.parse('2026-03-02T08:00:00Z') + counter).toISOString(),
  });
}

describe('alerts of owners who install the app later', () => {
  let app: TestApp;
  let containers: Containers;
  let tenantId: string;
  let connector: FakeConnector;
  let store: AlertStore;

  before(async () => {
    app = await startTestApp({}, { bot: { sender: { rates: RATES, log: () => undefined } } });
    containers = await appContainers(app);
    tenantId = tenantOf(app);
    store = new AlertStore(containers.alerts, tenantId);
    connector = await new FakeConnector().start();
    connector.members.set(GAIL.id, { ...GAIL, email: GAIL_EMAIL });
  });
  after(async () => {
    await connector?.close();
    await app?.close();
  });

  const stored = async (alert: StaleAlert) =>
    (await store.read('alert', store.alertDocumentId(alert.alertId)))?.value;

  /** Gail installs the app in personal scope: the installationUpdate Teams posts to the bot. */
  async function install(): Promise<void> {
    const response = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'installationUpdate',
        action: 'add',
        id: `install-${Date.now()}`,
        timestamp: new Date().toISOString(),
        channelId: 'msteams',
        serviceUrl: connector.url,
        from: GAIL,
        recipient: BOT,
        conversation: { id: 'a:gail', conversationType: 'personal', tenantId },
        channelData: { tenant: { id: tenantId } },
      }),
    });
    assert.ok(response.ok, `the bot took the install (${response.status})`);
    await app.stack.bot.delivery.idle();
  }

  const alertsTo = (conversationId: string) =>
    connector.received.filter((r) => r.conversationId === conversationId).map((r) => r.activity);

  it('delivers an owner’s open alerts skipped as not installed once they install the app, and only once', async () => {
    const open = alertFor(GAIL_EMAIL);
    const [snoozed, declined, resolved] = [alertFor(GAIL_EMAIL), alertFor(GAIL_EMAIL), alertFor(GAIL_EMAIL)];
    const someoneElse = alertFor('hal@fabrikam.com');
    const all = [open, snoozed, declined, resolved, someoneElse];
    await store.createAlerts(all);

    const skipped = await app.stack.bot.delivery.deliver(tenantId);
    assert.equal(skipped?.['skipped-not-installed'], 5);
    assert.equal(connector.received.length, 0);

    const now = Date.now();
    await snoozeAccount(containers, tenantId, {
      enrichmentId: 'sales',
      accountId: snoozed.accountId,
      by: GAIL_EMAIL,
      now,
    });
    await declineAccount(containers, tenantId, {
      enrichmentId: 'sales',
      accountId: declined.accountId,
      by: GAIL_EMAIL,
      now,
    });
    await store.update('alert', store.alertDocumentId(resolved.alertId), (alert) => ({
      ...alert,
      status: 'resolved',
      closedAt: new Date(now).toISOString(),
    }));

    await install();
    const conversation = await new ConversationRepository(containers.conversations, tenantId).personalByEmail(
      GAIL_EMAIL,
    );
    assert.equal(conversation?.userId, GAIL.aadObjectId);
    const sent = alertsTo('a:gail');
    assert.equal(sent.length, 1, 'one message: the open alert');
    assert.match(JSON.stringify(sent[0]?.attachments), new RegExp(open.accountName));
    const delivered = await stored(open);
    assert.equal(delivered?.delivery.status, 'sent');
    assert.equal(delivered?.delivery.attempts, 2, 'the skip, then the send');
    for (const [alert, status] of [
      [snoozed, 'snoozed'],
      [declined, 'declined'],
      [resolved, 'resolved'],
      [someoneElse, 'open'],
    ] as const) {
      const now = await stored(alert);
      assert.equal(now?.status, status, alert.accountId);
      assert.deepEqual(now?.delivery.status, 'skipped-not-installed', `${status}: left as it was`);
    }

    await install();
    assert.equal(alertsTo('a:gail').length, 1, 'a second install sends nothing again');
    assert.deepEqual((await stored(open))?.delivery, delivered?.delivery);
  });

  it('sends once when two instances hear of the same install at the same time', async () => {
    const alert = alertFor(GAIL_EMAIL);
    await store.createAlerts([alert]);
    await store.update('alert', store.alertDocumentId(alert.alertId), (a) => ({
      ...a,
      delivery: { status: 'skipped-not-installed', attempts: 1 },
    }));
    const links = tabLinks({ tabUrl: () => 'http://localhost:3978/tab/' });
    const other = new AlertDelivery({
      containers,
      log: () => undefined,
      sender: new AlertSender({
        containers,
        channel: app.stack.bot.proactive,
        cardFor: (a) => alertCard(a, links),
        instanceId: 'other-instance',
        log: () => undefined,
      }),
    });
    const before = alertsTo('a:gail').length;
    const reports = await Promise.all([
      app.stack.bot.delivery.ownerInstalled(tenantId, GAIL_EMAIL),
      other.ownerInstalled(tenantId, GAIL_EMAIL.toUpperCase()),
    ]);
    await other.stop();
    assert.equal(alertsTo('a:gail').length, before + 1);
    assert.equal(
      reports.reduce((sent, report) => sent + (report?.sent ?? 0), 0),
      1,
    );
    assert.equal((await stored(alert))?.delivery.status, 'sent');
  });

  it('emits no MaxListenersExceededWarning during a pass of many alerts', async () => {
    const tenant = 'tenant-many-alerts';
    const repository = new ConversationRepository(containers.conversations, tenant);
    const owners = Array.from({ length: 20 }, (_, i) => `seller.${i}@fabrikam.com`);
    for (const email of owners) {
      await repository.savePersonal(
        {
          userId: `user-${email}`,
          email,
          name: email,
          reference: {
            channelId: 'msteams',
            serviceUrl: connector.url,
            conversation: { id: `a:${email}`, conversationType: 'personal', tenantId: tenant },
            bot: BOT,
            user: { id: `29:${email}`, name: email },
          },
        },
        Date.now(),
      );
    }
    await new AlertStore(containers.alerts, tenant).createAlerts(
      Array.from({ length: 60 }, (_, i) => alertFor(owners[i % owners.length] ?? '')),
    );
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => {
      if (warning.name === 'MaxListenersExceededWarning') warnings.push(warning);
    };
    process.on('warning', onWarning);
    try {
      // A signal of the caller's own, with the default limit of 10 listeners, for 16 workers.
      const report = await app.stack.bot.sender.deliverPending(tenant, new AbortController().signal);
      assert.equal(report.sent, 60);
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    assert.deepEqual(
      warnings.map((w) => w.message),
      [],
    );
  });
});
