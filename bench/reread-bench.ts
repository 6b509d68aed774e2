/**
 * `npm run bench -- reread [options]`: what reading again only the mailboxes a run could not read
 * costs against a full run, on a generated tenant served by the Graph simulator in this process
 * (both sides share it, so the comparison is fair; the absolute figures include the simulator),
 * step by step: the writing is the embedded Cosmos DB's, in this process too.
 * Prints figures and asserts nothing, but says whether the re-read's rows equal a clean full run's.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { compareRows, contractRow } from '../core/results/columns';
import type { StoredEngagementRow } from '../core/results/stored-rows';
import {
  rereadFailedMailboxes,
  runEnrichment,
  type EnrichmentRequest,
  type RunProgress,
  type RunStep,
} from '../core/runs/enrichment-run';
import { startEnrichmentStack } from '../local/enrichment-stack';
import { machineLine } from './report';
import { workloadInputs, workloadTenant } from './workload';

const rereadArgsSchema = z.object({
  mailboxes: z.coerce.number({ error: '--mailboxes must be a number' }).int().min(2).max(2_500).default(120),
  'messages-per-mailbox': z.coerce
    .number({ error: '--messages-per-mailbox must be a number' })
    .int()
    .min(10)
    .max(10_000)
    .default(1_000),
  failed: z.coerce.number({ error: '--failed must be a number' }).int().min(1).default(5),
});

const say = (text: string) => process.stdout.write(`${text}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const MAPPING = { emailField: 'Email', domainField: 'Domain' };

/** Runs the work, timing each step its progress reports. */
async function timed<T>(
  work: (onProgress: (progress: RunProgress) => void) => Promise<T>,
): Promise<{ value: T; steps: Map<RunStep, number> }> {
  const steps = new Map<RunStep, number>();
  let step: RunStep | undefined;
  let since = performance.now();
  const close = () => {
    if (step) steps.set(step, (steps.get(step) ?? 0) + performance.now() - since);
  };
  const value = await work((progress) => {
    if (progress.step === step) return;
    close();
    step = progress.step;
    since = performance.now();
  });
  close();
  return { value, steps };
}

/** "reading 20.1 s, aggregating 0.4 s, writing and publishing 4.7 s". */
function stepsLine(steps: ReadonlyMap<RunStep, number>): string {
  const names: Partial<Record<RunStep, string>> = {
    'reading-mailboxes': 'reading',
    aggregating: 'aggregating',
    'writing-results': 'writing and publishing',
  };
  return [...steps]
    .filter(([name]) => names[name])
    .map(([name, ms]) => `${names[name]} ${seconds(ms)}`)
    .join(', ');
}

export async function runRereadBench(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      mailboxes: { type: 'string' },
      'messages-per-mailbox': { type: 'string' },
      failed: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const parsed = rereadArgsSchema.safeParse(values);
  if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? 'invalid arguments');
  const args = parsed.data;
  if (args.failed >= args.mailboxes) throw new Error('--failed must be below --mailboxes');

  say(`Machine: ${machineLine()}`);
  const asOf = '2026-03-04T00:00:00.000Z';
  const tenant = workloadTenant({
    seed: 'reread',
    mailboxes: args.mailboxes,
    messagesPerMailbox: args['messages-per-mailbox'],
    asOf,
  });
  const { tracked, dataset } = workloadInputs(tenant);
  const stack = await startEnrichmentStack({ tenant, client: { retry: { maxAttempts: 2 } } });
  try {
    const simulator = stack.simulator;
    if (!simulator) throw new Error('the benchmark serves its tenant itself');
    const request = (
      runId: string,
      entityName: string,
      onProgress: (progress: RunProgress) => void,
    ): EnrichmentRequest => ({
      tenantId: stack.tenantId,
      runId,
      asOf: Date.parse(asOf),
      tracked,
      dataset,
      mapping: MAPPING,
      entityName,
      onProgress,
    });
    const failing = tenant.sellers
      .slice(0, args.failed)
      .map((seller) => seller.mail ?? seller.userPrincipalName);
    for (const address of failing) simulator.faults.deny(address);
    const first = await timed((onProgress) => runEnrichment(request('first', 'Office', onProgress), stack));
    simulator.faults.reset();
    const problems = first.value.mailboxProblems.length;
    const bytes = first.value.reading.aggregator.footprint().approxBytes;
    const reread = await timed((onProgress) =>
      rereadFailedMailboxes(first.value.reading, { runId: 'reread', onProgress }, stack),
    );
    const clean = await timed((onProgress) => runEnrichment(request('clean', 'Clean', onProgress), stack));

    const rowsOf = async (entity: string) =>
      (await stack.results.visibleRows<StoredEngagementRow>(entity)).sort(compareRows).map(contractRow);
    const equal = JSON.stringify(await rowsOf('Office')) === JSON.stringify(await rowsOf('Clean'));
    const { emailsRead, meetingsRead } = clean.value.totals;
    say(
      `Tenant: ${args.mailboxes} mailboxes, ${emailsRead.toLocaleString('en-US')} emails and ` +
        `${meetingsRead.toLocaleString('en-US')} meetings read by a full run, ` +
        `${clean.value.visible.rowCount.toLocaleString('en-US')} rows`,
    );
    say(`  run with ${problems} of ${args.mailboxes} mailboxes refused: ${stepsLine(first.steps)}`);
    say(`  its reading kept for a re-read: ${(bytes / 1024 / 1024).toFixed(1)} MB of typed arrays`);
    say(`  re-read of those ${problems} mailboxes: ${stepsLine(reread.steps)}`);
    say(`  clean full run at the same T: ${stepsLine(clean.steps)}`);
    say(`  the re-read's rows equal the clean run's: ${equal ? 'yes' : 'NO'}`);
    say(`Machine at the end: ${machineLine()}`);
  } finally {
    await stack.close();
  }
}
