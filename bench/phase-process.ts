/**
 * One measured phase of the benchmark, in a fresh product process (so its peak memory is its own):
 *
 * - ingest: a whole enrichment (tracked users → every mailbox → aggregation → rows written to the
 *   embedded Cosmos DB and published), timed per step;
 * - fetch: the same Graph reads with a sink that only counts;
 * - aggregate: activities built in memory beforehand (the mail and meetings ingestion would read),
 *   fed to one Aggregator, then finalised.
 *
 * The phases that read Graph also report what throttling cost their Graph client.
 */
import { accountInputs } from '../core/datasets/customer-dataset';
import {
  Aggregator,
  buildAccountDirectory,
  buildTrackedUsers,
  createEngineContext,
  finaliseEngagement,
  type Activity,
} from '../core/engine';
import { createGraphClient, simulatorGraphSettings, type GraphConnection } from '../core/graph/client';
import { DAY_MS } from '../core/time/durations';
import { ingestMailboxes } from '../core/graph/ingest';
import { EXCLUDED_WELL_KNOWN_FOLDERS } from '../core/graph/mail-folders';
import type { IngestionEvent } from '../core/graph/mailbox';
import { eventToActivity, messageToActivity } from '../core/graph/mapping';
import { resolveTrackedUsers } from '../core/graph/tracked-users';
import { runEnrichment, type RunStep } from '../core/runs/enrichment-run';
import { ensureContainers } from '../core/store/containers';
import { ResultsRepository } from '../core/store/results-repository';
import { generateCertificate } from '../local/certificate';
import { startEmbeddedCosmos } from '../local/embedded-cosmos';
import { wellKnownFolderId } from '../local/graph-simulator';
import type { ClientThrottling, PhaseMessage, PhaseRequest, StepFigure } from './ipc';
import { MemorySampler } from './memory';
import { workloadInputs, workloadTenant, type Workload } from './workload';

const ENTITY = 'Office';
const MAPPING = { emailField: 'Email', domainField: 'Domain' };
/** Activities built ahead of each timed aggregation batch. */
const BATCH = 250_000;

const log = (text: string) => process.stderr.write(`  ${text}\n`);

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Measures consecutive steps: wall time and this process's CPU time. */
class Stopwatch {
  readonly steps: StepFigure[] = [];
  readonly memory = new MemorySampler();
  #wall = performance.now();
  #cpu = cpuMs();

  restart(): void {
    this.#wall = performance.now();
    this.#cpu = cpuMs();
    this.memory.lap();
  }

  lap(name: string, counts: Omit<StepFigure, 'name' | 'ms' | 'cpuMs' | 'memory'> = {}): StepFigure {
    const wall = performance.now();
    const cpu = cpuMs();
    const step = {
      name,
      ms: Math.round(wall - this.#wall),
      cpuMs: Math.round(cpu - this.#cpu),
      ...counts,
      memory: this.memory.lap(),
    };
    this.steps.push(step);
    this.#wall = wall;
    this.#cpu = cpu;
    return step;
  }
}

/** Logs a progress line at most every 15 seconds. */
function throttledLog(): (text: () => string) => void {
  let last = performance.now();
  return (text) => {
    const now = performance.now();
    if (now - last < 15_000) return;
    last = now;
    log(text());
  };
}

/**
 * The results of a run into a fresh store. Publishing normally ends by querying for the rows of
 * superseded runs; a fresh store has none, and on the embedded Cosmos DB every query costs time
 * quadratic in the container's size (see docs/performance.md), so that one query is skipped here.
 */
class FreshStoreResults extends ResultsRepository {
  override discardRunsExcept(): Promise<number> {
    return Promise.resolve(0);
  }
}

/** Mailboxes a phase could not read completely make its figures wrong: say so. */
function logUnread(phase: string, problems: readonly { message: string }[]): void {
  const first = problems[0];
  if (first) log(`${phase}: ${problems.length} mailboxes not read completely, e.g. ${first.message}`);
}

/** What throttling cost the client so far. */
function throttlingOf(graph: GraphConnection): ClientThrottling {
  const { global, perKey } = graph.limiter.settings;
  return { ...graph.limiter.throttling(), globalMaximum: global, perMailboxMaximum: perKey };
}

async function ingestPhase(request: PhaseRequest, watch: Stopwatch): Promise<ClientThrottling> {
  const { tracked, dataset } = workloadInputs(workloadTenant(request.workload));
  const cosmos = await startEmbeddedCosmos({ port: 0, certificate: await generateCertificate() });
  const containers = await ensureContainers(cosmos.client, 'engagement');
  const graph = createGraphClient(
    simulatorGraphSettings({ url: request.graph.url, caPem: request.graph.caPem }),
  );
  const services = { graph, results: new FreshStoreResults(containers.results, request.graph.tenantId) };
  const progress = throttledLog();
  let step: RunStep = 'resolving-users';
  let counts = { messages: 0, meetings: 0 };
  try {
    watch.restart();
    const outcome = await runEnrichment(
      {
        tenantId: request.graph.tenantId,
        runId: 'bench',
        asOf: Date.parse(request.workload.asOf),
        tracked,
        dataset,
        mapping: MAPPING,
        entityName: ENTITY,
        onProgress: (p) => {
          counts = { messages: p.messages, meetings: p.meetings };
          if (p.step !== step) {
            watch.lap(step, step === 'reading-mailboxes' ? counts : {});
            step = p.step;
          }
          progress(() => `${p.step}: ${p.mailboxesDone}/${p.mailboxesTotal} mailboxes, ${p.messages} emails`);
        },
      },
      services,
    );
    watch.lap(step, { rows: outcome.visible.rowCount });
    logUnread('ingest', outcome.mailboxProblems);
    return throttlingOf(graph);
  } finally {
    await graph.close();
    await cosmos.close();
  }
}

function countingSink(counts: { messages: number; meetings: number }) {
  return (event: IngestionEvent) => {
    if (event.activity.kind === 'email') counts.messages++;
    else counts.meetings++;
  };
}

async function fetchPhase(request: PhaseRequest, watch: Stopwatch): Promise<ClientThrottling> {
  const { tracked } = workloadInputs(workloadTenant(request.workload));
  const graph = createGraphClient(
    simulatorGraphSettings({ url: request.graph.url, caPem: request.graph.caPem }),
  );
  try {
    watch.restart();
    const resolution = await resolveTrackedUsers(graph, tracked);
    watch.lap('resolving-users');
    const mailboxes = resolution.users.map((u) => ({ id: u.id, address: u.address }));
    const counts = { messages: 0, meetings: 0 };
    const progress = throttledLog();
    const summary = await ingestMailboxes(graph, mailboxes, countingSink(counts), {
      asOf: Date.parse(request.workload.asOf),
      onProgress: (p) =>
        progress(() => `reading: ${p.mailboxesDone}/${p.mailboxesTotal} mailboxes, ${p.messages} emails`),
    });
    watch.lap('reading-mailboxes', {
      messages: counts.messages,
      meetings: counts.meetings,
      folders: summary.mailboxes.reduce((n, m) => n + m.folders, 0),
    });
    logUnread(
      'fetch',
      [...summary.permissionProblems, ...summary.failures].map((m) => ({
        message: m.error?.message ?? 'not read completely',
      })),
    );
    return throttlingOf(graph);
  } finally {
    await graph.close();
  }
}

/**
 * The ids of the mail folders ingestion reads (mail-folders.ts): every folder of the tree except
 * the excluded well-known folders (Junk Email, Drafts, Outbox, Conversation History, Sync Issues)
 * and everything below them. Hidden folders are not listed by Graph, so neither they nor their
 * children are read.
 */
function countedFolderIds(tenant: ReturnType<typeof workloadTenant>, userId: string): Set<string> {
  const folders = new Map(tenant.mailFolders(userId).map((folder) => [folder.id, folder]));
  const excluded = new Set<string>(
    EXCLUDED_WELL_KNOWN_FOLDERS.map((name) => wellKnownFolderId(userId, name)),
  );
  const verdict = new Map<string, boolean>();
  const counted = (id: string, depth: number): boolean => {
    const known = verdict.get(id);
    if (known !== undefined) return known;
    const folder = folders.get(id);
    // A parent outside the list is the mailbox's root (msgfolderroot).
    if (!folder) return true;
    let yes = !excluded.has(id) && folder.isHidden !== true && depth < 64;
    if (yes && folder.parentFolderId !== undefined) yes = counted(folder.parentFolderId, depth + 1);
    verdict.set(id, yes);
    return yes;
  };
  return new Set([...folders.keys()].filter((id) => counted(id, 0)));
}

/**
 * The activities one mailbox yields to ingestion: the messages of its counted folders received on or
 * after the window start and sent in [window start, T), and its calendar view.
 */
function mailboxActivities(
  tenant: ReturnType<typeof workloadTenant>,
  userId: string,
  workload: Workload,
): Activity[] {
  const asOf = Date.parse(workload.asOf);
  const windowStart = asOf - 365 * DAY_MS;
  const calendarEnd = asOf + 90 * DAY_MS;
  const folders = countedFolderIds(tenant, userId);
  const mailbox = tenant.buildMailbox(userId);
  const out: Activity[] = [];
  for (const message of mailbox.messages) {
    if (!folders.has(message.parentFolderId)) continue;
    if (message.received === null || message.received < windowStart) continue;
    const activity = messageToActivity(message.toGraph());
    if (activity && activity.sent >= windowStart && activity.sent < asOf) out.push(activity);
  }
  for (const event of mailbox.events) {
    if (event.end <= windowStart || event.start >= calendarEnd) continue;
    const activity = eventToActivity(event.toGraph());
    if (activity) out.push(activity);
  }
  return out;
}

function aggregatePhase(request: PhaseRequest, watch: Stopwatch): void {
  const tenant = workloadTenant(request.workload, 1);
  const { dataset } = workloadInputs(tenant);
  const directory = buildAccountDirectory({
    accounts: accountInputs(dataset, MAPPING),
    orgDomains: tenant.tenant.verifiedDomains,
  });
  const tracked = buildTrackedUsers(
    tenant.sellers.flatMap((s) => [
      [s.userPrincipalName, s.id] as const,
      ...(s.mail ? [[s.mail, s.id] as const] : []),
    ]),
  );
  const aggregator = new Aggregator(
    createEngineContext({ directory, tracked, asOf: Date.parse(request.workload.asOf) }),
  );
  let batch: Activity[] = [];
  let activities = 0;
  let addMs = 0;
  let addCpuMs = 0;
  const progress = throttledLog();
  const fold = () => {
    const wall = performance.now();
    const cpu = cpuMs();
    for (const activity of batch) aggregator.add(activity);
    addMs += performance.now() - wall;
    addCpuMs += cpuMs() - cpu;
    activities += batch.length;
    batch = [];
  };
  tenant.sellers.forEach((seller, i) => {
    for (const activity of mailboxActivities(tenant, seller.id, request.workload)) batch.push(activity);
    if (batch.length >= BATCH) fold();
    progress(
      () =>
        `aggregating: ${i + 1}/${tenant.sellers.length} mailboxes, ${activities + batch.length} activities`,
    );
  });
  fold();
  watch.steps.push({ name: 'aggregating', ms: Math.round(addMs), cpuMs: Math.round(addCpuMs), activities });
  const footprint = aggregator.footprint();
  log(
    `aggregate: ${footprint.items.toLocaleString('en-US')} counted items, ` +
      `${footprint.addresses.toLocaleString('en-US')} addresses, ` +
      `${footprint.replyCandidates.toLocaleString('en-US')} reply candidates, ` +
      `${Math.round(footprint.approxBytes / 1024 / 1024)} MB of typed arrays`,
  );
  watch.restart();
  const result = finaliseEngagement(aggregator);
  watch.lap('finalising', { rows: result.rows.length });
}

process.once('message', (request: PhaseRequest) => {
  void (async () => {
    const watch = new Stopwatch();
    let throttling: ClientThrottling | undefined;
    if (request.phase === 'ingest') throttling = await ingestPhase(request, watch);
    else if (request.phase === 'fetch') throttling = await fetchPhase(request, watch);
    else aggregatePhase(request, watch);
    const result: PhaseMessage = {
      type: 'result',
      steps: watch.steps,
      memory: watch.memory.stop(),
      ...(throttling ? { throttling } : {}),
    };
    process.send?.(result, () => process.disconnect());
  })().catch((error: unknown) => {
    process.stderr.write(`bench ${request.phase}: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
});
