import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { DEFAULT_ENTITY_NAME } from '../../core/config/enrichment-config';
import { systemClock } from '../../core/graph/clock';
import type { StoredEngagementRow } from '../../core/results/stored-rows';
import { declineAccount, snoozeAccount } from '../../core/segments/stale-alerts';
import type { Containers } from '../../core/store/containers';
import { ConversationRepository } from '../../core/store/conversation-repository';
import { ResultsRepository } from '../../core/store/results-repository';
import type { Alert, AlertPage, AlertSummary, DeliveryStatus } from '../../tab/web/src/api/types';
import { generateTenant } from '../../local/graph-simulator';
import { appContainers, tenantOf } from '../support/enrichment-fixture';
import { FakeConnector } from '../../local/fake-connector';
import { DAY_MS, runToEnd } from '../support/run-api';
import { openPage, screenshot, type BrowserApp } from './browser-support';
import { pageText, waitFor, waitForText } from './page-helpers';
import { VARIANTS, show, startSeededApp } from './screen-fixture';

const ENRICHMENT = 'sales-engagement';
const ALERTS = `/api/enrichments/${ENRICHMENT}/alerts`;
const PAGE_SIZE = 25;

/** Enough accounts in touch at the first run that more than a page of them go stale by the second. */
const tenant = generateTenant({
  seed: 7,
  sellers: 8,
  accounts: 120,
  internalUsers: 6,
  messagesPerMailbox: 500,
});

/** What the Teams of the owners of accounts about to go stale does with a proactive message, in turn. */
const OUTCOMES: readonly DeliveryStatus[] = ['sent', 'failed', 'unknown', 'skipped-not-installed'];

const lastContact = (row: StoredEngagementRow) =>
  Math.min(...[row.DaysSinceLastEmail, row.DaysSinceLastMeeting].filter((d): d is number => d !== null));

describe('admin tab: the Alerts screen says who was told, who was not, and why', function () {
  let stack: BrowserApp;
  let containers: Containers;
  let tenantId: string;
  /** Added to the services' clock: the second run happens this much later. */
  let shift = 0;
  const connectors: FakeConnector[] = [];
  const expected = new Map<string, DeliveryStatus>();
  let alerts: Alert[];
  let declined: { accountId: string; by: string };
  let snoozed: Alert;

  const everyAlert = async () =>
    (await stack.app.api<AlertPage>('GET', `${ALERTS}?pageSize=100`)).body.alerts;

  /**
   * Owners get a chat with the bot through a Bot Connector that delivers, refuses or cuts the
   * connection, or no chat at all, in turn; other sellers have none.
   */
  async function installOwners(owners: readonly string[]) {
    const [delivering, refusing, cutting] = await Promise.all(
      [0, 1, 2].map(() => new FakeConnector().start()),
    );
    if (!delivering || !refusing || !cutting) throw new Error('connectors');
    connectors.push(delivering, refusing, cutting);
    refusing.script = Array.from({ length: 500 }, () => ({
      status: 403,
      body: { error: { code: 'BotDisabledByAdmin', message: 'The bot is blocked in this tenant' } },
    }));
    cutting.script = Array.from({ length: 500 }, () => 'reset' as const);
    const byOutcome = new Map<DeliveryStatus, FakeConnector>([
      ['sent', delivering],
      ['failed', refusing],
      ['unknown', cutting],
    ]);
    const repository = new ConversationRepository(containers.conversations, tenantId);
    for (const [i, email] of owners.entries()) {
      const outcome = OUTCOMES[i % OUTCOMES.length] ?? 'sent';
      expected.set(email, outcome);
      const seller = tenant.sellers.find((s) => s.mail?.toLowerCase() === email);
      const connector = byOutcome.get(outcome);
      if (!seller || !connector) continue;
      await repository.savePersonal(
        {
          userId: seller.id,
          email,
          name: seller.displayName ?? email,
          reference: {
            channelId: 'msteams',
            serviceUrl: connector.url,
            conversation: { id: `a:${seller.id}`, conversationType: 'personal', tenantId },
            bot: { id: '28:bot', name: 'Account engagement' },
            user: { id: `29:${seller.id}`, name: email, aadObjectId: seller.id },
          },
        },
        Date.now(),
      );
    }
  }

  before(async () => {
    // The bot's sender keeps the same (shifted) time as the runs, so alerts are sent after they are raised.
    const now = () => Date.now() + shift;
    stack = await startSeededApp({
      tenant,
      now,
      bot: { sender: { clock: { now, sleep: systemClock.sleep } } },
    });
    containers = await appContainers(stack.app);
    tenantId = tenantOf(stack.app);

    // The accounts in touch within the threshold: the next run, `shift` later, finds most of them stale.
    const rows = await new ResultsRepository(containers.results, tenantId).visibleRows<StoredEngagementRow>(
      DEFAULT_ENTITY_NAME,
      { level: 'Year' },
    );
    const active = rows
      .filter((row) => Number.isFinite(lastContact(row)) && lastContact(row) <= 60)
      .sort((a, b) => lastContact(b) - lastContact(a));
    const ownerOf = (accountId: string) =>
      (tenant.customers.accounts.find((a) => a.AccountId === accountId)?.OwnerEmail ?? '').toLowerCase();
    await installOwners([...new Set(active.map((row) => ownerOf(row.AccountId)))]);
    const quietest = active[0] ?? assert.fail('an account in touch within 60 days');
    // Its owner says it is not theirs before it goes stale: its alert goes to the next candidate, or nobody.
    declined = { accountId: quietest.AccountId, by: ownerOf(quietest.AccountId) };
    await declineAccount(containers, tenantId, { enrichmentId: ENRICHMENT, ...declined, now: Date.now() });

    shift = 200 * DAY_MS;
    const second = await runToEnd(stack.app, ENRICHMENT);
    assert.equal(second.status, 'succeeded', second.error ?? '');
    // The run's follow-ups (alerts raised, then delivered) end after its status says succeeded.
    await stack.app.stack.runs.idle();
    await stack.app.stack.bot.delivery.idle();

    const delivered = (await everyAlert()).find((a) => a.delivery.status === 'sent');
    assert.ok(delivered, 'an alert was sent');
    await snoozeAccount(containers, tenantId, {
      enrichmentId: ENRICHMENT,
      accountId: delivered.accountId,
      by: delivered.owner?.email ?? '',
      now: Date.now() + shift,
    });
    alerts = await everyAlert();
    snoozed = alerts.find((a) => a.alertId === delivered.alertId) ?? assert.fail('the snoozed alert');
  });

  after(async () => {
    await stack?.close();
    await Promise.all(connectors.map((c) => c.close()));
  });

  /** One row says what the stored alert says, in words. */
  async function checkRow(page: Page, alert: Alert) {
    const row = page.getByTestId(`alert-${alert.accountId}`);
    const text = (await row.innerText()).replace(/\s+/g, ' ');
    const delivery = (await row.getByTestId('alert-delivery').innerText()).replace(/\s+/g, ' ');
    assert.ok(text.includes(alert.accountName), text);
    assert.ok(text.includes(`${alert.engagementScore} ·`), text);
    if (alert.owner) {
      assert.ok(text.includes(alert.owner.email), text);
      assert.ok(
        text.includes(
          alert.owner.source === 'owner-field'
            ? 'Owner in the customer dataset'
            : 'Most engaged tracked user',
        ),
        text,
      );
    } else {
      assert.match(text, /No owner/);
      assert.match(delivery, /^Not sent Nobody to send it to/);
    }
    if (alert.alertId === snoozed.alertId) {
      assert.match(
        await row.getByTestId('alert-status').innerText(),
        /Snoozed\s+The owner snoozed the account on/,
      );
    }
    if (!alert.owner) return;
    const says: Record<DeliveryStatus, RegExp> = {
      pending: /^Pending Not sent yet/,
      sent: /^Sent Sent /,
      failed:
        /^Failed .*HTTP 403.*Refused for good \(the bot is blocked or the chat is gone\): not tried again/,
      unknown: /^Delivery unconfirmed .*may have arrived, so it is not sent again/,
      'skipped-not-installed':
        /^Not installed .*: The owner had not installed the app in Teams.*(The bot sends it as soon as they install it|Not sent later: the alert is \w+)/,
    };
    assert.match(delivery, says[alert.delivery.status], `${alert.accountName}: ${delivery}`);
  }

  it('records each delivery as the owner’s Teams answered it', () => {
    assert.ok(alerts.length > PAGE_SIZE, `${alerts.length} alerts: more than a page`);
    for (const alert of alerts) {
      const owner = alert.owner?.email;
      const outcome = owner ? (expected.get(owner) ?? 'skipped-not-installed') : 'pending';
      assert.equal(alert.delivery.status, outcome, alert.accountName);
    }
    assert.equal(snoozed.status, 'snoozed');
    const afterDecline = alerts.find((a) => a.accountId === declined.accountId);
    assert.ok(afterDecline, 'the declined account went stale');
    assert.notEqual(afterDecline.owner?.email, declined.by);
  });

  it('lists the alerts newest first with owner, status and delivery explained, page by page', async () => {
    const { context, page } = await openPage(stack.browser);
    try {
      await page.goto(`${stack.app.url}/tab/#/alerts`);
      await page.getByRole('table', { name: 'Alerts' }).waitFor();
      await waitForText(page, `${PAGE_SIZE} of ${alerts.length} alerts, newest first`);

      const summary = (await stack.app.api<AlertSummary>('GET', `${ALERTS}/summary`)).body;
      for (const [status, testId] of [
        ['sent', 'tile-sent'],
        ['pending', 'tile-pending'],
        ['failed', 'tile-failed'],
        ['unknown', 'tile-unknown'],
        ['skipped-not-installed', 'tile-not-installed'],
      ] as const) {
        const tile = (await page.getByTestId(testId).innerText()).replace(/\s+/g, ' ');
        assert.match(tile, new RegExp(` ${summary.delivery[status]} `), `${testId}: ${tile}`);
      }

      await page.getByRole('button', { name: 'Load more' }).click();
      await waitForText(page, `${alerts.length} of ${alerts.length} alerts, newest first`);
      assert.equal(await page.getByRole('button', { name: 'Load more' }).count(), 0);
      const shown = await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.testid));
      assert.deepEqual(
        shown,
        alerts.map((a) => `alert-${a.accountId}`),
      );

      for (const alert of alerts) await checkRow(page, alert);
      await screenshot(page, 'alerts-light-wide');

      // The account opens its customer card.
      const first = alerts[0] ?? assert.fail('an alert');
      await page
        .getByTestId(`alert-${first.accountId}`)
        .getByRole('link', { name: first.accountName })
        .click();
      await waitForText(page, 'Email history');
      assert.equal(new URL(page.url()).hash, `#/customers/${first.accountId}`);
    } finally {
      await context.close();
    }
  });

  it('filters by delivery and status, with counts, in the address', async () => {
    const { context, page } = await openPage(stack.browser);
    try {
      const unknown = alerts.filter((a) => a.delivery.status === 'unknown');
      await page.goto(`${stack.app.url}/tab/#/alerts`);
      await page.getByRole('table', { name: 'Alerts' }).waitFor();
      await page.getByRole('combobox', { name: 'Delivery' }).click();
      await page.getByRole('option', { name: `Delivery unconfirmed (${unknown.length})` }).click();
      await waitFor(
        async () => (new URL(page.url()).hash === '#/alerts?delivery=unknown' ? true : undefined),
        'the filter in the address',
      );
      await waitForText(page, `${unknown.length} of ${unknown.length} matching alerts`);
      assert.equal(await page.locator('tbody tr').count(), unknown.length);
      assert.equal(
        await page.getByTestId('alert-delivery').filter({ hasText: 'Delivery unconfirmed' }).count(),
        unknown.length,
      );

      // The status counts follow the delivery filter: no snoozed alert was left unconfirmed.
      await page.getByRole('combobox', { name: 'Status' }).click();
      await page.getByRole('option', { name: 'Snoozed (0)' }).click();
      await waitForText(page, 'No alert matches these filters.');
      await page.getByRole('link', { name: 'Show every alert' }).click();
      await waitForText(page, `${PAGE_SIZE} of ${alerts.length} alerts`);
      assert.equal(new URL(page.url()).hash, '#/alerts');
    } finally {
      await context.close();
    }
  });

  it('renders light, dark and high-contrast, wide and at 320 px', async () => {
    const screen = { route: 'alerts', name: 'alerts', ready: /of \d+ alerts, newest first/ };
    for (const variant of VARIANTS) {
      const { context, page } = await openPage(stack.browser, variant);
      try {
        await show(page, stack.app.url, screen);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${variant.name}: ${overflow}px wider than the viewport`);
        if (variant.width === 320) {
          assert.equal(await page.getByRole('table').count(), 0, 'one card per alert when narrow');
          assert.equal(
            await page.getByRole('list', { name: 'Alerts' }).getByRole('listitem').count(),
            PAGE_SIZE,
          );
        }
        await screenshot(page, `alerts-${variant.name}`);
      } finally {
        await context.close();
      }
    }
    const context = await stack.browser.newContext({
      forcedColors: 'active',
      viewport: { width: 1280, height: 860 },
    });
    const page = await context.newPage();
    try {
      await show(page, stack.app.url, screen);
      assert.equal(await page.locator('.fui-FluentProvider').first().getAttribute('data-theme'), 'contrast');
      await screenshot(page, 'alerts-contrast-wide');
    } finally {
      await context.close();
    }
  });

  it('ignores a filter value it does not know', async () => {
    const { context, page } = await openPage(stack.browser);
    try {
      await page.goto(`${stack.app.url}/tab/#/alerts?status=bogus`);
      await waitForText(page, `${PAGE_SIZE} of ${alerts.length} alerts, newest first`);
      assert.doesNotMatch(await pageText(page), /could not be loaded/);
    } finally {
      await context.close();
    }
  });
});
