import assert from 'node:assert/strict';
import { openPage, type BrowserApp } from './browser-support';
import { waitFor, waitForText } from './page-helpers';
import { VARIANTS, renderAll, startSeededApp } from './screen-fixture';

describe('admin tab: every screen wide, keyboard focus and forced colours', function () {
  let stack: BrowserApp;

  before(async () => {
    stack = await startSeededApp();
  });

  after(async () => {
    await stack?.close();
  });

  it('moves the focus to the new page title after navigating with the keyboard', async () => {
    const { context, page } = await openPage(stack.browser);
    await page.goto(`${stack.app.url}/tab/#/overview`);
    await waitForText(page, 'Prerequisites');
    const runs = page.getByRole('navigation').getByRole('link', { name: 'Runs' });
    await runs.focus();
    await page.keyboard.press('Enter');
    await waitForText(page, 'Schedule');
    await waitFor(
      async () =>
        (await page.evaluate(() => document.activeElement?.id)) === 'page-title' ? true : undefined,
      'the focus on the page title',
    );
    assert.equal(await page.title(), 'Runs · Account engagement');
    await context.close();
  });

  it('uses the high-contrast theme when the system forces colours', async () => {
    const context = await stack.browser.newContext({ forcedColors: 'active' });
    const page = await context.newPage();
    await page.goto(`${stack.app.url}/tab/#/overview`);
    await waitForText(page, 'Prerequisites');
    assert.equal(await page.locator('.fui-FluentProvider').first().getAttribute('data-theme'), 'contrast');
    await context.close();
  });

  it('renders every screen light and dark', async () => {
    // The two colour schemes are independent browser contexts: rendered side by side.
    const outcomes = await Promise.allSettled(
      VARIANTS.filter((v) => (v.width ?? 0) > 320).map((variant) => renderAll(stack, variant)),
    );
    assert.deepEqual(
      outcomes.flatMap((o) => (o.status === 'rejected' ? [String(o.reason)] : [])),
      [],
    );
  });
});
