import { download, request, type QueryValue } from './client';
import type {
  AccountCard,
  AggregationLevel,
  EngagementRow,
  Enrichment,
  ResultsHistory,
  ResultsSummary,
  Run,
  RunPage,
  RowPage,
  ScheduleInfo,
} from './types';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Every operation the tab calls, as the OpenAPI document names it (a test checks they all exist there). */
export const OPERATIONS: { method: Method; path: string }[] = [];

/** Declares an operation; the answer builds its path from named parameters. */
function operation(method: Method, path: string) {
  OPERATIONS.push({ method, path: `/api${path}` });
  return (params: Record<string, string> = {}) =>
    path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = params[name];
      if (value === undefined) throw new Error(`missing path parameter ${name}`);
      return encodeURIComponent(value);
    });
}

const paths = {
  enrichments: operation('GET', '/enrichments'),
  runs: operation('GET', '/enrichments/{enrichmentId}/runs'),
  startRun: operation('POST', '/enrichments/{enrichmentId}/runs'),
  run: operation('GET', '/enrichments/{enrichmentId}/runs/{runId}'),
  schedule: operation('GET', '/enrichments/{enrichmentId}/schedule'),
  summary: operation('GET', '/enrichments/{enrichmentId}/results/summary'),
  history: operation('GET', '/enrichments/{enrichmentId}/results/history'),
  rows: operation('GET', '/enrichments/{enrichmentId}/results/rows'),
  exportCsv: operation('GET', '/enrichments/{enrichmentId}/results/export.csv'),
  account: operation('GET', '/enrichments/{enrichmentId}/accounts/{accountId}'),
};

export interface RowQuery extends Record<string, QueryValue> {
  level?: AggregationLevel;
  sort?: keyof EngagementRow;
  order?: 'asc' | 'desc';
  search?: string;
  pageSize?: number;
  page?: string;
}

export const api = {
  enrichments: (signal?: AbortSignal) =>
    request<{ enrichments: Enrichment[] }>('GET', paths.enrichments(), { signal }),
  runs: (enrichmentId: string, query: { pageSize?: number; page?: string } = {}, signal?: AbortSignal) =>
    request<RunPage>('GET', paths.runs({ enrichmentId }), { query, signal }),
  startRun: (enrichmentId: string) => request<Run>('POST', paths.startRun({ enrichmentId })),
  run: (enrichmentId: string, runId: string, signal?: AbortSignal) =>
    request<Run>('GET', paths.run({ enrichmentId, runId }), { signal }),
  schedule: (enrichmentId: string, signal?: AbortSignal) =>
    request<ScheduleInfo>('GET', paths.schedule({ enrichmentId }), { signal }),
  summary: (enrichmentId: string, signal?: AbortSignal) =>
    request<ResultsSummary>('GET', paths.summary({ enrichmentId }), { signal }),
  history: (enrichmentId: string, signal?: AbortSignal) =>
    request<ResultsHistory>('GET', paths.history({ enrichmentId }), { signal }),
  rows: (enrichmentId: string, query: RowQuery, signal?: AbortSignal) =>
    request<RowPage>('GET', paths.rows({ enrichmentId }), { query, signal }),
  exportCsv: (enrichmentId: string, entityName: string, level: AggregationLevel | 'all' = 'all') =>
    download(paths.exportCsv({ enrichmentId }), `${entityName}.csv`, { level }),
  account: (enrichmentId: string, accountId: string, signal?: AbortSignal) =>
    request<AccountCard>('GET', paths.account({ enrichmentId, accountId }), { signal }),
};
