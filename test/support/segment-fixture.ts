import { enrichmentDocumentId, type EnrichmentDocument } from '../../core/config/enrichment-config';
import { ConfigurationRepository } from '../../core/store/configuration-repository';
import { appContainers, tenantOf } from './enrichment-fixture';
import type { TestApp } from './test-app';

/** Changes a stored enrichment the way a saved configuration would (without a new version). */
export async function changeEnrichment(
  app: TestApp,
  enrichmentId: string,
  change: Partial<Pick<EnrichmentDocument, 'staleThresholdDays' | 'datasetId' | 'mapping' | 'engagement'>>,
): Promise<void> {
  const repository = new ConfigurationRepository((await appContainers(app)).configurations, tenantOf(app));
  const stored = await repository.read<EnrichmentDocument>(enrichmentDocumentId(enrichmentId));
  if (!stored) throw new Error(`no enrichment ${enrichmentId}`);
  await repository.upsert({ ...stored.document, ...change });
}
