import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { startLocalStack, type LocalStack } from '../../local/stack';
import { saveEnrichment } from '../support/enrichment-fixture';
import { testLocalSettings } from '../support/local-settings';
import { runToEnd } from '../support/run-api';
import type { ApiAnswer, TestApp } from '../support/test-app';
import { screenshot } from './browser-support';

const TRACKED = ['ana@fabrikam.com', 'ruth.mehta@fabrikam.com'];

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

/**
 * The chooser, its "Show more", a typo answered with the closest account, the account lists'
 * buttons and the month chart, in the Agents Playground (which draws Teams' charts), at a width
 * near a phone's. Screenshots: test-artifacts/bot-playground-choices-*.png.
 */
describe('seller bot choices in the Agents Playground', function () {
  this.timeout(120_000);
  let stack: LocalStack;
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let cleanup: () => void;

  before(async () => {
    const local = testLocalSettings({ PLAYGROUND_PORT: String(await freePort()) });
    cleanup = local.cleanup;
    stack = await startLocalStack(local.settings, { ephemeral: true, playground: true });
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
      ],
    });
    page = await browser.newPage({ viewport: { width: 1100, height: 1900 }, deviceScaleFactor: 1 });
  });
  after(async () => {
    await browser?.close();
    await stack?.close();
    cleanup?.();
  });

  async function say(text: string): Promise<void> {
    const box = page.locator('[contenteditable="true"][role="textbox"]');
    await box.click();
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
  }

  it('pages through a chooser, says when it corrected a typo, and opens accounts from lists', async () => {
    await saveEnrichment(app, { enrichmentId: 'sales', tracked: TRACKED, consentGrantedAt: Date.now() });
    const run = await runToEnd(app, 'sales');
    assert.equal(run.status, 'succeeded', run.error ?? '');
    await page.goto(stack.playground?.url ?? '');
    await cardWith(page, 'Welcome to Account engagement').waitFor({ timeout: 30_000 });

    // Many demo accounts start with "Red", some scored high, most not.
    await say('Red');
    const chooser = cardWith(page, /\d+ accounts match “Red”; the 5 closest:/);
    await chooser.waitFor({ timeout: 30_000 });
    await chooser.scrollIntoViewIfNeeded();
    await screenshot(page, 'bot-playground-choices-chooser');
    await chooser.getByRole('button', { name: 'Show more' }).click();
    const next = cardWith(page, /\d+ accounts match “Red”; the next 5 \(6–10\):/);
    await next.waitFor({ timeout: 30_000 });
    await next.scrollIntoViewIfNeeded();
    await screenshot(page, 'bot-playground-choices-more');

    await say('contosso');
    const card = cardWith(page, /Showing Contoso Ltd \(closest to “contosso”\)/);
    await card.waitFor({ timeout: 30_000 });
    assert.match(await card.innerText(), /Part months?: /);
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'bot-playground-choices-closest');

    await say('top accounts');
    const top = cardWith(page, 'Top accounts');
    await top.waitFor({ timeout: 30_000 });
    const first = top.getByRole('button').first();
    const name = (await first.innerText()).trim().replace(/ · yours$/, '');
    await top.scrollIntoViewIfNeeded();
    await screenshot(page, 'bot-playground-choices-top');
    await first.click();
    await cardWith(
      page,
      new RegExp(`${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*data as of`, 's'),
    ).waitFor({
      timeout: 30_000,
    });
  });
});
