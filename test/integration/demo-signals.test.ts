import assert from 'node:assert/strict';
import { SIGNALS, type SignalName } from '../../core/engine/index.ts';
import type { StoredEngagementRow } from '../../core/results/stored-rows.ts';
import { startEnrichmentStack, type EnrichmentStack } from '../../local/enrichment-stack.ts';
import { runDemoEnrichment } from '../support/demo-run.ts';
import { demoTenant } from '../../local/graph-simulator/index.ts';

/**
 * The demo tenant as `npm start` serves it today, enriched as the demo enrichment does (its sales
 * groups, dataset and mapping, the default settings) through the Graph simulator and the real engine:
 * a seller trying the product meets every risk signal in it.
 */
describe('the demo tenant: every risk signal through the engine', function () {
  this.timeout(120_000);
  const tenant = demoTenant();
  const asOf = tenant.asOf.getTime();
  const when = `demo tenant of ${tenant.asOf.toISOString()}`;
  let stack: EnrichmentStack;
  let years: StoredEngagementRow[];
  const having = (signal: SignalName) =>
    years.filter((row) => (row.Signals ?? []).includes(signal)).map((row) => row.AccountId);

  before(async () => {
    stack = await startEnrichmentStack({ tenant: tenant.source });
    const outcome = await runDemoEnrichment(stack, tenant, { runId: 'demo-signals', asOf });
    assert.deepEqual(outcome.mailboxProblems, []);
    assert.equal(outcome.trackedUsers, 40);
    years = await stack.results.visibleRows<StoredEngagementRow>('Office', { level: 'Year' });
  });
  after(() => stack?.close());

  it('has at least one account of each signal, and no signal on most accounts', () => {
    assert.equal(years.length, 300);
    for (const signal of SIGNALS) {
      assert.ok(having(signal).length >= 1, `${when}: no ${signal} account`);
    }
    // Stale covers the silent and quiet accounts; the others stay a minority.
    for (const signal of ['Unanswered', 'SingleThreaded', 'Cooling'] as const) {
      assert.ok(having(signal).length < 30, `${when}: ${having(signal).length} ${signal} accounts`);
    }
  });

  it('shows Unanswered for a handful of accounts: every account that stopped answering, and few others', () => {
    const planned = tenant.accounts
      .filter((a) => a.unansweredSince !== null)
      .map((a) => a.accountId)
      .sort();
    const unanswered = having('Unanswered').sort();
    assert.equal(planned.length, 6);
    assert.deepEqual(
      planned.filter((id) => !unanswered.includes(id)),
      [],
      `${when}: accounts that stopped answering without the signal`,
    );
    assert.ok(unanswered.length <= 10, `${when}: ${unanswered.length} Unanswered accounts, a few percent`);
    const anas = tenant.accounts.filter(
      (a) => unanswered.includes(a.accountId) && a.ownerEmail === 'ana@fabrikam.com',
    );
    assert.ok(anas.length >= 1, `${when}: Ana owns no Unanswered account to ask the bot about`);
    for (const row of years.filter((r) => unanswered.includes(r.AccountId))) {
      assert.ok(!(row.Signals ?? []).includes('Stale'), `${row.AccountName} is written to, so not stale`);
      assert.ok(row.NoOfEmails_ToAccount > 0 && row.NoOfEmails_FromAccount > 0, row.AccountName);
    }
  });
});
