import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { accountListCard } from '../../bot/cards/account-list-card';
import type { AdaptiveCard } from '../../bot/cards/adaptive';
import { alertCard } from '../../bot/cards/alert-card';
import { chooserCard, notFoundCard } from '../../bot/cards/choice-cards';
import { customerCard } from '../../bot/cards/customer-card';
import { helpCard } from '../../bot/cards/help-card';
import { busyAccount, links, sampleAlert, sampleList } from '../support/bot-card-data';
import { screenshot } from './browser-support';

const library = path.dirname(createRequire(import.meta.url).resolve('adaptivecards/package.json'));

interface Rendered {
  ok: boolean;
  text: string;
  buttons: string[];
}

/**
 * The bot's cards rendered by the `adaptivecards` library itself in Chromium, as a client without
 * Teams' charts renders them: every card renders, with its fallbacks and buttons.
 */
describe('bot cards rendered with adaptivecards', () => {
  let browser: Browser;
  let page: Page;

  before(async () => {
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
    page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
    await page.setContent(
      '<html><body style="font-family: Segoe UI, sans-serif; background: #f5f5f5"><div id="cards" style="display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start"></div></body></html>',
    );
    await page.addStyleTag({ path: path.join(library, 'dist', 'adaptivecards.css') });
    await page.addScriptTag({ path: path.join(library, 'dist', 'adaptivecards.js') });
  });
  after(async () => browser?.close());

  async function render(card: AdaptiveCard): Promise<Rendered> {
    return page.evaluate(
      (json) => {
        const AC = (window as unknown as { AdaptiveCards: typeof import('adaptivecards') }).AdaptiveCards;
        const adaptive = new AC.AdaptiveCard();
        adaptive.parse(json);
        const element = adaptive.render();
        const box = document.createElement('div');
        box.style.cssText = 'width: 440px; background: white; border: 1px solid #ddd; border-radius: 4px';
        if (element) box.appendChild(element);
        document.getElementById('cards')?.appendChild(box);
        return {
          ok: element !== undefined,
          text: box.innerText,
          buttons: [...box.querySelectorAll('button')].map((b) => b.innerText.trim()),
        };
      },
      card as unknown as Record<string, unknown>,
    );
  }

  it('renders every card with its fallbacks, numbers and buttons', async () => {
    const month = await render(customerCard(busyAccount('Month'), links));
    assert.ok(month.ok);
    assert.match(month.text, /Contoso Ltd/);
    assert.match(month.text, /1,234\s+emails to them/);
    assert.match(month.text, /Emails, by month, last 12 months/);
    // Without Teams charts the history is the fallback table.
    assert.match(month.text, /Feb\s+\d+ to · \d+ from/);
    assert.deepEqual(month.buttons, ['Open full card', 'By week', 'Refresh']);

    const week = await render(customerCard(busyAccount('Week'), links));
    assert.deepEqual(week.buttons, ['Open full card', 'By month', 'Refresh']);

    const alert = await render(alertCard(sampleAlert(), links));
    assert.match(alert.text, /Tailspin Toys has gone quiet/);
    assert.deepEqual(alert.buttons, ['Open card', 'Snooze 30 days', 'Not my account']);

    const list = await render(accountListCard(sampleList(), 'known'));
    assert.match(list.text, /Stale accounts/);
    assert.match(list.text, /Mine Ltd · yours/);

    const accounts = [
      { id: 'AC-1', name: 'Adventure Works' },
      { id: 'AC-2', name: 'Adventure Works Cycles' },
    ];
    assert.deepEqual((await render(chooserCard('adventure', accounts))).buttons, [
      'Adventure Works (AC-1)',
      'Adventure Works Cycles (AC-2)',
    ]);
    assert.match((await render(notFoundCard('qwxz', []))).text, /couldn't find an account called “qwxz”/);
    assert.match((await render(helpCard({ welcome: true }))).text, /Welcome to Account engagement/);
    await screenshot(page, 'bot-cards-rendered');
  });
});
