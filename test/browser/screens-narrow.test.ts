import assert from 'node:assert/strict';
import { OPERATIONS } from '../../tab/web/src/api/operations';
import { openPage, type BrowserApp } from './browser-support';
import { waitForText } from './page-helpers';
import { VARIANTS, renderAll, startSeededApp, tenant } from './screen-fixture';

describe('admin tab: every screen in a 320 px side panel, deep links and the API contract', function () {
  let stack: BrowserApp;

  before(async () => {
    stack = await startSeededApp();
  });

  after(async () => {
    await stack?.close();
  });

  it('calls only operations the OpenAPI document describes', async () => {
    const document = await stack.app.api<{ paths: Record<string, Record<string, unknown>> }>(
      'GET',
      '/api/openapi.json',
    );
    const missing = OPERATIONS.filter((op) => !document.body.paths[op.path]?.[op.method.toLowerCase()]);
    assert.deepEqual(missing, []);
    assert.ok(OPERATIONS.length >= 25);
  });

  it('opens deep links, says when the local identity is used, and falls back to the overview', async () => {
    const { context, page } = await openPage(stack.browser);
    await page.goto(`${stack.app.url}/tab/#/customers/AC-00001`);
    await waitForText(page, 'Email history');
    assert.equal(await page.locator('#page-title').innerText(), tenant.customers.accounts[0]?.Name);
    assert.match(await page.getByTestId('local-identity-banner').innerText(), /local development identity/);
    await page.goto(`${stack.app.url}/tab/#/no-such-screen`);
    await waitForText(page, 'Prerequisites');
    await context.close();
  });

  it('renders every screen light and dark', async () => {
    // The two colour schemes are independent browser contexts: rendered side by side.
    const outcomes = await Promise.allSettled(
      VARIANTS.filter((v) => v.width === 320).map((variant) => renderAll(stack, variant)),
    );
    assert.deepEqual(
      outcomes.flatMap((o) => (o.status === 'rejected' ? [String(o.reason)] : [])),
      [],
    );
  });
});
