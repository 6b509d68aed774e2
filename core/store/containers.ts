import type { Container, CosmosClient } from '@azure/cosmos';

/**
 * Every container the product uses. All are partitioned by tenant, so one tenant's data stays
 * together and every read the product makes is scoped to the caller's tenant.
 */
export const CONTAINERS = {
  /** Enrichment configurations, consent state and schedules. */
  configurations: 'configurations',
  /** Imported customer datasets: accounts and contacts. */
  datasets: 'datasets',
  /** Run records, progress and the run lease. */
  runs: 'runs',
  /** The output entities' rows and the pointer to the visible run. */
  results: 'results',
  /** Bot conversation references and delivered alerts. */
  conversations: 'conversations',
  /** Stale-account alerts, per-account stale state, snoozes and declined owners. */
  alerts: 'alerts',
} as const;

export type ContainerName = keyof typeof CONTAINERS;
export const PARTITION_KEY_PATH = '/tenantId';

export type Containers = Record<ContainerName, Container>;

/** Creates the database and its containers when missing; safe to call on every start. */
export async function ensureContainers(client: CosmosClient, databaseId: string): Promise<Containers> {
  const { database } = await client.databases.createIfNotExists({ id: databaseId });
  const entries = await Promise.all(
    (Object.keys(CONTAINERS) as ContainerName[]).map(async (name) => {
      const { container } = await database.containers.createIfNotExists({
        id: CONTAINERS[name],
        partitionKey: { paths: [PARTITION_KEY_PATH] },
      });
      return [name, container] as const;
    }),
  );
  return Object.fromEntries(entries) as Containers;
}
