import { runSignalThresholds } from '../../../core/results/signal-labels';
import { z } from 'zod';
import { formatCsv } from '../../../core/results/csv-export';
import { compareRows, listedRow } from '../../../core/results/columns';
import type { EnrichmentConfig } from '../../../core/config/enrichment-config';
import { historyFromCounts } from '../../../core/conversation/history-series';
import { scoreBand, type EngagementRow } from '../../../core/engine';
import { shownCard, type CustomerCard } from '../../../core/results/customer-card';
import type { StoredEngagementRow, VisibleRun } from '../../../core/results/stored-rows';
import { ResultsQueries } from '../../../core/store/results-queries';
import { ResultsRepository } from '../../../core/store/results-repository';
import type { AppServices } from '../../../server/services';
import { conflict, notFound } from '../errors';
import type { AnyRoute, HandlerInput } from '../route';
import { appRoute } from './app-route';
import { continuePaging, decodePageToken, encodePageToken } from './page-token';
import {
  accountCardSchema,
  accountParams,
  accountSearchQuery,
  accountSearchSchema,
  exportQuery,
  historyQuery,
  historySchema,
  rowPageQuery,
  rowPageSchema,
  summarySchema,
} from './result-schemas';
import { enrichmentOf } from './run-routes';
import { enrichmentParams } from './run-schemas';

const TAG = 'Results';

type Input = HandlerInput<{ enrichmentId: string }, unknown, unknown, AppServices>;

interface Shown {
  config: EnrichmentConfig;
  results: ResultsRepository;
  visible: VisibleRun | undefined;
}

/** The caller's enrichment and which run of its output entity is shown. */
async function shown(input: Input): Promise<Shown> {
  const config = await enrichmentOf(input);
  const results = new ResultsRepository(input.services.containers.results, input.identity.tenantId);
  return { config, results, visible: await results.visibleRun(config.entityName) };
}

async function requireShown(input: Input): Promise<Shown & { visible: VisibleRun }> {
  const current = await shown(input);
  if (!current.visible) throw notFound(`Results of enrichment "${current.config.enrichmentId}"`);
  return { ...current, visible: current.visible };
}

const queriesOf = (input: Input) =>
  new ResultsQueries(input.services.containers.results, input.identity.tenantId);

const summary = appRoute({
  method: 'get',
  path: '/enrichments/:enrichmentId/results/summary',
  summary:
    'Results at a glance: enriched accounts, emails and meetings processed, days covered, as-of, last run',
  tag: TAG,
  access: 'admin',
  params: enrichmentParams,
  responses: {
    200: {
      description: 'The summary (`results` is null before the first successful run)',
      schema: summarySchema,
    },
    404: { description: 'No such enrichment' },
  },
  async handler(input) {
    const { config, visible } = await shown(input);
    const { runs } = input.services.runs;
    const tenantId = input.identity.tenantId;
    const [last, run, enrichedAccounts] = await Promise.all([
      runs.latest(tenantId, config.enrichmentId),
      visible ? runs.read(tenantId, visible.runId) : undefined,
      visible
        ? queriesOf(input).count({
            entity: config.entityName,
            runId: visible.runId,
            level: 'Year',
            engagedOnly: true,
          })
        : 0,
    ]);
    const counts = run?.record.counts;
    return {
      body: {
        enrichmentId: config.enrichmentId,
        entityName: config.entityName,
        results: visible
          ? {
              runId: visible.runId,
              asOf: visible.asOf,
              publishedAt: visible.publishedAt,
              accounts: visible.accountCount,
              enrichedAccounts,
              emailsProcessed: counts?.emailsRead ?? null,
              meetingsProcessed: counts?.meetingsRead ?? null,
              emailsCounted: counts?.emailsCounted ?? null,
              meetingsCounted: counts?.meetingsCounted ?? null,
              daysCovered: run?.record.daysCovered ?? null,
            }
          : null,
        lastRun: last
          ? {
              runId: last.runId,
              status: last.status,
              queuedAt: last.queuedAt,
              finishedAt: last.finishedAt,
              error: last.error,
            }
          : null,
      },
    };
  },
});

const history = appRoute({
  method: 'get',
  path: '/enrichments/:enrichmentId/results/history',
  summary: 'Enriched accounts over time: one point per successful run, oldest first',
  tag: TAG,
  access: 'admin',
  params: enrichmentParams,
  query: historyQuery,
  responses: {
    200: { description: 'The successful runs', schema: historySchema },
    404: { description: 'No such enrichment' },
  },
  async handler(input) {
    const config = await enrichmentOf(input);
    const succeeded = await input.services.runs.runs.recent(
      input.identity.tenantId,
      config.enrichmentId,
      input.query.limit,
      'succeeded',
    );
    // A run whose unread mailboxes a re-read completed is shown as the re-read, its results as published.
    const completed = new Set(
      succeeded.flatMap((r) => (r.trigger.kind === 'reread' ? [r.trigger.ofRunId] : [])),
    );
    return {
      body: {
        runs: succeeded
          .reverse()
          .filter((run) => !completed.has(run.runId))
          .map((run) => ({
            runId: run.runId,
            asOf: run.asOf,
            finishedAt: run.finishedAt,
            accounts: run.counts?.accounts ?? 0,
            accountsEnriched: run.counts?.accountsEnriched ?? 0,
            emailsCounted: run.counts?.emailsCounted ?? 0,
            meetingsCounted: run.counts?.meetingsCounted ?? 0,
            daysCovered: run.daysCovered,
          })),
      },
    };
  },
});

const rows = appRoute({
  method: 'get',
  path: '/enrichments/:enrichmentId/results/rows',
  summary:
    'A page of the output entity, sorted by any column, optionally searched by account name and filtered by risk signal',
  tag: TAG,
  access: 'admin',
  params: enrichmentParams,
  query: rowPageQuery,
  responses: {
    200: { description: 'A page of rows; `nextPage` leads to the next one', schema: rowPageSchema },
    404: { description: 'No such enrichment, or no results yet' },
    409: { description: 'A newer run was published since the first page; start again' },
  },
  async handler(input) {
    const { config, visible } = await requireShown(input);
    const token = input.query.page ? decodePageToken(input.query.page, 'page') : undefined;
    if (token && token.runId !== visible.runId) {
      throw conflict(
        'The results changed since the first page (a newer run is shown); start from the first page.',
      );
    }
    const filter = {
      entity: config.entityName,
      runId: visible.runId,
      level: input.query.level,
      ...(input.query.search ? { search: input.query.search } : {}),
      ...(input.query.signal ? { signal: input.query.signal } : {}),
    };
    const queries = queriesOf(input);
    const [page, total] = await Promise.all([
      continuePaging(token, 'page', () =>
        queries.page<StoredEngagementRow>({
          ...filter,
          sort: input.query.sort,
          order: input.query.order,
          pageSize: input.query.pageSize,
          ...(token ? { continuation: token.continuation } : {}),
        }),
      ),
      queries.count(filter),
    ]);
    return {
      body: {
        runId: visible.runId,
        asOf: visible.asOf,
        level: input.query.level,
        total,
        rows: page.rows.map(listedRow),
        signalThresholds: runSignalThresholds(visible, config),
        ...(page.continuation
          ? { nextPage: encodePageToken({ continuation: page.continuation, runId: visible.runId }) }
          : {}),
      },
    };
  },
});

const exportCsv = appRoute({
  method: 'get',
  path: '/enrichments/:enrichmentId/results/export.csv',
  summary: 'The output entity as CSV: every level, or one',
  tag: TAG,
  access: 'admin',
  params: enrichmentParams,
  query: exportQuery,
  responses: {
    200: {
      description: "CSV with the contract's columns as header",
      contentType: 'text/csv',
      schema: z.string(),
    },
    404: { description: 'No such enrichment, or no results yet' },
  },
  async handler(input) {
    const { config, results } = await requireShown(input);
    const level = input.query.level === 'all' ? {} : { level: input.query.level };
    const all = await results.visibleRows<EngagementRow>(config.entityName, level);
    const file = `${config.entityName}${input.query.level === 'all' ? '' : `-${input.query.level}`}.csv`;
    return {
      contentType: 'text/csv; charset=utf-8',
      headers: { 'content-disposition': `attachment; filename="${file.replace(/[^\w.-]/g, '_')}"` },
      body: formatCsv(all.sort(compareRows)),
    };
  },
});

const searchAccounts = appRoute({
  method: 'get',
  path: '/enrichments/:enrichmentId/accounts',
  summary: 'Find accounts by name or id, with their score and band',
  tag: TAG,
  access: 'member',
  params: enrichmentParams,
  query: accountSearchQuery,
  responses: {
    200: {
      description: 'Matching accounts by name (empty before the first successful run)',
      schema: accountSearchSchema,
    },
    404: { description: 'No such enrichment' },
  },
  async handler(input) {
    const { config, visible } = await shown(input);
    const found = visible
      ? await queriesOf(input).findAccounts<EngagementRow>(
          config.entityName,
          visible.runId,
          input.query.search,
          input.query.limit,
        )
      : [];
    return {
      body: {
        runId: visible?.runId ?? null,
        asOf: visible?.asOf ?? null,
        accounts: found.map((row) => ({
          AccountId: row.AccountId,
          AccountName: row.AccountName,
          EngagementScore: row.EngagementScore,
          band: scoreBand(row.EngagementScore),
        })),
      },
    };
  },
});

const accountCard = appRoute({
  method: 'get',
  path: '/enrichments/:enrichmentId/accounts/:accountId',
  summary:
    "One account's customer card: the Year row, band, trend, the score explained, history by month and week, next meeting",
  tag: TAG,
  access: 'member',
  params: accountParams,
  responses: {
    200: { description: 'The card data', schema: accountCardSchema },
    404: { description: 'No such enrichment or account, or no results yet' },
  },
  async handler(
    input: HandlerInput<{ enrichmentId: string; accountId: string }, unknown, unknown, AppServices>,
  ) {
    const { config, results, visible: shownRun } = await requireShown(input);
    const read = (run: VisibleRun) =>
      results.readCard<CustomerCard>(config.entityName, run.runId, input.params.accountId);
    let visible: VisibleRun | undefined = shownRun;
    let card = await read(shownRun);
    if (!card) {
      // A run published since the pointer was read removes the cards it named: read the new run's.
      visible = await results.visibleRun(config.entityName);
      if (visible && visible.runId !== shownRun.runId) card = await read(visible);
    }
    if (!visible || !card) throw notFound(`Account "${input.params.accountId}"`);
    const { asOf } = visible;
    return {
      body: {
        enrichmentId: config.enrichmentId,
        entityName: config.entityName,
        runId: visible.runId,
        asOf,
        ...shownCard(card),
        signalThresholds: runSignalThresholds(visible, config),
        explanation: card.explanation ?? null,
        months: historyFromCounts(asOf, 'Month', card.history.Month, { wholeWindow: true }),
        weeks: historyFromCounts(asOf, 'Week', card.history.Week, { wholeWindow: true }),
      },
    };
  },
});

export function resultRoutes(): AnyRoute<AppServices>[] {
  return [summary, history, rows, exportCsv, searchAccounts, accountCard];
}
