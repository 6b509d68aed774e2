import { z } from 'zod';
import { ids } from '../route';
import { actorSchema } from '../../../core/config/actor';
import { engagementRowSchema } from '../../../core/engine';
import { ALERT_STATUSES, DELIVERY_STATUSES } from '../../../core/store/alert-store';
import { NUMERIC_COLUMNS, SEGMENT_COLUMNS } from '../../../core/results/columns';
import { ruleGroupSchema, segmentDefinitionSchema } from '../../../core/segments/segment-rules';
import { enrichmentParams } from './run-schemas';

const instant = z.iso.datetime();
const count = z.number().int().nonnegative();

/** Rule sets are small (at most 50 conditions): a larger body is refused with 413. */
export const SEGMENT_BODY_LIMIT_BYTES = 64 * 1024;

export const segmentParams = enrichmentParams.extend({ segmentId: ids.generated('a segment') });

export const createSegmentBody = segmentDefinitionSchema;

export const updateSegmentBody = segmentDefinitionSchema.extend({
  /** The `etag` of the segment as last read: the update is refused (409) if it changed since. */
  etag: z.string().min(1),
});

export const previewBody = z.strictObject({ rules: ruleGroupSchema });

/** Which run's Year rows were read: null before the enrichment's first successful run. */
const runFields = { runId: z.string().nullable(), asOf: instant.nullable() };

export const segmentSchema = z.object({
  segmentId: z.string(),
  enrichmentId: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  builtIn: z.boolean(),
  rules: ruleGroupSchema,
  createdAt: instant.nullable(),
  createdBy: actorSchema.nullable(),
  updatedAt: instant.nullable(),
  updatedBy: actorSchema.nullable(),
  etag: z.string().nullable(),
  /** Accounts in the segment now; null before the first successful run. */
  members: count.nullable(),
});

export const segmentListSchema = z.object({
  ...runFields,
  /** Accounts in the output entity (Year rows). */
  accounts: count,
  segments: z.array(segmentSchema),
});

export const previewSchema = z.object({ ...runFields, accounts: count, members: count });

export const memberPageQuery = z.object({
  sort: z.enum(SEGMENT_COLUMNS).default('EngagementScore'),
  order: z.enum(['asc', 'desc']).default('desc'),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
  /** The `nextPage` of the previous answer (same sort and order). */
  page: z.string().min(1).max(4000).optional(),
});

export const memberPageSchema = z.object({
  ...runFields,
  segmentId: z.string(),
  /** Members on all pages. */
  total: count,
  rows: z.array(engagementRowSchema),
  nextPage: z.string().optional(),
});

export const measuresQuery = z.object({
  column: z.enum(NUMERIC_COLUMNS).default('EngagementScore'),
  /** A segment's id (`stale` for the built-in one); all accounts when absent. */
  segmentId: ids.generated('a segment').optional(),
});

export const measuresSchema = z.object({
  ...runFields,
  column: z.enum(NUMERIC_COLUMNS),
  segmentId: z.string().nullable(),
  /** Accounts in scope. */
  accounts: count,
  /** Accounts whose value is not null: the figures below are over these. */
  count,
  sum: z.number(),
  average: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
});

export const alertFilterQuery = z.object({
  status: z.enum(ALERT_STATUSES).optional(),
  delivery: z.enum(DELIVERY_STATUSES).optional(),
});

export const alertPageQuery = alertFilterQuery.extend({
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
  /** The `nextPage` of the previous answer (same filters). */
  page: z.string().min(1).max(4000).optional(),
});

export const alertSchema = z.object({
  alertId: z.string(),
  enrichmentId: z.string(),
  entityName: z.string(),
  accountId: z.string(),
  accountName: z.string(),
  episodeRunId: z.string(),
  staleSince: instant,
  runId: z.string(),
  asOf: instant,
  createdAt: instant,
  thresholdDays: count,
  daysSinceLastEmail: count.nullable(),
  daysSinceLastMeeting: count.nullable(),
  engagementScore: count,
  owner: z.object({ email: z.string(), source: z.enum(['owner-field', 'top-engaged-user']) }).nullable(),
  ownerReason: z.enum(['no-owner', 'owner-declined']).nullable(),
  status: z.enum(ALERT_STATUSES),
  closedAt: instant.nullable(),
  closedBy: z.string().nullable(),
  delivery: z.object({
    status: z.enum(DELIVERY_STATUSES),
    attempts: count,
    lastError: z.string().optional(),
    /** Refused for good (the bot is blocked, the chat is gone): not tried again. */
    refused: z.literal(true).optional(),
    sentAt: instant.optional(),
    lastAttemptAt: instant.optional(),
  }),
});

export const alertPageSchema = z.object({ alerts: z.array(alertSchema), nextPage: z.string().optional() });

export const alertSummarySchema = z.object({
  /** The enrichment's first evaluated run: it recorded which accounts were stale and raised no alerts. */
  baseline: z.object({ runId: z.string(), asOf: instant.nullable() }).nullable(),
  lastRunId: z.string().nullable(),
  /** Alerts matching both filters. */
  total: count,
  /** By status, under the delivery filter. */
  status: z.record(z.enum(ALERT_STATUSES), count),
  /** By delivery status, under the status filter. */
  delivery: z.record(z.enum(DELIVERY_STATUSES), count),
  /** Alerts without an owner (never sent; their delivery stays pending), under the status filter. */
  withoutOwner: count,
});
