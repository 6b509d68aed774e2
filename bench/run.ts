/**
 * `npm run bench [-- options]`: the enrichment's throughput, cost and memory on a generated tenant.
 * The Graph simulator runs in its own process; each measured phase runs in a fresh product process.
 * It prints figures and asserts nothing (see docs/performance.md).
 */
import type { ChildProcess } from 'node:child_process';
import { generateCertificate } from '../local/certificate';
import { FULL_SIZE, parseBenchArgs, type BenchArgs } from './args';
import {
  forkModule,
  hasType,
  nextMessage,
  type GraphCounts,
  type PhaseMessage,
  type PhaseName,
  type PhaseRequest,
  type SimulatorReply,
  type SimulatorRequest,
} from './ipc';
import { machineLine, summarise, type PhaseResult } from './report';
import type { Workload } from './workload';

type Reply<K extends SimulatorReply['type']> = Extract<SimulatorReply, { type: K }>;
type StatsReply = Reply<'stats'>;

const say = (text: string) => process.stdout.write(`${text}\n`);

/** Product processes get room for a large tenant's aggregates and the embedded store's rows. */
const PRODUCT_EXEC_ARGV = ['--max-old-space-size=16384'];

async function runPhase(
  phase: PhaseName,
  request: Omit<PhaseRequest, 'type' | 'phase'>,
): Promise<PhaseResult> {
  const child = forkModule('phase-process.ts', PRODUCT_EXEC_ARGV);
  const result = nextMessage(child, hasType<PhaseMessage>('result'));
  child.send({ type: 'run', phase, ...request } satisfies PhaseRequest);
  const { steps, memory, throttling } = await result;
  return { steps, memory, ...(throttling ? { throttling } : {}) };
}

async function simulatorStats(simulator: ChildProcess): Promise<StatsReply> {
  const reply = nextMessage(simulator, hasType<StatsReply>('stats'));
  simulator.send({ type: 'stats' } satisfies SimulatorRequest);
  return reply;
}

/** What the simulator counted between two readings of its stats. */
function countsBetween(before: GraphCounts, after: GraphCounts): GraphCounts {
  const faults: Record<string, number> = {};
  for (const [name, count] of Object.entries(after.faults)) faults[name] = count - (before.faults[name] ?? 0);
  return {
    requests: after.requests - before.requests,
    batchItems: after.batchItems - before.batchItems,
    throttled: after.throttled - before.throttled,
    faults,
  };
}

async function main(args: BenchArgs): Promise<void> {
  const workload: Workload = {
    seed: args.seed,
    mailboxes: args.mailboxes,
    messagesPerMailbox: args['messages-per-mailbox'],
    ...(args.accounts === undefined ? {} : { accounts: args.accounts }),
    asOf: new Date(args['as-of']).toISOString(),
  };
  say(`Machine: ${machineLine()}`);
  const certificate = await generateCertificate();
  const simulator = forkModule('simulator-process.ts', PRODUCT_EXEC_ARGV);
  try {
    simulator.send({ type: 'start', workload, tls: certificate } satisfies SimulatorRequest);
    const ready = await nextMessage(simulator, hasType<Reply<'ready'>>('ready'));
    say(
      `Tenant: ${ready.summary}; ${workload.messagesPerMailbox} messages per mailbox, seed "${workload.seed}"`,
    );
    const request = {
      workload,
      graph: { url: ready.url, caPem: certificate.cert, tenantId: ready.tenantId },
    };
    const results: Partial<Record<PhaseName, PhaseResult>> = {};
    // Aggregation needs no simulator.
    const order: PhaseName[] = ['aggregate', 'ingest', 'fetch'];
    for (const phase of order) {
      if (!args.only.includes(phase)) continue;
      say(`Running ${phase} …`);
      const before = await simulatorStats(simulator);
      const result = await runPhase(phase, request);
      if (phase !== 'aggregate') {
        const after = await simulatorStats(simulator);
        result.simulator = countsBetween(before.graph, after.graph);
      }
      results[phase] = result;
    }
    const stats = await simulatorStats(simulator);
    say('');
    for (const line of summarise(results)) say(line);
    say(
      `  simulator process: ${stats.graph.requests.toLocaleString('en-US')} requests, ` +
        `${(stats.cpuMs / 1000).toFixed(1)} s CPU, peak RSS ${Math.round(stats.rss / 1024 / 1024)} MB`,
    );
    say(`Machine at the end: ${machineLine()}`);
    if (args.mailboxes < 2_500) say(`\nFull size (about 10 million messages): npm run bench -- ${FULL_SIZE}`);
  } finally {
    simulator.disconnect();
  }
}

// `npm run bench -- bot [options]`: the seller bot's benchmark instead (bench/bot-bench.ts).
if (process.argv[2] === 'bot') {
  await (await import('./bot-bench')).runBotBench(process.argv.slice(3));
  process.exit(0);
}
// `npm run bench -- reread [options]`: re-reading only failed mailboxes against a full run (bench/reread-bench.ts).
if (process.argv[2] === 'reread') {
  await (await import('./reread-bench')).runRereadBench(process.argv.slice(3));
  process.exit(0);
}
// `npm run bench -- import [options]`: a 25 MB dataset import against health probes (bench/import-bench.ts).
if (process.argv[2] === 'import') {
  await (await import('./import-bench')).runImportBench(process.argv.slice(3));
  process.exit(0);
}

let args: BenchArgs;
try {
  args = parseBenchArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`bench: ${(error as Error).message}\n`);
  process.exit(2);
}
await main(args);
