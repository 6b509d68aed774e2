import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { localCertificate, type LocalCertificate } from '../../local/certificate';
import { startEmbeddedCosmos } from '../../local/embedded-cosmos';
import { startCosmosProcess } from '../../local/cosmos-process';
import { ensureContainers } from '../../core/store/containers';
import { PortInUseError } from '../../server/listen';
import { tempDir } from '../support/temp-dir';

describe('embedded Cosmos DB', () => {
  const data = tempDir('cosmos');
  let certificate: LocalCertificate;

  before(async () => {
    certificate = await localCertificate(data.path);
  });
  after(() => data.cleanup());

  it('round-trips a document through the Cosmos SDK over TLS, trusting only our certificate', async () => {
    const cosmos = await startEmbeddedCosmos({ port: 0, certificate });
    try {
      const containers = await ensureContainers(cosmos.client, 'roundtrip');
      await containers.runs.items.create({ id: 'run-1', tenantId: 't1', status: 'succeeded', mailboxes: 40 });
      const { resource } = await containers.runs
        .item('run-1', 't1')
        .read<{ status: string; mailboxes: number }>();
      assert.equal(resource?.status, 'succeeded');
      assert.equal(resource?.mailboxes, 40);
      const { resources } = await containers.runs.items
        .query<number>({
          query: 'SELECT VALUE COUNT(1) FROM c WHERE c.tenantId = @tenant',
          parameters: [{ name: '@tenant', value: 't1' }],
        })
        .fetchAll();
      assert.deepEqual(resources, [1]);
    } finally {
      await cosmos.close();
    }
  });

  it('keeps stored documents across a restart through its snapshot', async () => {
    const first = await startEmbeddedCosmos({ port: 0, certificate, dataDir: data.path });
    const containers = await ensureContainers(first.client, 'restart');
    await containers.configurations.items.upsert({
      id: 'enrichment',
      tenantId: 't1',
      name: 'Office',
      version: 3,
    });
    await first.close();

    const second = await startEmbeddedCosmos({ port: 0, certificate, dataDir: data.path });
    try {
      const again = await ensureContainers(second.client, 'restart');
      const { resource } = await again.configurations
        .item('enrichment', 't1')
        .read<{ name: string; version: number }>();
      assert.equal(resource?.name, 'Office');
      assert.equal(resource?.version, 3);
    } finally {
      await second.close();
    }
  });

  it('fails fast, naming the setting, when its port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      await assert.rejects(startEmbeddedCosmos({ port, certificate }), (error: unknown) => {
        assert.ok(error instanceof PortInUseError);
        assert.match(
          error.message,
          new RegExp(`Port ${port} for the embedded Cosmos DB \\(COSMOS_PORT\\) is already in use`),
        );
        return true;
      });
    } finally {
      blocker.close();
    }
  });

  describe('in a process of its own (the local stack)', () => {
    it('serves the Cosmos SDK, snapshots on request and keeps documents across a restart', async () => {
      const dir = tempDir('cosmos-process');
      try {
        const first = await startCosmosProcess({ port: 0, certificate, dataDir: dir.path });
        const containers = await ensureContainers(first.client, 'process');
        await containers.configurations.items.create({ id: 'seg-1', tenantId: 't1', name: 'Quiet' });
        await first.snapshot();
        await containers.configurations.items.create({ id: 'seg-2', tenantId: 't1', name: 'Cooling' });
        await first.close();

        const second = await startCosmosProcess({ port: 0, certificate, dataDir: dir.path });
        try {
          const again = await ensureContainers(second.client, 'process');
          const { resources } = await again.configurations.items
            .query<string>('SELECT VALUE c.name FROM c ORDER BY c.id')
            .fetchAll();
          assert.deepEqual(resources, ['Quiet', 'Cooling']);
        } finally {
          await second.close();
        }
      } finally {
        dir.cleanup();
      }
    });

    it('fails fast with the same error as in this process when its port is taken', async () => {
      const blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      const address = blocker.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      try {
        await assert.rejects(startCosmosProcess({ port, certificate }), (error: unknown) => {
          assert.ok(error instanceof PortInUseError);
          assert.equal(error.port, port);
          assert.match(error.message, /embedded Cosmos DB \(COSMOS_PORT\) is already in use/);
          return true;
        });
      } finally {
        blocker.close();
      }
    });
  });
});
