import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import type { StoredEngagementRow } from '../../core/results/stored-rows';
import { AlertStore } from '../../core/store/alert-store';
import { ResultsRepository } from '../../core/store/results-repository';
import { startLocalStack, type LocalStack } from '../../local/stack';
import { appContainers, demoCustomers, saveEnrichment, tenantOf } from '../support/enrichment-fixture';
import { testLocalSettings } from '../support/local-settings';
import { DAY_MS, runToEnd } from '../support/run-api';
import type { ApiAnswer, TestApp } from '../support/test-app';
import { screenshot } from './browser-support';

const TRACKED = ['ana@fabrikam.com', 'ruth.mehta@fabrikam.com'];
const CONTOSO = 'AC-00001';
const ANA = 'ana@fabrikam.com';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** The last card in the chat that shows `text`. */
function cardWith(page: Page, text: string | RegExp): Locator {
  return page.locator('.ac-adaptiveCard', { hasText: text }).last();
}

describe('seller bot in the Agents Playground', function () {
  this.timeout(120_000);
  let stack: LocalStack;
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let cleanup: () => void;
  /** Added to the services' clock: the second run happens this much later. */
  let shift = 0;

  before(async () => {
    const local = testLocalSettings({ PLAYGROUND_PORT: String(await freePort()) });
    cleanup = local.cleanup;
    stack = await startLocalStack(local.settings, {
      ephemeral: true,
      playground: true,
      now: () => Date.now() + shift,
    });
    const url = stack.server.url;
    app = {
      stack,
      url,
      async api<T>(method: string, path: string, body?: unknown): Promise<ApiAnswer<T>> {
        const response = await fetch(`${url}${path}`, {
          method,
          headers: body === undefined ? {} : { 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const text = await response.text();
        return {
          status: response.status,
          body: (text ? JSON.parse(text) : undefined) as T,
          headers: response.headers,
        };
      },
      close: () => stack.close(),
    };
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    // Tall enough that a whole customer card shows in the chat pane for the screenshots.
    page = await browser.newPage({ viewport: { width: 1360, height: 2000 }, deviceScaleFactor: 1 });
  });
  after(async () => {
    await browser?.close();
    await stack?.close();
    cleanup?.();
  });

  /** Types into the Playground's message box (a rich-text editor) and sends. */
  async function say(text: string): Promise<void> {
    const box = page.locator('[contenteditable="true"][role="textbox"]');
    await box.click();
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
  }

  it('greets the seller who opens the chat, then answers "engagement for Contoso?" with the stored numbers', async () => {
    await saveEnrichment(app, { enrichmentId: 'sales', tracked: TRACKED, consentGrantedAt: Date.now() });
    const run = await runToEnd(app, 'sales');
    assert.equal(run.status, 'succeeded', run.error ?? '');

    await page.goto(stack.playground?.url ?? '');
    await cardWith(page, 'Welcome to Account engagement').waitFor({ timeout: 30_000 });

    await say('engagement for Contoso?');
    const card = cardWith(page, /Contoso Ltd.*data as of/s);
    await card.waitFor({ timeout: 30_000 });
    const results = new ResultsRepository((await appContainers(app)).results, tenantOf(app));
    const year = await results.readRow<StoredEngagementRow>('Office', [CONTOSO, 'Year']);
    assert.ok(year);
    const shown = await card.innerText();
    assert.match(shown, new RegExp(`\\b${year.EngagementScore}\\b`));
    for (const [value, label] of [
      [year.NoOfEmails_ToAccount, 'emails to them'],
      [year.NoOfEmails_FromAccount, 'emails from them'],
      [year.NoOfMeetings_ToAccount, 'meetings we set up'],
      [year.NoOfMeetings_FromAccount, 'meetings they set up'],
    ] as const) {
      assert.match(shown, new RegExp(`${value.toLocaleString('en-US')}\\s+${label}`), `${label} in ${shown}`);
    }
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'bot-playground-customer-card');

    // Universal Actions: the card switches to the week history in place.
    await card.getByRole('button', { name: 'By week' }).click();
    await cardWith(page, 'Emails, by week, last 13 weeks').waitFor({ timeout: 30_000 });
    await screenshot(page, 'bot-playground-customer-card-weeks');

    // The Playground's user is Ana, who owns Contoso: it leads her accounts.
    await say('my accounts');
    const mine = cardWith(page, 'Your accounts');
    await mine.waitFor({ timeout: 30_000 });
    assert.match(await mine.innerText(), /Your accounts\s+\d+ accounts are yours[^\n]*\n[^]*?Contoso Ltd\n/);
    await mine.scrollIntoViewIfNeeded();
    await screenshot(page, 'bot-playground-my-accounts');
  });

  it('delivers the alert of an account that went stale in the next run to its owner, who snoozes it', async () => {
    const results = new ResultsRepository((await appContainers(app)).results, tenantOf(app));
    const anas = new Set(
      demoCustomers()
        .accounts.filter((a) => a.OwnerEmail === ANA)
        .map((a) => a.AccountId),
    );
    // Ana's active account that was in touch longest ago: the next run, that many days later, finds it
    // stale, unless a meeting ahead of it (within the 90 days read ahead) has taken place by then.
    const lastContact = (row: StoredEngagementRow) =>
      Math.min(...[row.DaysSinceLastEmail, row.DaysSinceLastMeeting].filter((d): d is number => d !== null));
    const candidates = (await results.visibleRows<StoredEngagementRow>('Office', { level: 'Year' }))
      .filter(
        (row) =>
          anas.has(row.AccountId) &&
          Number.isFinite(lastContact(row)) &&
          lastContact(row) <= 60 &&
          row.NextMeetingStart === null,
      )
      .sort((a, b) => lastContact(b) - lastContact(a));
    const target = candidates[0];
    assert.ok(target, 'Ana has an account in touch within 60 days and no meeting ahead');
    shift = (61 - lastContact(target)) * DAY_MS;

    const second = await runToEnd(app, 'sales');
    assert.equal(second.status, 'succeeded', second.error ?? '');
    // The run's follow-ups (alerts raised, then delivered) end after its status says succeeded.
    await stack.runs.idle();
    await stack.bot.delivery.idle();

    const alerts = new AlertStore((await appContainers(app)).alerts, tenantOf(app));
    const raised = await alerts.list('alert', 'sales', {
      clause: ' AND c.accountId = @account',
      parameters: [{ name: '@account', value: target.AccountId }],
    });
    assert.equal(raised.length, 1, `one alert for ${target.AccountName}`);
    assert.equal(raised[0]?.owner?.email, ANA);
    assert.equal(raised[0]?.delivery.status, 'sent');

    const alert = cardWith(page, `${target.AccountName} has gone quiet`);
    await alert.waitFor({ timeout: 30_000 });
    await alert.scrollIntoViewIfNeeded();
    await screenshot(page, 'bot-playground-stale-alert');

    await alert.getByRole('button', { name: 'Snooze 30 days' }).click();
    await cardWith(page, /Snoozed until/).waitFor({ timeout: 30_000 });
    const after = await alerts.read('alert', alerts.alertDocumentId(raised[0]?.alertId ?? ''));
    assert.equal(after?.value.status, 'snoozed');
    assert.equal(after?.value.closedBy, ANA);
    await screenshot(page, 'bot-playground-alert-snoozed');
  });
});
