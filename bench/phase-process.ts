/**
 * One measured phase of the benchmark, in a fresh product process (so its peak memory is its own):
 *
 * - ingest: a whole enrichment (tracked users → every mailbox → aggregation → rows written to the
 *   embedded Cosmos DB and published), timed per step;
 * - fetch: the same Graph reads with a sink that only counts, keeping delta links; then, when
 *   asked, 1% of the mail changes and the mailboxes are read again through those links;
 * - aggregate: activities built in memory beforehand, fed to one Aggregator, then finalised.
 */
import { accountInputs } from '../core/datasets/customer-dataset';
import {
  Aggregator,
  buildAccountDirectory,
  buildTrackedUsers,
  createEngineContext,
  DAY_MS,
  finaliseEngagement,
  type Activity,
} from '../core/engine';
import { createGraphClient, simulatorGraphSettings, type GraphConnection } from '../core/graph/client';
import { InMemoryDeltaStateStore, type DeltaStateStore } from '../core/graph/delta-state';
import { ingestMailboxes } from '../core/graph/ingest';
import type { IngestionEvent, MailboxRef } from '../core/graph/mailbox';
import { eventToActivity, messageToActivity } from '../core/graph/mapping';
import { resolveTrackedUsers } from '../core/graph/tracked-users';
import { runEnrichment, type RunStep } from '../core/runs/enrichment-run';
import { ensureContainers } from '../core/store/containers';
import { ResultsRepository } from '../core/store/results-repository';
import { generateCertificate } from '../local/certificate';
import { startEmbeddedCosmos } from '../local/embedded-cosmos';
import { wellKnownFolderId } from '../test/graph-simulator';
import { hasType, type ChangeSummary, type PhaseMessage, type PhaseRequest, type StepFigure } from './ipc';
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

async function ingestPhase(request: PhaseRequest, watch: Stopwatch): Promise<void> {
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
  } finally {
    await graph.close();
    await cosmos.close();
  }
}

function countingSink(counts: { messages: number; meetings: number; changes: number }) {
  return (event: IngestionEvent) => {
    if (event.type !== 'activity') return;
    if (event.activity.kind === 'email') counts.messages++;
    else counts.meetings++;
    if (event.mode === 'changes') counts.changes++;
  };
}

async function readAll(
  graph: GraphConnection,
  request: PhaseRequest,
  mailboxes: MailboxRef[],
  deltaStore?: DeltaStateStore,
) {
  const counts = { messages: 0, meetings: 0, changes: 0 };
  const progress = throttledLog();
  await ingestMailboxes(graph, mailboxes, countingSink(counts), {
    tenantId: request.graph.tenantId,
    asOf: Date.parse(request.workload.asOf),
    ...(deltaStore ? { deltaStore } : {}),
    onProgress: (p) =>
      progress(() => `reading: ${p.mailboxesDone}/${p.mailboxesTotal} mailboxes, ${p.messages} emails`),
  });
  return counts;
}

async function fetchPhase(request: PhaseRequest, watch: Stopwatch): Promise<ChangeSummary | undefined> {
  const { tracked } = workloadInputs(workloadTenant(request.workload));
  const graph = createGraphClient(
    simulatorGraphSettings({ url: request.graph.url, caPem: request.graph.caPem }),
  );
  try {
    watch.restart();
    const resolution = await resolveTrackedUsers(graph, tracked);
    watch.lap('resolving-users');
    const mailboxes = resolution.users.map((u) => ({ id: u.id, address: u.address }));
    const deltaStore = new InMemoryDeltaStateStore();
    const baseline = await readAll(graph, request, mailboxes, deltaStore);
    watch.lap('reading-mailboxes', { messages: baseline.messages, meetings: baseline.meetings });
    if (request.incremental === null) return undefined;

    process.send?.({ type: 'change', fraction: request.incremental } satisfies PhaseMessage);
    const { change } = await nextChange();
    log(`changed ${change.updated + change.added} of ${change.messages} messages in ${change.ms} ms`);

    watch.restart();
    const delta = await readAll(graph, request, mailboxes, deltaStore);
    watch.lap('delta re-read', {
      messages: delta.messages,
      meetings: delta.meetings,
      activities: delta.changes,
    });
    return change;
  } finally {
    await graph.close();
  }
}

function nextChange(): Promise<{ change: ChangeSummary }> {
  return new Promise((resolve) => {
    const isChanged = hasType<{ type: 'changed'; change: ChangeSummary }>('changed');
    const onMessage = (message: unknown) => {
      if (!isChanged(message)) return;
      process.off('message', onMessage);
      resolve(message);
    };
    process.on('message', onMessage);
  });
}

/** The activities one mailbox yields to ingestion: inbox and sent items in the window, the calendar. */
function mailboxActivities(
  tenant: ReturnType<typeof workloadTenant>,
  userId: string,
  workload: Workload,
): Activity[] {
  const asOf = Date.parse(workload.asOf);
  const windowStart = asOf - 365 * DAY_MS;
  const calendarEnd = asOf + 90 * DAY_MS;
  const folders = new Set([wellKnownFolderId(userId, 'inbox'), wellKnownFolderId(userId, 'sentitems')]);
  const mailbox = tenant.buildMailbox(userId);
  const out: Activity[] = [];
  for (const message of mailbox.messages) {
    if (!folders.has(message.parentFolderId) || (message.received ?? 0) < windowStart) continue;
    if ((message.sent ?? 0) < windowStart) continue;
    const activity = messageToActivity(message.toGraph());
    if (activity) out.push(activity);
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
    let change: ChangeSummary | undefined;
    if (request.phase === 'ingest') await ingestPhase(request, watch);
    else if (request.phase === 'fetch') change = await fetchPhase(request, watch);
    else aggregatePhase(request, watch);
    const result: PhaseMessage = {
      type: 'result',
      steps: watch.steps,
      memory: watch.memory.stop(),
      ...(change ? { change } : {}),
    };
    process.send?.(result, () => process.disconnect());
  })().catch((error: unknown) => {
    process.stderr.write(`bench ${request.phase}: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
});
