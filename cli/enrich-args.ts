import { parseArgs } from 'node:util';
import { z } from 'zod';
import { AGGREGATION_LEVELS } from '../core/engine';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const list = (text: string) =>
  text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);

const enrichArgsSchema = z
  .object({
    fixture: z.string().min(1).optional(),
    'graph-url': z
      .url({ protocol: /^https$/, error: 'must be an https URL, e.g. https://graph.microsoft.com/v1.0' })
      .optional(),
    customers: z.string({ error: 'is required: a customer dataset JSON file, or the accounts CSV' }).min(1),
    contacts: z.string().min(1).optional(),
    tracked: z
      .string({ error: 'is required: comma-separated tracked addresses and groups' })
      .transform(list)
      .refine((entries) => entries.length > 0, 'must name at least one address or group'),
    'email-field': z.string({ error: 'is required: the contact field that holds the email address' }).min(1),
    'domain-field': z.string().min(1).optional(),
    'owner-field': z.string().min(1).optional(),
    'as-of': z.iso
      .datetime({ offset: true, error: 'must be an ISO 8601 instant, e.g. 2026-11-01T00:00:00Z' })
      .transform((value) => Date.parse(value))
      .optional(),
    format: z.enum(['jsonl', 'table', 'csv'], { error: 'must be jsonl, table or csv' }).default('jsonl'),
    level: z.enum(AGGREGATION_LEVELS, { error: 'must be Year, Month or Week' }).optional(),
    entity: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'must start with a letter and use only letters, digits and _')
      .default('Office'),
  })
  .refine((args) => (args.fixture === undefined) !== (args['graph-url'] === undefined), {
    message: 'give exactly one of --fixture FILE (the local Graph simulator) or --graph-url URL',
    path: ['fixture'],
  })
  .refine((args) => !args.contacts || /\.csv$/i.test(args.customers), {
    message: '--contacts goes with an accounts CSV given as --customers',
    path: ['contacts'],
  });

export type EnrichArgs = z.infer<typeof enrichArgsSchema>;

const STRING_OPTIONS = [
  'fixture',
  'graph-url',
  'customers',
  'contacts',
  'tracked',
  'email-field',
  'domain-field',
  'owner-field',
  'as-of',
  'format',
  'level',
  'entity',
] as const;

/** Parses `enrich` arguments; any problem becomes one UsageError line naming the option. */
export function parseEnrichArgs(argv: readonly string[]): EnrichArgs {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: [...argv],
      options: Object.fromEntries(STRING_OPTIONS.map((name) => [name, { type: 'string' as const }])),
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    const problem = (error as Error).message.split('\n')[0] ?? 'invalid arguments';
    throw new UsageError(`${problem} (engagement enrich --help lists the options)`);
  }
  const result = enrichArgsSchema.safeParse(values);
  if (!result.success) {
    const issue = result.error.issues[0];
    const option = issue?.path[0] ? `--${String(issue.path[0])}` : 'arguments';
    throw new UsageError(
      issue?.message.startsWith('give') || issue?.message.startsWith('--')
        ? issue.message
        : `${option} ${issue?.message ?? 'is invalid'}`,
    );
  }
  return result.data;
}

export const ENRICH_USAGE = `Usage: engagement enrich (--fixture tenant.json | --graph-url URL)
         --customers customers.json | --customers accounts.csv --contacts contacts.csv
         --tracked ana@fabrikam.com,ussales@fabrikam.com --email-field Email
         [--domain-field Domain] [--owner-field OwnerEmail] [--as-of 2026-11-01T00:00:00Z]
         [--format jsonl|table|csv] [--level Year|Month|Week] [--entity Office]`;
