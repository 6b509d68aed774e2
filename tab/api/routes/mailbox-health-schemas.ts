import { z } from 'zod';
import { MAILBOX_HEALTH_STATUSES } from '../../../core/runs/mailbox-health';

const instant = z.iso.datetime();
const count = z.number().int().nonnegative();
const status = z.enum(MAILBOX_HEALTH_STATUSES);
const readingRun = z.object({ runId: z.string(), asOf: instant });

export const mailboxPageQuery = z.object({
  /** Only the mailboxes of this status. */
  status: status.optional(),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  /** The `nextPage` of the previous answer. */
  page: z.string().min(1).max(4000).optional(),
});

/** A tracked mailbox as the last successful run read it. */
export const mailboxHealthSchema = z.object({
  mailboxId: z.string(),
  address: z.string(),
  displayName: z.string().nullable(),
  status,
  problem: z.string().nullable(),
  folders: count,
  messages: count,
  meetings: count,
  lastRun: readingRun,
  lastRead: readingRun.nullable(),
});

export const mailboxPageSchema = z.object({
  mailboxes: z.array(mailboxHealthSchema),
  nextPage: z.string().optional(),
});

/** Whether the mailboxes the last run could not read can be read again now (POST …/runs/{runId}/reread). */
export const rereadOfferSchema = z.discriminatedUnion('available', [
  z.object({
    available: z.literal(true),
    runId: z.string(),
    /** Mailboxes that would be read again. */
    mailboxes: count,
    /** Until when the run's reading is kept. */
    until: instant,
  }),
  z.object({ available: z.literal(false), reason: z.string() }),
]);

export const mailboxSummarySchema = z.object({
  /** Null before the first successful run. */
  lastRun: readingRun.nullable(),
  total: count,
  counts: z.object({ ok: count, permission: count, throttled: count, failed: count }),
  reread: rereadOfferSchema,
});
