import { scoreBand, SIGNALS, type EngagementBand, type EngagementRow, type SignalName } from '../engine';
import { SIGNAL_COLUMN } from '../segments/segment-columns';
import type { RuleGroup } from '../segments/segment-rules';
import { staleRules } from '../segments/stale-segment';
import type { RowScope } from '../store/rule-compiler';
import type { ShownResults } from './shown-results';

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
  /** The account's true risk signals (none on rows of runs before signals). */
  signals: SignalName[];
}

export interface AccountList {
  kind: 'stale' | 'top' | 'mine' | 'at-risk' | 'unanswered';
  asOf: string;
  accounts: AccountSummary[];
  /** Accounts in the whole list (more than shown when above LIST_SIZE). */
  total: number;
  /** Of the total, the asking seller's (stale, at-risk, unanswered and mine lists). */
  mineTotal: number;
  /** The enrichment's stale threshold in days (stale list). */
  thresholdDays: number;
}

type ListRow = Pick<
  EngagementRow,
  'AccountId' | 'AccountName' | 'EngagementScore' | 'DaysSinceLastEmail' | 'DaysSinceLastMeeting'
> & { Signals?: SignalName[] | null };

function summary(row: ListRow, mine: ReadonlySet<string>): AccountSummary {
  return {
    accountId: row.AccountId,
    name: row.AccountName,
    score: row.EngagementScore,
    band: scoreBand(row.EngagementScore),
    daysSinceLastEmail: row.DaysSinceLastEmail,
    daysSinceLastMeeting: row.DaysSinceLastMeeting,
    mine: mine.has(row.AccountId),
    signals: row.Signals ?? [],
  };
}

const scopeOf = (shown: ShownResults): RowScope => ({
  tenantId: shown.tenantId,
  entity: shown.config.entityName,
  runId: shown.visible.runId,
});

const BY_SCORE = { sort: 'EngagementScore', order: 'desc' } as const;

/** The seller's accounts among the Year rows the rules select: the best scored first, and how many. */
async function mineAmong(
  shown: ShownResults,
  rules: RuleGroup | undefined,
  mine: readonly string[],
): Promise<{ rows: ListRow[]; total: number }> {
  if (!mine.length) return { rows: [], total: 0 };
  const scope = { ...scopeOf(shown), accountIds: mine };
  const [page, total] = await Promise.all([
    shown.segments.members<ListRow>(scope, rules, { ...BY_SCORE, pageSize: LIST_SIZE }),
    shown.segments.count(scope, rules),
  ]);
  return { rows: page.rows, total };
}

const ENGAGED: RuleGroup = {
  combinator: 'and',
  rules: [{ column: 'EngagementScore', operator: 'gt', value: 0 }],
};

/** The most engaged accounts. */
export async function topAccounts(shown: ShownResults, mine: readonly string[]): Promise<AccountList> {
  const scope = scopeOf(shown);
  const [page, total] = await Promise.all([
    shown.segments.members<ListRow>(scope, ENGAGED, { ...BY_SCORE, pageSize: LIST_SIZE }),
    shown.segments.count(scope, ENGAGED),
  ]);
  const owned = new Set(mine);
  return {
    kind: 'top',
    asOf: shown.visible.asOf,
    accounts: page.rows.map((row) => summary(row, owned)),
    total,
    mineTotal: page.rows.filter((row) => owned.has(row.AccountId)).length,
    thresholdDays: shown.config.staleThresholdDays,
  };
}

/** The accounts the rules select: the seller's own first, then the others, the best scored first. */
async function yoursFirst(
  kind: AccountList['kind'],
  shown: ShownResults,
  rules: RuleGroup,
  mine: readonly string[],
): Promise<AccountList> {
  const scope = scopeOf(shown);
  const [own, total, others] = await Promise.all([
    mineAmong(shown, rules, mine),
    shown.segments.count(scope, rules),
    shown.segments.members<ListRow>(scope, rules, { ...BY_SCORE, pageSize: LIST_SIZE * 2 }),
  ]);
  const owned = new Set(mine);
  const rest = others.rows.filter((row) => !owned.has(row.AccountId));
  return {
    kind,
    asOf: shown.visible.asOf,
    accounts: [...own.rows, ...rest].slice(0, LIST_SIZE).map((row) => summary(row, owned)),
    total,
    mineTotal: own.total,
    thresholdDays: shown.config.staleThresholdDays,
  };
}

/** The stale segment: the seller's own stale accounts first, then the others, the best scored first. */
export function staleAccounts(shown: ShownResults, mine: readonly string[]): Promise<AccountList> {
  return yoursFirst('stale', shown, staleRules(shown.config.staleThresholdDays), mine);
}

/** Accounts showing any of the signals at the run's T. */
const anySignal = (signals: readonly SignalName[]): RuleGroup => ({
  combinator: 'or',
  rules: signals.map((value) => ({ column: SIGNAL_COLUMN, operator: 'has', value })),
});

/**
 * Accounts at risk: those showing any risk signal at the run's T, Stale included (docs/bot.md),
 * the seller's own first.
 */
export function atRiskAccounts(shown: ShownResults, mine: readonly string[]): Promise<AccountList> {
  return yoursFirst('at-risk', shown, anySignal(SIGNALS), mine);
}

/** Accounts whose recent emails went unanswered (the Unanswered signal), the seller's own first. */
export function unansweredAccounts(shown: ShownResults, mine: readonly string[]): Promise<AccountList> {
  return yoursFirst('unanswered', shown, anySignal(['Unanswered']), mine);
}

/** The accounts the seller owns, the best scored first. */
export async function myAccounts(shown: ShownResults, mine: readonly string[]): Promise<AccountList> {
  const own = await mineAmong(shown, undefined, mine);
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
