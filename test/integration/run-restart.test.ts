import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ResultsRepository } from '../../core/store/results-repository';
import { appContainers, saveEnrichment, tenantOf } from '../support/enrichment-fixture';
import { sleep, watchRun, type RunView } from '../support/run-api';
import { tempDir } from '../support/temp-dir';
import { startTestApp } from '../support/test-app';

const ANA = 'ana@fabrikam.com';
const TRACKED = [ANA, 'ruth.mehta@fabrikam.com'];

describe('runs across a restart', () => {
  const data = tempDir('runs-restart');
  after(() => data.cleanup());

  it('leaves a run cut off by a shutdown interrupted and resumes it with the same run id on the next start', async () => {
    const first = await startTestApp({}, { dataDir: data.path });
    let runId: string;
    try {
      await saveEnrichment(first, { enrichmentId: 'sales', tracked: TRACKED, consentGrantedAt: Date.now() });
      first.stack.graph.faults.add({
        kind: 'slow',
        delayMs: 5_000,
        path: '/calendarView',
        mailbox: ANA,
      });
      const started = await first.api<RunView>('POST', '/api/enrichments/sales/runs');
      assert.equal(started.status, 202);
      runId = started.body.runId;
      for (;;) {
        const run = (await first.api<RunView>('GET', `/api/enrichments/sales/runs/${runId}`)).body;
        if (run.progress?.step === 'reading-mailboxes') break;
        assert.ok(['queued', 'running'].includes(run.status), run.status);
        await sleep(25);
      }
    } finally {
      await first.close();
    }

    // What the stopped server left in the store.
    const snapshot = JSON.parse(readFileSync(path.join(data.path, 'cosmos-snapshot.json'), 'utf8')) as {
      databases: { containers: { id: string; items: { id: string; status?: string; error?: string }[] }[] }[];
    };
    const items = snapshot.databases.flatMap((d) => d.containers).find((c) => c.id === 'runs')?.items ?? [];
    const left = items.find((item) => item.id === `run:${runId}`);
    assert.equal(left?.status, 'interrupted');
    assert.equal(left?.error, 'interrupted by a shutdown of the server');
    assert.equal(items.filter((item) => item.id.startsWith('lease:')).length, 0, 'the lease was released');

    const second = await startTestApp({}, { dataDir: data.path });
    try {
      const run = await watchRun(second, 'sales', runId);
      assert.equal(run.status, 'succeeded', run.error ?? '');
      assert.equal(run.attempt, 2);
      assert.equal(run.error, null);
      const results = new ResultsRepository((await appContainers(second)).results, tenantOf(second));
      assert.equal((await results.visibleRun('Office'))?.runId, runId);
    } finally {
      await second.close();
    }
  });
});
