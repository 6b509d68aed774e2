/**
 * Writes a generated tenant and its customer dataset to JSON files, for
 * `npx engagement enrich --fixture tenant.json --customers customers.json`.
 *
 *   npx tsx local/graph-simulator/write-fixture.ts --tenant tenant.json --customers customers.json \
 *       [--seed 42] [--sellers 40] [--accounts 300] [--as-of 2026-11-01T00:00:00Z] \
 *       [--messages-per-mailbox 400] [--internal-users 8] [--busy-inboxes 1] \
 *       [--unanswered-accounts 6] [--pretty]
 *
 * Without --sellers/--accounts it writes the demo tenant's shape (Ana's inbox is busy; one account
 * in 50 stopped answering). Each mailbox lists its folders; --busy-inboxes 0 leaves out the 5,500
 * broadcasts of each busy inbox.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { generateTenant, unansweredShare } from './generator';

/** Every mailbox of a fixture is written out; beyond this many messages, serve the generator instead. */
const MAX_FIXTURE_MESSAGES = 2_000_000;

const argsSchema = z
  .object({
    tenant: z.string().min(1, '--tenant <file> is required'),
    customers: z.string().min(1, '--customers <file> is required'),
    seed: z.coerce.number().int().default(42),
    sellers: z.coerce.number().int().min(2, '--sellers must be at least 2').max(2500).default(40),
    accounts: z.coerce.number().int().min(1).max(100_000).default(300),
    'as-of': z.iso
      .datetime({ offset: true, message: '--as-of must be an ISO date-time such as 2026-11-01T00:00:00Z' })
      .optional(),
    'messages-per-mailbox': z.coerce.number().int().min(0).max(20_000).default(400),
    'internal-users': z.coerce.number().int().min(1).max(10_000).optional(),
    'busy-inboxes': z.coerce.number().int().min(0).max(2500).optional(),
    'unanswered-accounts': z.coerce
      .number()
      .int()
      .min(0, '--unanswered-accounts must be 0 or more')
      .max(100_000)
      .optional(),
    pretty: z.boolean().default(false),
  })
  .refine((a) => a.sellers * a['messages-per-mailbox'] <= MAX_FIXTURE_MESSAGES, {
    message: `sellers × messages-per-mailbox must stay under ${MAX_FIXTURE_MESSAGES.toLocaleString('en-US')} for a fixture file; serve larger tenants from the generator`,
  });

export type WriteFixtureArgs = z.infer<typeof argsSchema>;

export function parseWriteFixtureArgs(argv: readonly string[]): WriteFixtureArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      tenant: { type: 'string' },
      customers: { type: 'string' },
      seed: { type: 'string' },
      sellers: { type: 'string' },
      accounts: { type: 'string' },
      'as-of': { type: 'string' },
      'messages-per-mailbox': { type: 'string' },
      'internal-users': { type: 'string' },
      'busy-inboxes': { type: 'string' },
      'unanswered-accounts': { type: 'string' },
      pretty: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  const parsed = argsSchema.safeParse({
    ...values,
    tenant: values.tenant ?? '',
    customers: values.customers ?? '',
  });
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((i) => i.message).join('; '));
  }
  return parsed.data;
}

export async function writeFixture(
  args: WriteFixtureArgs,
): Promise<{ users: number; messages: number; accounts: number }> {
  const tenant = generateTenant({
    seed: args.seed,
    sellers: args.sellers,
    accounts: args.accounts,
    messagesPerMailbox: args['messages-per-mailbox'],
    ...(args['as-of'] !== undefined ? { asOf: args['as-of'] } : {}),
    ...(args['internal-users'] !== undefined ? { internalUsers: args['internal-users'] } : {}),
    ...(args['busy-inboxes'] !== undefined ? { busyInboxes: args['busy-inboxes'] } : {}),
    unansweredAccounts: args['unanswered-accounts'] ?? unansweredShare(args.accounts),
  });
  const fixture = tenant.toFixture();
  const indent = args.pretty ? 2 : undefined;
  await writeFile(args.tenant, JSON.stringify(fixture, null, indent));
  await writeFile(args.customers, JSON.stringify(tenant.customers, null, indent));
  const messages = Object.values(fixture.mailboxes).reduce((n, m) => n + m.messages.length, 0);
  return { users: fixture.users.length, messages, accounts: tenant.customers.accounts.length };
}

async function main(): Promise<void> {
  let args: WriteFixtureArgs;
  try {
    args = parseWriteFixtureArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`write-fixture: ${(error as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  try {
    const written = await writeFixture(args);
    process.stderr.write(
      `write-fixture: ${args.tenant} (${written.users} users, ${written.messages} messages), ` +
        `${args.customers} (${written.accounts} accounts)\n`,
    );
  } catch (error) {
    process.stderr.write(`write-fixture: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
