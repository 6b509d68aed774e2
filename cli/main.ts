import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import {
  accountInputs,
  DatasetError,
  parseDatasetCsvPair,
  parseDatasetJson,
  type CustomerDataset,
  type FieldMapping,
} from '../core/datasets/customer-dataset';
import type { EngagementRow } from '../core/engine';
import type { TenantFixture } from '../local/graph-simulator';
import type { GraphClientSettings } from '../core/graph/client';
import { GraphIngestionError } from '../core/graph/errors';
import { TrackedUsersError } from '../core/graph/tracked-users';
import { runEnrichment, type EnrichmentOutcome } from '../core/runs/enrichment-run';
import { ENRICH_USAGE, parseEnrichArgs, UsageError, type EnrichArgs } from './enrich-args';
import { compareRows } from '../core/results/columns';
import { formatCsv } from '../core/results/csv-export';
import { formatJsonl, formatTable } from './format-rows';
import { progressReporter } from './progress';
import { errorMessage } from '../core/text/error-text';

const USAGE = `Usage: engagement <command>

Commands:
  enrich         run one enrichment end to end and print the output entity's rows
  demo-fixture   write a generated tenant fixture and its customer dataset to JSON files

${ENRICH_USAGE}

  engagement demo-fixture --tenant tenant.json --customers customers.json [--seed 42]
         [--sellers 40] [--accounts 300] [--as-of 2026-11-01T00:00:00Z] [--messages-per-mailbox 400]`;

async function readInput(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT'
        ? `${what} ${path} does not exist`
        : `${what} ${path} cannot be read (${code ?? 'error'})`,
    );
  }
}

async function loadDataset(args: EnrichArgs): Promise<CustomerDataset> {
  if (args.contacts) {
    return parseDatasetCsvPair(
      await readInput(args.customers, '--customers'),
      await readInput(args.contacts, '--contacts'),
    );
  }
  if (/\.csv$/i.test(args.customers)) {
    throw new UsageError(
      '--customers is a CSV file: give the contacts CSV too, with --contacts contacts.csv',
    );
  }
  return parseDatasetJson(await readInput(args.customers, '--customers'), args.customers);
}

async function enrich(argv: readonly string[]): Promise<void> {
  const args = parseEnrichArgs(argv);
  const mapping: FieldMapping = {
    emailField: args['email-field'],
    ...(args['domain-field'] ? { domainField: args['domain-field'] } : {}),
    ...(args['owner-field'] ? { ownerField: args['owner-field'] } : {}),
  };
  const dataset = await loadDataset(args);
  accountInputs(dataset, mapping);
  // Everything is checked before anything starts: bad input never leaves a half-done run.
  const source = args.fixture ? { tenant: await loadFixture(args.fixture) } : await remoteGraph(args);

  const { startEnrichmentStack } = await import('../local/enrichment-stack');
  const stack = await startEnrichmentStack(source);
  const progress = progressReporter();
  try {
    const outcome = await runEnrichment(
      {
        tenantId: stack.tenantId,
        runId: randomUUID(),
        asOf: args['as-of'] ?? Date.now(),
        tracked: args.tracked,
        dataset,
        mapping,
        entityName: args.entity,
        onProgress: (p) => progress.update(p),
      },
      { graph: stack.graph, results: stack.results },
    );
    progress.stop();
    warnAbout(outcome);
    const rows = (
      await stack.results.visibleRows<EngagementRow>(args.entity, args.level ? { level: args.level } : {})
    ).sort(compareRows);
    const format = { jsonl: formatJsonl, csv: formatCsv, table: formatTable }[args.format];
    process.stdout.write(format(rows));
  } finally {
    progress.stop();
    await stack.close();
  }
}

/** What the run could not use, on stderr: the rows are still printed. */
function warnAbout(outcome: EnrichmentOutcome): void {
  if (outcome.unknownEntries.length) {
    process.stderr.write(
      `warning: --tracked entries that match no user or group: ${outcome.unknownEntries.join(', ')}\n`,
    );
  }
  for (const problem of outcome.mailboxProblems) {
    process.stderr.write(
      `warning: mailbox ${problem.address ?? problem.mailboxId} was not read completely (${problem.status}): ${problem.message}\n`,
    );
  }
}

async function loadFixture(path: string): Promise<TenantFixture> {
  const { loadTenantFixture } = await import('../local/graph-simulator');
  return loadTenantFixture(path).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(error.code === 'ENOENT' ? `--fixture ${path} does not exist` : error.message);
  });
}

/**
 * Any Graph-compatible endpoint. With AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET set,
 * the app-only client-credentials flow (Microsoft Graph); otherwise a local token (a simulator),
 * trusting the CA in GRAPH_CA_FILE when given.
 */
async function remoteGraph(args: EnrichArgs): Promise<{ settings: GraphClientSettings; tenantId: string }> {
  const baseUrl = args['graph-url'] ?? '';
  const { AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, GRAPH_CA_FILE } = process.env;
  if (AZURE_TENANT_ID && AZURE_CLIENT_ID && AZURE_CLIENT_SECRET) {
    // Loaded only here: the Azure identity library is slow to load and the simulator needs none of it.
    const { productionGraphSettings } = await import('../core/graph/client');
    return {
      settings: {
        ...productionGraphSettings({
          tenantId: AZURE_TENANT_ID,
          clientId: AZURE_CLIENT_ID,
          clientSecret: AZURE_CLIENT_SECRET,
        }),
        baseUrl,
      },
      tenantId: AZURE_TENANT_ID,
    };
  }
  const caPem = GRAPH_CA_FILE ? await readInput(GRAPH_CA_FILE, 'GRAPH_CA_FILE') : undefined;
  return {
    settings: { baseUrl, auth: { kind: 'static-token', token: 'local' }, ...(caPem ? { caPem } : {}) },
    tenantId: 'local',
  };
}

async function demoFixture(argv: readonly string[]): Promise<void> {
  const { parseWriteFixtureArgs, writeFixture } = await import('../local/graph-simulator/write-fixture');
  let args;
  try {
    args = parseWriteFixtureArgs(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const written = await writeFixture(args);
  process.stderr.write(
    `Wrote ${args.tenant} (${written.users} users, ${written.messages} messages) and ${args.customers} (${written.accounts} accounts)\n`,
  );
}

/** An error as one line: its message, never a stack; a message of several lines is joined. */
function oneLine(error: unknown): string {
  const message = errorMessage(error);
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.length ? lines.join('; ') : 'failed';
}

const isHelp = (arg: string) => arg === '--help' || arg === '-h';

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'enrich' && rest.some(isHelp)) process.stdout.write(`${ENRICH_USAGE}\n`);
    else if (command === 'enrich') await enrich(rest);
    else if (command === 'demo-fixture') await demoFixture(rest);
    else if (command === undefined) {
      // Asked for nothing: the usage is the error message.
      process.stderr.write(`${USAGE}\n`);
      return 2;
    } else if (command === 'help' || isHelp(command)) process.stdout.write(`${USAGE}\n`);
    else throw new UsageError(`unknown command "${command}": use enrich or demo-fixture (engagement --help)`);
    return 0;
  } catch (error) {
    const known =
      error instanceof UsageError ||
      error instanceof DatasetError ||
      error instanceof TrackedUsersError ||
      error instanceof GraphIngestionError ||
      (error as Error).name === 'FixtureError';
    process.stderr.write(`engagement: ${oneLine(error)}\n`);
    return known ? 2 : 1;
  }
}
