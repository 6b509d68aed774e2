import assert from 'node:assert/strict';
import type { EngagementRow } from '../../core/engine';
import { ResultsRepository } from '../../core/store/results-repository';
import { appContainers, saveEnrichment, tenantOf } from '../support/enrichment-fixture';
import {
  DAY_MS,
  nextMonday2am,
  watchRun,
  type ErrorBody,
  type RunView,
  type ScheduleView,
} from '../support/run-api';
import { startTestApp, type TestApp } from '../support/test-app';

const ANA = 'ana@fabrikam.com';
const RUTH = 'ruth.mehta@fabrikam.com';
const TRACKED = [ANA, RUTH];
const STEPS = ['resolving-users', 'reading-mailboxes', 'aggregating', 'writing-results'];

describe('runs API', () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp();
    await saveEnrichment(app, { enrichmentId: 'sales', tracked: TRACKED, consentGrantedAt: Date.now() });
    await saveEnrichment(app, { enrichmentId: 'awaiting-consent', tracked: TRACKED, consentGrantedAt: null });
  });
  afterEach(() => app.stack.graph.faults.reset());
  after(async () => app?.close());

  it('starts a run, shows its progress while it runs and its history when done; a second Run meanwhile is 409', async () => {
    // One mailbox answers slowly, so the run is seen reading mailboxes.
    app.stack.graph.faults.add({ kind: 'slow', delayMs: 1_000, path: '/calendarView', mailbox: ANA });
    const started = await app.api<RunView>('POST', '/api/enrichments/sales/runs');
    assert.equal(started.status, 202);
    assert.equal(started.body.status, 'queued');
    assert.deepEqual(
      { kind: started.body.trigger.kind, name: started.body.trigger.name, email: started.body.trigger.email },
      { kind: 'manual', name: 'Local Admin', email: 'admin@fabrikam.com' },
    );
    assert.equal(started.headers.get('location'), `runs/${started.body.runId}`);

    const again = await app.api<ErrorBody>('POST', '/api/enrichments/sales/runs');
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'Conflict');
    assert.ok(again.body.error.message.includes(started.body.runId), again.body.error.message);
    assert.ok(again.body.error.message.includes(started.body.queuedAt), again.body.error.message);
    assert.ok(
      again.body.error.message.includes('Local Admin (admin@fabrikam.com)'),
      again.body.error.message,
    );

    const during = await app.api<ScheduleView>('GET', '/api/enrichments/sales/schedule');
    assert.equal(during.body.activeRun?.runId, started.body.runId);

    const seen: RunView[] = [];
    const run = await watchRun(app, 'sales', started.body.runId, seen);
    const reading = seen.find((r) => r.status === 'running' && r.progress?.step === 'reading-mailboxes');
    assert.ok(reading, `progress while reading mailboxes: ${JSON.stringify(seen.map((r) => r.progress))}`);
    assert.equal(reading.progress?.mailboxesTotal, 2);
    // Whatever moment it is read at, the progress names the step under way: the one opened last.
    for (const state of seen.filter((r) => r.status === 'running' && r.progress)) {
      const steps = state.steps as unknown as { step: string; finishedAt: string | null }[];
      const open = steps.filter((s) => s.finishedAt === null).at(-1);
      if (open) assert.equal(state.progress?.step, open.step, JSON.stringify(state.steps));
    }

    assert.equal(run.status, 'succeeded', run.error ?? '');
    assert.equal(run.error, null);
    assert.deepEqual(
      run.steps.map((s) => s.step),
      STEPS,
    );
    const stepTime = run.steps.reduce((sum, s) => sum + (s.durationMs ?? NaN), 0);
    assert.ok(stepTime <= (run.durationMs ?? 0), `${stepTime} ms of steps within ${run.durationMs} ms`);
    assert.ok((run.steps[1]?.durationMs ?? 0) >= 1_000, 'reading took at least the slow calendar');

    // The history's counts agree with the rows the run published.
    const results = new ResultsRepository((await appContainers(app)).results, tenantOf(app));
    const year = await results.visibleRows<EngagementRow>('Office', { level: 'Year' });
    assert.equal((await results.visibleRun('Office'))?.runId, run.runId);
    const counts = run.counts ?? assert.fail('counts');
    assert.equal(counts.trackedUsers, 2);
    assert.equal(counts.mailboxesDone, 2);
    assert.equal(counts.mailboxesTotal, 2);
    assert.equal(counts.accounts, year.length);
    assert.equal(counts.accountsEnriched, year.filter((r) => r.EngagementStartDate !== null).length);
    const { emailsRead = 0, emailsCounted = 0, meetingsRead = 0, meetingsCounted = 0 } = counts;
    assert.ok(emailsRead >= emailsCounted && emailsCounted > 0);
    assert.ok(meetingsRead >= meetingsCounted && meetingsCounted > 0);
    assert.equal(run.progress?.messages, counts.emailsRead);
    const earliest = Math.min(
      ...year.flatMap((r) => (r.EngagementStartDate ? [Date.parse(r.EngagementStartDate)] : [])),
    );
    assert.equal(run.daysCovered, Math.ceil((Date.parse(run.asOf) - earliest) / DAY_MS));
    assert.deepEqual(run.mailboxErrors, []);

    const schedule = await app.api<ScheduleView>('GET', '/api/enrichments/sales/schedule');
    assert.equal(schedule.status, 200);
    assert.equal(schedule.body.cadence, 'weekly');
    assert.equal(schedule.body.activeRun, null);
    assert.equal(schedule.body.lastRun?.runId, run.runId);
    assert.deepEqual(schedule.body.nextRun, {
      at: new Date(nextMonday2am(Date.parse(run.queuedAt))).toISOString(),
      trigger: 'schedule',
      due: false,
    });
  });

  it('records mailboxes Graph refused apart from mailboxes that failed, with their messages', async () => {
    app.stack.graph.faults.deny(RUTH);
    app.stack.graph.faults.add({
      kind: 'throttle',
      retryAfterSeconds: 0,
      path: '/calendarView',
      mailbox: ANA,
    });
    const started = await app.api<RunView>('POST', '/api/enrichments/sales/runs');
    assert.equal(started.status, 202);
    const run = await watchRun(app, 'sales', started.body.runId);
    assert.equal(run.status, 'succeeded', run.error ?? '');
    const byAddress = new Map(run.mailboxErrors.map((e) => [e.address, e]));
    assert.equal(byAddress.size, 2);
    assert.equal(byAddress.get(RUTH)?.kind, 'permission');
    assert.equal(byAddress.get(ANA)?.kind, 'failure');
    for (const problem of run.mailboxErrors) assert.ok(problem.message.length > 0);
  });

  it('calls the follow-ups registered on onRunSucceeded once the rows are visible; a failing one fails nothing', async () => {
    const events: {
      runId: string;
      visibleRunId: string | undefined;
      config: string;
      shown: string | undefined;
    }[] = [];
    // Earlier runs' follow-ups are done: only this run's reach the hooks below.
    await app.stack.runs.idle();
    const hooks = app.stack.runs.onRunSucceeded;
    const registered = hooks.length;
    hooks.push(
      () => Promise.reject(new Error('alerts are down')),
      async (event) => {
        events.push({
          runId: event.run.runId,
          visibleRunId: event.visible.runId,
          config: event.config.enrichmentId,
          shown: (await event.results.visibleRun(event.config.entityName))?.runId,
        });
      },
    );
    try {
      const started = await app.api<RunView>('POST', '/api/enrichments/sales/runs');
      const run = await watchRun(app, 'sales', started.body.runId);
      await app.stack.runs.idle();
      assert.equal(run.status, 'succeeded');
      assert.deepEqual(events, [
        { runId: run.runId, visibleRunId: run.runId, config: 'sales', shown: run.runId },
      ]);
    } finally {
      hooks.splice(registered, 2);
    }
  });

  it('lists the history newest first, a page at a time', async () => {
    const first = await app.api<{ runs: RunView[]; nextPage?: string }>(
      'GET',
      '/api/enrichments/sales/runs?pageSize=1',
    );
    assert.equal(first.status, 200);
    assert.equal(first.body.runs.length, 1);
    assert.ok(first.body.nextPage);
    const rest = await app.api<{ runs: RunView[]; nextPage?: string }>(
      'GET',
      `/api/enrichments/sales/runs?pageSize=100&page=${encodeURIComponent(first.body.nextPage)}`,
    );
    assert.equal(rest.status, 200);
    const all = [...first.body.runs, ...rest.body.runs];
    assert.equal(all.length, 3);
    assert.equal(rest.body.nextPage, undefined);
    const [newer, older] = all;
    assert.ok(newer && older && newer.queuedAt > older.queuedAt, 'newest first');
  });

  it('answers unknown enrichments and runs with 404, missing consent with 422 and bad queries with 400', async () => {
    const unknown = await app.api<ErrorBody>('POST', '/api/enrichments/nope/runs');
    assert.equal(unknown.status, 404);
    assert.equal((await app.api('GET', '/api/enrichments/sales/runs/no-such-run')).status, 404);
    assert.equal((await app.api('GET', '/api/enrichments/nope/schedule')).status, 404);

    const noConsent = await app.api<ErrorBody>('POST', '/api/enrichments/awaiting-consent/runs');
    assert.equal(noConsent.status, 422);
    assert.deepEqual(
      noConsent.body.error.fields?.map((f) => f.field),
      ['consent.status'],
    );
    const schedule = await app.api<ScheduleView>('GET', '/api/enrichments/awaiting-consent/schedule');
    assert.equal(schedule.body.nextRun, null);

    const bad = await app.api<ErrorBody>('GET', '/api/enrichments/sales/runs?pageSize=500&page=');
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.error.fields?.map((f) => f.field).sort(), ['query.page', 'query.pageSize']);
    for (const token of ['not-a-token', Buffer.from('{"continuation":"garbage"}').toString('base64url')]) {
      const forged = await app.api<ErrorBody>('GET', `/api/enrichments/sales/runs?page=${token}`);
      assert.equal(forged.status, 400, JSON.stringify(forged.body));
      assert.deepEqual(
        forged.body.error.fields?.map((f) => f.field),
        ['query.page'],
      );
    }
  });

  it('documents every run route in the OpenAPI document', async () => {
    const doc = await app.api<{
      paths: Record<string, Record<string, { summary: string; 'x-access': string }>>;
    }>('GET', '/api/openapi.json');
    const paths = doc.body.paths;
    assert.equal(paths['/api/enrichments/{enrichmentId}/runs']?.post?.['x-access'], 'admin');
    assert.ok(paths['/api/enrichments/{enrichmentId}/runs']?.get?.summary);
    assert.ok(paths['/api/enrichments/{enrichmentId}/runs/{runId}']?.get?.summary);
    assert.ok(paths['/api/enrichments/{enrichmentId}/schedule']?.get?.summary);
  });
});
