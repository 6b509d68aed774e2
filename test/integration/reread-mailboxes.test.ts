import assert from 'node:assert/strict';
import { loadEnrichment } from '../../core/config/enrichment-config';
import { compareRows } from '../../core/results/columns';
import type { StoredEngagementRow } from '../../core/results/stored-rows';
import { runInputs } from '../../core/runs/enrichment-inputs';
import { runEnrichment } from '../../core/runs/enrichment-run';
import { newRunRecord } from '../../core/runs/run-record';
import { RunService } from '../../core/runs/run-service';
import { ResultsRepository } from '../../core/store/results-repository';
import { appContainers, demoCustomers, saveEnrichment, tenantOf } from '../support/enrichment-fixture';
import { watchRun, type ErrorBody, type RunView } from '../support/run-api';
import { startTestApp, type TestApp } from '../support/test-app';

const ANA = 'ana@fabrikam.com';
const OSKAR = 'oskar.romero@fabrikam.com';
const RUTH = 'ruth.mehta@fabrikam.com';
const TRACKED = [ANA, OSKAR, RUTH];
const HOUR = 3_600_000;

type Offer =
  { available: true; runId: string; mailboxes: number; until: string } | { available: false; reason: string };

interface SummaryView {
  lastRun: { runId: string; asOf: string } | null;
  total: number;
  counts: Record<'ok' | 'permission' | 'throttled' | 'failed', number>;
  reread: Offer;
}

interface MailboxView {
  mailboxId: string;
  address: string;
  status: string;
  messages: number;
  meetings: number;
  lastRun: { runId: string };
}

const STORE_FIELDS = new Set(['id', 'tenantId', 'type', 'entity', 'runId']);

/**
 * The stored rows as values: without the store's fields and the score they are compared with,
 * which depends on what was shown before.
 */
const comparable = (rows: StoredEngagementRow[]) =>
  [...rows]
    .sort(compareRows)
    .map(({ PreviousEngagementScore: _previous, ...row }) =>
      Object.fromEntries(
        Object.entries(row).filter(([key]) => !key.startsWith('_') && !STORE_FIELDS.has(key)),
      ),
    );

describe('re-reading only the mailboxes a run could not read', function () {
  this.timeout(120_000);
  let app: TestApp;
  let offset = 0;
  const now = () => Date.now() + offset;

  const summary = async (enrichmentId = 'sales') => {
    const answer = await app.api<SummaryView>('GET', `/api/enrichments/${enrichmentId}/mailboxes/summary`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body;
  };
  const mailboxes = async () =>
    (await app.api<{ mailboxes: MailboxView[] }>('GET', '/api/enrichments/sales/mailboxes')).body.mailboxes;
  const succeeded = async (started: { status: number; body: RunView | ErrorBody }) => {
    assert.equal(started.status, 202, JSON.stringify(started.body));
    const ended = await watchRun(app, 'sales', (started.body as RunView).runId);
    await app.stack.runs.idle();
    assert.equal(ended.status, 'succeeded', ended.error ?? '');
    return ended;
  };
  const run = async () => succeeded(await app.api<RunView>('POST', '/api/enrichments/sales/runs'));
  const reread = (runId: string) =>
    app.api<RunView | ErrorBody>('POST', `/api/enrichments/sales/runs/${runId}/reread`);
  const results = async () => new ResultsRepository((await appContainers(app)).results, tenantOf(app));
  const visibleRows = async () => (await results()).visibleRows<StoredEngagementRow>('Office');

  /** Ana's calendar answers 503 every time (her mail is read), and Ruth's mailbox is refused. */
  const breakTwoMailboxes = () => {
    app.stack.graph.faults.deny(RUTH);
    app.stack.graph.faults.add({
      kind: 'unavailable',
      retryAfterSeconds: 0,
      path: '/calendarView',
      mailbox: ANA,
    });
  };

  before(async () => {
    app = await startTestApp({}, { now, runs: { readingTtlMs: 2 * HOUR } });
    await saveEnrichment(app, { enrichmentId: 'sales', tracked: TRACKED, consentGrantedAt: Date.now() });
  });
  afterEach(() => app.stack.graph.faults.reset());
  after(async () => app?.close());

  it('reads the two failed mailboxes again at the run’s T, and publishes the rows a clean full run gives', async () => {
    const shownBefore = await run();
    const scoresBefore = new Map(
      (await visibleRows())
        .filter((r) => r.AggregationLevel === 'Year')
        .map((r) => [r.AccountId, r.EngagementScore]),
    );
    breakTwoMailboxes();
    const broken = await run();
    assert.deepEqual(broken.mailboxErrors.map((e) => [e.address, e.kind]).sort(), [
      [ANA, 'failure'],
      [RUTH, 'permission'],
    ]);
    const brokenRows = comparable(await visibleRows());
    const offer = (await summary()).reread;
    assert.equal(offer.available, true, JSON.stringify(offer));
    assert.deepEqual(offer.available && [offer.runId, offer.mailboxes], [broken.runId, 2]);
    const until = offer.available ? Date.parse(offer.until) : NaN;
    assert.ok(
      until >= Date.parse(broken.startedAt ?? '') + 2 * HOUR &&
        until <= Date.parse(broken.finishedAt ?? '') + 2 * HOUR,
      `kept two hours from the end of the reading: ${offer.available && offer.until}`,
    );

    app.stack.graph.faults.reset();
    const ids = new Map((await mailboxes()).map((m) => [m.address, m.mailboxId]));
    const logged = app.stack.graph.requestLog.length;
    const started = await reread(broken.runId);
    const rereadRun = await succeeded(started);
    assert.deepEqual(rereadRun.trigger, {
      kind: 'reread',
      ofRunId: broken.runId,
      userId: (rereadRun.trigger as unknown as { userId: string }).userId,
      name: rereadRun.trigger.name,
      email: rereadRun.trigger.email,
    });
    assert.equal(rereadRun.asOf, broken.asOf, 'the same T as the run it completes');
    assert.deepEqual(rereadRun.mailboxErrors, []);
    assert.deepEqual(
      rereadRun.progress && [rereadRun.progress.mailboxesDone, rereadRun.progress.mailboxesTotal],
      [2, 2],
    );

    // Only Ana's and Ruth's mailboxes were asked for; Oskar's was not read again.
    const read = app.stack.graph.requestLog.slice(logged).map((e) => e.url);
    assert.ok(
      read.some((url) => url.includes(ids.get(ANA) ?? '?')),
      'Ana is read again',
    );
    assert.ok(
      read.some((url) => url.includes(ids.get(RUTH) ?? '?')),
      'Ruth is read again',
    );
    assert.deepEqual(
      read.filter((url) => url.includes(ids.get(OSKAR) ?? '?') || url.includes(OSKAR)),
      [],
    );

    // A clean full run of the same configuration at the same T, written under another entity.
    const containers = await appContainers(app);
    const config = await loadEnrichment(containers, tenantOf(app), 'sales');
    assert.ok(config);
    const inputs = await runInputs(containers, tenantOf(app), config);
    const clean = await runEnrichment(
      {
        ...inputs,
        entityName: 'Clean',
        tenantId: tenantOf(app),
        runId: 'clean',
        asOf: Date.parse(broken.asOf),
      },
      { graph: app.stack.graphClient, results: await results() },
    );
    const shown = await visibleRows();
    const cleanRows = await (await results()).visibleRows<StoredEngagementRow>('Clean');
    assert.ok(cleanRows.length > 0);
    assert.notDeepEqual(brokenRows, comparable(cleanRows), 'the broken run missed activity');
    assert.deepEqual(comparable(shown), comparable(cleanRows));
    assert.deepEqual(rereadRun.counts, {
      trackedUsers: 3,
      mailboxesDone: 2,
      mailboxesTotal: 2,
      emailsRead: clean.totals.emailsRead,
      meetingsRead: clean.totals.meetingsRead,
      emailsCounted: clean.totals.emailsCounted,
      meetingsCounted: clean.totals.meetingsCounted,
      accounts: clean.totals.accounts,
      accountsEnriched: clean.totals.accountsEngaged,
    });
    // The trend compares with what was shown before the broken run, not with the broken run itself.
    for (const row of shown.filter((r) => r.AggregationLevel === 'Year')) {
      assert.equal(row.PreviousEngagementScore, scoresBefore.get(row.AccountId) ?? null, row.AccountId);
    }
    assert.notEqual(shownBefore.runId, broken.runId);

    const after = await summary();
    assert.deepEqual(after.counts, { ok: 3, permission: 0, throttled: 0, failed: 0 });
    assert.deepEqual(after.reread, { available: false, reason: 'Every mailbox was read completely.' });
    assert.deepEqual(
      (await mailboxes()).map((m) => [m.address, m.lastRun.runId]),
      [
        [ANA, rereadRun.runId],
        [OSKAR, broken.runId],
        [RUTH, rereadRun.runId],
      ],
      'a mailbox the re-read did not read keeps the run that read it',
    );
    const again = await reread(rereadRun.runId);
    assert.equal(again.status, 409);
    assert.match(
      (again.body as ErrorBody).error.message,
      /No run is kept for a re-read: a run that could not read every mailbox is kept for 2 hours.*Start a full run/,
    );
  });

  it('keeps the reading while mailboxes still fail, so that a second re-read finishes the job', async () => {
    breakTwoMailboxes();
    const broken = await run();
    app.stack.graph.faults.reset();
    app.stack.graph.faults.deny(RUTH);
    const first = await succeeded(await reread(broken.runId));
    assert.deepEqual(
      first.mailboxErrors.map((e) => e.address),
      [RUTH],
    );
    const offer = (await summary()).reread;
    assert.deepEqual(offer.available && [offer.runId, offer.mailboxes], [first.runId, 1]);

    app.stack.graph.faults.reset();
    const stale = await reread(broken.runId);
    assert.equal(stale.status, 409, 'only the latest run of the reading can be continued');
    assert.match((stale.body as ErrorBody).error.message, new RegExp(`run ${first.runId} is`));
    const second = await succeeded(await reread(first.runId));
    assert.deepEqual(second.mailboxErrors, []);
    assert.deepEqual(second.progress && second.progress.mailboxesTotal, 1);
    assert.equal(second.asOf, broken.asOf);

    const history = await app.api<{ runs: { runId: string }[] }>(
      'GET',
      '/api/enrichments/sales/results/history',
    );
    const shown = history.body.runs.map((r) => r.runId);
    assert.ok(shown.includes(second.runId), 'the results history shows the re-read');
    assert.ok(!shown.includes(broken.runId) && !shown.includes(first.runId), 'not the runs it completed');
  });

  it('refuses once a later run is shown, even one that another server instance ran', async () => {
    breakTwoMailboxes();
    const broken = await run();
    assert.equal((await summary()).reread.available, true);
    // The later run on the other instance cannot read them either: this instance still holds its reading.
    const other = new RunService({
      containers: await appContainers(app),
      graph: app.stack.graphClient,
      now,
      instanceId: 'another instance',
      log: () => undefined,
    });
    const later = await other.startRun(tenantOf(app), 'sales', {
      kind: 'manual',
      userId: 'u',
      name: 'Ruth',
      email: RUTH,
    });
    await other.idle();
    assert.equal((await other.getRun(tenantOf(app), 'sales', later.runId))?.status, 'succeeded');

    const offer = (await summary()).reread;
    assert.equal(offer.available, false);
    const because = new RegExp(`The results shown are no longer run ${broken.runId}'s .*start a full run`);
    assert.match(offer.available ? '' : offer.reason, because);
    const refused = await reread(broken.runId);
    assert.equal(refused.status, 409);
    assert.match((refused.body as ErrorBody).error.message, because);
  });

  it('offers a full run instead once the reading is older than two hours or the dataset changed', async () => {
    breakTwoMailboxes();
    const broken = await run();
    app.stack.graph.faults.reset();
    offset += 2 * HOUR + 1;
    const expired = await summary();
    assert.equal(expired.reread.available, false);
    assert.match(
      expired.reread.available ? '' : expired.reread.reason,
      new RegExp(`run ${broken.runId}'s reading was kept for 2 hours, which have passed. Start a full run`),
    );
    const refused = await reread(broken.runId);
    assert.equal(refused.status, 409);
    assert.match((refused.body as ErrorBody).error.message, /Start a full run/);

    breakTwoMailboxes();
    const again = await run();
    await saveEnrichment(app, {
      enrichmentId: 'sales',
      tracked: TRACKED,
      consentGrantedAt: Date.now(),
      customers: demoCustomers(),
    });
    const changed = await summary();
    assert.equal(changed.reread.available, false);
    assert.match(
      changed.reread.available ? '' : changed.reread.reason,
      new RegExp(`The customer dataset was imported again since run ${again.runId}: start a full run`),
    );
    assert.equal((await reread(again.runId)).status, 409);
  });

  it('fails a re-read resumed where its reading is not kept (after a restart), saying what to do', async () => {
    const { runs } = app.stack;
    const record = newRunRecord({
      runId: '7d0c0b8e-0000-4000-8000-000000000001',
      tenantId: tenantOf(app),
      enrichmentId: 'sales',
      trigger: { kind: 'reread', ofRunId: 'gone', userId: 'u', name: 'Ana', email: ANA },
      now: now(),
      instanceId: 'an instance that stopped',
    });
    await runs.runs.create({ ...record, status: 'interrupted' });
    await runs.recover();
    await runs.idle();
    const ended = await runs.getRun(tenantOf(app), 'sales', record.runId);
    assert.equal(ended?.status, 'failed');
    assert.match(ended?.error ?? '', /reading of run gone is no longer kept.*Start a full run/);
  });

  it('answers 404 for a run it does not know', async () => {
    const answer = await reread('5f1e0c1a-0000-4000-8000-00000000beef');
    assert.equal(answer.status, 404);
  });
});
