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
import { ingestMailboxes, type IngestionSummary } from '../graph/ingest';
import type { MailboxRef, MailboxResult, MailboxStatus } from '../graph/mailbox';
import { resolveTrackedUsers, type TrackedUser } from '../graph/tracked-users';
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

/** What a re-read of a run's failed mailboxes needs besides the reading it continues. */
export type RereadRequest = Pick<
  EnrichmentRequest,
  'runId' | 'onProgress' | 'signal' | 'beforePublish' | 'discardOnFailure'
>;

/**
 * What a run read: the aggregate of every mailbox and how each mailbox went. It lives in memory
 * only (the contract keeps no per-message state beyond a run), so that the mailboxes the run could
 * not read may be read again into the same aggregate.
 */
export interface RunReading {
  readonly asOf: number;
  readonly entityName: string;
  readonly settings: EngagementSettings;
  readonly aggregator: Aggregator;
  readonly users: readonly TrackedUser[];
  readonly unknownEntries: readonly string[];
  /** One result per tracked mailbox, in the users' order; replaced as mailboxes are read again. */
  mailboxes: MailboxResult[];
  /** The Year scores shown before the run's first publish: what its re-reads compare with too. */
  previous?: ReadonlyMap<string, number | null>;
}

/** The mailboxes of a reading that were not read completely: what a re-read reads. */
export function unreadMailboxes(reading: { mailboxes: readonly MailboxResult[] }): MailboxResult[] {
  return reading.mailboxes.filter((m) => m.status !== 'ok');
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
export function runEnrichment(
  request: EnrichmentRequest,
  services: EnrichmentServices,
): Promise<EnrichmentOutcome & { reading: RunReading }> {
  return discardingOnFailure(request, request.entityName, services.results, () => enrich(request, services));
}

/** Runs the work; when it fails, removes the unpublished rows unless the caller decides that itself. */
async function discardingOnFailure<T>(
  request: Pick<EnrichmentRequest, 'discardOnFailure'>,
  entityName: string,
  results: ResultsRepository,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (request.discardOnFailure ?? true) {
      await discardUnpublished(entityName, results).catch(() => undefined);
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

/** Reports progress to the request's callback, one change at a time, from a shared state. */
function progressReporter(
  onProgress: EnrichmentRequest['onProgress'],
): (change: Partial<RunProgress>) => void {
  const progress: RunProgress = {
    step: 'resolving-users',
    mailboxesDone: 0,
    mailboxesTotal: 0,
    messages: 0,
    meetings: 0,
  };
  return (change) => {
    Object.assign(progress, change);
    onProgress?.({ ...progress });
  };
}

async function enrich(
  request: EnrichmentRequest,
  services: EnrichmentServices,
): Promise<EnrichmentOutcome & { reading: RunReading }> {
  const report = progressReporter(request.onProgress);
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
  const reading: RunReading = {
    asOf: request.asOf,
    entityName: request.entityName,
    settings: request.settings ?? DEFAULT_SETTINGS,
    aggregator: new Aggregator(
      createEngineContext({
        directory,
        tracked,
        asOf: request.asOf,
        countPrivateMeetings: privacy.countPrivateMeetings,
      }),
    ),
    users: resolution.users,
    unknownEntries: resolution.unknown,
    mailboxes: [],
  };
  const refs = resolution.users.map((u) => ({ id: u.id, address: u.address }));
  report({ step: 'reading-mailboxes', mailboxesTotal: refs.length });
  reading.mailboxes = (await readInto(reading, refs, services.graph, request.signal, report)).mailboxes;
  const outcome = await publishReading(reading, reading.mailboxes, request, services.results, report);
  return { ...outcome, reading };
}

/** Reads the mailboxes into the reading's aggregate; the ingestion's summary. */
function readInto(
  reading: RunReading,
  mailboxes: readonly MailboxRef[],
  graph: GraphConnection,
  signal: AbortSignal | undefined,
  report: (change: Partial<RunProgress>) => void,
): Promise<IngestionSummary> {
  return ingestMailboxes(graph, mailboxes, (event) => reading.aggregator.add(event.activity), {
    asOf: reading.asOf,
    onProgress: (p) => report(p),
    ...(signal ? { signal } : {}),
  });
}

/**
 * Reads again, into the aggregate a run kept, only the mailboxes it could not read completely, then
 * writes and publishes the whole result under this run's id. Everything the engine keeps is keyed
 * by message and meeting, so what the failed reads had already added counts once: with the data
 * unchanged, the rows equal a clean full run's at the same T.
 */
export function rereadFailedMailboxes(
  reading: RunReading,
  request: RereadRequest,
  services: EnrichmentServices,
): Promise<EnrichmentOutcome> {
  return discardingOnFailure(request, reading.entityName, services.results, async () => {
    const report = progressReporter(request.onProgress);
    const failed = unreadMailboxes(reading);
    const refs = failed.map((m) => ({ id: m.mailboxId, ...(m.address ? { address: m.address } : {}) }));
    report({ step: 'reading-mailboxes', mailboxesTotal: refs.length });
    const again = await readInto(reading, refs, services.graph, request.signal, report);
    const byId = new Map(again.mailboxes.map((m) => [m.mailboxId, m]));
    const mailboxes = reading.mailboxes.map((m) => byId.get(m.mailboxId) ?? m);
    const outcome = await publishReading(
      reading,
      mailboxes,
      { ...request, entityName: reading.entityName },
      services.results,
      report,
    );
    // Only once published: a re-read that fails leaves them to read again (into the same aggregate,
    // where what this attempt added counts once).
    reading.mailboxes = mailboxes;
    return outcome;
  });
}

/**
 * Finalises the reading's aggregate, writes the rows, cards and users under the run's id and
 * publishes them; `mailboxes`: how each tracked mailbox was read, for the outcome.
 */
async function publishReading(
  reading: RunReading,
  mailboxes: readonly MailboxResult[],
  request: Pick<EnrichmentRequest, 'runId' | 'entityName' | 'signal' | 'beforePublish'>,
  results: ResultsRepository,
  report: (change: Partial<RunProgress>) => void,
): Promise<EnrichmentOutcome> {
  report({ step: 'aggregating' });
  const { settings, users: trackedUsers } = reading;
  const result = finaliseEngagement(reading.aggregator, settings);

  report({ step: 'writing-results' });
  const entity = request.entityName;
  reading.previous ??= await previousScores(entity, request.runId, results);
  const previous = reading.previous;
  const next = new Map(result.nextMeetings.map((m) => [m.AccountId, m]));
  const userEmails = new Map(trackedUsers.map((u) => [u.id, u.address]));
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
  const users: UserEntityRow[] = trackedUsers.map((u) => ({
    UserId: u.id,
    Email: u.address,
    DisplayName: u.displayName ?? u.address,
    Groups: u.groups.map((g) => ({ GroupId: g.id, DisplayName: g.displayName ?? g.mail ?? g.id })),
    ListedDirectly: u.direct,
  }));
  const asOf = new Date(reading.asOf).toISOString();
  await results.writeRows(entity, request.runId, rows, outputRowKey);
  await results.writeCards(entity, request.runId, customerCards(rows, asOf, explanations));
  await results.writeRows(userEntityNameOf(entity), request.runId, users, (u) => [u.UserId]);

  await request.beforePublish?.();
  request.signal?.throwIfAborted();
  const visible: VisibleRun = {
    runId: request.runId,
    asOf,
    publishedAt: new Date().toISOString(),
    rowCount: rows.length,
    accountCount: result.totals.accounts,
    signalThresholds: settings.signals,
  };
  // Users first: the account rows' pointer is what readers treat as "the run is visible".
  const { signalThresholds: _accountsOnly, ...usersVisible } = visible;
  await results.publish(userEntityNameOf(entity), { ...usersVisible, rowCount: users.length });
  await results.publish(entity, visible);

  const problems = unreadMailboxes({ mailboxes });
  return {
    visible,
    // Copies read are counted mailbox by mailbox: a mailbox read again replaces its earlier count.
    totals: {
      ...result.totals,
      emailsRead: mailboxes.reduce((n, m) => n + m.messages, 0),
      meetingsRead: mailboxes.reduce((n, m) => n + m.meetings, 0),
    },
    trackedUsers: trackedUsers.length,
    unknownEntries: [...reading.unknownEntries],
    mailboxProblems: problems.map((m) => ({
      mailboxId: m.mailboxId,
      ...(m.address ? { address: m.address } : {}),
      status: m.status === 'ok' ? 'failed' : m.status,
      message: m.error?.message ?? 'not read completely',
    })),
    mailboxes: mailboxReadings(mailboxes, trackedUsers),
    daysCovered: daysCovered(result.rows, reading.asOf),
    nextMeetings: result.nextMeetings,
  };
}
