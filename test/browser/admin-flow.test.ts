import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import type { AccountCard, ResultsSummary, Run, RunPage, RowPage } from '../../tab/web/src/api/types';
import type { Measures, SegmentList, SegmentPreview } from '../../tab/web/src/api/types';
import { generateTenant, type SentMail } from '../../local/graph-simulator';
import { validEnrichment } from '../support/configuration';
import { openPage, screenshot, startBrowserApp, type BrowserApp } from './browser-support';
import { waitFor, waitForFieldMessage, waitForText } from './page-helpers';

const ENRICHMENT = '/api/enrichments/sales-engagement';

/** A small tenant (Contoso is AC-00001, owned by Ana) so a run takes a few seconds. */
const tenant = generateTenant({
  seed: 42,
  sellers: 10,
  accounts: 60,
  internalUsers: 6,
  messagesPerMailbox: 150,
});

/** The consent link in the mail the app sent to the tenant admin. */
function consentLink(mail: SentMail | undefined): string {
  const html = (mail?.message.body as { content?: string } | undefined)?.content ?? '';
  const href = /href="([^"]+)"/.exec(html)?.[1];
  assert.ok(href, 'the consent mail carries a link');
  return href.replaceAll('&amp;', '&');
}

const figure = async (page: Page, testId: string) =>
  (await page.getByTestId(testId).innerText()).replace(/\s+/g, ' ');
const count = (n: number) => n.toLocaleString('en-US');

describe('admin tab: consent, a run, results, a customer card and segments', function () {
  let stack: BrowserApp;
  let context: BrowserContext;
  let page: Page;

  before(async () => {
    stack = await startBrowserApp({}, { tenant });
    ({ context, page } = await openPage(stack.browser, { width: 1280, height: 860 }));
    page.setDefaultTimeout(10_000);
    const created = await stack.app.api('POST', '/api/enrichments', validEnrichment());
    assert.equal(created.status, 201, JSON.stringify(created.body));
  });

  after(async () => {
    await context?.close();
    await stack?.close();
  });

  it('grants consent through the stand-in admin-consent page', async () => {
    await page.goto(`${stack.app.url}/tab/#/consent`);
    assert.equal(await page.getByTestId('consent-status').innerText(), 'Requested');
    await waitForText(page, 'Requested from admin@fabrikam.com');
    await screenshot(page, 'flow-consent-requested-light-wide');

    // The tenant admin opens the mailed link: the identity platform's page (the simulator's stand-in)
    // sends the browser back to the app's callback, which records the answer.
    const admin = await context.newPage();
    await admin.goto(consentLink(stack.app.stack.graph.sentMail.at(-1)));
    // The stand-in page may ask first, as the identity platform does: Accept.
    const accept = admin.getByRole('button', { name: 'Accept' });
    if (await accept.count()) await accept.click();
    await admin.locator('h1', { hasText: 'Consent granted' }).waitFor();
    await admin.getByRole('link', { name: 'Open Account engagement' }).click();
    await admin.waitForURL(/\/tab\/$/);
    await admin.close();

    // The consent page follows the state by itself while a request is open.
    await waitFor(
      async () => ((await page.getByTestId('consent-status').innerText()) === 'Granted' ? true : undefined),
      'the consent page to show Granted',
    );
    await waitForText(page, 'Runs may start');
    await screenshot(page, 'flow-consent-granted-light-wide');
  });

  it('watches a run to completion in the progress pane', async () => {
    // One mailbox answers slowly (so the run is seen mid-way) and one may not be read at all.
    const [ana, denied] = [
      'ana@fabrikam.com',
      tenant.sellers.find((s) => s.mail !== 'ana@fabrikam.com')?.mail ?? '',
    ];
    stack.app.stack.graph.faults.add({
      kind: 'slow',
      delayMs: 2500,
      mailbox: ana,
      path: '/messages',
      first: 1,
    });
    stack.app.stack.graph.faults.deny(denied);

    await page.goto(`${stack.app.url}/tab/#/runs`);
    await waitForText(page, 'Weekly on Monday at 02:00 UTC');
    await page.getByRole('button', { name: 'Run now' }).click();
    await waitFor(
      async () => ((await figure(page, 'run-status')) === 'Running' ? true : undefined),
      'the run shown running',
    );
    const live = page.getByRole('status').filter({ hasText: /mailboxes done|Step|starting|queued/ });
    assert.equal(await live.first().getAttribute('aria-live'), 'polite');
    await waitForText(page, /Step 2 of 4 · Reading the mailboxes: \d+ of \d+ mailboxes done/);
    // The step list marks the same step as under way as the sentence names.
    const steps = page.getByRole('list', { name: 'Steps' }).getByRole('listitem');
    assert.match(await steps.nth(1).innerText(), /Read the mailboxes\s*, in progress/);
    await waitForText(page, 'Its results appear on the Results page once it has finished.');
    await screenshot(page, 'flow-runs-in-progress-light-wide');

    await waitFor(
      async () => ((await figure(page, 'run-status')) === 'Succeeded' ? true : undefined),
      'the run to succeed',
      30_000,
    );
    const runs = await stack.app.api<RunPage>('GET', `${ENRICHMENT}/runs`);
    const run = runs.body.runs[0] as Run;
    assert.equal(run.status, 'succeeded');
    const counts = run.counts;
    assert.ok(counts);
    assert.equal(await figure(page, 'run-emails-counted'), count(counts.emailsCounted));
    assert.equal(await figure(page, 'run-meetings-counted'), count(counts.meetingsCounted));
    assert.equal(
      await figure(page, 'run-accounts-enriched'),
      `${count(counts.accountsEnriched)} of ${count(counts.accounts)}`,
    );
    assert.equal(await figure(page, 'run-days-covered'), count(run.daysCovered ?? -1));
    await waitForText(
      page,
      `Mailboxes: ${count(counts.mailboxesDone)} of ${count(counts.mailboxesTotal)} done`,
    );
    assert.equal(run.mailboxErrors.length, 1);
    await waitForText(page, `No permission: ${run.mailboxErrors[0]?.message ?? ''}`);
    const history = page.getByRole('table', { name: 'Run history' });
    await waitFor(
      async () => ((await history.getByRole('row').count()) === 2 ? true : undefined),
      'the run history to show its header and the run',
      10_000,
    );
    // The finished run leads to its results, which the Results page shows.
    const seeResults = page.getByTestId('run-results').getByRole('link', { name: 'See the results' });
    await seeResults.waitFor();
    await screenshot(page, 'flow-runs-done-light-wide');
    await seeResults.click();
    await page.waitForURL(new RegExp(`#/results\\?run=${run.runId}$`));
    await page.getByTestId('stat-enriched').waitFor();
    assert.equal(await page.getByTestId('run-not-shown').count(), 0);
    assert.match(
      await figure(page, 'stat-enriched'),
      new RegExp(`^Enriched customers ${count(counts.accountsEnriched)} of ${count(counts.accounts)} `),
    );
  });

  it('shows the results with the API’s numbers', async () => {
    const summary = (await stack.app.api<ResultsSummary>('GET', `${ENRICHMENT}/results/summary`)).body
      .results;
    assert.ok(summary);
    await page.goto(`${stack.app.url}/tab/#/results`);
    await page.getByTestId('stat-enriched').waitFor();
    assert.match(
      await figure(page, 'stat-enriched'),
      new RegExp(`^Enriched customers ${count(summary.enrichedAccounts)} of ${count(summary.accounts)}`),
    );
    assert.match(
      await figure(page, 'stat-emails'),
      new RegExp(`^Emails read ${count(summary.emailsProcessed ?? -1)}`),
    );
    assert.match(
      await figure(page, 'stat-meetings'),
      new RegExp(`^Meetings read ${count(summary.meetingsProcessed ?? -1)}`),
    );
    assert.equal(await figure(page, 'stat-days'), `Days covered ${count(summary.daysCovered ?? -1)}`);
    await page.getByTestId('enriched-chart').locator('svg').first().waitFor();

    const top = (await stack.app.api<RowPage>('GET', `${ENRICHMENT}/results/rows?pageSize=10`)).body;
    const preview = page.getByRole('table', { name: 'Results preview' });
    await waitForText(
      page,
      'Every account in the dataset, highest score first: the Year rows of the results table (Office).',
    );
    await waitForText(
      page,
      'Enriched customers are the accounts with counted email or meetings in the year.',
    );
    // Rows and accounts are labelled apart: one Year row per account of the dataset.
    assert.equal(
      await page.getByTestId('rows-count').first().innerText(),
      `${count(summary.accounts)} accounts (one Year row each)`,
    );
    const firstRow = preview.getByRole('row').nth(1);
    assert.match(
      await firstRow.innerText(),
      new RegExp(`^${top.rows[0]?.AccountName}\\s+${top.rows[0]?.EngagementScore} · `),
    );
    assert.equal(await preview.getByRole('row').count(), top.rows.length + 1);
    await page.getByRole('searchbox').fill('contoso');
    await waitFor(
      async () => ((await preview.getByRole('row').count()) === 2 ? true : undefined),
      'the search to leave one row',
    );
    assert.match(await preview.getByRole('row').nth(1).innerText(), /^Contoso Ltd/);
    await screenshot(page, 'flow-results-light-wide');

    // CSV export downloads the entity with the bearer-less local identity.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      (async () => {
        await page.getByRole('button', { name: 'Export CSV' }).click();
        await page.getByRole('menuitem', { name: 'Year rows' }).click();
      })(),
    ]);
    assert.equal(download.suggestedFilename(), 'Office-Year.csv');
    const csv = await (await download.createReadStream()).toArray();
    const lines = Buffer.concat(csv).toString('utf8').trim().split('\n');
    assert.equal(lines.length, summary.accounts + 1);
    assert.match(lines[0] ?? '', /^AccountId,AccountName,AggregationLevel/);

    await page.getByRole('link', { name: 'See every row' }).click();
    await waitForText(page, 'Results table (Office)');
    const entity = page.getByRole('table', { name: 'Output entity Office' });
    await entity.getByRole('columnheader', { name: 'AverageDuration_Of_AccountEmailReplies' }).waitFor();
    await waitForText(page, `1–25 of ${count(summary.accounts)}`);
    await page.getByRole('button', { name: 'Next page' }).click();
    await waitForText(page, `26–50 of ${count(summary.accounts)}`);
    await screenshot(page, 'flow-results-entity-light-wide');
  });

  it('opens a customer card with the right numbers', async () => {
    await page.goto(`${stack.app.url}/tab/#/customers`);
    await page.getByRole('searchbox').fill('contoso');
    await page.getByRole('link', { name: 'Contoso Ltd' }).click();
    await page.waitForURL(/#\/customers\/AC-00001$/);
    const card = (await stack.app.api<AccountCard>('GET', `${ENRICHMENT}/accounts/AC-00001`)).body;
    const year = card.year;
    await page.getByTestId('card-score-value').waitFor();
    assert.equal(await page.locator('#page-title').innerText(), 'Contoso Ltd');
    assert.equal(await figure(page, 'card-score-value'), String(year.EngagementScore));
    assert.match(await figure(page, 'card-score'), new RegExp(`${year.EngagementScore} · ${card.band}`));
    const emails = year.NoOfEmails_ToAccount + year.NoOfEmails_FromAccount;
    const meetings = year.NoOfMeetings_ToAccount + year.NoOfMeetings_FromAccount;
    assert.match(
      await figure(page, 'card-emails'),
      new RegExp(
        `^Emails in the last year ${count(emails)} ${year.NoOfEmails_ToAccount} to · ${year.NoOfEmails_FromAccount} from$`,
      ),
    );
    assert.match(
      await figure(page, 'card-meetings'),
      new RegExp(`^Meetings in the last year ${count(meetings)} `),
    );
    assert.equal(
      await figure(page, 'card-days-email'),
      `Days since last email ${year.DaysSinceLastEmail ?? '—'}`,
    );
    assert.equal(
      await figure(page, 'card-days-meeting'),
      `Days since last meeting ${year.DaysSinceLastMeeting ?? '—'}`,
    );
    const minutes = year.AverageDuration_Of_Meetings;
    assert.equal(
      await figure(page, 'card-avg-meeting'),
      `Average meeting ${minutes === null ? '—' : `${minutes.toLocaleString('en-US', { maximumFractionDigits: 1 })} min`}`,
    );
    assert.equal(await figure(page, 'card-colleagues-emails'), String(year.NoOfContactsInvolved_Emails));
    assert.equal(
      await figure(page, 'card-contacts-meetings'),
      String(year.NoOfAccountContactsInvolved_Meetings),
    );
    assert.equal(card.trend, 'new');
    assert.match(await figure(page, 'card-trend'), /First score/);
    // Both history charts draw their bars (Fluent charts: SVG rectangles).
    await page.getByTestId('card-email-chart').locator('rect').first().waitFor();
    await page.getByTestId('card-meeting-chart').locator('rect').first().waitFor();
    await page.getByRole('tab', { name: 'By week' }).click();
    await page.getByTestId('card-email-chart').locator('rect').first().waitFor();
    await screenshot(page, 'flow-customer-card-light-wide');
  });

  it('builds a segment with live counts, refusing bad rules at the field', async () => {
    const list = (await stack.app.api<SegmentList>('GET', `${ENRICHMENT}/segments`)).body;
    const stale = list.segments.find((s) => s.segmentId === 'stale');
    await page.goto(`${stack.app.url}/tab/#/segments`);
    assert.equal(
      await page.getByTestId('segment-stale').getByTestId('segment-members').innerText(),
      count(stale?.members ?? -1),
    );

    await page.getByRole('link', { name: 'New segment' }).click();
    const value = page.getByRole('spinbutton', { name: 'Value' });
    await value.fill('');
    // A sentence naming the field and the fix, never the API's wording; and no count meanwhile.
    const message = await waitForFieldMessage(value, 'Enter a number for Engagement score.');
    assert.doesNotMatch(message, /expected|received|invalid input/i);
    await waitForText(page, 'No count while a condition is incomplete');
    assert.doesNotMatch(await figure(page, 'segment-live-count'), /\d+ of \d+ accounts match/);
    await value.fill('60');
    const expected = (
      await stack.app.api<SegmentPreview>('POST', `${ENRICHMENT}/segments/preview`, {
        rules: { combinator: 'and', rules: [{ column: 'EngagementScore', operator: 'ge', value: 60 }] },
      })
    ).body;
    await waitFor(
      async () =>
        (await figure(page, 'segment-live-count')) ===
        `${expected.members} of ${expected.accounts} accounts match`
          ? true
          : undefined,
      'the live count of the rules',
    );
    await page.getByRole('button', { name: 'Save segment' }).click();
    await waitForFieldMessage(page.getByRole('textbox', { name: 'Name' }), 'Enter a name for the segment');
    await page.getByRole('textbox', { name: 'Name' }).fill('Well engaged');
    await screenshot(page, 'flow-segment-builder-light-wide');
    await page.getByRole('button', { name: 'Save segment' }).click();
    await page.waitForURL(/#\/segments\?segment=/);
    const saved = (await stack.app.api<SegmentList>('GET', `${ENRICHMENT}/segments`)).body.segments.find(
      (s) => s.name === 'Well engaged',
    );
    assert.ok(saved);
    assert.equal(saved.members, expected.members);
    assert.equal(
      await page.getByTestId(`segment-${saved.segmentId}`).getByTestId('segment-members').innerText(),
      count(expected.members),
    );
    const measures = (
      await stack.app.api<Measures>(
        'GET',
        `${ENRICHMENT}/measures?column=EngagementScore&segmentId=${encodeURIComponent(saved.segmentId)}`,
      )
    ).body;
    await waitFor(
      async () =>
        (await figure(page, 'measure-average')) ===
        `Average ${(measures.average ?? 0).toLocaleString('en-US', { maximumFractionDigits: 1 })}`
          ? true
          : undefined,
      'the average score of the segment',
    );
    assert.equal(await figure(page, 'measure-count'), `Count ${count(measures.count)}`);
    await screenshot(page, 'flow-segments-light-wide');
  });

  it('refuses a bad setting at its field and saves a good one', async () => {
    await page.goto(`${stack.app.url}/tab/#/settings`);
    const meeting = page.getByRole('spinbutton', { name: 'Meeting', exact: true });
    await meeting.fill('9');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await waitForFieldMessage(meeting, 'meeting weight must be between 2 and 6');
    await meeting.fill('5');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await waitForText(page, 'Saved as version 2');
    const saved = await stack.app.api<{ engagement: { weights: { meeting: number } } }>('GET', ENRICHMENT);
    assert.equal(saved.body.engagement.weights.meeting, 5);
    await screenshot(page, 'flow-settings-light-wide');
  });
});
