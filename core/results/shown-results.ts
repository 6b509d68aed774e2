import { listEnrichments, type EnrichmentConfig } from '../config/enrichment-config';
import type { Containers } from '../store/containers';
import { ResultsQueries } from '../store/results-queries';
import { ResultsRepository } from '../store/results-repository';
import { SegmentQueries } from '../store/segment-queries';
import { cardData, type CustomerCard, type CustomerCardData } from './customer-card';
import type { HistoryLevel } from '../conversation/history-series';
import type { VisibleRun } from './stored-rows';

/** The enrichment whose results a tenant's sellers see, the run of it that is shown, and its reads. */
export interface ShownResults {
  tenantId: string;
  config: EnrichmentConfig;
  visible: VisibleRun;
  results: ResultsRepository;
  queries: ResultsQueries;
  segments: SegmentQueries;
}

/**
 * The shown results of a tenant: those of its enrichment published most recently, or undefined
 * before its first successful run.
 */
export async function readShownResults(
  containers: Containers,
  tenantId: string,
): Promise<ShownResults | undefined> {
  const results = new ResultsRepository(containers.results, tenantId);
  const configs = await listEnrichments(containers, tenantId);
  const candidates = await Promise.all(
    configs.map(async (config) => ({ config, visible: await results.visibleRun(config.entityName) })),
  );
  let best: { config: EnrichmentConfig; visible: VisibleRun } | undefined;
  for (const { config, visible } of candidates) {
    if (visible && (!best || visible.publishedAt > best.visible.publishedAt)) best = { config, visible };
  }
  if (!best) return undefined;
  return {
    tenantId,
    ...best,
    results,
    queries: new ResultsQueries(containers.results, tenantId),
    segments: new SegmentQueries(containers.results),
  };
}

/**
 * The card of an account in the shown run, in one point read; undefined when the run has no such
 * account, or a newer run replaced it meanwhile (its cards are gone: the caller asks again).
 */
export async function loadCustomerCard(
  shown: ShownResults,
  accountId: string,
  level: HistoryLevel,
): Promise<CustomerCardData | undefined> {
  const card = await shown.results.readCard<CustomerCard>(
    shown.config.entityName,
    shown.visible.runId,
    accountId,
  );
  if (!card) return undefined;
  const { enrichmentId } = shown.config;
  return cardData(card, { enrichmentId, runId: shown.visible.runId, asOf: shown.visible.asOf }, level);
}
