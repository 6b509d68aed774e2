import assert from 'node:assert/strict';
import type { Enrichment, TrackedPerson } from '../../tab/web/src/api/types';
import { openPage, screenshot, type BrowserApp } from './browser-support';
import { waitFor, waitForFieldMessage, waitForText } from './page-helpers';
import { SCREENS, VARIANTS, show, startSeededApp } from './screen-fixture';

const ENRICHMENT = '/api/enrichments/sales-engagement';
const SETTINGS = SCREENS.find((s) => s.name === 'settings');

describe('admin tab: the Privacy section of Settings', function () {
  this.timeout(180_000);
  let stack: BrowserApp;
  let excluded: TrackedPerson;

  before(async () => {
    stack = await startSeededApp();
    const people = await stack.app.api<{ users: TrackedPerson[] }>('GET', `${ENRICHMENT}/tracked-users`);
    const person = people.body.users.find((u) => u.displayName);
    assert.ok(person);
    excluded = person;
  });
  after(() => stack?.close());

  it('names a bad entry at its field, then saves the settings and shows who changed what in the history', async () => {
    assert.ok(SETTINGS);
    const { context, page } = await openPage(stack.browser);
    try {
      await show(page, stack.app.url, SETTINGS);
      const privacy = page.locator('[aria-labelledby="privacy-heading"]');
      const toggle = privacy.getByRole('switch', { name: 'Count private and confidential meetings' });
      assert.equal(await toggle.isChecked(), false, 'off by default');
      const domains = privacy.getByRole('textbox', { name: 'Excluded domains' });
      const addresses = privacy.getByRole('textbox', { name: 'Excluded addresses' });

      await domains.fill('partner-agency.com\nco.uk');
      await addresses.fill('assistant');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await waitForText(page, 'Not saved: see the fields below');
      await waitForFieldMessage(
        domains,
        '"co.uk" is not a domain an organization owns: write one such as contoso.com',
      );
      await waitForFieldMessage(
        addresses,
        '"assistant" is not an email address: write it as name@example.com',
      );

      await domains.fill('partner-agency.com');
      await addresses.fill('Assistant@Contoso.com');
      await toggle.click();
      const picker = privacy.getByRole('combobox', { name: 'Excluded mailboxes' });
      await picker.click();
      await picker.pressSequentially(excluded.address.slice(0, 4));
      await page.getByRole('menuitemcheckbox').filter({ hasText: excluded.address }).click();
      await page.keyboard.press('Escape');
      await privacy.locator('.fui-Tag').first().waitFor();
      await page.getByRole('button', { name: 'Save settings' }).click();
      await waitForText(page, 'Saved as version 2');

      const saved = (await stack.app.api<Enrichment>('GET', ENRICHMENT)).body;
      assert.deepEqual(saved.privacy, {
        countPrivateMeetings: true,
        excludedAddresses: ['assistant@contoso.com'],
        excludedDomains: ['partner-agency.com'],
        excludedMailboxes: [excluded.address],
      });
      const history = page.getByRole('list', { name: 'Configuration history' });
      await history.getByText('Version 2').waitFor();
      const text = (await history.innerText()).replace(/\s+/g, ' ');
      assert.match(text, /Version 2 · Changed/);
      assert.match(text, /Local Admin \(admin@fabrikam\.com\)/);
      assert.match(text, /Count private and confidential meetings: off → on/);
      assert.match(text, /Excluded domains: added partner-agency\.com/);
      assert.match(text, /Excluded addresses: added assistant@contoso\.com/);
      assert.match(text, new RegExp(`Excluded mailboxes: added ${excluded.address.replace('.', '\\.')}`));
      // The saved settings come back on a fresh load.
      await page.reload();
      await waitForText(page, 'Revoke consent');
      assert.equal(await toggle.isChecked(), true);
      assert.equal(await domains.inputValue(), 'partner-agency.com');
      await privacy.locator('.fui-Tag', { hasText: excluded.displayName ?? excluded.address }).waitFor();
    } finally {
      await context.close();
    }
  });

  for (const variant of VARIANTS) {
    it(`looks right ${variant.name}: nothing wider than the viewport`, async () => {
      assert.ok(SETTINGS);
      const { context, page } = await openPage(stack.browser, variant);
      try {
        await show(page, stack.app.url, SETTINGS);
        const section = page.locator('[aria-labelledby="privacy-heading"]');
        await section.scrollIntoViewIfNeeded();
        await waitFor(
          async () => ((await section.locator('.fui-Tag').count()) > 0 ? true : undefined),
          'the excluded mailbox tag',
        );
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${overflow}px wider than the ${variant.width}px viewport`);
        await screenshot(page, `settings-privacy-${variant.name}`);
        await section.screenshot({ path: `test-artifacts/settings-privacy-section-${variant.name}.png` });
      } finally {
        await context.close();
      }
    });
  }
});
