/**
 * The explained score in words, as the customer card shows it in the tab and the bot: how the
 * account ranks, what each kind of activity gave its score, and what one more meeting would do.
 * Pure (no Node APIs), so the tab's web code imports it too.
 */
import type { ScoreExplanation } from '../engine/score-explanation';
import type { EngagementSettings } from '../engine/settings';

/** The explanation as a run stores it on the card: the engine's figures and the run's scoring settings. */
export interface CardScoreExplanation extends ScoreExplanation {
  weights: EngagementSettings['weights'];
  halfLifeDays: number;
}

export type ContributionKind = 'meetings' | 'emailsFrom' | 'emailsTo';

/** One kind's part of the score: "Meetings", "8.0 points", 62 (% of the account's points). */
export interface ContributionText {
  kind: ContributionKind;
  label: string;
  points: string;
  percent: number;
}

export interface ScoreExplanationText {
  /** "Why 67?" */
  title: string;
  /** "Ranks 37th of 180 active accounts", "Shares 2nd place …", or why it is not ranked. */
  rank: string;
  /** What the score means for this account. */
  meaning: string;
  /** The kinds that gave points, largest first; empty without activity. */
  parts: ContributionText[];
  /** What would raise the score. */
  raise: string;
  /** How activity turns into points, with the run's weights and half-life. */
  how: string;
}

const KIND_LABELS: Record<ContributionKind, string> = {
  meetings: 'Meetings',
  emailsFrom: 'Emails from them',
  emailsTo: 'Emails to them',
};

/** 1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st. */
export function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  switch (n % 10) {
    case 1:
      return `${n}st`;
    case 2:
      return `${n}nd`;
    case 3:
      return `${n}rd`;
    default:
      return `${n}th`;
  }
}

function accounts(n: number): string {
  return `${n.toLocaleString('en-US')} active account${n === 1 ? '' : 's'}`;
}

/** Weight points with one decimal: "8.0", "0.4", "<0.1" for a trace. */
function points(value: number): string {
  if (value > 0 && value < 0.05) return '<0.1';
  return value.toFixed(1);
}

function rankText(e: ScoreExplanation): string {
  if (e.rank === null) return `Not ranked yet: no email or meeting counted in the last 12 months`;
  if (e.tiedWith === 0) return `Ranks ${ordinal(e.rank)} of ${accounts(e.activeAccounts)}`;
  const others = e.tiedWith === 1 ? '1 other' : `${e.tiedWith} others`;
  return `Shares ${ordinal(e.rank)} place with ${others} of ${accounts(e.activeAccounts)}`;
}

function meaningText(e: ScoreExplanation): string {
  if (e.rank === null) {
    return `An account scores 0 until it has counted activity; ${e.activeAccounts.toLocaleString('en-US')} accounts have some.`;
  }
  if (e.activeAccounts === 1) return 'It is the only account with counted activity, so it scores 100.';
  return `A score of ${e.score} means its activity matches or beats ${e.score}% of the active accounts.`;
}

function raiseText(e: ScoreExplanation): string {
  if (e.scoreWithMeeting > e.score) {
    return `A meeting with them now would move it to about ${e.scoreWithMeeting}.`;
  }
  if (e.score === 100) return 'It is at the top: keep in touch to stay there as older activity counts less.';
  return 'One meeting would not be enough to pass the next account: it takes several meetings or emails.';
}

/** The explained score in words, from the card's explanation. */
export function scoreExplanationText(e: CardScoreExplanation): ScoreExplanationText {
  const total = e.emailsTo + e.emailsFrom + e.meetings;
  const parts = (['meetings', 'emailsFrom', 'emailsTo'] as const)
    .filter((kind) => e[kind] > 0)
    .sort((a, b) => e[b] - e[a])
    .map((kind) => ({
      kind,
      label: KIND_LABELS[kind],
      points: points(e[kind]),
      percent: Math.round((100 * e[kind]) / total),
    }));
  const { meeting, emailFrom, emailTo } = e.weights;
  return {
    title: `Why ${e.score}?`,
    rank: rankText(e),
    meaning: meaningText(e),
    parts,
    raise: raiseText(e),
    how: `A meeting counts ${meeting} points, an email from them ${emailFrom} and an email to them ${emailTo}; each counts half as much every ${e.halfLifeDays} days, so recent activity weighs most.`,
  };
}
