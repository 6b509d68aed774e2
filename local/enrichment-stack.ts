import { randomUUID } from 'node:crypto';
import type { GraphClientSettings, GraphConnection } from '../core/graph/client';
import { createGraphClient, simulatorGraphSettings } from '../core/graph/client';
import { ensureContainers } from '../core/store/containers';
import { ResultsRepository } from '../core/store/results-repository';
import { startGraphSimulator, type GraphSimulator, type TenantFixture } from '../test/graph-simulator';
import { generateCertificate } from './certificate';
import { startEmbeddedCosmos } from './embedded-cosmos';

export interface EnrichmentStack {
  graph: GraphConnection;
  results: ResultsRepository;
  tenantId: string;
  close(): Promise<void>;
}

export type GraphSource =
  /** Serve this fixture from the Graph simulator on an ephemeral HTTPS port. */
  | { fixture: TenantFixture }
  /** Any Graph-compatible endpoint. */
  | { settings: GraphClientSettings; tenantId: string };

/**
 * What `engagement enrich` runs on: an in-memory embedded Cosmos DB for the output entities and
 * either the Graph simulator serving a fixture or a given Graph endpoint; all gone on close.
 */
export async function startEnrichmentStack(source: GraphSource): Promise<EnrichmentStack> {
  const certificate = await generateCertificate();
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer();
  };
  try {
    let settings: GraphClientSettings;
    let tenantId: string;
    if ('fixture' in source) {
      const simulator: GraphSimulator = await startGraphSimulator({
        tenant: source.fixture,
        tls: certificate,
        port: 0,
      });
      closers.push(() => simulator.close());
      settings = simulatorGraphSettings({ url: simulator.url, caPem: certificate.cert });
      tenantId = simulator.tenant.tenant.id || randomUUID();
    } else {
      settings = source.settings;
      tenantId = source.tenantId;
    }
    const cosmos = await startEmbeddedCosmos({ port: 0, certificate });
    closers.push(() => cosmos.close());
    const containers = await ensureContainers(cosmos.client, 'engagement');
    const graph = createGraphClient(settings);
    closers.push(() => graph.close());
    return { graph, results: new ResultsRepository(containers.results, tenantId), tenantId, close };
  } catch (error) {
    await close();
    throw error;
  }
}
