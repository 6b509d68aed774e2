import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import type { EnrichmentConfig } from '../../core/config/enrichment-config';
import { expectedTrackedUsers } from '../support/configuration';
import { openPage, screenshot, startBrowserApp, type BrowserApp } from './browser-support';
import {
  describedText,
  pageText,
  waitFor,
  waitForFieldMessage,
  waitForStep,
  waitForText,
} from './page-helpers';

const ACCOUNTS_CSV =
  'AccountId,Name,Website\nAC-1,Tailspin Toys,tailspintoys.com\nAC-2,Wingtip Toys,wingtiptoys.com\n';
const CONTACTS_CSV =
  'ContactId,AccountId,Contact\nC-1,AC-1,mia@tailspintoys.com\nC-2,AC-2,leo@wingtiptoys.com\nC-3,AC-2,ida@wingtiptoys.com\n';
/** A contact of an account the accounts file does not have. */
const BAD_CONTACTS_CSV =
  'ContactId,AccountId,Contact\nC-1,AC-1,mia@tailspintoys.com\nC-2,AC-9,zoe@example.com\n';

describe('admin tab: the configuration wizard', function () {
  let stack: BrowserApp;
  let context: BrowserContext;
  let page: Page;

  const next = () => page.getByRole('button', { name: 'Next', exact: true }).click();
  const back = () => page.getByRole('button', { name: 'Back', exact: true }).click();
  const finder = () => page.getByRole('combobox', { name: 'Find a person or group' });

  async function pick(query: string, option: RegExp) {
    await finder().fill(query);
    await page.getByRole('option', { name: option }).click();
  }

  async function csvFile(testId: string, name: string, text: string) {
    await page.getByTestId(testId).setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
  }

  before(async () => {
    stack = await startBrowserApp();
    ({ context, page } = await openPage(stack.browser));
    page.setDefaultTimeout(10_000);
  });

  after(async () => {
    await context?.close();
    await stack?.close();
  });

  it('goes from an empty store to a saved enrichment, showing every error at its field', async () => {
    const empty = await stack.app.api<{ enrichments: unknown[] }>('GET', '/api/enrichments');
    assert.deepEqual(empty.body.enrichments, []);

    await page.goto(`${stack.app.url}/tab/#/setup`);
    await waitForStep(page, 'Overview');
    // One numbering everywhere: the step list, the overview's list and "Step n of m" agree.
    const steps = page.getByRole('navigation', { name: 'Steps' }).getByRole('button');
    assert.deepEqual(
      (await steps.allInnerTexts()).map((t) => t.split(',')[0]?.trim()),
      [
        'Overview',
        '1. Who to track',
        '2. Consent statement',
        '3. Customer dataset',
        '4. Field mapping',
        '5. Names and region',
        '6. Review and save',
      ],
    );
    assert.equal(await page.getByTestId('wizard-step-position').innerText(), 'Before you start');
    // The overview's own list is numbered 1 to 6 by the browser, in the same order.
    const overviewList = page.locator('[aria-labelledby="wizard-step-title"] ol');
    assert.equal(await overviewList.getAttribute('start'), null);
    assert.deepEqual(
      (await overviewList.locator('li').allInnerTexts()).map((t) => t.trim()),
      [
        'Who to track',
        'Consent statement',
        'Customer dataset',
        'Field mapping',
        'Names and region',
        'Review and save',
      ],
    );
    assert.match(await pageText(page), /takes 6 steps/);
    await screenshot(page, 'wizard-1-overview-light-wide');
    await next();

    // Who to track: nothing, then one person, are refused at the field.
    await waitForStep(page, 'Who to track');
    assert.equal(await page.getByTestId('wizard-step-position').innerText(), 'Step 1 of 6');
    await next();
    assert.match(await waitForFieldMessage(finder(), 'List the addresses or groups'), /2 to 2,500 users/);

    // Focused and empty, the picker offers the tenant's groups with their sizes, then some people.
    const usSales = expectedTrackedUsers(stack.app.stack.graph.tenant, ['ussales@fabrikam.com']).size;
    await finder().click();
    const offered = page.getByRole('listbox').last();
    await offered.getByRole('option', { name: new RegExp(`^US Sales Group · ${usSales} people`) }).waitFor();
    assert.ok((await offered.getByRole('group', { name: 'Groups' }).count()) === 1);
    assert.ok((await offered.getByRole('group', { name: 'People' }).getByRole('option').count()) > 0);
    await screenshot(page, 'wizard-2-tracked-suggestions-light-wide');
    // A word anywhere in a name finds it: "sales" finds US Sales, US Sales West, EMEA Sales…
    await finder().fill('sales');
    await page.getByRole('option', { name: /^EMEA Sales Group/ }).waitFor();
    await page.getByRole('option', { name: /^US Sales West Group/ }).waitFor();
    await screenshot(page, 'wizard-2-tracked-search-light-wide');
    await finder().fill('');
    await page.keyboard.press('Escape');
    await pick('ana', /Ana Diaz/);
    await next();
    await waitForFieldMessage(finder(), 'At least 2 users must be tracked, but 1 is listed');
    // A typed address the directory does not know is accepted here; the server resolves it on save.
    await pick('nobody@fabrikam.com', /Add “nobody@fabrikam.com”/);
    await waitForText(page, '2 listed: 2 people, 0 groups.');
    await screenshot(page, 'wizard-2-tracked-light-wide');
    await next();

    await waitForStep(page, 'Consent statement');
    await next();
    const agree = page.getByRole('checkbox', { name: /I agree/ });
    await waitForFieldMessage(agree, 'Accept the consent statement');
    await agree.check();
    await next();

    // Customer dataset: the only one is chosen already; then a file with a contact of an unknown account.
    await waitForStep(page, 'Customer dataset');
    assert.equal(await page.getByTestId('wizard-step-position').innerText(), 'Step 3 of 6');
    const only = page.getByRole('radiogroup', { name: 'Customer dataset' }).getByRole('radio');
    assert.equal(await only.count(), 1);
    await waitFor(async () => ((await only.isChecked()) ? true : undefined), 'the only dataset chosen');
    await waitForText(page, 'It is the only dataset, so it is chosen.');
    await screenshot(page, 'wizard-4-dataset-only-light-wide');
    await page.getByRole('textbox', { name: 'Dataset name' }).fill('Toy makers');
    await csvFile('upload-accounts', 'accounts.csv', ACCOUNTS_CSV);
    await csvFile('upload-contacts', 'contacts.csv', BAD_CONTACTS_CSV);
    await page.getByRole('button', { name: 'Check and preview' }).click();
    const contactsButton = page.getByRole('button', { name: 'Choose file' }).nth(1);
    const contactsField = page
      .locator('[data-testid="upload-contacts"]')
      .locator('xpath=ancestor::div[contains(@class,"fui-Field")][1]');
    const contactsMessage = await waitFor(async () => {
      const text = await contactsField.innerText();
      return /AC-9/.test(text) ? text : undefined;
    }, 'the contacts file problem at its field');
    assert.match(contactsMessage, /contacts\.csv line 3/);
    assert.ok(contactsButton);
    await screenshot(page, 'wizard-4-dataset-error-light-wide');
    await csvFile('upload-contacts', 'contacts.csv', CONTACTS_CSV);
    await page.getByRole('button', { name: 'Check and preview' }).click();
    await waitForText(page, '2 accounts and 3 contacts');
    await page.getByRole('button', { name: 'Import' }).click();
    const imported = page.getByRole('radio', { name: /Toy makers/ });
    await waitFor(
      async () => ((await imported.isChecked()) ? true : undefined),
      'the imported dataset chosen',
    );
    await next();

    // Mapping: no column is named like an email here, so nothing is suggested for it.
    await waitForStep(page, 'Field mapping');
    const emailField = page.getByRole('combobox', { name: 'Contact email' });
    await next();
    await waitForFieldMessage(emailField, 'Choose the contact field that holds the email address');
    await emailField.click();
    await page.getByRole('option', { name: /^Contact mia@/ }).click();
    await waitForText(page, 'Sample values: mia@tailspintoys.com, leo@wingtiptoys.com, ida@wingtiptoys.com');
    await screenshot(page, 'wizard-5-mapping-light-wide');
    await next();

    // Names: an entity name that does not start with a letter, and no region.
    await waitForStep(page, 'Names and region');
    const entity = page.getByRole('textbox', { name: 'Output entity name' });
    assert.equal(await entity.inputValue(), 'Office');
    await page.getByRole('textbox', { name: 'Enrichment name' }).fill('Toy engagement');
    await entity.fill('1Office');
    await next();
    await waitForFieldMessage(entity, 'starts with a letter');
    await waitForFieldMessage(
      page.getByRole('radiogroup', { name: 'Data region' }),
      'Choose the data region',
    );
    await entity.fill('ToyOffice');
    await page.getByRole('radio', { name: 'Europe' }).check();

    // The draft survives a reload, step included.
    await waitFor(async () => {
      const kept = await stack.app.api<{ draft: { entityName?: string; region?: string } | null }>(
        'GET',
        '/api/enrichment/draft',
      );
      return kept.body.draft?.entityName === 'ToyOffice' && kept.body.draft.region === 'europe'
        ? true
        : undefined;
    }, 'the draft kept on the server');
    await page.reload();
    await waitForStep(page, 'Names and region');
    assert.equal(await page.getByRole('textbox', { name: 'Enrichment name' }).inputValue(), 'Toy engagement');
    assert.equal(await entity.inputValue(), 'ToyOffice');

    // Back never loses input.
    await back();
    await waitForStep(page, 'Field mapping');
    assert.equal(await emailField.innerText(), 'Contact');
    await back();
    await back();
    await back();
    await waitForStep(page, 'Who to track');
    await waitForText(page, '2 listed');
    for (let i = 0; i < 5; i++) await next();
    await waitForStep(page, 'Review and save');
    await screenshot(page, 'wizard-7-review-light-wide');

    // The server resolves the tracked entries: one is unknown, so too few users. Saving goes back there.
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await waitForStep(page, 'Who to track');
    const resolved = await waitForFieldMessage(finder(), 'but 1 resolved from 2 entries');
    assert.match(resolved, /not found: nobody@fabrikam\.com/);
    await waitForText(page, 'Not saved');
    await screenshot(page, 'wizard-2-tracked-server-error-light-wide');
    await page
      .getByRole('listbox', { name: 'Tracked entries' })
      .getByRole('option', { name: /nobody@fabrikam\.com/ })
      .click();
    await pick('sales', /^US Sales Group/);
    await waitForText(page, '2 listed: 1 person, 1 group.');
    // The group is shown by name with the people it resolves to, before anything is saved.
    await page
      .getByRole('listbox', { name: 'Tracked entries' })
      .getByRole('option', { name: new RegExp(`^US Sales · ${usSales} people`) })
      .waitFor();
    await waitForText(page, `At most ${usSales + 1} people are tracked`);
    await screenshot(page, 'wizard-2-tracked-group-light-wide');
    await page.getByRole('button', { name: /6\. Review and save/ }).click();
    await waitForStep(page, 'Review and save');
    await waitForText(page, `Ana Diaz, US Sales · ${usSales} people`);
    await page.getByRole('button', { name: 'Save', exact: true }).click();

    await waitForText(page, 'Toy engagement is saved (version 1)');
    await waitForText(page, 'Consent requested');
    await screenshot(page, 'wizard-saved-light-wide');

    const saved = await stack.app.api<EnrichmentConfig>('GET', '/api/enrichments/toy-engagement');
    assert.equal(saved.status, 200);
    assert.deepEqual(saved.body.tracked, ['ana@fabrikam.com', 'ussales@fabrikam.com']);
    assert.equal(saved.body.entityName, 'ToyOffice');
    assert.equal(saved.body.region, 'europe');
    assert.deepEqual(saved.body.mapping, { emailField: 'Contact', domainField: 'Website' });
    assert.equal(saved.body.consent.status, 'requested');
    const shown = await page.getByTestId('saved-panel').innerText();
    assert.ok(
      shown.includes(`${saved.body.trackedSummary.resolvedUsers} tracked users were resolved`),
      shown,
    );
    const draft = await stack.app.api<{ draft: unknown }>('GET', '/api/enrichment/draft');
    assert.equal(draft.body.draft, null);
    assert.equal(await describedText(page.locator('#page-title')), '');
  });
});
