import { parseArgs } from 'node:util';
import { z } from 'zod';

export const PHASES = ['ingest', 'fetch', 'aggregate'] as const;
export type BenchPhase = (typeof PHASES)[number];

export const FULL_SIZE = '--mailboxes 2500 --messages-per-mailbox 4200';

const integer = (name: string, min: number, max: number) =>
  z.coerce
    .number({ error: `--${name} must be a number` })
    .int(`--${name} must be a whole number`)
    .min(min, `--${name} must be at least ${min}`)
    .max(max, `--${name} must be at most ${max}`);

const benchArgsSchema = z.object({
  mailboxes: integer('mailboxes', 2, 2_500).default(250),
  'messages-per-mailbox': integer('messages-per-mailbox', 1, 100_000).default(1_000),
  accounts: integer('accounts', 1, 1_000_000).optional(),
  seed: z.string().min(1).default('bench'),
  'as-of': z.iso
    .datetime({ offset: true, error: '--as-of must be an ISO 8601 instant, e.g. 2026-03-04T00:00:00Z' })
    .default('2026-03-04T00:00:00Z'),
  only: z
    .string()
    .transform((text) => text.split(',').map((part) => part.trim()))
    .pipe(z.array(z.enum(PHASES, { error: `--only takes ${PHASES.join(', ')} (comma-separated)` })).min(1))
    .default([...PHASES]),
});

export type BenchArgs = z.infer<typeof benchArgsSchema>;

/** The benchmark's arguments, validated; throws an Error naming the first bad option. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: [...argv],
      options: Object.fromEntries(
        Object.keys(benchArgsSchema.shape).map((name) => [name, { type: 'string' as const }]),
      ),
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new Error((error as Error).message.split('\n')[0] ?? 'invalid arguments', { cause: error });
  }
  const result = benchArgsSchema.safeParse(values);
  if (!result.success) {
    const issue = result.error.issues[0];
    const message = issue?.message ?? 'is invalid';
    throw new Error(
      message.startsWith('--') ? message : `--${String(issue?.path[0] ?? 'arguments')} ${message}`,
    );
  }
  return result.data;
}
