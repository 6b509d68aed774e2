import assert from 'node:assert/strict';
import { localCertificate } from '../../local/certificate';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../../local/embedded-cosmos';
import { ensureContainers, type Containers } from '../../core/store/containers';
import { outputRowKey } from '../../core/results/stored-rows';
import { ResultsRepository } from '../../core/store/results-repository';
import { tempDir } from '../support/temp-dir';

interface Row {
  AccountId: string;
  AccountName: string;
  AggregationLevel: string;
  AggregationStartDate: string;
  EngagementScore: number;
}

const row = (id: string, level: string, start: string, score: number): Row => ({
  AccountId: id,
  AccountName: `Account ${id}`,
  AggregationLevel: level,
  AggregationStartDate: start,
  EngagementScore: score,
});

describe('results repository', () => {
  const data = tempDir('results');
  let cosmos: EmbeddedCosmos;
  let containers: Containers;

  before(async () => {
    cosmos = await startEmbeddedCosmos({ port: 0, certificate: await localCertificate(data.path) });
    containers = await ensureContainers(cosmos.client, 'results-test');
  });
  after(async () => {
    await cosmos.close();
    data.cleanup();
  });

  it('shows nothing of a run until it is published, then all of it at once', async () => {
    const repo = new ResultsRepository(containers.results, 'tenant-a');
    await repo.writeRows(
      'Office',
      'run-1',
      [
        row('A1', 'Year', '2025-11-01T00:00:00.000Z', 50),
        row('A1', 'Month', '2025-11-01T00:00:00.000Z', 50),
        row('A2', 'Year', '2025-11-01T00:00:00.000Z', 100),
      ],
      outputRowKey,
    );
    assert.equal(await repo.visibleRun('Office'), undefined);
    assert.deepEqual(await repo.visibleRows('Office'), []);

    await repo.publish('Office', {
      runId: 'run-1',
      asOf: '2026-11-01T00:00:00.000Z',
      publishedAt: new Date().toISOString(),
      rowCount: 3,
      accountCount: 2,
    });
    const rows = await repo.visibleRows<Row>('Office', { level: 'Year' });
    assert.deepEqual(rows.map((r) => [r.AccountId, r.EngagementScore]).sort(), [
      ['A1', 50],
      ['A2', 100],
    ]);
    const year = await repo.readRow<Row>('Office', ['A2', 'Year']);
    assert.equal(year?.EngagementScore, 100);
  });

  it('keeps the last good rows visible when a later run fails half-way, and discards its rows', async () => {
    const repo = new ResultsRepository(containers.results, 'tenant-a');
    await repo.writeRows('Office', 'run-2', [row('A1', 'Year', '2025-11-08T00:00:00.000Z', 1)], outputRowKey);
    // run-2 never publishes: readers still see run-1.
    const year = await repo.readRow<Row>('Office', ['A1', 'Year']);
    assert.equal(year?.EngagementScore, 50);
    assert.equal(await repo.discardRunsExcept('Office', 'run-1'), 1);
    assert.equal((await repo.visibleRows('Office')).length, 3);
  });

  it('replaces the visible run and removes the superseded rows on publish; re-writing a run is idempotent', async () => {
    const repo = new ResultsRepository(containers.results, 'tenant-a');
    const rows = [
      row('A1', 'Year', '2025-11-15T00:00:00.000Z', 100),
      row('A3', 'Year', '2025-11-15T00:00:00.000Z', 50),
    ];
    await repo.writeRows('Office', 'run-3', rows, outputRowKey);
    await repo.writeRows('Office', 'run-3', rows, outputRowKey);
    await repo.publish('Office', {
      runId: 'run-3',
      asOf: '2026-11-15T00:00:00.000Z',
      publishedAt: new Date().toISOString(),
      rowCount: 2,
      accountCount: 2,
    });
    const visible = await repo.visibleRows<Row>('Office');
    assert.deepEqual(visible.map((r) => r.AccountId).sort(), ['A1', 'A3']);
    const { resources } = await containers.results.items
      .query<number>({ query: 'SELECT VALUE COUNT(1) FROM c WHERE c.type = "row"' })
      .fetchAll();
    assert.deepEqual(resources, [2]);
  });

  it("keeps each tenant's rows apart", async () => {
    const other = new ResultsRepository(containers.results, 'tenant-b');
    assert.equal(await other.visibleRun('Office'), undefined);
    assert.equal(await other.readRow('Office', ['A1', 'Year']), undefined);
  });
});
