import assert from 'node:assert/strict';
import sinon from 'sinon';
import { alertCard } from '../../bot/cards/alert-card';
import { tabLinks } from '../../bot/cards/tab-links';
import { AlertSender, type AlertSenderOptions } from '../../bot/proactive/alert-sender';
import type { Clock } from '../../core/graph/clock';
import { AlertStore, type StaleAlert } from '../../core/store/alert-store';
import { awaitsDelivery } from '../../core/segments/alert-delivery-policy';
import { pendingAlerts } from '../../core/segments/stale-alerts';
import type { Containers } from '../../core/store/containers';
import { ConversationRepository } from '../../core/store/conversation-repository';
import { DeliveryClaims } from '../../core/store/delivery-claims';
import { appContainers, tenantOf } from '../support/enrichment-fixture';
import { FakeConnector } from '../../local/fake-connector';
import { pendingAlert } from '../support/pending-alert';
import { startTestApp, type TestApp } from '../support/test-app';

const T0 = Date.parse('2026-03-02T08:00:00Z');
let counter = 0;

function alertFor(owner: string, accountId = `AC-${String(++counter).padStart(5, '0')}`): StaleAlert {
  return pendingAlert(owner, {
    alertId: `alert-${counter}-${accountId}`,
    accountId,
    createdAt: new Date(T0).toISOString(),
  });
}

/**
 * Sinon fake timers the sender sleeps on, installed on a context of their own (the Cosmos DB and
 * HTTP clients keep real time): every wait is recorded and passes at once in virtual time.
 */
function fakeClock() {
  const context = { Date, setTimeout, clearTimeout, Promise };
  // sinon installs on `global` when given one (its typings do not list the option).
  const config = { now: T0, global: context, toFake: ['Date', 'setTimeout', 'clearTimeout'] };
  const clock = sinon.useFakeTimers(config as Parameters<typeof sinon.useFakeTimers>[0] & object);
  const waits: number[] = [];
  const asClock: Clock = {
    now: () => clock.now,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      waits.push(ms);
      const done = new Promise<void>((resolve) => clock.setTimeout(() => resolve(), ms));
      await clock.tickAsync(ms);
      await done;
    },
  };
  return { clock, waits, asClock };
}

describe('proactive alert sender', () => {
  let app: TestApp;
  let containers: Containers;
  let tenantId: string;
  let connector: FakeConnector;
  let store: AlertStore;

  before(async () => {
    app = await startTestApp();
    containers = await appContainers(app);
    tenantId = tenantOf(app);
    store = new AlertStore(containers.alerts, tenantId);
    connector = await new FakeConnector().start();
  });
  after(async () => {
    await connector?.close();
    await app?.close();
  });
  beforeEach(() => {
    connector.received.length = 0;
    connector.script = [];
  });

  async function install(email: string, tenant = tenantId) {
    const userId = `user-${email}`;
    await new ConversationRepository(containers.conversations, tenant).savePersonal(
      {
        userId,
        email,
        name: email,
        reference: {
          channelId: 'msteams',
          serviceUrl: connector.url,
          conversation: { id: `a:${email}`, conversationType: 'personal', tenantId: tenant },
          bot: { id: '28:bot', name: 'Account engagement' },
          user: { id: `29:${userId}`, name: email, aadObjectId: userId },
        },
      },
      T0,
    );
  }

  function sender(overrides: Partial<AlertSenderOptions> = {}) {
    const time = fakeClock();
    const links = tabLinks({ tabUrl: () => 'http://localhost:3978/tab/' });
    const instance = new AlertSender({
      containers,
      channel: app.stack.bot.proactive,
      cardFor: (alert) => alertCard(alert, links),
      instanceId: 'sender-1',
      clock: time.asClock,
      random: () => 0.5,
      log: () => undefined,
      ...overrides,
    });
    return { sender: instance, ...time };
  }

  async function stored(alert: StaleAlert) {
    return (await store.read('alert', store.alertDocumentId(alert.alertId)))?.value;
  }

  it('retries 429, 5xx and 412 with backoff that honours Retry-After, then records the delivery', async () => {
    await install('ana@fabrikam.com');
    const alert = alertFor('ana@fabrikam.com');
    await store.createAlerts([alert]);
    connector.script = [{ status: 429, headers: { 'retry-after': '3' } }, { status: 503 }, { status: 412 }];
    const { sender: s, waits } = sender();
    assert.equal(await s.deliver(tenantId, alert), 'sent');
    assert.equal(
      connector.received.length,
      4,
      'one request per try: the connector client retries nothing itself',
    );
    assert.equal(connector.received[0]?.conversationId, 'a:ana@fabrikam.com');
    // Retry-After 3 s; then equal-jitter backoff from 1 s doubling (random 0.5: three quarters of the step).
    assert.deepEqual(waits, [3000, 1500, 3000]);
    const record = await stored(alert);
    assert.equal(record?.delivery.status, 'sent');
    assert.equal(record?.delivery.attempts, 1);
    const claim = await new DeliveryClaims(containers.conversations, tenantId).read(alert.alertId);
    assert.equal(claim?.claim.state, 'sent');
    assert.equal(claim?.claim.sends, 4);
    const card = (
      connector.received[3]?.activity.attachments as { content: { body: { items?: { text: string }[] }[] } }[]
    )[0]?.content;
    assert.match(card?.body[0]?.items?.[0]?.text ?? '', /has gone quiet/);
  });

  it('gives up after the cap, records the failure, and a later pass tries again', async () => {
    await install('ben@fabrikam.com');
    const alert = alertFor('ben@fabrikam.com');
    await store.createAlerts([alert]);
    connector.script = Array.from({ length: 5 }, () => ({ status: 502 }));
    const { sender: s, waits } = sender();
    assert.equal(await s.deliver(tenantId, alert), 'failed');
    assert.equal(connector.received.length, 5);
    assert.deepEqual(waits, [750, 1500, 3000, 6000]);
    let record = await stored(alert);
    assert.equal(record?.delivery.status, 'failed');
    assert.match(record?.delivery.lastError ?? '', /HTTP 502.*gave up after 5 tries/);
    assert.ok(
      (await pendingAlerts(containers, tenantId)).some((a) => a.alertId === alert.alertId),
      'still pending',
    );

    connector.received.length = 0;
    assert.equal(await s.deliver(tenantId, (await stored(alert)) ?? alert), 'sent');
    assert.equal(connector.received.length, 1);
    record = await stored(alert);
    assert.equal(record?.delivery.status, 'sent');
    assert.equal(record?.delivery.attempts, 2);
  });

  it('does not retry a refusal (403) and skips owners who never installed the app', async () => {
    await install('cara@fabrikam.com');
    const refused = alertFor('cara@fabrikam.com');
    const stranger = alertFor('nobody@fabrikam.com');
    await store.createAlerts([refused, stranger]);
    connector.script = [{ status: 403, body: { error: { code: 'BotDisabledByAdmin', message: 'blocked' } } }];
    const { sender: s } = sender();
    assert.equal(await s.deliver(tenantId, refused), 'failed');
    assert.equal(connector.received.length, 1);
    const record = await stored(refused);
    assert.match(record?.delivery.lastError ?? '', /HTTP 403/);
    assert.equal(record?.delivery.refused, true);
    assert.equal(record && awaitsDelivery(record), false, 'refused for good');
    assert.ok(
      !(await pendingAlerts(containers, tenantId)).some((a) => a.alertId === refused.alertId),
      'no later pass tries a refusal again',
    );
    assert.equal(await s.deliver(tenantId, stranger), 'skipped-not-installed');
    assert.equal(connector.received.length, 1, 'nothing sent to an owner without the app');
    assert.equal((await stored(stranger))?.delivery.status, 'skipped-not-installed');
  });

  it('never sends an alert twice: concurrent senders, and every crash window', async () => {
    await install('dev@fabrikam.com');
    const claims = new DeliveryClaims(containers.conversations, tenantId);

    // Two senders at once: one sends, the other finds the claim taken.
    const raced = alertFor('dev@fabrikam.com');
    await store.createAlerts([raced]);
    const outcomes = await Promise.all([
      sender({ instanceId: 'a' }).sender.deliver(tenantId, raced),
      sender({ instanceId: 'b' }).sender.deliver(tenantId, raced),
    ]);
    assert.deepEqual(outcomes.sort(), ['busy', 'sent']);
    assert.equal(connector.received.length, 1);

    // Crashed after the send, before the alert was recorded: repaired, not resent.
    const sentNotRecorded = alertFor('dev@fabrikam.com');
    await store.createAlerts([sentNotRecorded]);
    const held = await claims.claim(sentNotRecorded.alertId, 'crashed', T0, 60_000);
    assert.ok('held' in held);
    await claims.write(held.held, { ...held.held.claim, state: 'sent', sends: 1 });
    connector.received.length = 0;
    assert.equal(await sender().sender.deliver(tenantId, sentNotRecorded), 'sent');
    assert.equal(connector.received.length, 0);
    assert.equal((await stored(sentNotRecorded))?.delivery.status, 'sent');

    // Crashed during a send: it may have arrived, so it is reported and never sent again.
    const midSend = alertFor('dev@fabrikam.com');
    await store.createAlerts([midSend]);
    const during = await claims.claim(midSend.alertId, 'crashed', T0 - 10 * 60_000, 60_000);
    assert.ok('held' in during);
    await claims.write(during.held, {
      ...during.held.claim,
      state: 'sending',
      sends: 1,
      expiresAt: T0 - 5 * 60_000,
    });
    assert.equal(await sender().sender.deliver(tenantId, midSend), 'unknown');
    const reported = await stored(midSend);
    assert.equal(reported?.delivery.status, 'unknown');
    assert.match(reported?.delivery.lastError ?? '', /may have arrived, so it is not sent again/);
    assert.ok(!(await pendingAlerts(containers, tenantId)).some((a) => a.alertId === midSend.alertId));
    assert.equal(await sender().sender.deliver(tenantId, reported ?? midSend), 'unknown');
    assert.equal((await stored(midSend))?.delivery.attempts, 1, 'reported once');
    assert.equal(connector.received.length, 0);

    // Crashed after the claim became unknown, before the alert was recorded: repaired, not resent.
    const unrecorded = alertFor('dev@fabrikam.com');
    await store.createAlerts([unrecorded]);
    const lost = await claims.claim(unrecorded.alertId, 'crashed', T0 - 60_000, 60_000);
    assert.ok('held' in lost);
    await claims.write(lost.held, {
      ...lost.held.claim,
      state: 'unknown',
      sends: 1,
      updatedAt: new Date(T0 - 30_000).toISOString(),
      error: 'ECONNRESET: socket hang up',
    });
    assert.equal(await sender().sender.deliver(tenantId, unrecorded), 'unknown');
    assert.deepEqual((await stored(unrecorded))?.delivery, {
      status: 'unknown',
      attempts: 1,
      lastError: 'ECONNRESET: socket hang up',
      lastAttemptAt: new Date(T0 - 30_000).toISOString(),
    });
    assert.equal(connector.received.length, 0);

    // Crashed while waiting to retry: nothing arrived, so the next sender sends it.
    const waiting = alertFor('dev@fabrikam.com');
    await store.createAlerts([waiting]);
    const between = await claims.claim(waiting.alertId, 'crashed', T0 - 10 * 60_000, 60_000);
    assert.ok('held' in between);
    await claims.write(between.held, {
      ...between.held.claim,
      state: 'waiting',
      sends: 2,
      expiresAt: T0 - 60_000,
    });
    assert.equal(await sender().sender.deliver(tenantId, waiting), 'sent');
    assert.equal(connector.received.length, 1);
    assert.equal((await claims.read(waiting.alertId))?.claim.sends, 3);

    // The connection broke while the request was out: possibly delivered, not resent.
    const cut = alertFor('dev@fabrikam.com');
    await store.createAlerts([cut]);
    connector.received.length = 0;
    connector.script = ['reset'];
    assert.equal(await sender().sender.deliver(tenantId, cut), 'unknown');
    assert.equal(connector.received.length, 1);
    const unconfirmed = await stored(cut);
    assert.equal(unconfirmed?.delivery.status, 'unknown');
    assert.match(
      unconfirmed?.delivery.lastError ?? '',
      /^ECONNRESET.*may have arrived, so it is not sent again/,
    );
    assert.equal(await sender().sender.deliver(tenantId, unconfirmed ?? cut), 'unknown');
    assert.equal(connector.received.length, 1);
  });

  it('paces sends per conversation and per tenant', async () => {
    // A tenant of its own, so only these alerts are pending.
    const tenant = 'tenant-paced';
    await install('eve@fabrikam.com', tenant);
    await install('finn@fabrikam.com', tenant);
    const eves = Array.from({ length: 6 }, () => alertFor('eve@fabrikam.com'));
    const finns = Array.from({ length: 2 }, () => alertFor('finn@fabrikam.com'));
    await new AlertStore(containers.alerts, tenant).createAlerts([...eves, ...finns]);
    const { sender: s, clock } = sender({
      rates: { tenant: { perSecond: 4, burst: 4 }, conversation: { perSecond: 1, burst: 2 } },
      concurrency: 1,
    });
    const sentAt = new Map<string, number[]>();
    connector.onActivity = (received) => {
      const list = sentAt.get(received.conversationId) ?? [];
      list.push(clock.now);
      sentAt.set(received.conversationId, list);
    };
    const report = await s.deliverPending(tenant);
    connector.onActivity = () => undefined;
    assert.equal(report.sent, 8);
    const eve = sentAt.get('a:eve@fabrikam.com') ?? [];
    assert.equal(eve.length, 6);
    // Two at once, then one a second.
    assert.deepEqual(
      eve.map((t) => Math.round((t - (eve[0] ?? 0)) / 1000)),
      [0, 0, 1, 2, 3, 4],
    );
    const all = [...sentAt.values()].flat().sort((a, b) => a - b);
    for (let i = 4; i < all.length; i++) {
      assert.ok(
        (all[i] ?? 0) - (all[i - 4] ?? 0) >= 1000,
        'no more than 4 sends in any second after the burst',
      );
    }
  });
});
