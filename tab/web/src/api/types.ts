/**
 * The API's request and answer shapes, taken from the zod schemas that validate them on the server
 * (type-only imports: nothing of the server reaches the bundle). The OpenAPI document at
 * /api/openapi.json is generated from the same schemas.
 */
import type { z } from 'zod';
import type { EnrichmentConfig } from '../../../../core/config/enrichment-config';
import type { EngagementRow } from '../../../../core/engine';
import type {
  accountCardSchema,
  accountSearchSchema,
  historySchema,
  rowPageSchema,
  summarySchema,
} from '../../../api/routes/result-schemas';
import type { runPageSchema, runSchema, scheduleInfoSchema } from '../../../api/routes/run-schemas';

export type { EngagementRow };
export type Run = z.output<typeof runSchema>;
export type RunStep = NonNullable<Run['progress']>['step'];
export type RunPage = z.output<typeof runPageSchema>;
export type ScheduleInfo = z.output<typeof scheduleInfoSchema>;
export type ResultsSummary = z.output<typeof summarySchema>;
export type ResultsHistory = z.output<typeof historySchema>;
export type RowPage = z.output<typeof rowPageSchema>;
export type AccountSearch = z.output<typeof accountSearchSchema>;
export type AccountCard = z.output<typeof accountCardSchema>;
export type ScoreBand = AccountCard['band'];
export type AggregationLevel = EngagementRow['AggregationLevel'];

/** An enrichment as the tab lists it. */
export type Enrichment = Omit<EnrichmentConfig, 'tenantId'>;
export type ConsentState = Enrichment['consent'];
