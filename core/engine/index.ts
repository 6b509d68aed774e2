/**
 * The aggregation and scoring engine: pure functions over activity metadata, no I/O.
 *
 *   const directory = buildAccountDirectory({ accounts, orgDomains, excludedAddresses, excludedDomains });
 *   const tracked = buildTrackedUsers(addressToUserId);
 *   const context = createEngineContext({ directory, tracked, asOf, countPrivateMeetings });
 *   const partial = new Aggregator(context);          // per mailbox or per worker
 *   for (const activity of mailbox) partial.add(activity);
 *   const json = partial.toJSON();                     // may cross a process boundary
 *   const merged = mergeAggregates(a, Aggregator.fromJSON(json, context));
 *   const { rows, nextMeetings, totals } = finaliseEngagement(merged, parseEngagementSettings(input));
 */
export {
  PRIVATE_SENSITIVITIES,
  type Activity,
  type EmailActivity,
  type MeetingActivity,
  type MeetingSensitivity,
} from './activity.ts';
export { domainOf, normaliseDomain, normaliseEmail, parseDomainField } from './addresses.ts';
export { AUTOMATED_LOCAL_PARTS, isAutomatedSender } from './automated-senders.ts';
export { Aggregator, mergeAggregates, type AggregatorFootprint } from './aggregator.ts';
export { createEngineContext, type EngineContext, type EngineContextInput } from './context.ts';
export {
  AccountDirectory,
  buildAccountDirectory,
  type AccountDirectoryInput,
  type AccountInput,
  type DirectoryAccount,
} from './directory.ts';
export { finaliseEngagement, type EngagementResult, type EngagementTotals } from './finalise.ts';
export { PARTIAL_FORMAT, PartialFormatError, type PartialAggregateJSON } from './partial-json.ts';
export {
  AGGREGATION_LEVELS,
  buildReportingWindow,
  periodIndexOf,
  WINDOW_DAYS,
  type AggregationLevel,
  type PeriodGrid,
  type ReportingWindow,
} from './periods.ts';
export { PUBLIC_MAIL_DOMAINS } from './public-domains.ts';
export {
  DEFAULT_SIGNAL_THRESHOLDS,
  SIGNALS,
  signalThresholdsSchema,
  type AccountSignals,
  type SignalName,
  type SignalThresholds,
} from './signals.ts';
export {
  engagementRowSchema,
  nextMeetingSchema,
  userEntityRowSchema,
  type EngagementRow,
  type NextMeeting,
  type UserEntityRow,
} from './rows.ts';
export { explainYearScores, type ScoreExplanation } from './score-explanation.ts';
export {
  contributionUnits,
  EMAILS_FROM,
  EMAILS_TO,
  FROM_ACCOUNT,
  HIGH_BAND_MIN,
  itemUnits,
  MEDIUM_BAND_MIN,
  MEETINGS,
  rankScore,
  RAW_UNITS,
  scoreBand,
  scorePeriod,
  scoreTrend,
  TO_ACCOUNT,
  TREND_TOLERANCE_POINTS,
  type EngagementBand,
  type EngagementTrend,
} from './score.ts';
export {
  DEFAULT_HALF_LIFE_DAYS,
  DEFAULT_SETTINGS,
  DEFAULT_WEIGHTS,
  engagementSettingsSchema,
  EngagementSettingsError,
  MAX_HALF_LIFE_DAYS,
  MAX_WEIGHT_CHANGE,
  MIN_HALF_LIFE_DAYS,
  parseEngagementSettings,
  type EngagementSettings,
  type EngagementSettingsInput,
} from './settings.ts';
export { buildTrackedUsers, TrackedUsers } from './tracked-users.ts';
