import { DEFAULT_WEIGHTS } from '../../core/engine/settings';
import type { CustomerCardData } from '../../core/results/customer-card';
import type { CardScoreExplanation } from '../../core/results/score-explanation';
import { busyAccount } from './bot-card-data';

/** The busy account's score explained: 8 + 3 + 1.5 = 12.5 points, 37th of 180. */
export const EXPLANATION: CardScoreExplanation = {
  emailsTo: 1.5,
  emailsFrom: 3,
  meetings: 8,
  score: 80,
  rank: 37,
  tiedWith: 0,
  activeAccounts: 180,
  scoreWithMeeting: 84,
  weights: DEFAULT_WEIGHTS,
  halfLifeDays: 90,
};

export function explainedAccount(explanation: CardScoreExplanation = EXPLANATION): CustomerCardData {
  const data = busyAccount('Month');
  return { ...data, year: { ...data.year, EngagementScore: explanation.score }, explanation };
}
