import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { EnrichmentConfig } from '../../core/config/enrichment-config';
import { staleness, staleText } from '../../core/segments/segment-columns';
import type { EngagementRow, ResultsSummary, RowPage, RunPage } from '../../tab/web/src/api/types';
import { validEnrichment } from '../support/configuration';
import { openPage, screenshot, type BrowserApp } from './browser-support';
import { describedText, pageText, waitFor, waitForFieldMessage, waitForText } from './page-helpers';
import { VARIANTS, startSeededApp, type Variant } from './screen-fixture';

const ENRICHMENT = '/api/enrichments/sales-engagement';
const THRESHOLD = 60;

/** Light and dark wide, and light at 320 px: where each changed screen is looked at. */
const LOOKS: Variant[] = VARIANTS.filter((v) => v.name !== 'dark-narrow');

/** The x-axis labels a chart shows, with their boxes. */
async function axisLabels(page: Page, testId: string) {
  return page
    .getByTestId(testId)
    .locator('svg [id^="xAxisGElement"] .tick text')
    .evaluateAll((texts) =>
      texts.map((t) => {
        const box = t.getBoundingClientRect();
        return { text: t.textContent ?? '', left: box.left, right: box.right };
      }),
    );
}

/**
 * The rough edges a new admin met, each where it shows: the stale mark beside a score, chart
 * dates, the picker before typing, the Results page before any run, and the segment builder.
 */
describe('admin tab: what a new admin stumbled over', function () {
  let stack: BrowserApp;
  let stale: EngagementRow;

  before(async () => {
    stack = await startSeededApp();
    const rows = (await stack.app.api<RowPage>('GET', `${ENRICHMENT}/results/rows?pageSize=100`)).body.rows;
    // The highest score among the stale accounts (an account can rank High while quiet).
    const found = rows.find((r) => staleness(r, THRESHOLD).stale);
    assert.ok(found, 'the seeded tenant has a stale account');
    stale = found;
  });

  after(async () => {
    await stack?.close();
  });

  it('marks a stale account beside its score on the card, in lists and in segments, and says why it still scores', async () => {
    const mark = staleText(stale, THRESHOLD) ?? assert.fail('stale');
    assert.match(mark, /^Stale: no email or meeting (for \d+ days|in the last year)$/);
    for (const variant of LOOKS) {
      const { context, page } = await openPage(stack.browser, variant);
      try {
        await page.goto(`${stack.app.url}/tab/#/customers/${encodeURIComponent(stale.AccountId)}`);
        await page.getByTestId('card-score-value').waitFor();
        assert.equal(await page.getByTestId('card-score').getByTestId('stale-mark').innerText(), mark);
        const why = await page.getByTestId('card-stale').innerText();
        assert.match(why, new RegExp(`more than the stale threshold of ${THRESHOLD} days`));
        if (stale.EngagementScore >= 70) {
          assert.match(why, /^Why High while quiet/);
          assert.match(why, /each counting half as much every 90 days/);
        }
        await screenshot(page, `stale-customer-card-${variant.name}`);
      } finally {
        await context.close();
      }
    }

    // The same mark, in words, in every list a score is shown in.
    const { context, page } = await openPage(stack.browser);
    try {
      const markIn = (row: ReturnType<Page['getByRole']>) => row.getByTestId('stale-mark').textContent();
      await page.goto(`${stack.app.url}/tab/#/customers`);
      await page.getByRole('searchbox').fill(stale.AccountName);
      const customers = page.getByRole('table', { name: 'Customers' }).getByRole('row');
      await waitFor(async () => ((await customers.count()) === 2 ? true : undefined), 'one customer');
      assert.match((await markIn(customers.nth(1))) ?? '', new RegExp(mark));
      await screenshot(page, 'stale-customers-light-wide');

      await page.goto(`${stack.app.url}/tab/#/results`);
      const preview = page.getByRole('table', { name: 'Results preview' });
      await preview.getByRole('row').nth(1).waitFor();
      await page.getByRole('searchbox').fill(stale.AccountName);
      await waitFor(
        async () => ((await preview.getByRole('row').count()) === 2 ? true : undefined),
        'the account alone in the preview',
      );
      assert.match((await markIn(preview.getByRole('row').nth(1))) ?? '', new RegExp(mark));

      // Every member of the built-in Stale accounts segment carries the mark; a segment names columns in words.
      await page.goto(`${stack.app.url}/tab/#/segments?segment=stale`);
      const members = page.getByRole('table', { name: 'Members of Stale accounts' }).getByRole('row');
      await members.nth(1).waitFor();
      const shown = (await members.count()) - 1;
      assert.equal(
        await page
          .getByRole('table', { name: 'Members of Stale accounts' })
          .getByTestId('stale-mark')
          .count(),
        shown,
      );
      await waitForText(page, 'Days since the last email is more than 30');
      assert.doesNotMatch(await pageText(page), /DaysSinceLastEmail|NoOfEmails_/);
      await screenshot(page, 'stale-segment-members-light-wide');
    } finally {
      await context.close();
    }
  });

  it('dates the weekly and monthly charts readably: a few labels like "6 Oct", never overlapping', async () => {
    for (const variant of LOOKS) {
      const { context, page } = await openPage(stack.browser, variant);
      try {
        await page.goto(`${stack.app.url}/tab/#/customers/AC-00001`);
        await page.getByTestId('card-email-chart').locator('rect').first().waitFor();
        const months = await axisLabels(page, 'card-email-chart');
        assert.ok(months.length >= 2, JSON.stringify(months));
        for (const m of months) assert.match(m.text, /^[A-Z][a-z]{2} \d{4}$/, 'a month with its year');
        await page.getByRole('tab', { name: 'By week' }).click();
        await waitFor(async () => {
          const labels = await axisLabels(page, 'card-email-chart');
          return labels.length > 0 && labels.every((l) => /^\d{1,2} [A-Z][a-z]{2}$/.test(l.text))
            ? true
            : undefined;
        }, 'week labels like "6 Oct"');
        for (const testId of ['card-email-chart', 'card-meeting-chart']) {
          const weeks = await axisLabels(page, testId);
          assert.ok(
            weeks.length >= 2 && weeks.length <= 12,
            `${weeks.length} week labels at ${variant.width}px`,
          );
          for (let i = 1; i < weeks.length; i++) {
            const [a, b] = [weeks[i - 1], weeks[i]];
            assert.ok(a && b && a.right + 4 <= b.left, `${a?.text} and ${b?.text} overlap`);
          }
        }
        await screenshot(page, `chart-weeks-${variant.name}`);
      } finally {
        await context.close();
      }
    }
  });

  it('offers the groups with their sizes, and some people, as soon as the picker is focused', async () => {
    for (const variant of LOOKS) {
      const { context, page } = await openPage(stack.browser, variant);
      try {
        await page.goto(`${stack.app.url}/tab/#/setup?new=1`);
        await page.locator('#wizard-step-title', { hasText: 'Overview' }).waitFor();
        assert.equal(await page.getByTestId('wizard-step-position').innerText(), 'Before you start');
        await page.getByRole('button', { name: 'Next', exact: true }).click();
        await page.locator('#wizard-step-title', { hasText: 'Who to track' }).waitFor();
        assert.equal(await page.getByTestId('wizard-step-position').innerText(), 'Step 1 of 6');
        if ((variant.width ?? 0) < 900) {
          assert.equal(await page.getByRole('progressbar').getAttribute('aria-label'), 'Step 1 of 6');
        }
        await page.getByRole('combobox', { name: 'Find a person or group' }).click();
        await page.getByRole('option', { name: /^US Sales Group · \d+ people/ }).waitFor();
        await screenshot(page, `wizard-picker-suggestions-${variant.name}`);
      } finally {
        await context.close();
      }
    }
  });

  it('builds segments in words: friendly columns, the value kept, no count while a rule is incomplete', async () => {
    for (const variant of LOOKS) {
      const { context, page } = await openPage(stack.browser, variant);
      try {
        await page.goto(`${stack.app.url}/tab/#/segments?new=1`);
        await waitForText(page, 'accounts match');
        const column = page.getByRole('combobox', { name: 'Column' });
        const value = page.getByRole('spinbutton', { name: 'Value' });
        assert.equal(await column.innerText(), 'Engagement score');
        await value.fill('45');
        // Another numeric column keeps the value; a text column cannot, and starts empty.
        await column.click();
        await page.getByRole('option', { name: 'Days since the last email' }).click();
        assert.equal(await value.inputValue(), '45');
        await waitForText(page, /\d+ of \d+ accounts match/);
        await column.click();
        assert.equal(await page.getByRole('option', { name: 'NoOfEmails_ToAccount' }).count(), 0);
        await page.getByRole('option', { name: 'Customer name' }).click();
        const text = page.getByRole('textbox', { name: 'Value' });
        assert.equal(await text.inputValue(), '');
        // Incomplete: a sentence at the field, and no count at all.
        await waitForFieldMessage(text, 'Enter what Customer name is.');
        await waitForText(page, 'No count while a condition is incomplete: Enter what Customer name is.');
        assert.doesNotMatch(await page.getByTestId('segment-live-count').innerText(), /\d+ of \d+/);
        // What only the API refuses (too long a text) comes back as a sentence too, never zod's words.
        await text.fill('x'.repeat(201));
        const message = await waitForFieldMessage(text, 'The value of Customer name is too long');
        assert.doesNotMatch(message, /Too big|expected|<=/);
        assert.doesNotMatch(await page.getByTestId('segment-live-count').innerText(), /\d+ of \d+/);
        await screenshot(page, `segment-builder-problem-${variant.name}`);
        await text.fill('Contoso');
        await waitForText(page, /\d+ of \d+ accounts match/);
        assert.equal(await describedText(text), '');
      } finally {
        await context.close();
      }
    }
  });

  it('never shows an empty Results page: before the first run it says why, and from a run it says which is shown', async () => {
    // A second enrichment, consent requested and never granted: no run, no results. (Last: the
    // screens above show the first enrichment, which a new browser context picks by default.)
    const created = await stack.app.api<{ enrichment: EnrichmentConfig }>(
      'POST',
      '/api/enrichments',
      validEnrichment({ name: 'Partner engagement', entityName: 'Partners' }),
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const other = created.body.enrichment.enrichmentId;
    for (const variant of LOOKS) {
      const { context, page } = await openPage(stack.browser, variant);
      try {
        await page.goto(`${stack.app.url}/tab/#/results`);
        await page.evaluate((id) => localStorage.setItem('account-engagement.enrichment', id), other);
        await page.reload();
        const empty = page.getByTestId('no-results');
        await empty.waitFor();
        assert.match(
          await empty.innerText(),
          /No results yet\s+Runs start once a tenant admin grants consent/,
        );
        await empty.getByRole('link', { name: 'See the consent state' }).waitFor();
        await screenshot(page, `results-none-${variant.name}`);
      } finally {
        await context.close();
      }
    }

    // Coming from a run that is not the one shown: said so, with the run that is.
    const runs = (await stack.app.api<RunPage>('GET', `${ENRICHMENT}/runs`)).body.runs;
    const summary = (await stack.app.api<ResultsSummary>('GET', `${ENRICHMENT}/results/summary`)).body;
    assert.equal(runs[0]?.runId, summary.results?.runId);
    const { context, page } = await openPage(stack.browser);
    try {
      await page.goto(`${stack.app.url}/tab/#/overview`);
      await page.evaluate(() => localStorage.setItem('account-engagement.enrichment', 'sales-engagement'));
      await page.goto(`${stack.app.url}/tab/#/results?run=${runs[0]?.runId ?? ''}`);
      await page.reload();
      await page.getByTestId('stat-enriched').waitFor();
      assert.equal(await page.getByTestId('run-not-shown').count(), 0);
      await page.goto(`${stack.app.url}/tab/#/results?run=an-older-run`);
      await page.getByTestId('run-not-shown').waitFor();
      assert.match(
        await page.getByTestId('run-not-shown').innerText(),
        /A newer run has been published since the run you came from\. These are the results of the run of /,
      );
    } finally {
      await context.close();
    }
  });
});
