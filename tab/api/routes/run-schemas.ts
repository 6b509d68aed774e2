import { z } from 'zod';
import { ids } from '../route';

const instant = z.iso.datetime();
const count = z.number().int().nonnegative();
const step = z.enum(['resolving-users', 'reading-mailboxes', 'aggregating', 'writing-results']);

export const enrichmentParams = z.object({ enrichmentId: ids.slug('an enrichment') });
export const runParams = enrichmentParams.extend({ runId: ids.generated('a run') });

export const runTriggerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('manual'), userId: z.string(), name: z.string(), email: z.string() }),
  z.object({ kind: z.literal('schedule'), scheduledFor: instant }),
  z.object({ kind: z.literal('first-run-after-consent'), scheduledFor: instant }),
  z.object({
    kind: z.literal('reread'),
    /** The run whose failed mailboxes this one read again. */
    ofRunId: z.string(),
    userId: z.string(),
    name: z.string(),
    email: z.string(),
  }),
]);

/** A run as the API shows it: status, live progress, step durations, counts and per-mailbox errors. */
export const runSchema = z.object({
  runId: z.string(),
  enrichmentId: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'interrupted']),
  trigger: runTriggerSchema,
  asOf: instant,
  queuedAt: instant,
  startedAt: instant.nullable(),
  finishedAt: instant.nullable(),
  durationMs: count.nullable(),
  attempt: z.number().int().positive(),
  instanceId: z.string(),
  progress: z
    .object({
      step,
      mailboxesDone: count,
      mailboxesTotal: count,
      messages: count,
      meetings: count,
      updatedAt: instant,
    })
    .nullable(),
  steps: z.array(
    z.object({ step, startedAt: instant, finishedAt: instant.nullable(), durationMs: count.nullable() }),
  ),
  counts: z
    .object({
      trackedUsers: count,
      mailboxesDone: count,
      mailboxesTotal: count,
      emailsRead: count,
      meetingsRead: count,
      emailsCounted: count,
      meetingsCounted: count,
      accounts: count,
      accountsEnriched: count,
    })
    .nullable(),
  mailboxErrors: z.array(
    z.object({
      mailboxId: z.string(),
      address: z.string().optional(),
      kind: z.enum(['permission', 'failure']),
      message: z.string(),
    }),
  ),
  unknownEntries: z.array(z.string()),
  daysCovered: count.nullable(),
  error: z.string().nullable(),
});

export const runPageQuery = z.object({
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  /** The `nextPage` of the previous answer. */
  page: z.string().min(1).max(4000).optional(),
});

export const runPageSchema = z.object({ runs: z.array(runSchema), nextPage: z.string().optional() });

export const scheduleInfoSchema = z.object({
  cadence: z.enum(['daily', 'weekly', 'monthly', 'off']),
  hourUtc: z.number().int(),
  dayOfWeek: z.number().int().optional(),
  dayOfMonth: z.number().int().optional(),
  consent: z.object({ status: z.string(), grantedAt: instant.nullable() }),
  /** The next automatic run, or null when none will come by itself (no consent, or cadence off). */
  nextRun: z
    .object({ at: instant, trigger: z.enum(['first-run-after-consent', 'schedule']), due: z.boolean() })
    .nullable(),
  activeRun: runSchema.nullable(),
  lastRun: runSchema.nullable(),
});
