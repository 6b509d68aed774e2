import type { CosmosClient } from '@azure/cosmos';
import type { GraphConnection } from '../core/graph/client';
import { USER_FIELDS } from '../core/graph/select';
import type { DependencyCheck } from '../tab/api/health';

/** Cosmos DB answers and the product's database exists. */
export function cosmosCheck(client: CosmosClient, databaseId: string): DependencyCheck {
  return async () => {
    const { resource } = await client.database(databaseId).read();
    return { database: resource?.id };
  };
}

/** Graph answers an app-only directory read (so the token and User.Read.All both work). */
export function graphCheck(graph: GraphConnection): DependencyCheck {
  return async () => {
    await graph.client
      .api('/users')
      .select([...USER_FIELDS])
      .top(1)
      .get();
    return { baseUrl: graph.baseUrl };
  };
}
