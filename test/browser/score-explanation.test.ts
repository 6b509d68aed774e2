import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import { customerCard } from '../../bot/cards/customer-card';
import type { EngagementRow } from '../../core/engine';
import { scoreExplanationText, type CardScoreExplanation } from '../../core/results/score-explanation';
import { links } from '../support/bot-card-data';
import { explainedAccount } from '../support/score-explanation-data';
import { ARTIFACTS_DIR, openPage, type BrowserApp } from './browser-support';
import { SCREENS, VARIANTS, show, startSeededApp } from './screen-fixture';

const ENRICHMENT = '/api/enrichments/sales-engagement';
const CARD_SCREEN = SCREENS.find((s) => s.name === 'customer-card');
const library = path.dirname(createRequire(import.meta.url).resolve('adaptivecards/package.json'));

async function shoot(section: Locator, name: string): Promise<void> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await section.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`) });
}

describe('customer card: the explained score', function () {
  let stack: BrowserApp;

  before(async () => {
    stack = await startSeededApp();
  });
  after(async () => stack?.close());

  async function explanationOf(accountId: string): Promise<CardScoreExplanation> {
    const card = await stack.app.api<{ explanation: CardScoreExplanation | null }>(
      'GET',
      `${ENRICHMENT}/accounts/${accountId}`,
    );
    assert.equal(card.status, 200);
    assert.ok(card.body.explanation, `${accountId} has an explained score`);
    return card.body.explanation;
  }

  it('shows the rank, the points by kind and what a meeting would do, light, dark and at 320 px', async () => {
    assert.ok(CARD_SCREEN);
    const words = scoreExplanationText(await explanationOf('AC-00001'));
    assert.ok(words.parts.length > 0, 'AC-00001 is active in the seeded tenant');
    for (const variant of VARIANTS.filter((v) => v.name !== 'dark-narrow')) {
      const { context, page } = await openPage(stack.browser, variant);
      await show(page, stack.app.url, CARD_SCREEN);
      const section = page.getByTestId('card-explanation');
      assert.equal(await section.getByRole('heading', { level: 2 }).innerText(), words.title);
      assert.equal(await section.getByTestId('card-explanation-rank').innerText(), words.rank);
      assert.equal(await section.getByTestId('card-explanation-raise').innerText(), words.raise);
      assert.ok((await section.innerText()).includes(words.meaning));
      assert.ok((await section.innerText()).includes(words.how));
      const parts = section.getByRole('list', { name: 'Points by kind of activity, last 12 months' });
      assert.deepEqual(
        (await parts.getByRole('listitem').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()),
        words.parts.map((p) => `${p.label} ${p.points} points · ${p.percent}%`),
      );
      const box = await section.boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= (variant.width ?? 1280), `${variant.name} fits`);
      await shoot(section, `score-explanation-${variant.name}`);
      await context.close();
    }
  });

  it('explains an account without activity: not ranked, no points, what a first meeting would give', async () => {
    const rows = await stack.app.api<{ rows: EngagementRow[] }>(
      'GET',
      `${ENRICHMENT}/results/rows?sort=EngagementScore&order=asc&pageSize=5`,
    );
    const quiet = rows.body.rows.find((r) => r.EngagementStartDate === null);
    assert.ok(quiet, 'the seeded tenant has an account without activity');
    const words = scoreExplanationText(await explanationOf(quiet.AccountId));
    const { context, page } = await openPage(stack.browser);
    await page.goto(`${stack.app.url}/tab/#/customers/${quiet.AccountId}`);
    const section = page.getByTestId('card-explanation');
    await section.waitFor();
    assert.equal(await section.getByTestId('card-explanation-rank').innerText(), words.rank);
    assert.match(words.rank, /^Not ranked yet/);
    assert.equal(await section.getByRole('list').count(), 0);
    assert.equal(await section.getByTestId('card-explanation-raise').innerText(), words.raise);
    await context.close();
  });

  it("renders the bot card's section with adaptivecards", async () => {
    const { context, page } = await openPage(stack.browser, { width: 520, height: 900 });
    await page.setContent(
      '<html><body style="margin: 0; padding: 16px; font-family: Segoe UI, sans-serif; background: #f5f5f5"><div id="card" style="width: 440px; background: white; border: 1px solid #ddd; border-radius: 4px"></div></body></html>',
    );
    await page.addStyleTag({ path: path.join(library, 'dist', 'adaptivecards.css') });
    await page.addScriptTag({ path: path.join(library, 'dist', 'adaptivecards.js') });
    const shown = await page.evaluate(
      (json) => {
        const AC = (window as unknown as { AdaptiveCards: typeof import('adaptivecards') }).AdaptiveCards;
        const adaptive = new AC.AdaptiveCard();
        adaptive.parse(json);
        const element = adaptive.render();
        if (element) document.getElementById('card')?.appendChild(element);
        return document.getElementById('card')?.innerText ?? '';
      },
      customerCard(explainedAccount(), links) as unknown as Record<string, unknown>,
    );
    assert.match(shown, /Why 80\?/);
    assert.match(shown, /Ranks 37th of 180 active accounts/);
    assert.match(shown, /Meetings\s+8\.0 points · 64%/);
    assert.match(shown, /A meeting with them now would move it to about 84\./);
    await shoot(page.locator('#card'), 'score-explanation-bot');
    await context.close();
  });
});
