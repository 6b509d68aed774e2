/**
 * How output rows are stored: the row as written (the contract's columns and what the cards and
 * alerts need besides), its id, and the pointer that names an entity's visible run.
 */
import type { EngagementRow } from '../engine/rows';
import type { SignalName, SignalThresholds } from '../engine/signals';

/** The columns every output row carries for addressing; the rest are the metric columns. */
export interface OutputRowKey {
  AccountId: string;
  AggregationLevel: string;
  AggregationStartDate: string;
}

/** Which run's rows an output entity currently shows; replaced in one write when a run completes. */
export interface VisibleRun {
  runId: string;
  /** The run's as-of instant (ISO). */
  asOf: string;
  publishedAt: string;
  rowCount: number;
  accountCount: number;
  /** The thresholds the run computed the risk signals with (absent on runs before signals existed). */
  signalThresholds?: SignalThresholds;
}

export type StoredRow<R> = R & { id: string; tenantId: string; type: 'row'; entity: string; runId: string };

/**
 * A stored output row: the contract's columns, plus on Year rows the previous run's score (for the
 * trend), the account's next scheduled meeting (start and end only), the tracked user most engaged
 * with the account (the alert owner when the dataset maps none) and the account's risk signals at T
 * (the names of those that are true; absent on rows written before signals existed), all null
 * elsewhere.
 */
export type StoredEngagementRow = EngagementRow & {
  PreviousEngagementScore: number | null;
  NextMeetingStart: string | null;
  NextMeetingEnd: string | null;
  TopEngagedUserEmail: string | null;
  Signals?: SignalName[] | null;
};

function idPart(value: string): string {
  // Cosmos ids may not contain / \ ? #; encoding keeps them unique and reversible.
  return encodeURIComponent(value).replace(/\\/g, '%5C');
}

/** The key of an output row within its entity: account, level and (below Year) the period start. */
export function outputRowKey(row: OutputRowKey): string[] {
  return row.AggregationLevel === 'Year'
    ? [row.AccountId, row.AggregationLevel]
    : [row.AccountId, row.AggregationLevel, row.AggregationStartDate];
}

/** A row's id: its entity, its run and its key. */
export const rowId = (entity: string, runId: string, key: readonly string[]): string =>
  `row:${[entity, runId, ...key].map(idPart).join(':')}`;

/** An account's customer card's id in one run of an entity. */
export const cardId = (entity: string, runId: string, accountId: string): string =>
  `card:${[entity, runId, accountId].map(idPart).join(':')}`;

/** The id of the pointer to an entity's visible run. */
export const pointerId = (entity: string): string => `visible:${idPart(entity)}`;
