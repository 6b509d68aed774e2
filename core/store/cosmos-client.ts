import { Agent } from 'node:https';
import { createSecureContext } from 'node:tls';
import { CosmosClient } from '@azure/cosmos';
import { DefaultAzureCredential } from '@azure/identity';

export interface CosmosConnection {
  endpoint: string;
  /** Account key; when absent the managed identity (or developer login) is used. */
  key?: string;
  /** PEM of a private CA to trust for this client only (the embedded local server). */
  ca?: string;
}

export function createCosmosClient(connection: CosmosConnection): CosmosClient {
  // One TLS context for every connection: building one per connection (parsing the CA) is costly.
  const agent = connection.ca
    ? new Agent({ secureContext: createSecureContext({ ca: connection.ca }), keepAlive: true })
    : undefined;
  return new CosmosClient({
    endpoint: connection.endpoint,
    ...(connection.key ? { key: connection.key } : { aadCredentials: new DefaultAzureCredential() }),
    ...(agent ? { agent } : {}),
    connectionPolicy: { enableEndpointDiscovery: !connection.ca },
  });
}
