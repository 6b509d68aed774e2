import type { SqlParameter } from '@azure/cosmos';
import { scoreBand, type EngagementBand, type EngagementRow } from '../engine';
import { segmentWhere, type RowScope } from '../segments/rule-compiler';
import { SegmentQueries } from '../segments/segment-queries';
import { staleRules } from '../segments/stale-segment';
import type { StoredRow } from '../store/results-repository';
import type { ShownResults } from './account-catalog';

/** Accounts a list answer shows at most; the total says how many there are in all. */
export const LIST_SIZE = 10;

/** One line of an account list. */
export interface AccountSummary {
  accountId: string;
  name: string;
  score: number;
  band: EngagementBand;
  daysSinceLastEmail: number | null;
  daysSinceLastMeeting: number | null;
  /** The asking seller owns the account. */
  mine: boolean;
}

export interface AccountList {
  kind: 'stale' | 'top' | 'mine';
  asOf: string;
  accounts: AccountSummary[];
  /** Accounts in the whole list (more than shown when above LIST_SIZE). */
  total: number;
  /** Of the total, the asking seller's (stale and mine lists). */
  mineTotal: number;
  /** The enrichment's stale threshold in days (stale list). */
  thresholdDays: number;
}

type ListRow = Pick<
  EngagementRow,
  'AccountId' | 'AccountName' | 'EngagementScore' | 'DaysSinceLastEmail' | 'DaysSinceLastMeeting'
>;

function summary(row: ListRow, mine: ReadonlySet<string>): AccountSummary {
  return {
    accountId: row.AccountId,
    name: row.AccountName,
    score: row.EngagementScore,
    band: scoreBand(row.EngagementScore),
    daysSinceLastEmail: row.DaysSinceLastEmail,
    daysSinceLastMeeting: row.DaysSinceLastMeeting,
    mine: mine.has(row.AccountId),
  };
}

const scopeOf = (shown: ShownResults): RowScope => ({
  tenantId: shown.tenantId,
  entity: shown.config.entityName,
  runId: shown.visible.runId,
});

async function query<T>(shown: ShownResults, text: string, parameters: SqlParameter[]): Promise<T[]> {
  const { resources } = await shown.container.items
    .query<T>({ query: text, parameters }, { partitionKey: shown.tenantId })
    .fetchAll();
  return resources;
}

/** The seller's accounts among the Year rows that `clause` selects: the best scored first, and how many. */
async function mineWhere(
  shown: ShownResults,
  clause: string,
  parameters: SqlParameter[],
  mine: readonly string[],
): Promise<{ rows: ListRow[]; total: number }> {
  if (!mine.length) return { rows: [], total: 0 };
  const where = `${clause} AND ARRAY_CONTAINS(@mine, c.AccountId)`;
  const all = [...parameters, { name: '@mine', value: [...mine] }];
  const [rows, [total]] = await Promise.all([
    query<StoredRow<ListRow>>(
      shown,
      `SELECT TOP ${LIST_SIZE} * FROM c WHERE ${where} ORDER BY c.EngagementScore DESC`,
      all,
    ),
    query<number>(shown, `SELECT VALUE COUNT(1) FROM c WHERE ${where}`, all),
  ]);
  return { rows, total: total ?? 0 };
}

/** The most engaged accounts. */
export async function topAccounts(shown: ShownResults, mine: readonly string[]): Promise<AccountList> {
  const { clause, parameters } = segmentWhere(scopeOf(shown));
  const [rows, [total]] = await Promise.all([
    query<StoredRow<ListRow>>(
      shown,
      `SELECT TOP ${LIST_SIZE} * FROM c WHERE ${clause} AND c.EngagementScore > 0 ORDER BY c.EngagementScore DESC`,
      parameters,
    ),
    query<number>(
      shown,
      `SELECT VALUE COUNT(1) FROM c WHERE ${clause} AND c.EngagementScore > 0`,
      parameters,
    ),
  ]);
  const owned = new Set(mine);
  return {
    kind: 'top',
    asOf: shown.visible.asOf,
    accounts: rows.map((row) => summary(row, owned)),
    total: total ?? 0,
    mineTotal: rows.filter((row) => owned.has(row.AccountId)).length,
    thresholdDays: shown.config.staleThresholdDays,
  };
}

/** The stale segment: the seller's own stale accounts first, then the others, the best scored first. */
export async function staleAccounts(shown: ShownResults, mine: readonly string[]): Promise<AccountList> {
  const scope = scopeOf(shown);
  const rules = staleRules(shown.config.staleThresholdDays);
  const { clause, parameters } = segmentWhere(scope, rules);
  const segments = new SegmentQueries(shown.container);
  const [own, total, others] = await Promise.all([
    mineWhere(shown, clause, parameters, mine),
    segments.count(scope, rules),
    segments.members<ListRow>(scope, rules, {
      sort: 'EngagementScore',
      order: 'desc',
      pageSize: LIST_SIZE * 2,
    }),
  ]);
  const owned = new Set(mine);
  const rest = others.rows.filter((row) => !owned.has(row.AccountId));
  return {
    kind: 'stale',
    asOf: shown.visible.asOf,
    accounts: [...own.rows, ...rest].slice(0, LIST_SIZE).map((row) => summary(row, owned)),
    total,
    mineTotal: own.total,
    thresholdDays: shown.config.staleThresholdDays,
  };
}

/** The accounts the seller owns, the best scored first. */
export async function myAccounts(shown: ShownResults, mine: readonly string[]): Promise<AccountList> {
  const { clause, parameters } = segmentWhere(scopeOf(shown));
  const own = await mineWhere(shown, clause, parameters, mine);
  const owned = new Set(mine);
  return {
    kind: 'mine',
    asOf: shown.visible.asOf,
    accounts: own.rows.map((row) => summary(row, owned)),
    total: own.total,
    mineTotal: own.total,
    thresholdDays: shown.config.staleThresholdDays,
  };
}
