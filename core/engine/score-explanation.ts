/**
 * Why an account's Year score is what it is: its decayed contributions by kind, its rank among the
 * active accounts, and the score one more meeting at T would give it. Finalise computes it from the
 * Year raw values it ranks, so nothing is recomputed elsewhere.
 */
import {
  countAtMost,
  EMAILS_FROM,
  EMAILS_TO,
  itemUnits,
  MEETINGS,
  rankScore,
  RAW_UNITS,
  TO_ACCOUNT,
} from './score.ts';
import type { EngagementSettings } from './settings.ts';

export interface ScoreExplanation {
  /** The Year raw by kind, in weight points: Σ w × 0.5^(age / H) over that kind's activity. */
  emailsTo: number;
  emailsFrom: number;
  meetings: number;
  /** The Year score these give (the Year row's EngagementScore). */
  score: number;
  /** 1 for the highest raw among the active accounts; tied accounts share a rank; null when inactive. */
  rank: number | null;
  /** Other active accounts with exactly this raw. */
  tiedWith: number;
  /** Accounts with counted activity in the Year (raw > 0). */
  activeAccounts: number;
  /**
   * The Year score with one more meeting at T (its full weight), ranked against the other accounts'
   * raws as they are; an inactive account joins the active ones.
   */
  scoreWithMeeting: number;
}

/**
 * One explanation per account from the Year raw units by kind, three slots per account in
 * (EMAILS_TO, EMAILS_FROM, MEETINGS) order.
 */
export function explainYearScores(kindUnits: Float64Array, settings: EngagementSettings): ScoreExplanation[] {
  const n = kindUnits.length / 3;
  const raws = new Float64Array(n);
  for (let a = 0; a < n; a++) {
    raws[a] =
      (kindUnits[3 * a + EMAILS_TO] ?? 0) +
      (kindUnits[3 * a + EMAILS_FROM] ?? 0) +
      (kindUnits[3 * a + MEETINGS] ?? 0);
  }
  const active = raws.filter((r) => r > 0).sort();
  const meeting = itemUnits(true, TO_ACCOUNT, 0, settings, new Float64Array(3));
  return Array.from(raws, (raw, a) => {
    const atMost = countAtMost(raw, active);
    const isActive = raw > 0;
    const joined = isActive ? 0 : 1;
    const points = (slot: number) => (kindUnits[3 * a + slot] ?? 0) / RAW_UNITS;
    return {
      emailsTo: points(EMAILS_TO),
      emailsFrom: points(EMAILS_FROM),
      meetings: points(MEETINGS),
      score: rankScore(raw, active),
      rank: isActive ? active.length - atMost + 1 : null,
      tiedWith: isActive ? atMost - countAtMost(raw - 1, active) - 1 : 0,
      activeAccounts: active.length,
      scoreWithMeeting: Math.round(
        (100 * (countAtMost(raw + meeting, active) + joined)) / (active.length + joined),
      ),
    };
  });
}
