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
  type PhaseMessage,
  type PhaseName,
  type PhaseRequest,
  type SimulatorReply,
  type SimulatorRequest,
} from './ipc';
import { machineLine, summarise, type PhaseResult } from './report';
import type { Workload } from './workload';

type Reply<K extends SimulatorReply['type']> = Extract<SimulatorReply, { type: K }>;
type PhaseReply<K extends PhaseMessage['type']> = Extract<PhaseMessage, { type: K }>;

const say = (text: string) => process.stdout.write(`${text}\n`);

/** Product processes get room for a large tenant's aggregates and the embedded store's rows. */
const PRODUCT_EXEC_ARGV = ['--max-old-space-size=16384'];

async function runPhase(
  phase: PhaseName,
  request: Omit<PhaseRequest, 'type' | 'phase'>,
  simulator: ChildProcess,
): Promise<PhaseResult> {
  const child = forkModule('phase-process.ts', PRODUCT_EXEC_ARGV);
  // Changing the mail is the simulator's job: the phase asks, the runner relays.
  child.on('message', (message: unknown) => {
    if (!hasType<PhaseReply<'change'>>('change')(message)) return;
    simulator.send({ type: 'change', fraction: message.fraction } satisfies SimulatorRequest);
    void nextMessage(simulator, hasType<Reply<'changed'>>('changed')).then((reply) => child.send(reply));
  });
  const result = nextMessage(child, hasType<PhaseReply<'result'>>('result'));
  child.send({ type: 'run', phase, ...request } satisfies PhaseRequest);
  return result;
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
      incremental: args.only.includes('incremental') ? args['changed-percent'] / 100 : null,
    };
    const results: Partial<Record<PhaseName, PhaseResult>> = {};
    // Aggregation needs no simulator; the fetch comes last because its incremental part changes the mail.
    const order: PhaseName[] = ['aggregate', 'ingest', 'fetch'];
    for (const phase of order) {
      const wanted = args.only.includes(phase) || (phase === 'fetch' && args.only.includes('incremental'));
      if (!wanted) continue;
      say(`Running ${phase} …`);
      results[phase] = await runPhase(phase, request, simulator);
    }
    simulator.send({ type: 'stats' } satisfies SimulatorRequest);
    const stats = await nextMessage(simulator, hasType<Reply<'stats'>>('stats'));
    say('');
    for (const line of summarise(results)) say(line);
    say(
      `  simulator process: ${stats.requests.toLocaleString('en-US')} requests, ` +
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

let args: BenchArgs;
try {
  args = parseBenchArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`bench: ${(error as Error).message}\n`);
  process.exit(2);
}
await main(args);
