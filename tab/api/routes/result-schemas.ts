import { z } from 'zod';
import { ids } from '../route';
import { ROW_COLUMNS } from '../../../core/results/columns';
import {
  AGGREGATION_LEVELS,
  engagementRowSchema,
  SIGNALS,
  signalThresholdsSchema,
  type EngagementRow,
} from '../../../core/engine';
import { enrichmentParams } from './run-schemas';

const instant = z.iso.datetime();
const count = z.number().int().nonnegative();

export const accountParams = enrichmentParams.extend({ accountId: ids.data('an account') });

const columns = ROW_COLUMNS as unknown as [keyof EngagementRow, ...(keyof EngagementRow)[]];

/** One month or week of an account's history (see core/conversation/history-series.ts). */
const historyPointSchema = z.object({
  start: instant,
  end: instant,
  emailsTo: count,
  emailsFrom: count,
  meetingsTo: count,
  meetingsFrom: count,
  meetings: count,
  /** Set when the window holds only part of the period: `from` its start, `so-far` to the as-of instant. */
  partial: z.enum(['from', 'so-far']).optional(),
});

export const rowPageQuery = z.object({
  level: z.enum(AGGREGATION_LEVELS).default('Year'),
  sort: z.enum(columns).default('EngagementScore'),
  order: z.enum(['asc', 'desc']).default('desc'),
  /** Part of the account name, any case. */
  search: z.string().trim().min(1).max(100).optional(),
  /** Only accounts showing this risk signal at the run's as-of instant; Year rows carry signals, other levels none. */
  signal: z.enum(SIGNALS, { error: `signal must be one of ${SIGNALS.join(', ')}` }).optional(),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
  /** The `nextPage` of the previous answer (same level, sort, order, search and signal). */
  page: z.string().min(1).max(4000).optional(),
});

/** A row of the output entity as the Customers list shows it (core/results/columns.ts, `listedRow`). */
export const listedRowSchema = engagementRowSchema.extend({
  /** The account's risk signals true at the run's as-of instant, on Year rows; null on Month and Week rows. */
  Signals: z.array(z.enum(SIGNALS)).nullable(),
});

export const rowPageSchema = z.object({
  runId: z.string(),
  asOf: instant,
  level: z.enum(AGGREGATION_LEVELS),
  /** Rows matching the level, search and signal, on all pages. */
  total: count,
  rows: z.array(listedRowSchema),
  /** The thresholds the run computed the rows' signals with: what the signals mean. */
  signalThresholds: signalThresholdsSchema,
  nextPage: z.string().optional(),
});

export const exportQuery = z.object({ level: z.enum(['all', ...AGGREGATION_LEVELS]).default('all') });

export const accountSearchQuery = z.object({
  search: z.string().trim().min(1).max(100),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

const band = z.enum(['High', 'Medium', 'Low']);
const points = z.number().nonnegative();

/** Why the Year score is what it is (core/results/score-explanation.ts; docs/metrics.md, "Explained score"). */
const scoreExplanationSchema = z.object({
  /** The Year raw by kind, in weight points (Σ w × 0.5^(age / H) over that kind's activity). */
  emailsTo: points,
  emailsFrom: points,
  meetings: points,
  score: count,
  /** 1 for the highest raw among the active accounts, shared by ties; null without activity. */
  rank: count.nullable(),
  /** Other active accounts with exactly this raw. */
  tiedWith: count,
  activeAccounts: count,
  /** The Year score with one more meeting at the as-of instant, the other accounts as they are. */
  scoreWithMeeting: count,
  weights: z.object({ emailTo: points, emailFrom: points, meeting: points }),
  halfLifeDays: points,
});

export const accountSearchSchema = z.object({
  runId: z.string().nullable(),
  asOf: instant.nullable(),
  accounts: z.array(
    z.object({ AccountId: z.string(), AccountName: z.string(), EngagementScore: count, band }),
  ),
});

export const accountCardSchema = z.object({
  enrichmentId: z.string(),
  entityName: z.string(),
  runId: z.string(),
  asOf: instant,
  /** The account's Year row: every column of the output entity. */
  year: engagementRowSchema,
  band,
  trend: z.enum(['up', 'down', 'flat', 'new']),
  previousScore: count.nullable(),
  /** The next scheduled meeting with the account after the as-of instant, if any. */
  nextMeeting: z.object({ start: instant, end: instant }).nullable(),
  /** The account's risk signals that are true at the run's as-of instant (docs/metrics.md, "Signals"). */
  signals: z.array(z.enum(SIGNALS)),
  /** The thresholds the run computed the signals with: what the signals mean. */
  signalThresholds: signalThresholdsSchema,
  /** Why the score is what it is; null for a run from before scores were explained. */
  explanation: scoreExplanationSchema.nullable(),
  /** Email and meeting history: every month and week of the window, oldest first, quiet ones included. */
  months: z.array(historyPointSchema),
  weeks: z.array(historyPointSchema),
});

export const summarySchema = z.object({
  enrichmentId: z.string(),
  entityName: z.string(),
  /** What the tab shows now: the visible run's figures, or null before the first successful run. */
  results: z
    .object({
      runId: z.string(),
      asOf: instant,
      publishedAt: instant,
      /** Accounts in the customer dataset (each has a Year row). */
      accounts: count,
      /** Accounts with counted email or meeting activity in the window. */
      enrichedAccounts: count,
      /** Email and meeting copies read from the tracked mailboxes. */
      emailsProcessed: count.nullable(),
      meetingsProcessed: count.nullable(),
      /** Distinct emails and meetings that counted for at least one account. */
      emailsCounted: count.nullable(),
      meetingsCounted: count.nullable(),
      daysCovered: count.nullable(),
    })
    .nullable(),
  lastRun: z
    .object({
      runId: z.string(),
      status: z.enum(['queued', 'running', 'succeeded', 'failed', 'interrupted']),
      queuedAt: instant,
      finishedAt: instant.nullable(),
      error: z.string().nullable(),
    })
    .nullable(),
});

export const historySchema = z.object({
  runs: z.array(
    z.object({
      runId: z.string(),
      asOf: instant,
      finishedAt: instant.nullable(),
      accounts: count,
      accountsEnriched: count,
      emailsCounted: count,
      meetingsCounted: count,
      daysCovered: count.nullable(),
    }),
  ),
});

export const historyQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(52) });
