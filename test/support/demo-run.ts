import { runEnrichment, type EnrichmentOutcome } from '../../core/runs/enrichment-run';
import { DEMO_MAPPING, demoTrackedGroups } from '../../local/demo-enrichment';
import type { EnrichmentStack } from '../../local/enrichment-stack';
import type { GeneratedTenant } from '../../local/graph-simulator';

/** Runs the demo enrichment as `npm start` configures it (its groups, customers and mapping) into `Office`. */
export function runDemoEnrichment(
  stack: EnrichmentStack,
  tenant: GeneratedTenant,
  run: { runId: string; asOf: number },
): Promise<EnrichmentOutcome> {
  return runEnrichment(
    {
      tenantId: stack.tenantId,
      ...run,
      tracked: demoTrackedGroups(tenant),
      dataset: {
        accounts: tenant.customers.accounts.map((a) => ({ ...a })),
        contacts: tenant.customers.contacts.map((c) => ({ ...c })),
      },
      mapping: { ...DEMO_MAPPING },
      entityName: 'Office',
    },
    stack,
  );
}
