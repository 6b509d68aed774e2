import { randomUUID } from 'node:crypto';
import type { GraphClientSettings, GraphConnection } from '../core/graph/client';
import { createGraphClient, simulatorGraphSettings } from '../core/graph/client';
import { ensureContainers } from '../core/store/containers';
import { ResultsRepository } from '../core/store/results-repository';
import {
  startGraphSimulator,
  type GraphSimulator,
  type TenantFixture,
  type TenantSource,
} from './graph-simulator';
import { generateCertificate } from './certificate';
import { startEmbeddedCosmos } from './embedded-cosmos';

export interface EnrichmentStack {
  graph: GraphConnection;
  results: ResultsRepository;
  tenantId: string;
  /** The Graph simulator, when the stack serves a tenant itself. */
  simulator?: GraphSimulator;
  close(): Promise<void>;
}

/** Client options that do not depend on where Graph is (retries, limits, clock). */
export type GraphClientOptions = Omit<GraphClientSettings, 'baseUrl' | 'auth' | 'caPem'>;

export type GraphSource =
  /** Serve this tenant (a fixture or a generated tenant) from the Graph simulator on an ephemeral HTTPS port. */
  | { tenant: TenantFixture | TenantSource; client?: GraphClientOptions }
  /** Any Graph-compatible endpoint. */
  | { settings: GraphClientSettings; tenantId: string };

/**
 * What `engagement enrich` runs on: an in-memory embedded Cosmos DB for the output entities and
 * either the Graph simulator serving a tenant or a given Graph endpoint; all gone on close.
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
    let simulator: GraphSimulator | undefined;
    if ('tenant' in source) {
      const served = await startGraphSimulator({ tenant: source.tenant, tls: certificate, port: 0 });
      closers.push(() => served.close());
      simulator = served;
      settings = {
        ...source.client,
        ...simulatorGraphSettings({ url: simulator.url, caPem: certificate.cert }),
      };
      tenantId = served.tenant.tenant.id || randomUUID();
    } else {
      settings = source.settings;
      tenantId = source.tenantId;
    }
    const cosmos = await startEmbeddedCosmos({ port: 0, certificate });
    closers.push(() => cosmos.close());
    const containers = await ensureContainers(cosmos.client, 'engagement');
    const graph = createGraphClient(settings);
    closers.push(() => graph.close());
    return {
      graph,
      results: new ResultsRepository(containers.results, tenantId),
      tenantId,
      ...(simulator ? { simulator } : {}),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
