import type { SignalName } from '../../../../core/engine/signals';
import { download, request, type QueryValue } from './client';
import type {
  AccountCard,
  AggregationLevel,
  AlertPage,
  AlertStatus,
  AlertSummary,
  ConfigChange,
  ConsentAnswer,
  ConsentState,
  DatasetPreview,
  DeliveryStatus,
  DatasetSummary,
  DatasetUpload,
  DirectoryMatch,
  DraftAnswer,
  EngagementRow,
  Enrichment,
  EnrichmentDraft,
  MailboxPage,
  MailboxStatus,
  MailboxSummary,
  Measures,
  MemberPage,
  ResultsHistory,
  ResultsSummary,
  RowPage,
  Run,
  RunPage,
  RuleGroup,
  SaveOutcome,
  ScheduleInfo,
  Segment,
  SegmentDefinition,
  SegmentList,
  SegmentPreview,
  TrackedPerson,
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
  createEnrichment: operation('POST', '/enrichments'),
  enrichment: operation('GET', '/enrichments/{enrichmentId}'),
  updateEnrichment: operation('PUT', '/enrichments/{enrichmentId}'),
  configHistory: operation('GET', '/enrichments/{enrichmentId}/history'),
  trackedUsers: operation('GET', '/enrichments/{enrichmentId}/tracked-users'),
  draft: operation('GET', '/enrichment/draft'),
  keepDraft: operation('PUT', '/enrichment/draft'),
  discardDraft: operation('DELETE', '/enrichment/draft'),
  datasets: operation('GET', '/datasets'),
  importDataset: operation('POST', '/datasets'),
  previewDataset: operation('POST', '/datasets/preview'),
  consent: operation('GET', '/enrichments/{enrichmentId}/consent'),
  requestConsent: operation('POST', '/enrichments/{enrichmentId}/consent/request'),
  revokeConsent: operation('POST', '/enrichments/{enrichmentId}/consent/revoke'),
  directory: operation('GET', '/directory/search'),
  runs: operation('GET', '/enrichments/{enrichmentId}/runs'),
  startRun: operation('POST', '/enrichments/{enrichmentId}/runs'),
  rereadRun: operation('POST', '/enrichments/{enrichmentId}/runs/{runId}/reread'),
  schedule: operation('GET', '/enrichments/{enrichmentId}/schedule'),
  mailboxes: operation('GET', '/enrichments/{enrichmentId}/mailboxes'),
  mailboxSummary: operation('GET', '/enrichments/{enrichmentId}/mailboxes/summary'),
  summary: operation('GET', '/enrichments/{enrichmentId}/results/summary'),
  history: operation('GET', '/enrichments/{enrichmentId}/results/history'),
  rows: operation('GET', '/enrichments/{enrichmentId}/results/rows'),
  exportCsv: operation('GET', '/enrichments/{enrichmentId}/results/export.csv'),
  account: operation('GET', '/enrichments/{enrichmentId}/accounts/{accountId}'),
  segments: operation('GET', '/enrichments/{enrichmentId}/segments'),
  createSegment: operation('POST', '/enrichments/{enrichmentId}/segments'),
  previewSegment: operation('POST', '/enrichments/{enrichmentId}/segments/preview'),
  updateSegment: operation('PUT', '/enrichments/{enrichmentId}/segments/{segmentId}'),
  deleteSegment: operation('DELETE', '/enrichments/{enrichmentId}/segments/{segmentId}'),
  members: operation('GET', '/enrichments/{enrichmentId}/segments/{segmentId}/members'),
  measures: operation('GET', '/enrichments/{enrichmentId}/measures'),
  alerts: operation('GET', '/enrichments/{enrichmentId}/alerts'),
  alertSummary: operation('GET', '/enrichments/{enrichmentId}/alerts/summary'),
};

export interface RowQuery extends Record<string, QueryValue> {
  level?: AggregationLevel;
  sort?: keyof EngagementRow;
  order?: 'asc' | 'desc';
  search?: string;
  signal?: SignalName;
  pageSize?: number;
  page?: string;
}

export interface MemberQuery extends Record<string, QueryValue> {
  sort?: keyof EngagementRow;
  order?: 'asc' | 'desc';
  pageSize?: number;
  page?: string;
}

export interface AlertFilter extends Record<string, QueryValue> {
  status?: AlertStatus | undefined;
  delivery?: DeliveryStatus | undefined;
}

export const api = {
  // configuration
  enrichments: (signal?: AbortSignal) =>
    request<{ enrichments: Enrichment[] }>('GET', paths.enrichments(), { signal }),
  createEnrichment: (draft: EnrichmentDraft) =>
    request<SaveOutcome>('POST', paths.createEnrichment(), { body: draft }),
  enrichment: (enrichmentId: string, signal?: AbortSignal) =>
    request<Enrichment>('GET', paths.enrichment({ enrichmentId }), { signal }),
  updateEnrichment: (enrichmentId: string, version: number, draft: EnrichmentDraft) =>
    request<SaveOutcome>('PUT', paths.updateEnrichment({ enrichmentId }), { body: { ...draft, version } }),
  configHistory: (enrichmentId: string, signal?: AbortSignal) =>
    request<{ changes: ConfigChange[] }>('GET', paths.configHistory({ enrichmentId }), { signal }),
  trackedUsers: (enrichmentId: string, signal?: AbortSignal) =>
    request<{ users: TrackedPerson[] }>('GET', paths.trackedUsers({ enrichmentId }), { signal }),
  draft: (signal?: AbortSignal) => request<DraftAnswer>('GET', paths.draft(), { signal }),
  keepDraft: (draft: EnrichmentDraft) => request<DraftAnswer>('PUT', paths.keepDraft(), { body: draft }),
  discardDraft: () => request<undefined>('DELETE', paths.discardDraft()),
  directory: (q: string, signal?: AbortSignal) =>
    request<{ matches: DirectoryMatch[] }>('GET', paths.directory(), { query: { q, top: 8 }, signal }),

  // datasets
  datasets: (signal?: AbortSignal) =>
    request<{ datasets: DatasetSummary[] }>('GET', paths.datasets(), { signal }),
  previewDataset: (upload: DatasetUpload) =>
    request<DatasetPreview>('POST', paths.previewDataset(), { body: { upload } }),
  importDataset: (name: string, upload: DatasetUpload) =>
    request<DatasetSummary>('POST', paths.importDataset(), { body: { name, upload } }),

  // consent
  consent: (enrichmentId: string, signal?: AbortSignal) =>
    request<ConsentAnswer>('GET', paths.consent({ enrichmentId }), { signal }),
  requestConsent: (enrichmentId: string) =>
    request<ConsentAnswer>('POST', paths.requestConsent({ enrichmentId })),
  revokeConsent: (enrichmentId: string) =>
    request<ConsentState>('POST', paths.revokeConsent({ enrichmentId })),

  // runs
  runs: (enrichmentId: string, query: { pageSize?: number; page?: string } = {}, signal?: AbortSignal) =>
    request<RunPage>('GET', paths.runs({ enrichmentId }), { query, signal }),
  startRun: (enrichmentId: string) => request<Run>('POST', paths.startRun({ enrichmentId })),
  rereadRun: (enrichmentId: string, runId: string) =>
    request<Run>('POST', paths.rereadRun({ enrichmentId, runId })),
  schedule: (enrichmentId: string, signal?: AbortSignal) =>
    request<ScheduleInfo>('GET', paths.schedule({ enrichmentId }), { signal }),
  mailboxes: (
    enrichmentId: string,
    query: { status?: MailboxStatus | undefined; pageSize?: number; page?: string | undefined },
    signal?: AbortSignal,
  ) => request<MailboxPage>('GET', paths.mailboxes({ enrichmentId }), { query, signal }),
  mailboxSummary: (enrichmentId: string, signal?: AbortSignal) =>
    request<MailboxSummary>('GET', paths.mailboxSummary({ enrichmentId }), { signal }),

  // results
  summary: (enrichmentId: string, signal?: AbortSignal) =>
    request<ResultsSummary>('GET', paths.summary({ enrichmentId }), { signal }),
  history: (enrichmentId: string, signal?: AbortSignal) =>
    request<ResultsHistory>('GET', paths.history({ enrichmentId }), { signal }),
  rows: (enrichmentId: string, query: RowQuery, signal?: AbortSignal) =>
    request<RowPage>('GET', paths.rows({ enrichmentId }), { query, signal }),
  exportCsv: (enrichmentId: string, entityName: string, level: AggregationLevel | 'all' = 'all') =>
    download(paths.exportCsv({ enrichmentId }), `${entityName}${level === 'all' ? '' : `-${level}`}.csv`, {
      level,
    }),
  account: (enrichmentId: string, accountId: string, signal?: AbortSignal) =>
    request<AccountCard>('GET', paths.account({ enrichmentId, accountId }), { signal }),

  // segments and measures
  segments: (enrichmentId: string, signal?: AbortSignal) =>
    request<SegmentList>('GET', paths.segments({ enrichmentId }), { signal }),
  createSegment: (enrichmentId: string, definition: SegmentDefinition) =>
    request<Segment>('POST', paths.createSegment({ enrichmentId }), { body: definition }),
  previewSegment: (enrichmentId: string, rules: RuleGroup, signal?: AbortSignal) =>
    request<SegmentPreview>('POST', paths.previewSegment({ enrichmentId }), { body: { rules }, signal }),
  updateSegment: (enrichmentId: string, segmentId: string, definition: SegmentDefinition, etag: string) =>
    request<Segment>('PUT', paths.updateSegment({ enrichmentId, segmentId }), {
      body: { ...definition, etag },
    }),
  deleteSegment: (enrichmentId: string, segmentId: string) =>
    request<undefined>('DELETE', paths.deleteSegment({ enrichmentId, segmentId })),
  members: (enrichmentId: string, segmentId: string, query: MemberQuery, signal?: AbortSignal) =>
    request<MemberPage>('GET', paths.members({ enrichmentId, segmentId }), { query, signal }),
  measures: (enrichmentId: string, query: { column: string; segmentId?: string }, signal?: AbortSignal) =>
    request<Measures>('GET', paths.measures({ enrichmentId }), { query, signal }),

  // stale-account alerts
  alerts: (
    enrichmentId: string,
    query: AlertFilter & { pageSize?: number; page?: string },
    signal?: AbortSignal,
  ) => request<AlertPage>('GET', paths.alerts({ enrichmentId }), { query, signal }),
  alertSummary: (enrichmentId: string, filter: AlertFilter, signal?: AbortSignal) =>
    request<AlertSummary>('GET', paths.alertSummary({ enrichmentId }), { query: filter, signal }),
};
