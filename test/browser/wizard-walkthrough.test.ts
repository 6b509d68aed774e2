import assert from 'node:assert/strict';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { generateTenant } from '../../local/graph-simulator';
import { openPage, screenshot, startBrowserApp, type BrowserApp, type PageOptions } from './browser-support';
import { waitFor, waitForStep, waitForText } from './page-helpers';

/** A small tenant (Contoso is AC-00001) so a run takes a few seconds. */
const tenant = generateTenant({
  seed: 42,
  sellers: 10,
  accounts: 60,
  internalUsers: 6,
  messagesPerMailbox: 150,
});

/** The body's visible text, whitespace collapsed (the local pages have no tab shell around them). */
const bodyText = async (page: Page) => (await page.locator('body').innerText()).replace(/\s+/g, ' ');

async function waitForEnabled(control: Locator) {
  await control.waitFor();
  await waitFor(async () => ((await control.isEnabled()) ? true : undefined), 'the control to be enabled');
}

/** Nothing wider than the viewport (a Teams side panel is about 320 px wide). */
async function assertFits(page: Page, what: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${what} is ${overflow}px wider than the viewport`);
}

/**
 * The whole first-time path as an admin walks it, with clicks and typing only: an empty store,
 * the wizard, consent through the local mailbox and the stand-in admin-consent page, Run now, the
 * results and a customer card. The test reads nothing but the browser's pages.
 */
describe('admin tab: from an empty start to a customer card, in the UI alone', function () {
  let stack: BrowserApp;
  let context: BrowserContext;
  let page: Page;
  /** The tab the local mailbox opened in. */
  let mailbox: Page;

  const next = () => page.getByRole('button', { name: 'Next', exact: true }).click();
  const finder = () => page.getByRole('combobox', { name: 'Find a person or group' });
  async function pick(query: string, option: RegExp) {
    await finder().fill(query);
    await page.getByRole('option', { name: option }).click();
  }

  before(async () => {
    stack = await startBrowserApp({}, { tenant });
    ({ context, page } = await openPage(stack.browser, { width: 1280, height: 860 }));
    page.setDefaultTimeout(15_000);
  });

  after(async () => {
    await context?.close();
    await stack?.close();
  });

  it('sets the enrichment up in the wizard', async () => {
    await page.goto(`${stack.app.url}/tab/`);
    await waitForText(page, 'Prerequisites');
    await page.getByRole('link', { name: 'Set up the enrichment' }).click();

    await waitForStep(page, 'Overview');
    await next();
    await waitForStep(page, 'Who to track');
    await pick('ana', /Ana Diaz/);
    await pick('us sales', /^US Sales Group/);
    await waitForText(page, '2 listed: 1 person, 1 group.');
    await next();

    await waitForStep(page, 'Consent statement');
    await page.getByRole('checkbox', { name: /I agree/ }).check();
    await next();

    await waitForStep(page, 'Customer dataset');
    const demo = page.getByRole('radio', { name: /Demo customers/ });
    await demo.check();
    assert.ok(await demo.isChecked());
    await next();

    await waitForStep(page, 'Field mapping');
    const email = page.getByRole('combobox', { name: 'Contact email' });
    if ((await email.innerText()).trim() !== 'Email') {
      await email.click();
      await page.getByRole('option', { name: /^Email/ }).click();
    }
    await waitForText(page, /Sample values: \S+@/);
    await next();

    await waitForStep(page, 'Names and region');
    await page.getByRole('textbox', { name: 'Enrichment name' }).fill('Sales engagement');
    const entity = page.getByRole('textbox', { name: 'Output entity name' });
    await entity.fill('Office');
    await page.getByRole('radio', { name: 'Europe' }).check();
    await next();

    await waitForStep(page, 'Review and save');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await waitForText(page, 'Sales engagement is saved (version 1)');
    await waitForText(page, 'The consent request was mailed to admin@fabrikam.com');
    await screenshot(page, 'walkthrough-1-saved-light-wide');
  });

  it('delivers the request to the local mailbox, and again when it is sent again', async () => {
    await page.getByRole('link', { name: 'See the consent state' }).click();
    await waitFor(
      async () => ((await page.getByTestId('consent-status').innerText()) === 'Requested' ? true : undefined),
      'the consent page to show Requested',
    );
    await waitForText(page, 'Requested from admin@fabrikam.com');
    await waitForText(page, 'it is delivered to the local mailbox on this computer');
    await screenshot(page, 'walkthrough-2-consent-requested-light-wide');

    // The mailbox opens beside the tab, with the request mailed when the wizard saved.
    [mailbox] = await Promise.all([
      context.waitForEvent('page'),
      page.getByRole('link', { name: 'Open the local mailbox' }).click(),
    ]);
    await mailbox.waitForLoadState();
    assert.ok(mailbox.url().startsWith(`${stack.app.url}/local/mailbox`), mailbox.url());
    assert.equal(await mailbox.locator('h1').innerText(), 'Local mailbox');
    assert.equal(await mailbox.getByRole('article').count(), 1);
    assert.match(await bodyText(mailbox), /1 message /);

    await page.getByRole('button', { name: 'Send the request again' }).click();
    const sent = page.getByTestId('consent-sent');
    await sent.waitFor();
    assert.match(
      await sent.innerText(),
      /^Sent to admin@fabrikam\.com at \d{1,2}:\d{2}:\d{2}( [AP]M)?\. Earlier links no longer work\. See it in the local mailbox$/,
    );
    await screenshot(page, 'walkthrough-3-consent-sent-again-light-wide');

    // The open mailbox notices the new message by itself.
    await mailbox.getByText('New mail arrived.').waitFor();
    await mailbox.getByRole('link', { name: 'Show it' }).click();
    await mailbox.waitForLoadState();
    const messages = mailbox.getByRole('article');
    await waitFor(async () => ((await messages.count()) === 2 ? true : undefined), 'the second message');
    assert.match(await bodyText(mailbox), /2 messages, newest first/);
    const newest = messages.first();
    assert.match(await newest.innerText(), /Consent requested for Account engagement \("Sales engagement"\)/);
    assert.match(await newest.innerText(), /To\s+admin@fabrikam\.com/);
    assert.match(await newest.innerText(), /From\s+.+<.+@fabrikam\.com>/);
    await screenshot(mailbox, 'local-mailbox-light-wide');
  });

  it('grants consent through the stand-in admin-consent page', async () => {
    const newest = mailbox.getByRole('article').first();
    await newest.getByRole('link', { name: 'Review and grant consent' }).click();
    await mailbox.waitForURL(/\/local\/login\/[^/]+\/v2\.0\/adminconsent\?/);
    assert.ok(mailbox.url().startsWith('http://'), 'the consent page is plain http: no certificate warning');
    assert.equal(await mailbox.locator('h1').innerText(), 'Permissions requested');
    const prompt = await bodyText(mailbox);
    for (const permission of [
      'Mail.ReadBasic.All',
      'Calendars.ReadBasic.All',
      'User.Read.All',
      'GroupMember.Read.All',
    ]) {
      assert.ok(prompt.includes(permission), `the prompt lists ${permission}`);
    }
    assert.match(prompt, /Account engagement/);
    assert.match(prompt, /admin@fabrikam\.com/);
    await screenshot(mailbox, 'local-consent-page-light-wide');

    await mailbox.getByRole('button', { name: 'Accept' }).click();
    await mailbox.waitForURL(/\/api\/consent\/callback\?/);
    assert.equal(await mailbox.locator('h1').innerText(), 'Consent granted');
    await screenshot(mailbox, 'walkthrough-4-consent-callback-light-wide');
    await mailbox.close();

    // Back in the tab: the consent page follows the answer by itself and offers the first run.
    await waitFor(
      async () => ((await page.getByTestId('consent-status').innerText()) === 'Granted' ? true : undefined),
      'the consent page to show Granted',
    );
    await waitForText(page, 'No run yet. Start the first one now');
    await waitForEnabled(page.getByRole('button', { name: 'Run now' }));
    await screenshot(page, 'consent-granted-run-now-light-wide');
  });

  it('runs now and follows the run to its results', async () => {
    await page.getByRole('button', { name: 'Run now' }).click();
    const status = page.getByTestId('run-now-status');
    const inProgress = /queued|Resolve|Read|Aggregate|Write|starting/;
    // A run of the 60-customer tenant may finish before the page looks: either state follows the click.
    const shown = await waitFor(async () => {
      const text = await status.innerText();
      return inProgress.test(text) || /The last run finished/.test(text) ? text : undefined;
    }, 'the run shown in progress or finished');
    if (inProgress.test(shown)) await screenshot(page, 'consent-run-in-progress-light-wide');
    await waitFor(
      async () => (/The last run finished/.test(await status.innerText()) ? true : undefined),
      'the run to finish',
      60_000,
    );
    assert.match(await status.innerText(), /\d+ of 60 customers enriched/);
    await screenshot(page, 'consent-run-finished-light-wide');

    await page.getByRole('navigation').getByRole('link', { name: 'Overview' }).click();
    await waitForText(page, 'The last run finished');
    await waitForEnabled(page.getByRole('button', { name: 'Run now' }));
    await screenshot(page, 'overview-run-now-light-wide');

    await page.getByRole('link', { name: 'See the results' }).click();
    await waitForText(page, 'Enriched customers');
    await screenshot(page, 'walkthrough-5-results-light-wide');
  });

  it('opens the customer card of Contoso', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('searchbox').fill('contoso');
    await page.getByRole('link', { name: 'Contoso Ltd' }).click();
    await page.waitForURL(/#\/customers\/AC-00001$/);
    await page.getByTestId('card-score-value').waitFor();
    assert.equal(await page.locator('#page-title').innerText(), 'Contoso Ltd');
    assert.match(await page.getByTestId('card-score-value').innerText(), /^\d{1,3}$/);
    await screenshot(page, 'walkthrough-6-customer-card-light-wide');
  });

  describe('the new pages, dark and in a 320 px side panel', () => {
    const variants: (PageOptions & { name: string })[] = [
      { name: 'dark-wide', colorScheme: 'dark', width: 1280, height: 860 },
      { name: 'light-narrow', colorScheme: 'light', width: 320, height: 720 },
      { name: 'dark-narrow', colorScheme: 'dark', width: 320, height: 720 },
    ];
    for (const variant of variants) {
      it(`renders the consent page, the overview, the local mailbox and the consent prompt ${variant.name}`, async () => {
        const { context: other, page: view } = await openPage(stack.browser, variant);
        try {
          await view.goto(`${stack.app.url}/tab/#/consent`);
          await waitForText(view, 'The last run finished');
          await waitForEnabled(view.getByRole('button', { name: 'Run now' }));
          await assertFits(view, 'the consent page');
          await screenshot(view, `consent-granted-run-now-${variant.name}`);

          await view.goto(`${stack.app.url}/tab/#/overview`);
          await waitForText(view, 'The last run finished');
          await waitForEnabled(view.getByRole('button', { name: 'Run now' }));
          await assertFits(view, 'the overview');
          await screenshot(view, `overview-run-now-${variant.name}`);

          await view.goto(`${stack.app.url}/local/mailbox`);
          await view.getByRole('article').first().waitFor();
          await assertFits(view, 'the local mailbox');
          await screenshot(view, `local-mailbox-${variant.name}`);

          await view
            .getByRole('article')
            .first()
            .getByRole('link', { name: 'Review and grant consent' })
            .click();
          await view.waitForURL(/\/adminconsent\?/);
          await view.getByRole('button', { name: 'Accept' }).waitFor();
          await assertFits(view, 'the consent prompt');
          await screenshot(view, `local-consent-page-${variant.name}`);
        } finally {
          await other.close();
        }
      });
    }
  });
});
