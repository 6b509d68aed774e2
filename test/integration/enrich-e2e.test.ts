import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { userEntityNameOf } from '../../core/config/enrichment-config.ts';
import { compareRows, contractRow } from '../../core/results/columns.ts';
import { parseDatasetJson, type CustomerDataset } from '../../core/datasets/customer-dataset.ts';
import type { EngagementRow, UserEntityRow } from '../../core/engine/index.ts';
import type { Clock } from '../../core/graph/clock.ts';
import { GraphPermissionError } from '../../core/graph/errors.ts';
import type { RetryEvent } from '../../core/graph/middleware.ts';
import { graphGet } from '../../core/graph/request.ts';
import { EVENT_FIELDS, MESSAGE_FIELDS } from '../../core/graph/select.ts';
import {
  runEnrichment,
  type EnrichmentOutcome,
  type EnrichmentRequest,
} from '../../core/runs/enrichment-run.ts';
import type { StoredEngagementRow } from '../../core/results/stored-rows.ts';
import type { ResultsRepository } from '../../core/store/results-repository.ts';
import { startEnrichmentStack, type EnrichmentStack } from '../../local/enrichment-stack.ts';
import { generateTenant, loadTenantFixture, type GraphSimulator } from '../../local/graph-simulator/index.ts';

/**
 * One enrichment through the whole product path: the Graph simulator over HTTPS → the Graph SDK →
 * the engine → the embedded Cosmos DB → rows read back. The fixture and every expected number are
 * explained in test/fixtures/e2e-tenant.md.
 */

const FIXTURES = new URL('../fixtures/', import.meta.url);
const AS_OF = Date.parse('2026-03-04T12:00:00Z');
const TRACKED = ['ana@fabrikam.com', 'ben@fabrikam.com', 'westsales@fabrikam.com'];
const ENTITY = 'Office';
const BODY_FIELDS = ['body', 'bodyPreview', 'uniqueBody'];

async function expectedRows(): Promise<EngagementRow[]> {
  const text = await readFile(new URL('e2e-expected.jsonl', FIXTURES), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as EngagementRow);
}

/** The visible rows of the output entity, in the contract's order and columns. */
async function visibleContractRows(results: ResultsRepository): Promise<EngagementRow[]> {
  return (await results.visibleRows<StoredEngagementRow>(ENTITY)).sort(compareRows).map(contractRow);
}

/** A clock that records the waits it is asked for and returns at once, so retries cost no real time. */
function recordingClock(): Clock & { waits: number[] } {
  const waits: number[] = [];
  return { waits, now: () => Date.now(), sleep: (ms) => (waits.push(ms), Promise.resolve()) };
}

let runs = 0;
function request(dataset: CustomerDataset, overrides: Partial<EnrichmentRequest> = {}): EnrichmentRequest {
  runs += 1;
  return {
    tenantId: 'ignored-by-the-stack',
    runId: `run-${runs}`,
    asOf: AS_OF,
    tracked: TRACKED,
    dataset,
    mapping: { emailField: 'Email', domainField: 'Domain', ownerField: 'OwnerEmail' },
    entityName: ENTITY,
    ...overrides,
  };
}

describe('enrichment end to end: simulator → Graph SDK → engine → embedded Cosmos DB', function () {
  this.timeout(60_000);

  describe('the hand-built fixture (test/fixtures/e2e-tenant.md)', () => {
    let stack: EnrichmentStack;
    let simulator: GraphSimulator;
    let dataset: CustomerDataset;
    let outcome: EnrichmentOutcome;

    before(async () => {
      const tenant = await loadTenantFixture(new URL('e2e-tenant.json', FIXTURES).pathname);
      dataset = parseDatasetJson(await readFile(new URL('e2e-customers.json', FIXTURES), 'utf8'));
      stack = await startEnrichmentStack({ tenant });
      assert.ok(stack.simulator);
      simulator = stack.simulator;
      outcome = await runEnrichment(request(dataset, { tenantId: stack.tenantId }), stack);
    });

    after(() => stack.close());

    it('stores exactly the hand-computed rows, one per account, level and active period', async () => {
      assert.deepEqual(await visibleContractRows(stack.results), await expectedRows());
    });

    it('reports the run: users, nothing unknown or unreadable, a year covered, the next meeting', () => {
      assert.equal(outcome.trackedUsers, 3);
      assert.deepEqual(outcome.unknownEntries, []);
      assert.deepEqual(outcome.mailboxProblems, []);
      // Litware's E8 sits exactly on the window start: the whole year is covered.
      assert.equal(outcome.daysCovered, 365);
      assert.deepEqual(outcome.nextMeetings, [
        { AccountId: 'A6', Start: '2026-03-05T12:00:00.000Z', End: '2026-03-05T13:00:00.000Z' },
      ]);
      assert.equal(outcome.totals.accounts, 7);
      assert.equal(outcome.visible.rowCount, 28);
    });

    it('serves point reads of a row: no previous score on a first run, the next meeting on the Year row', async () => {
      const row = await stack.results.readRow<StoredEngagementRow>(ENTITY, ['A2', 'Year']);
      assert.ok(row);
      const expected = (await expectedRows()).find((r) => r.AccountId === 'A2');
      assert.deepEqual(contractRow(row), expected);
      assert.equal(row.PreviousEngagementScore, null);
      assert.equal(row.tenantId, stack.tenantId);
      // The meeting after T (M8) is Litware's next meeting, kept on its Year row only.
      const litware = await stack.results.readRow<StoredEngagementRow>(ENTITY, ['A6', 'Year']);
      assert.equal(litware?.NextMeetingStart, '2026-03-05T12:00:00.000Z');
      assert.equal(litware?.NextMeetingEnd, '2026-03-05T13:00:00.000Z');
      assert.equal(row.NextMeetingStart, null);
    });

    it('writes the tracked users, with the group each came through, to Office_UserEntity', async () => {
      const users = (await stack.results.visibleRows<UserEntityRow>(userEntityNameOf(ENTITY)))
        .map(({ UserId, Email, DisplayName, Groups, ListedDirectly }) => ({
          UserId,
          Email,
          DisplayName,
          Groups,
          ListedDirectly,
        }))
        .sort((a, b) => a.Email.localeCompare(b.Email));
      assert.deepEqual(users, [
        {
          UserId: 'a0000000-0000-4000-8000-000000000001',
          Email: 'ana@fabrikam.com',
          DisplayName: 'Ana Diaz',
          Groups: [],
          ListedDirectly: true,
        },
        {
          UserId: 'a0000000-0000-4000-8000-000000000002',
          Email: 'ben@fabrikam.com',
          DisplayName: 'Ben Okafor',
          Groups: [],
          ListedDirectly: true,
        },
        {
          UserId: 'a0000000-0000-4000-8000-000000000003',
          Email: 'cara@fabrikam.com',
          DisplayName: 'Cara Lind',
          Groups: [{ GroupId: 'b0000000-0000-4000-8000-000000000001', DisplayName: 'West Sales' }],
          ListedDirectly: false,
        },
      ]);
    });

    it('asked Graph for the allow-listed metadata of tracked mailboxes only, never for content', async () => {
      const itemRequests = simulator.requestLog.filter((e) =>
        /\/(messages|calendarView|events)\b/.test(e.route),
      );
      // The four counted well-known folders (Inbox, Sent Items, Deleted Items, Archive) and the
      // calendar of each of the three tracked mailboxes; Drafts is never read.
      assert.equal(itemRequests.length, 15);
      for (const entry of itemRequests) {
        assert.equal(entry.status, 200, entry.url);
        assert.ok(
          !entry.url.includes('a0000000-0000-4000-8000-000000000004'),
          `untracked mailbox read: ${entry.url}`,
        );
        const query = new URLSearchParams(entry.url.split('?')[1]);
        const select = query.get('$select')?.split(',');
        assert.ok(select, `no $select: ${entry.url}`);
        assert.deepEqual(
          select,
          entry.route.includes('calendarView') ? [...EVENT_FIELDS] : [...MESSAGE_FIELDS],
        );
        assert.ok(!select.some((field) => BODY_FIELDS.includes(field)), entry.url);
      }
      // The control: the simulator does refuse content, and a request without $select.
      const inbox = '/users/a0000000-0000-4000-8000-000000000001/mailFolders/inbox/messages';
      for (const field of BODY_FIELDS) {
        await assert.rejects(
          graphGet(stack.graph, `${inbox}?$select=id,${field}`, { what: 'control' }),
          GraphPermissionError,
        );
      }
      await assert.rejects(graphGet(stack.graph, inbox, { what: 'control' }), GraphPermissionError);
      const calendar = `/users/a0000000-0000-4000-8000-000000000001/calendarView?startDateTime=2026-01-01T00:00:00Z&endDateTime=2026-03-01T00:00:00Z`;
      await assert.rejects(
        graphGet(stack.graph, `${calendar}&$select=id,body`, { what: 'control' }),
        GraphPermissionError,
      );
      assert.equal(simulator.requestLog.filter((e) => e.status === 403).length, 5);
    });

    it('stores no content and no per-message record: only the aggregate rows and the users', async () => {
      const stored = JSON.stringify([
        ...(await stack.results.visibleRows(ENTITY)),
        ...(await stack.results.visibleRows(userEntityNameOf(ENTITY))),
      ]);
      for (const needle of [
        'Private',
        'Renewal terms',
        'Weekly sync',
        '<e1@fabrikam.com>',
        'c-contoso-1',
        'ical-m6',
      ]) {
        assert.ok(!stored.includes(needle), needle);
      }
    });
  });

  describe('faults on a generated tenant', () => {
    const generated = generateTenant({
      seed: 'e2e-faults',
      sellers: 6,
      accounts: 8,
      asOf: '2026-03-04T00:00:00Z',
      messagesPerMailbox: 400,
    });
    const dataset: CustomerDataset = {
      accounts: generated.customers.accounts.map((a) => ({ ...a })),
      contacts: generated.customers.contacts.map((c) => ({ ...c })),
    };
    const tracked = generated.sellers.map((s) => s.mail ?? s.userPrincipalName);
    const clock = recordingClock();
    const retries: RetryEvent[] = [];
    let stack: EnrichmentStack;
    let simulator: GraphSimulator;
    let clean: EngagementRow[];

    const enrich = async () =>
      runEnrichment(
        request(dataset, { tenantId: stack.tenantId, tracked, asOf: Date.parse('2026-03-04T00:00:00Z') }),
        stack,
      );

    before(async () => {
      stack = await startEnrichmentStack({
        tenant: generated.source,
        client: { clock, retry: { maxAttempts: 40 }, onRetry: (event) => retries.push(event) },
      });
      assert.ok(stack.simulator);
      simulator = stack.simulator;
      await enrich();
      clean = await visibleContractRows(stack.results);
    });

    beforeEach(() => {
      simulator.resetStats();
      clock.waits.length = 0;
      retries.length = 0;
    });

    afterEach(() => simulator.faults.reset());
    after(() => stack.close());

    it('has something to lose: the clean run counted emails and meetings for most accounts', () => {
      const active = clean.filter((r) => r.AggregationLevel === 'Year' && r.EngagementScore > 0);
      assert.ok(active.length >= 6, `${active.length} active accounts`);
      assert.ok(clean.some((r) => r.NoOfMeetings_ToAccount > 0));
      assert.ok(clean.some((r) => r.AverageDuration_Of_AccountEmailReplies !== null));
    });

    it('rides out a 429 storm, waiting exactly what Retry-After says, and stores the same rows', async () => {
      simulator.faults.set({
        seed: 5,
        rules: [{ kind: 'throttle', probability: 0.5, retryAfterSeconds: 3 }],
      });
      const outcome = await enrich();
      assert.deepEqual(outcome.mailboxProblems, []);
      assert.deepEqual(await visibleContractRows(stack.results), clean);
      // Batch items (the tracked-user look-ups) are retried by the batch layer, plain requests by the client.
      const throttled = simulator.requestLog.filter((e) => e.fault === 'throttle' && !e.inBatch).length;
      assert.ok(throttled >= 10, `${throttled} requests throttled`);
      assert.equal(retries.filter((r) => r.status === 429).length, throttled);
      assert.ok(retries.every((r) => r.delayMs === 3_000));
      assert.ok(clock.waits.length >= throttled);
      assert.ok(clock.waits.every((ms) => ms === 3_000));
    });

    it('rides out 503s and dropped connections and stores the same rows', async () => {
      simulator.faults.set({
        seed: 9,
        rules: [
          { kind: 'unavailable', probability: 0.25, retryAfterSeconds: 1 },
          { kind: 'unavailable', probability: 0.15 },
          { kind: 'drop', probability: 0.25 },
        ],
      });
      const outcome = await enrich();
      assert.deepEqual(outcome.mailboxProblems, []);
      assert.deepEqual(await visibleContractRows(stack.results), clean);
      assert.ok(simulator.stats.faults.unavailable >= 8, `${simulator.stats.faults.unavailable} unavailable`);
      assert.ok(simulator.stats.faults.dropped >= 5, `${simulator.stats.faults.dropped} dropped`);
      assert.ok(retries.some((r) => r.status === 503 && r.delayMs === 1_000));
      assert.ok(retries.some((r) => r.error?.name === 'GraphNetworkError'));
    });

    it("keeps the previous run's Year score beside each new one, for the trend", async () => {
      await enrich();
      const stored = await stack.results.visibleRows<StoredEngagementRow>(ENTITY, { level: 'Year' });
      assert.equal(stored.length, dataset.accounts.length);
      const previous = new Map(
        clean.filter((r) => r.AggregationLevel === 'Year').map((r) => [r.AccountId, r.EngagementScore]),
      );
      for (const row of stored) assert.equal(row.PreviousEngagementScore, previous.get(row.AccountId));
    });
  });
});
