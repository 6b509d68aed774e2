/**
 * The customer card: everything the tab and the bot show of one account, built once per account
 * when a run writes its rows and stored beside them, so both read it in one point read and show
 * the same numbers. It is published with the rows by the entity's pointer swap.
 */
import {
  scoreBand,
  scoreTrend,
  type EngagementBand,
  type EngagementRow,
  type EngagementTrend,
  type SignalName,
} from '../engine';
import {
  historyFromCounts,
  periodCounts,
  type HistoryLevel,
  type HistoryPoint,
  type PeriodCounts,
} from '../conversation/history-series';
import { displayText } from '../text/display-text';
import { contractRow } from './columns';
import type { CardScoreExplanation } from './score-explanation';
import type { StoredEngagementRow } from './stored-rows';

/** One account's card as a run stores it. */
export interface CustomerCard {
  accountId: string;
  /** The account's Year row: the contract's columns, the name as shown. */
  year: EngagementRow;
  band: EngagementBand;
  trend: EngagementTrend;
  previousScore: number | null;
  nextMeeting: { start: string; end: string } | null;
  /**
   * The account's risk signals that are true at the run's T (core/engine/signals.ts), in order;
   * absent on cards of runs before signals existed.
   */
  signals?: SignalName[];
  /** Why the Year score is what it is (score-explanation.ts); absent on cards of earlier runs. */
  explanation?: CardScoreExplanation;
  /** The counts of every month and week of the run's window, oldest first. */
  history: Record<HistoryLevel, PeriodCounts[]>;
}

const HISTORY_LEVELS: readonly HistoryLevel[] = ['Month', 'Week'];

/** The cards of a run's accounts, one per Year row, from all of the run's rows and the run's explained scores. */
export function customerCards(
  rows: readonly StoredEngagementRow[],
  asOf: string,
  explanations: ReadonlyMap<string, CardScoreExplanation> = new Map(),
): CustomerCard[] {
  const periodRows = new Map<string, Record<HistoryLevel, StoredEngagementRow[]>>();
  for (const row of rows) {
    const level = row.AggregationLevel;
    if (level !== 'Month' && level !== 'Week') continue;
    let own = periodRows.get(row.AccountId);
    if (!own) periodRows.set(row.AccountId, (own = { Month: [], Week: [] }));
    own[level].push(row);
  }
  return rows
    .filter((row) => row.AggregationLevel === 'Year')
    .map((year) => {
      const own = periodRows.get(year.AccountId);
      const previousScore = year.PreviousEngagementScore ?? null;
      const explanation = explanations.get(year.AccountId);
      const history = Object.fromEntries(
        HISTORY_LEVELS.map((level) => [level, periodCounts(asOf, level, own?.[level] ?? [])]),
      ) as Record<HistoryLevel, PeriodCounts[]>;
      return {
        accountId: year.AccountId,
        year: { ...contractRow(year), AccountName: displayText(year.AccountName) },
        band: scoreBand(year.EngagementScore),
        trend: scoreTrend(year.EngagementScore, previousScore),
        previousScore,
        nextMeeting:
          year.NextMeetingStart && year.NextMeetingEnd
            ? { start: year.NextMeetingStart, end: year.NextMeetingEnd }
            : null,
        signals: year.Signals ?? [],
        ...(explanation ? { explanation } : {}),
        history,
      };
    });
}

/** A card as the bot shows it: from one published run, with the history of one level. */
export interface CustomerCardData extends Omit<CustomerCard, 'history' | 'accountId' | 'signals'> {
  enrichmentId: string;
  signals: SignalName[];
  runId: string;
  /** The run's as-of instant (ISO): the data's date. */
  asOf: string;
  /** The last months or weeks, oldest first, quiet periods included. */
  history: { level: HistoryLevel; points: HistoryPoint[] };
}

/** What the tab and the bot show of a stored card besides its history: one reading of it for both. */
export function shownCard(card: CustomerCard) {
  return {
    year: card.year,
    band: card.band,
    trend: card.trend,
    previousScore: card.previousScore,
    nextMeeting: card.nextMeeting,
    signals: card.signals ?? [],
  };
}

/** The bot's view of a stored card. */
export function cardData(
  card: CustomerCard,
  run: { enrichmentId: string; runId: string; asOf: string },
  level: HistoryLevel,
): CustomerCardData {
  return {
    ...run,
    ...shownCard(card),
    ...(card.explanation ? { explanation: card.explanation } : {}),
    history: { level, points: historyFromCounts(run.asOf, level, card.history[level]) },
  };
}
