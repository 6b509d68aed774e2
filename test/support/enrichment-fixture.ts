import {
  DEFAULT_ENTITY_NAME,
  ENRICHMENT_TYPE,
  enrichmentConfigSchema,
  enrichmentDocumentId,
  NO_CONSENT,
  userEntityNameOf,
  type EnrichmentConfig,
  type EnrichmentDocument,
  type Schedule,
} from '../../core/config/enrichment-config';
import type { CustomerDataset } from '../../core/datasets/customer-dataset';
import { DEMO_DATASET_ID, importDataset } from '../../core/datasets/dataset-library';
import { DEFAULT_SETTINGS } from '../../core/engine';
import { ConfigurationRepository } from '../../core/store/configuration-repository';
import { ensureContainers, type Containers } from '../../core/store/containers';
import { demoTenant } from '../../local/graph-simulator';
import type { TestApp } from './test-app';

export interface EnrichmentFixture {
  enrichmentId: string;
  tracked: string[];
  /** When consent was granted (epoch ms); null leaves it not requested. */
  consentGrantedAt: number | null;
  schedule?: Partial<Schedule>;
  /** Customers of its own, instead of the demo customers the local stack imports. */
  customers?: CustomerDataset;
  entityName?: string;
}

const admin = { userId: 'dev:admin@fabrikam.com', email: 'admin@fabrikam.com', name: 'Local Admin' };

/** The demo tenant's customers, as the local stack's simulator serves their activity. */
export function demoCustomers(): CustomerDataset {
  const { customers } = demoTenant({ seed: 42 });
  return {
    accounts: customers.accounts.map((a) => ({ ...a })),
    contacts: customers.contacts.map((c) => ({ ...c })),
  };
}

export async function appContainers(app: TestApp): Promise<Containers> {
  return ensureContainers(app.stack.cosmos.client, 'engagement');
}

export const tenantOf = (app: TestApp) => app.stack.graph.tenant.tenant.id;

/**
 * Stores an enrichment the way the configuration module stores it (a validated configuration
 * document), with consent granted at the given instant.
 */
export async function saveEnrichment(app: TestApp, fixture: EnrichmentFixture): Promise<EnrichmentConfig> {
  const containers = await appContainers(app);
  const tenantId = tenantOf(app);
  let datasetId = DEMO_DATASET_ID;
  if (fixture.customers) {
    datasetId = `${fixture.enrichmentId}-customers`;
    await importDataset(
      { containers, tenantId, now: () => Date.now() },
      {
        datasetId,
        name: datasetId,
        upload: { format: 'json', file: { name: 'customers.json', text: JSON.stringify(fixture.customers) } },
        importedBy: admin,
        create: false,
      },
    );
  }
  const at = new Date().toISOString();
  const entityName = fixture.entityName ?? DEFAULT_ENTITY_NAME;
  const config = enrichmentConfigSchema.parse({
    tenantId,
    enrichmentId: fixture.enrichmentId,
    version: 1,
    name: fixture.enrichmentId,
    entityName,
    userEntityName: userEntityNameOf(entityName),
    tracked: fixture.tracked,
    consentStatement: { accepted: true, acceptedAt: at, acceptedBy: admin },
    datasetId,
    mapping: { emailField: 'Email', domainField: 'Domain', ownerField: 'OwnerEmail' },
    engagement: DEFAULT_SETTINGS,
    staleThresholdDays: 60,
    schedule: fixture.schedule ?? {},
    region: 'europe',
    trackedSummary: { resolvedUsers: fixture.tracked.length, groups: 0, unknown: [], resolvedAt: at },
    consent:
      fixture.consentGrantedAt === null
        ? NO_CONSENT
        : {
            ...NO_CONSENT,
            status: 'granted',
            grantedAt: new Date(fixture.consentGrantedAt).toISOString(),
            grantedTenantId: tenantId,
          },
    createdAt: at,
    createdBy: admin,
    updatedAt: at,
    updatedBy: admin,
  });
  const document: EnrichmentDocument = {
    ...config,
    id: enrichmentDocumentId(config.enrichmentId),
    type: ENRICHMENT_TYPE,
  };
  await new ConfigurationRepository(containers.configurations, tenantId).upsert(document);
  return config;
}
