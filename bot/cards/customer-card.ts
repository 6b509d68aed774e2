import {
  historyLabels,
  historyRange,
  partialPeriodsNote,
  type HistoryLevel,
  type HistoryPoint,
} from '../../core/conversation/history-series';
import type { EngagementBand, EngagementTrend } from '../../core/engine';
import type { CustomerCardData } from '../../core/results/customer-card';
import { signalLabels } from '../../core/results/signal-labels';
import { DEFAULT_SIGNAL_THRESHOLDS, type SignalThresholds } from '../../core/engine/signals';
import {
  adaptiveCard,
  execute,
  openUrl,
  plain,
  text,
  type AdaptiveCard,
  type Column,
  type Element,
  type FactSet,
  type TextColor,
} from './adaptive';
import { scoreExplanationSection } from './score-explanation';
import { signalSection } from './signal-section';
import { axisMax, count, day, dayAndTime, daysAgo, hours, minutes } from './format';
import type { TabLinks } from './tab-links';

export const BAND_COLOR: Record<EngagementBand, TextColor> = {
  High: 'Good',
  Medium: 'Warning',
  Low: 'Attention',
};

/** "▲ 6 since the last run", "▼ 3 …", "steady …", or "first score" for an account without a previous one. */
export function trendText(trend: EngagementTrend, score: number, previous: number | null): string {
  const delta = previous === null ? 0 : Math.abs(score - previous);
  switch (trend) {
    case 'up':
      return `▲ ${delta} since the last run`;
    case 'down':
      return `▼ ${delta} since the last run`;
    case 'flat':
      return 'steady since the last run';
    case 'new':
      return 'first score';
  }
}

function stat(value: number, label: string): Column {
  return {
    type: 'Column',
    width: 'stretch',
    items: [
      text(count(value), { size: 'Large', weight: 'Bolder', spacing: 'None' }),
      text(label, { size: 'Small', isSubtle: true, spacing: 'None' }),
    ],
  };
}

/** The table clients without Teams charts show: one fact per period. */
function historyFacts(points: HistoryPoint[], labels: string[], value: (p: HistoryPoint) => string): FactSet {
  return {
    type: 'FactSet',
    facts: points.map((point, i) => ({ title: labels[i] ?? '', value: value(point) })),
  };
}

/** `accountName` as written: chart legends are not Markdown. */
function historySection(data: CustomerCardData, accountName: string): Element[] {
  const { level, points } = data.history;
  const labels = historyLabels(points, level);
  const per = level === 'Month' ? 'by month, last 12 months' : 'by week, last 13 weeks';
  const quiet = points.every((p) => !p.emailsTo && !p.emailsFrom && !p.meetings);
  if (quiet) {
    return [
      text(`History ${per}`, { weight: 'Bolder', spacing: 'Large', separator: true }),
      text('No email or meeting with this account in that time.', { isSubtle: true }),
    ];
  }
  const note = partialPeriodsNote(points, level);
  // Narrow charts shorten their labels to a few letters: the axis title carries the years.
  const xAxisTitle = `${level === 'Month' ? 'Month' : 'Week starting'}, ${historyRange(points, level)}`;
  return [
    text(`Emails, ${per}`, { weight: 'Bolder', spacing: 'Large', separator: true }),
    ...(note ? [text(note, { size: 'Small', isSubtle: true, spacing: 'None' })] : []),
    {
      type: 'Chart.Line',
      xAxisTitle,
      yAxisTitle: 'Emails',
      yMin: 0,
      yMax: axisMax(Math.max(...points.map((p) => Math.max(p.emailsTo, p.emailsFrom)))),
      data: [
        {
          legend: `To ${accountName}`,
          color: 'categoricalBlue',
          values: points.map((p, i) => ({ x: labels[i] ?? '', y: p.emailsTo })),
        },
        {
          legend: `From ${accountName}`,
          color: 'categoricalMarigold',
          values: points.map((p, i) => ({ x: labels[i] ?? '', y: p.emailsFrom })),
        },
      ],
      fallback: historyFacts(points, labels, (p) => `${count(p.emailsTo)} to · ${count(p.emailsFrom)} from`),
    },
    text(`Meetings, ${per}`, { weight: 'Bolder', spacing: 'Large' }),
    {
      type: 'Chart.VerticalBar',
      xAxisTitle,
      yAxisTitle: 'Meetings',
      color: 'categoricalTeal',
      showBarValues: true,
      data: points.map((p, i) => ({ x: labels[i] ?? '', y: p.meetings })),
      fallback: historyFacts(points, labels, (p) => count(p.meetings)),
    },
  ];
}

/** How the account was found, when the card should say so. */
export interface CustomerCardOptions {
  /** What the seller typed, when the account is only the closest to it (a typo): the card says so. */
  closestTo?: string;
  /** The enrichment's signal thresholds, which the signals' meanings name (the defaults otherwise). */
  thresholds?: SignalThresholds;
}

/**
 * An account's customer card: score with band and trend, its risk signals, the year's email and meeting counts in
 * each direction, last contact, people involved, meeting length and reply time, the email and
 * meeting history (month or week), the as-of date, and actions to open the full card in the tab,
 * switch the history and refresh.
 */
export function customerCard(
  data: CustomerCardData,
  links: TabLinks,
  options: CustomerCardOptions = {},
): AdaptiveCard {
  const { year } = data;
  const name = plain(year.AccountName);
  const color = BAND_COLOR[data.band];
  const level = data.history.level;
  const other: HistoryLevel = level === 'Month' ? 'Week' : 'Month';
  const facts = [
    { title: 'Last email', value: daysAgo(year.DaysSinceLastEmail) },
    { title: 'Last meeting', value: daysAgo(year.DaysSinceLastMeeting) },
    ...(data.nextMeeting ? [{ title: 'Next meeting', value: dayAndTime(data.nextMeeting.start) }] : []),
    {
      title: 'People in emails',
      value: `${count(year.NoOfContactsInvolved_Emails)} of ours · ${count(year.NoOfAccountContactsInvolved_Emails)} of theirs`,
    },
    {
      title: 'People in meetings',
      value: `${count(year.NoOfContactsInvolved_Meetings)} of ours · ${count(year.NoOfAccountContactsInvolved_Meetings)} of theirs`,
    },
    { title: 'Average meeting', value: minutes(year.AverageDuration_Of_Meetings) },
    { title: 'Their reply time', value: hours(year.AverageDuration_Of_AccountEmailReplies) },
    ...(year.EngagementStartDate ? [{ title: 'Engaged since', value: day(year.EngagementStartDate) }] : []),
  ];
  return adaptiveCard(
    [
      ...(options.closestTo
        ? [text(`Showing ${name} (closest to “${plain(options.closestTo)}”)`, { isSubtle: true })]
        : []),
      {
        type: 'ColumnSet',
        columns: [
          {
            type: 'Column',
            width: 'stretch',
            verticalContentAlignment: 'Center',
            items: [
              text(name, { size: 'Large', weight: 'Bolder' }),
              text(`${plain(year.AccountId)} · data as of ${day(data.asOf)}`, {
                size: 'Small',
                isSubtle: true,
                spacing: 'None',
              }),
            ],
          },
          {
            type: 'Column',
            width: 'auto',
            verticalContentAlignment: 'Center',
            items: [
              text(String(year.EngagementScore), {
                size: 'ExtraLarge',
                weight: 'Bolder',
                color,
                horizontalAlignment: 'Right',
              }),
              text(`${data.band} · ${trendText(data.trend, year.EngagementScore, data.previousScore)}`, {
                size: 'Small',
                color,
                horizontalAlignment: 'Right',
                spacing: 'None',
              }),
            ],
          },
        ],
      },
      ...signalSection(signalLabels(data.signals, options.thresholds ?? DEFAULT_SIGNAL_THRESHOLDS)),
      ...scoreExplanationSection(data.explanation),
      text('Last 12 months', { weight: 'Bolder', spacing: 'Medium', separator: true }),
      {
        type: 'ColumnSet',
        spacing: 'Small',
        columns: [
          stat(year.NoOfEmails_ToAccount, 'emails to them'),
          stat(year.NoOfEmails_FromAccount, 'emails from them'),
          stat(year.NoOfMeetings_ToAccount, 'meetings we set up'),
          stat(year.NoOfMeetings_FromAccount, 'meetings they set up'),
        ],
      },
      { type: 'FactSet', spacing: 'Medium', facts },
      ...historySection(data, year.AccountName),
    ],
    [
      openUrl('Open full card', links.customer(year.AccountId)),
      execute(other === 'Week' ? 'By week' : 'By month', 'customer', {
        accountId: year.AccountId,
        history: other,
      }),
      execute('Refresh', 'customer', { accountId: year.AccountId, history: level }),
    ],
    `${year.AccountName}: engagement score ${year.EngagementScore} (${data.band}), as of ${day(data.asOf)}.`,
  );
}
