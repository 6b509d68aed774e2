import type { EnrichmentConfig } from '../config/enrichment-config';
import { loadDataset } from '../datasets/dataset-library';
import type { Containers } from '../store/containers';
import type { EnrichmentRequest } from './enrichment-run';

/** What a run needs from its enrichment's configuration, read when it starts. */
export type RunInputs = Pick<
  EnrichmentRequest,
  'tracked' | 'dataset' | 'mapping' | 'entityName' | 'settings' | 'privacy' | 'orgDomains'
>;

/** What a run of this enrichment reads: its configuration and, from the datasets, its customers. */
export async function runInputs(
  containers: Containers,
  tenantId: string,
  config: EnrichmentConfig,
): Promise<RunInputs> {
  const dataset = await loadDataset(containers, tenantId, config.datasetId);
  if (!dataset) {
    throw new Error(`The customer dataset "${config.datasetId}" of this enrichment no longer exists.`);
  }
  return {
    tracked: config.tracked,
    dataset,
    mapping: config.mapping,
    entityName: config.entityName,
    // The Stale signal's threshold is the enrichment's stale threshold (also the stale segment's).
    settings: {
      ...config.engagement,
      signals: { ...config.engagement.signals, staleDays: config.staleThresholdDays },
    },
    privacy: config.privacy,
  };
}
