import type { CustomerDataset, FieldMapping } from '../datasets/customer-dataset';
import { accountInputs } from '../datasets/customer-dataset';
import {
  Aggregator,
  buildAccountDirectory,
  buildTrackedUsers,
  createEngineContext,
  DEFAULT_SETTINGS,
  domainOf,
  finaliseEngagement,
  SIGNALS,
  type EngagementRow,
  type EngagementSettings,
  type EngagementTotals,
  type NextMeeting,
  type UserEntityRow,
} from '../engine';
import { userEntityNameOf } from '../config/enrichment-config';
import { DEFAULT_PRIVACY, withoutExcludedMailboxes, type PrivacySettings } from '../config/privacy';
import type { GraphConnection } from '../graph/client';
import { ingestMailboxes } from '../graph/ingest';
import type { MailboxStatus } from '../graph/mailbox';
import { resolveTrackedUsers } from '../graph/tracked-users';
import { mailboxReadings, type MailboxReading } from './mailbox-health';
import { customerCards } from '../results/customer-card';
import { outputRowKey, type StoredEngagementRow, type VisibleRun } from '../results/stored-rows';
import type { ResultsRepository } from '../store/results-repository';
import { DAY_MS } from '../time/durations';

export type RunStep = 'resolving-users' | 'reading-mailboxes' | 'aggregating' | 'writing-results';

export interface RunProgress {
  step: RunStep;
  mailboxesDone: number;
  mailboxesTotal: number;
  messages: number;
  meetings: number;
}

export interface EnrichmentRequest {
  tenantId: string;
  runId: string;
  /** T, epoch milliseconds. */
  asOf: number;
  /** Tracked addresses and groups (addresses, group addresses or object ids). */
  tracked: readonly string[];
  dataset: CustomerDataset;
  mapping: FieldMapping;
  /** The output entity's name, e.g. `Office`; users go to `<name>_UserEntity`. */
  entityName: string;
  settings?: EngagementSettings;
  /** What counts and whose mailboxes are read (default: private meetings do not count, nothing excluded). */
  privacy?: PrivacySettings;
  /** The organization's own domains; the tracked users' domains are always included. */
  orgDomains?: readonly string[];
  onProgress?: (progress: RunProgress) => void;
  signal?: AbortSignal;
  /** Called after the rows are written and before they are published; throwing stops the run. */
  beforePublish?: () => Promise<void>;
  /**
   * Whether a failed run removes the unpublished rows itself (default true). A caller that may
   * have lost the run to another instance (which then writes rows under the same run id) decides.
   */
  discardOnFailure?: boolean;
}

export interface EnrichmentServices {
  graph: GraphConnection;
  results: ResultsRepository;
}

export interface MailboxProblem {
  mailboxId: string;
  address?: string;
  status: Exclude<MailboxStatus, 'ok'>;
  message: string;
}

export interface EnrichmentOutcome {
  visible: VisibleRun;
  totals: EngagementTotals;
  trackedUsers: number;
  /** Tracked entries that matched no user or group, as written. */
  unknownEntries: string[];
  mailboxProblems: MailboxProblem[];
  /** Every tracked mailbox as this run read it. */
  mailboxes: MailboxReading[];
  /** Days from the earliest counted activity to T (0 when nothing counted). */
  daysCovered: number;
  nextMeetings: NextMeeting[];
}

function daysCovered(rows: readonly EngagementRow[], asOf: number): number {
  let earliest = Infinity;
  for (const row of rows) {
    if (row.AggregationLevel === 'Year' && row.EngagementStartDate) {
      earliest = Math.min(earliest, Date.parse(row.EngagementStartDate));
    }
  }
  return Number.isFinite(earliest) ? Math.ceil((asOf - earliest) / DAY_MS) : 0;
}

/**
 * One enrichment end to end: tracked users → every mailbox's metadata → aggregates → rows written
 * under the run's id → published in one step. Until the publish, readers keep the previous rows;
 * a run that fails before it leaves nothing visible behind.
 */
export async function runEnrichment(
  request: EnrichmentRequest,
  services: EnrichmentServices,
): Promise<EnrichmentOutcome> {
  try {
    return await enrich(request, services);
  } catch (error) {
    if (request.discardOnFailure ?? true) {
      await discardUnpublished(request.entityName, services.results).catch(() => undefined);
    }
    throw error;
  }
}

/** Removes rows of runs that never became visible (this failed run's, or an interrupted one's). */
export async function discardUnpublished(entityName: string, results: ResultsRepository): Promise<void> {
  for (const entity of [entityName, userEntityNameOf(entityName)]) {
    await results.discardRunsExcept(entity, (await results.visibleRun(entity))?.runId);
  }
}

/**
 * The Year scores shown before this run, by account. When this very run is visible already (it
 * was published, then resumed after a restart), the scores it was compared with are kept.
 */
async function previousScores(
  entity: string,
  runId: string,
  results: ResultsRepository,
): Promise<Map<string, number | null>> {
  const shown = await results.visibleRows<StoredEngagementRow>(entity, { level: 'Year' });
  const resumed = shown[0]?.runId === runId;
  return new Map(
    shown.map((row) => [
      row.AccountId,
      resumed ? (row.PreviousEngagementScore ?? null) : row.EngagementScore,
    ]),
  );
}

async function enrich(request: EnrichmentRequest, services: EnrichmentServices): Promise<EnrichmentOutcome> {
  const progress: RunProgress = {
    step: 'resolving-users',
    mailboxesDone: 0,
    mailboxesTotal: 0,
    messages: 0,
    meetings: 0,
  };
  const report = (change: Partial<RunProgress>) => {
    Object.assign(progress, change);
    request.onProgress?.({ ...progress });
  };
  report({});

  const accounts = accountInputs(request.dataset, request.mapping);
  const privacy = request.privacy ?? DEFAULT_PRIVACY;
  const resolved = await resolveTrackedUsers(services.graph, request.tracked);
  const resolution = withoutExcludedMailboxes(resolved, privacy);
  const trackedDomains = resolved.users.map((u) => domainOf(u.address)).filter((d): d is string => !!d);
  const directory = buildAccountDirectory({
    accounts,
    orgDomains: [...new Set([...(request.orgDomains ?? []), ...trackedDomains])],
    excludedAddresses: privacy.excludedAddresses,
    excludedDomains: privacy.excludedDomains,
  });
  const tracked = buildTrackedUsers(
    resolution.users.flatMap((u) =>
      [u.address, u.mail, u.userPrincipalName].filter((a): a is string => !!a).map((a) => [a, u.id] as const),
    ),
  );
  const aggregator = new Aggregator(
    createEngineContext({
      directory,
      tracked,
      asOf: request.asOf,
      countPrivateMeetings: privacy.countPrivateMeetings,
    }),
  );

  report({ step: 'reading-mailboxes', mailboxesTotal: resolution.users.length });
  const ingestion = await ingestMailboxes(
    services.graph,
    resolution.users.map((u) => ({ id: u.id, address: u.address })),
    (event) => aggregator.add(event.activity),
    {
      asOf: request.asOf,
      onProgress: (p) => report(p),
      ...(request.signal ? { signal: request.signal } : {}),
    },
  );

  report({ step: 'aggregating' });
  const settings = request.settings ?? DEFAULT_SETTINGS;
  const result = finaliseEngagement(aggregator, settings);

  report({ step: 'writing-results' });
  const entity = request.entityName;
  const previous = await previousScores(entity, request.runId, services.results);
  const next = new Map(result.nextMeetings.map((m) => [m.AccountId, m]));
  const userEmails = new Map(resolution.users.map((u) => [u.id, u.address]));
  const mostEngaged = new Map(
    result.mostEngagedUsers.map((m) => [m.AccountId, userEmails.get(m.UserId) ?? null]),
  );
  const signals = new Map(
    result.signals.map(({ AccountId, ...flags }) => [AccountId, SIGNALS.filter((name) => flags[name])]),
  );
  const { weights, halfLifeDays } = settings;
  const explanations = new Map(
    result.explanations.map(({ AccountId, ...explanation }) => [
      AccountId,
      { ...explanation, weights, halfLifeDays },
    ]),
  );
  const rows: StoredEngagementRow[] = result.rows.map((row) => {
    const year = row.AggregationLevel === 'Year';
    const meeting = year ? next.get(row.AccountId) : undefined;
    return {
      ...row,
      PreviousEngagementScore: year ? (previous.get(row.AccountId) ?? null) : null,
      NextMeetingStart: meeting?.Start ?? null,
      NextMeetingEnd: meeting?.End ?? null,
      TopEngagedUserEmail: year ? (mostEngaged.get(row.AccountId) ?? null) : null,
      Signals: year ? (signals.get(row.AccountId) ?? []) : null,
    };
  });
  const users: UserEntityRow[] = resolution.users.map((u) => ({
    UserId: u.id,
    Email: u.address,
    DisplayName: u.displayName ?? u.address,
    Groups: u.groups.map((g) => ({ GroupId: g.id, DisplayName: g.displayName ?? g.mail ?? g.id })),
    ListedDirectly: u.direct,
  }));
  const asOf = new Date(request.asOf).toISOString();
  await services.results.writeRows(entity, request.runId, rows, outputRowKey);
  await services.results.writeCards(entity, request.runId, customerCards(rows, asOf, explanations));
  await services.results.writeRows(userEntityNameOf(entity), request.runId, users, (u) => [u.UserId]);

  await request.beforePublish?.();
  request.signal?.throwIfAborted();
  const visible: VisibleRun = {
    runId: request.runId,
    asOf,
    publishedAt: new Date().toISOString(),
    rowCount: rows.length,
    accountCount: result.totals.accounts,
  };
  // Users first: the account rows' pointer is what readers treat as "the run is visible".
  await services.results.publish(userEntityNameOf(entity), { ...visible, rowCount: users.length });
  await services.results.publish(entity, visible);

  return {
    visible,
    totals: result.totals,
    trackedUsers: resolution.users.length,
    unknownEntries: resolution.unknown,
    mailboxProblems: [...ingestion.permissionProblems, ...ingestion.failures].map((m) => ({
      mailboxId: m.mailboxId,
      ...(m.address ? { address: m.address } : {}),
      status: m.status === 'ok' ? 'failed' : m.status,
      message: m.error?.message ?? 'not read completely',
    })),
    mailboxes: mailboxReadings(ingestion.mailboxes, resolution.users),
    daysCovered: daysCovered(result.rows, request.asOf),
    nextMeetings: result.nextMeetings,
  };
}
