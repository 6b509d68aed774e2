import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { accountListCard } from '../../bot/cards/account-list-card';
import type { AdaptiveCard } from '../../bot/cards/adaptive';
import { chooserCard } from '../../bot/cards/choice-cards';
import { customerCard } from '../../bot/cards/customer-card';
import type { AccountSummary } from '../../core/results/account-lists';
import { busyAccount, links, sampleList } from '../support/bot-card-data';
import { screenshot } from './browser-support';

const library = path.dirname(createRequire(import.meta.url).resolve('adaptivecards/package.json'));

/** Teams on a phone gives a card about this many CSS pixels. */
const PHONE_WIDTH = 340;

interface Rendered {
  text: string;
  buttons: string[];
  /** How far the card's content is wider than the card (0: nothing cut off or scrolled sideways). */
  overflow: number;
}

const BLUE = [
  'Blue Yonder Airlines',
  'Blue Labs Group',
  'Blue Foods GmbH',
  'Blue Motors',
  'Blue Partners Ltd',
  'Blue Textiles Ltd',
  'Blue Engineering SA',
  'Blue Insurance GmbH',
  'Blue Media',
  'Blue Retail',
  'Blue Systems plc',
  'Blue Energy',
].map((name, i) => ({ id: `AC-${String(i + 1).padStart(5, '0')}`, name, score: 95 - i * 7 }));

/**
 * The chooser, the account lists and the customer card as a phone shows them (the `adaptivecards`
 * library in Chromium at a phone's width): every account a button, nothing wider than the card.
 * Screenshots: test-artifacts/bot-cards-phone.png.
 */
describe('bot cards on a phone', () => {
  let browser: Browser;
  let page: Page;

  before(async () => {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 4 * (PHONE_WIDTH + 24), height: 900 } });
    await page.setContent(
      '<html><body style="font-family: Segoe UI, sans-serif; background: #f5f5f5; margin: 8px"><div id="cards" style="display: flex; gap: 16px; align-items: flex-start"></div></body></html>',
    );
    await page.addStyleTag({ path: path.join(library, 'dist', 'adaptivecards.css') });
    await page.addScriptTag({ path: path.join(library, 'dist', 'adaptivecards.js') });
  });
  after(async () => browser?.close());

  async function render(card: AdaptiveCard): Promise<Rendered> {
    return page.evaluate(
      ({ json, width }) => {
        const AC = (window as unknown as { AdaptiveCards: typeof import('adaptivecards') }).AdaptiveCards;
        const adaptive = new AC.AdaptiveCard();
        adaptive.parse(json);
        const element = adaptive.render();
        const box = document.createElement('div');
        box.style.cssText = `width: ${width}px; flex: none; background: white; border: 1px solid #ddd; border-radius: 4px`;
        if (element) box.appendChild(element);
        document.getElementById('cards')?.appendChild(box);
        const widest = Math.max(
          ...[...box.querySelectorAll('*')].map((e) => e.getBoundingClientRect().right),
        );
        return {
          text: box.innerText,
          buttons: [...box.querySelectorAll('button')].map((b) => b.innerText.trim()),
          overflow: Math.max(0, Math.round(widest - box.getBoundingClientRect().right)),
        };
      },
      { json: card as unknown as Record<string, unknown>, width: PHONE_WIDTH },
    );
  }

  it('shows the chooser, the lists and the customer card within a phone-wide card, every account a button', async () => {
    const first = await render(chooserCard('Blue', BLUE.slice(0, 5), { total: 12, offset: 0 }));
    assert.match(first.text, /12 accounts match “Blue”; the 5 closest:/);
    assert.deepEqual(first.buttons, [...BLUE.slice(0, 5).map((a) => `${a.name} (${a.id})`), 'Show more']);
    assert.match(first.text, /Blue Yonder Airlines \(AC-00001\)\s+95\s+High/);
    assert.equal(first.overflow, 0);
    const last = await render(chooserCard('Blue', BLUE.slice(10), { total: 12, offset: 10 }));
    assert.match(last.text, /12 accounts match “Blue”; the last 2 \(11–12\):/);
    assert.deepEqual(last.buttons.slice(-1), ['Previous']);

    const long = '*Très* long_name [with] <markup> & a name far longer than a phone is wide';
    const accounts: AccountSummary[] = [
      ...sampleList().accounts,
      {
        accountId: 'AC-3',
        name: long,
        score: 50,
        band: 'Medium',
        daysSinceLastEmail: 1234,
        daysSinceLastMeeting: null,
        mine: true,
        signals: [],
      },
    ];
    const list = await render(accountListCard({ ...sampleList(), accounts }, 'known'));
    assert.deepEqual(list.buttons, ['Mine Ltd · yours', 'Theirs plc', `${long} · yours`]);
    assert.equal(list.overflow, 0, 'rows fit the card');

    const card = await render(customerCard(busyAccount('Month'), links, { closestTo: 'contosso' }));
    assert.match(card.text, /^Showing Contoso Ltd \(closest to “contosso”\)/);
    assert.match(card.text, /Part months: March 2025 from the 4th, March 2026 so far\./);
    assert.match(card.text, /Mar '25 \(from 4th\)\s+\d+ to · \d+ from/);
    assert.match(card.text, /Mar '26 \(so far\)\s+\d+ to · \d+ from/);
    assert.equal(card.overflow, 0);
    await screenshot(page, 'bot-cards-phone');
  });
});
