import assert from 'node:assert/strict';
import { saveEnrichment } from '../support/enrichment-fixture';
import { DAY_MS, HOUR_MS, nextMonday2am, type RunView, type ScheduleView } from '../support/run-api';
import { startTestApp, type TestApp } from '../support/test-app';

const TRACKED = ['ana@fabrikam.com', 'ruth.mehta@fabrikam.com'];

describe('scheduled runs', () => {
  let app: TestApp;
  let clock = Date.now();
  const grantedAt = clock;

  before(async () => {
    app = await startTestApp({}, { now: () => clock, runs: { scheduleIntervalMs: DAY_MS } });
    await saveEnrichment(app, { enrichmentId: 'weekly', tracked: TRACKED, consentGrantedAt: grantedAt });
  });
  after(async () => app?.close());

  const runsOf = async () =>
    (await app.api<{ runs: RunView[] }>('GET', '/api/enrichments/weekly/runs')).body.runs;

  it('runs first six hours after consent, then weekly', async () => {
    const schedule = await app.api<ScheduleView>('GET', '/api/enrichments/weekly/schedule');
    const firstAt = grantedAt + 6 * HOUR_MS;
    assert.deepEqual(schedule.body.nextRun, {
      at: new Date(firstAt).toISOString(),
      trigger: 'first-run-after-consent',
      due: false,
    });

    clock = firstAt - 1;
    await app.stack.runs.tick();
    assert.deepEqual(await runsOf(), []);

    clock = firstAt;
    await app.stack.runs.tick();
    await app.stack.runs.idle();
    const [first] = await runsOf();
    assert.equal(first?.status, 'succeeded', first?.error ?? '');
    assert.deepEqual(first?.trigger, {
      kind: 'first-run-after-consent',
      scheduledFor: new Date(firstAt).toISOString(),
    });
    assert.equal(first?.asOf, new Date(firstAt).toISOString());

    const weeklyAt = nextMonday2am(firstAt);
    const after = await app.api<ScheduleView>('GET', '/api/enrichments/weekly/schedule');
    assert.deepEqual(after.body.nextRun, {
      at: new Date(weeklyAt).toISOString(),
      trigger: 'schedule',
      due: false,
    });

    clock = weeklyAt - 1;
    await app.stack.runs.tick();
    assert.equal((await runsOf()).length, 1);

    clock = weeklyAt + 30 * 60_000;
    const due = await app.api<ScheduleView>('GET', '/api/enrichments/weekly/schedule');
    assert.equal(due.body.nextRun?.due, true);
    await app.stack.runs.tick();
    await app.stack.runs.idle();
    const [second] = await runsOf();
    assert.equal(second?.status, 'succeeded', second?.error ?? '');
    assert.deepEqual(second?.trigger, { kind: 'schedule', scheduledFor: new Date(weeklyAt).toISOString() });

    // Once run, the slot is not due again; the next is a week later.
    await app.stack.runs.tick();
    assert.equal((await runsOf()).length, 2);
    const next = await app.api<ScheduleView>('GET', '/api/enrichments/weekly/schedule');
    assert.equal(next.body.nextRun?.at, new Date(weeklyAt + 7 * DAY_MS).toISOString());
  });
});
