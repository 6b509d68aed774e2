import {
  Body1,
  Button,
  Caption1,
  Card,
  CardHeader,
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Subtitle2,
  Tab,
  TabList,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import {
  ArrowDownRightRegular,
  ArrowLeftRegular,
  ArrowRightRegular,
  ArrowUpRightRegular,
  SparkleRegular,
} from '@fluentui/react-icons';
import { useState } from 'react';
import { api } from '../../api/operations';
import type { AccountCard, Enrichment } from '../../api/types';
import { useResource } from '../../api/use-resource';
import { StackedBarChart } from '../../charts/StackedBarChart';
import {
  formatCount,
  formatDate,
  formatDateTime,
  formatDay,
  formatMonth,
  formatWeekOf,
} from '../../ui/format';
import { PageHeader } from '../../ui/PageHeader';
import { ProblemBar } from '../../ui/ProblemBar';
import { staleness } from '../../../../../core/segments/segment-columns';
import { scoreBand } from '../../../../../core/engine/score';
import { ScoreBadge } from '../../ui/ScoreBadge';
import { StaleMark } from '../../ui/StaleMark';
import { StatGrid, StatTile } from '../../ui/StatTile';
import { SignalChips } from './SignalChips';
import { ScoreExplanation } from './ScoreExplanation';
import { formatMeetingLength, formatReplyTime } from '../../../../../core/conversation/durations';
import { partialMark, partialPeriodsNote } from '../../../../../core/conversation/history-series';

const useStyles = makeStyles({
  top: {
    display: 'grid',
    gap: tokens.spacingHorizontalM,
    gridTemplateColumns: 'minmax(200px, 1fr) minmax(0, 3fr)',
    '@media (max-width: 700px)': { gridTemplateColumns: 'minmax(0, 1fr)' },
  },
  figures: {
    gridTemplateColumns: 'repeat(3, minmax(0, 1fr))',
    '@media (max-width: 1000px)': { gridTemplateColumns: 'repeat(2, minmax(0, 1fr))' },
  },
  scoreCard: { gap: tokens.spacingVerticalS, justifyContent: 'center', alignItems: 'flex-start' },
  score: {
    fontSize: tokens.fontSizeHero900,
    lineHeight: tokens.lineHeightHero900,
    fontWeight: tokens.fontWeightSemibold,
    fontVariantNumeric: 'tabular-nums',
  },
  trend: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  muted: { color: tokens.colorNeutralForeground3 },
  sides: {
    display: 'grid',
    gap: tokens.spacingHorizontalM,
    gridTemplateColumns: 'repeat(auto-fit, minmax(240px, 1fr))',
  },
  side: { gap: tokens.spacingVerticalXS },
  sideFigures: { display: 'flex', gap: tokens.spacingHorizontalXXL, flexWrap: 'wrap' },
  sideFigure: { display: 'flex', flexDirection: 'column' },
  sideValue: { fontSize: tokens.fontSizeBase600, fontWeight: tokens.fontWeightSemibold },
  charts: {
    display: 'grid',
    gap: tokens.spacingHorizontalM,
    gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 420px), 1fr))',
  },
  chartCard: { minWidth: 0, gap: tokens.spacingVerticalS },
});

const TREND_TEXT: Record<AccountCard['trend'], string> = {
  up: 'Up since the previous run',
  down: 'Down since the previous run',
  flat: 'Steady since the previous run',
  new: 'First score',
};

function TrendIcon(props: { trend: AccountCard['trend'] }) {
  switch (props.trend) {
    case 'up':
      return <ArrowUpRightRegular aria-hidden />;
    case 'down':
      return <ArrowDownRightRegular aria-hidden />;
    case 'flat':
      return <ArrowRightRegular aria-hidden />;
    case 'new':
      return <SparkleRegular aria-hidden />;
  }
}

/**
 * Why a stale account keeps its score: a score is a rank among the accounts of the year's decayed
 * activity, not a measure of the last weeks.
 */
export function staleExplanation(
  score: number,
  quietDays: number | null,
  thresholdDays: number,
  halfLifeDays: number,
): string {
  const band = scoreBand(score);
  const quiet =
    quietDays === null
      ? 'It had no counted email or meeting in the last year'
      : `It has had no counted email or meeting for ${quietDays} days`;
  const rule = `more than the stale threshold of ${thresholdDays} days, so it is in the Stale accounts segment that stale-account alerts follow.`;
  if (band === 'Low') return `${quiet}: ${rule}`;
  return `${quiet}: ${rule} It still scores ${band} because a score ranks the account's email and meetings of the whole year against the other accounts, each counting half as much every ${halfLifeDays} days: it was busy earlier in the year, and will drop as others overtake it.`;
}

/** Our side in the brand colour, the customer's in teal, in both charts and every theme. */
const SIDE_COLORS = { ours: tokens.colorBrandBackground, theirs: tokens.colorPaletteLightTealForeground2 };

/** One customer's card: score with band and trend, last year's totals, history charts and the people on both sides. */
export function CustomerCard(props: { enrichment: Enrichment; accountId: string }) {
  const styles = useStyles();
  const id = props.enrichment.enrichmentId;
  const card = useResource(`account:${id}:${props.accountId}`, (signal) =>
    api.account(id, props.accountId, signal),
  );
  const [level, setLevel] = useState<'Month' | 'Week'>('Month');

  const back = (
    <Button as="a" href="#/customers" icon={<ArrowLeftRegular />}>
      All customers
    </Button>
  );
  if (!card.data) {
    return (
      <>
        <PageHeader title="Customer" actions={back} />
        {card.loading && <Spinner label="Loading the customer card…" />}
        <ProblemBar
          problem={card.problem}
          title="The customer card could not be loaded"
          onRetry={card.reload}
        />
      </>
    );
  }
  const { year, asOf } = card.data;
  const series = level === 'Month' ? card.data.months : card.data.weeks;
  const label = level === 'Month' ? formatMonth : formatDay;
  const detail = (point: (typeof series)[number]) =>
    `${(level === 'Month' ? formatMonth : formatWeekOf)(point.start)}${partialMark(point)}`;
  const partNote = partialPeriodsNote(series, level);
  const emails = year.NoOfEmails_ToAccount + year.NoOfEmails_FromAccount;
  const meetings = year.NoOfMeetings_ToAccount + year.NoOfMeetings_FromAccount;
  const stale = staleness(year, props.enrichment.staleThresholdDays);
  return (
    <>
      <PageHeader
        title={year.AccountName}
        description={`${year.AccountId} · engagement over the year to ${formatDateTime(asOf)}`}
        actions={back}
      />
      <div className={styles.top}>
        <Card className={styles.scoreCard} aria-label="Engagement score" data-testid="card-score">
          <Caption1 className={styles.muted}>Engagement score</Caption1>
          <Text className={styles.score} data-testid="card-score-value">
            {year.EngagementScore}
          </Text>
          <ScoreBadge score={year.EngagementScore} size="large" />
          <StaleMark row={year} thresholdDays={props.enrichment.staleThresholdDays} />
          <Caption1 className={styles.trend} data-testid="card-trend">
            <TrendIcon trend={card.data.trend} />
            {TREND_TEXT[card.data.trend]}
            {card.data.previousScore !== null ? ` (was ${card.data.previousScore})` : ''}
          </Caption1>
        </Card>
        <StatGrid label="The last year" className={styles.figures}>
          <StatTile
            label="Emails in the last year"
            value={formatCount(emails)}
            detail={`${formatCount(year.NoOfEmails_ToAccount)} to · ${formatCount(year.NoOfEmails_FromAccount)} from`}
            testId="card-emails"
          />
          <StatTile
            label="Meetings in the last year"
            value={formatCount(meetings)}
            detail={`${formatCount(year.NoOfMeetings_ToAccount)} to · ${formatCount(year.NoOfMeetings_FromAccount)} from`}
            testId="card-meetings"
          />
          <StatTile
            label="Days since last email"
            value={year.DaysSinceLastEmail === null ? '—' : formatCount(year.DaysSinceLastEmail)}
            testId="card-days-email"
          />
          <StatTile
            label="Days since last meeting"
            value={year.DaysSinceLastMeeting === null ? '—' : formatCount(year.DaysSinceLastMeeting)}
            testId="card-days-meeting"
          />
          <StatTile
            label="Average meeting"
            value={
              year.AverageDuration_Of_Meetings === null
                ? '—'
                : formatMeetingLength(year.AverageDuration_Of_Meetings)
            }
            testId="card-avg-meeting"
          />
          <StatTile
            label="Average reply time"
            value={
              year.AverageDuration_Of_AccountEmailReplies === null
                ? '—'
                : formatReplyTime(year.AverageDuration_Of_AccountEmailReplies)
            }
            testId="card-avg-reply"
          />
        </StatGrid>
      </div>
      <SignalChips signals={card.data.signals} thresholds={card.data.signalThresholds} />
      {stale.stale && (
        <MessageBar intent="warning" data-testid="card-stale">
          <MessageBarBody>
            <MessageBarTitle>
              {scoreBand(year.EngagementScore) === 'Low'
                ? 'Stale account'
                : `Why ${scoreBand(year.EngagementScore)} while quiet`}
            </MessageBarTitle>
            {staleExplanation(
              year.EngagementScore,
              stale.quietDays,
              props.enrichment.staleThresholdDays,
              props.enrichment.engagement.halfLifeDays,
            )}{' '}
            <Link href="#/segments?segment=stale">See the Stale accounts segment</Link>
          </MessageBarBody>
        </MessageBar>
      )}
      {card.data.explanation && <ScoreExplanation explanation={card.data.explanation} />}
      <Body1>
        {card.data.nextMeeting
          ? `Next meeting: ${formatDateTime(card.data.nextMeeting.start)}.`
          : 'No meeting is scheduled.'}{' '}
        {year.EngagementStartDate ? `Engaged since ${formatDate(year.EngagementStartDate)}.` : ''}
      </Body1>
      <section className={styles.sides} aria-label="People involved">
        <Card className={styles.side}>
          <Subtitle2 as="h2">Our side</Subtitle2>
          <div className={styles.sideFigures}>
            <div className={styles.sideFigure}>
              <Text className={styles.sideValue} data-testid="card-colleagues-emails">
                {formatCount(year.NoOfContactsInvolved_Emails)}
              </Text>
              <Caption1 className={styles.muted}>colleagues in emails</Caption1>
            </div>
            <div className={styles.sideFigure}>
              <Text className={styles.sideValue} data-testid="card-colleagues-meetings">
                {formatCount(year.NoOfContactsInvolved_Meetings)}
              </Text>
              <Caption1 className={styles.muted}>colleagues in meetings</Caption1>
            </div>
          </div>
        </Card>
        <Card className={styles.side}>
          <Subtitle2 as="h2">Customer side</Subtitle2>
          <div className={styles.sideFigures}>
            <div className={styles.sideFigure}>
              <Text className={styles.sideValue} data-testid="card-contacts-emails">
                {formatCount(year.NoOfAccountContactsInvolved_Emails)}
              </Text>
              <Caption1 className={styles.muted}>people in emails</Caption1>
            </div>
            <div className={styles.sideFigure}>
              <Text className={styles.sideValue} data-testid="card-contacts-meetings">
                {formatCount(year.NoOfAccountContactsInvolved_Meetings)}
              </Text>
              <Caption1 className={styles.muted}>people in meetings</Caption1>
            </div>
          </div>
        </Card>
      </section>
      <TabList
        selectedValue={level}
        onTabSelect={(_, d) => setLevel(d.value as 'Month' | 'Week')}
        aria-label="History by"
      >
        <Tab value="Month">By month</Tab>
        <Tab value="Week">By week</Tab>
      </TabList>
      <div className={styles.charts}>
        <Card className={styles.chartCard}>
          <CardHeader
            header={<Subtitle2 as="h2">Email history</Subtitle2>}
            description={
              <Caption1 className={styles.muted}>
                Sent to and received from the customer{partNote ? `. ${partNote}` : ''}
              </Caption1>
            }
          />
          <StackedBarChart
            title={`Emails per ${level.toLowerCase()}`}
            testId="card-email-chart"
            bars={series.map((p) => ({
              label: label(p.start),
              detail: detail(p),
              parts: [
                { legend: 'Sent', value: p.emailsTo, color: SIDE_COLORS.ours },
                { legend: 'Received', value: p.emailsFrom, color: SIDE_COLORS.theirs },
              ],
            }))}
          />
        </Card>
        <Card className={styles.chartCard}>
          <CardHeader
            header={<Subtitle2 as="h2">Meeting history</Subtitle2>}
            description={
              <Caption1 className={styles.muted}>
                Organized by us or by the customer{partNote ? `. ${partNote}` : ''}
              </Caption1>
            }
          />
          <StackedBarChart
            title={`Meetings per ${level.toLowerCase()}`}
            testId="card-meeting-chart"
            bars={series.map((p) => ({
              label: label(p.start),
              detail: detail(p),
              parts: [
                { legend: 'Ours', value: p.meetingsTo, color: SIDE_COLORS.ours },
                { legend: 'Theirs', value: p.meetingsFrom, color: SIDE_COLORS.theirs },
              ],
            }))}
          />
        </Card>
      </div>
    </>
  );
}
