import {
  Button,
  Caption1,
  Card,
  CardHeader,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Spinner,
  Subtitle2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { ArrowDownloadRegular, ArrowLeftRegular, TableRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import type { ApiProblem } from '../../api/client';
import { api } from '../../api/operations';
import type { AggregationLevel, Enrichment, ResultsSummary } from '../../api/types';
import { useResource } from '../../api/use-resource';
import { StackedBarChart } from '../../charts/StackedBarChart';
import type { ScreenProps } from '../../shell/ScreenView';
import { ALL_COLUMNS, PREVIEW_COLUMNS } from '../../ui/columns';
import { formatCount, formatDateTime, formatShortDateTime } from '../../ui/format';
import { NeedsEnrichment } from '../../ui/NeedsEnrichment';
import { PageHeader } from '../../ui/PageHeader';
import { ProblemBar } from '../../ui/ProblemBar';
import { StatGrid, StatTile } from '../../ui/StatTile';
import { RowsTable, entityRows } from './RowsTable';
import { NoResults, RunNotShown, resultsTitle } from './results-state';

/** While a run is queued or running, the summary is read again this often, so its results appear. */
const RUN_POLL_MS = 3000;

const runActive = (data: ResultsSummary | undefined) =>
  data?.lastRun?.status === 'queued' || data?.lastRun?.status === 'running';

const useStyles = makeStyles({
  card: { gap: tokens.spacingVerticalM },
  muted: { color: tokens.colorNeutralForeground3 },
  nowrap: { whiteSpace: 'nowrap' },
});

const ENTITY_VIEW = 'entity';

export function ResultsScreen(props: ScreenProps) {
  const entityView = props.route.query.get('view') === ENTITY_VIEW;
  const runId = props.route.query.get('run') ?? undefined;
  return (
    <NeedsEnrichment title="Results">
      {(enrichment) => (
        <Results enrichment={enrichment} entityView={entityView} {...(runId ? { runId } : {})} />
      )}
    </NeedsEnrichment>
  );
}

function ExportMenu(props: { enrichment: Enrichment }) {
  const [problem, setProblem] = useState<ApiProblem>();
  const [busy, setBusy] = useState(false);
  const exportLevel = async (level: AggregationLevel | 'all') => {
    setBusy(true);
    setProblem(undefined);
    try {
      await api.exportCsv(props.enrichment.enrichmentId, props.enrichment.entityName, level);
    } catch (error) {
      setProblem(error as ApiProblem);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Menu>
        <MenuTrigger disableButtonEnhancement>
          <Button icon={busy ? <Spinner size="tiny" /> : <ArrowDownloadRegular />} disabled={busy}>
            Export CSV
          </Button>
        </MenuTrigger>
        <MenuPopover>
          <MenuList>
            <MenuItem onClick={() => void exportLevel('all')}>Every level</MenuItem>
            <MenuItem onClick={() => void exportLevel('Year')}>Year rows</MenuItem>
            <MenuItem onClick={() => void exportLevel('Month')}>Month rows</MenuItem>
            <MenuItem onClick={() => void exportLevel('Week')}>Week rows</MenuItem>
          </MenuList>
        </MenuPopover>
      </Menu>
      <ProblemBar problem={problem} title="The export failed" />
    </>
  );
}

function Results(props: { enrichment: Enrichment; entityView: boolean; runId?: string }) {
  const styles = useStyles();
  const id = props.enrichment.enrichmentId;
  const summary = useResource(`summary:${id}`, (signal) => api.summary(id, signal), {
    pollMs: (data) => (runActive(data) ? RUN_POLL_MS : undefined),
    keepData: true,
  });
  const results = summary.data?.results;
  const history = useResource(`history:${id}:${results?.runId ?? ''}`, (signal) => api.history(id, signal), {
    keepData: true,
  });
  const entity = props.enrichment.entityName;
  const threshold = props.enrichment.staleThresholdDays;

  if (props.entityView) {
    return (
      <>
        <PageHeader
          title={resultsTitle(entity)}
          description={
            results
              ? `Every row and column of the output entity ${entity}, as of ${formatDateTime(results.asOf)}: one Year row for each of the ${formatCount(results.accounts)} accounts in the dataset, and Month and Week rows for the periods with counted email or meetings.`
              : `The output entity ${entity} has no rows yet.`
          }
          actions={
            <>
              <Button as="a" href="#/results" icon={<ArrowLeftRegular />}>
                Back to results
              </Button>
              <ExportMenu enrichment={props.enrichment} />
            </>
          }
        />
        <Card>
          <RowsTable
            source={entityRows(id)}
            columns={ALL_COLUMNS}
            pageSize={25}
            levelPicker
            entityHeaders
            caption={`Output entity ${entity}`}
            staleThresholdDays={threshold}
          />
        </Card>
      </>
    );
  }

  return (
    <>
      <PageHeader
        title="Results"
        description={
          results
            ? `What the last successful run found, as of ${formatDateTime(results.asOf)}.`
            : 'What the runs find appears here after the first successful run.'
        }
        actions={results && <ExportMenu enrichment={props.enrichment} />}
      />
      {summary.data && props.runId && <RunNotShown runId={props.runId} summary={summary.data} />}
      <ProblemBar
        problem={summary.problem}
        title="The results could not be loaded"
        onRetry={summary.reload}
      />
      {summary.loading && !summary.data && <Spinner label="Loading the results…" />}
      {summary.data && !results && <NoResults summary={summary.data} enrichment={props.enrichment} />}
      {results && (
        <>
          <StatGrid label="Results at a glance">
            <StatTile
              label="Enriched customers"
              value={formatCount(results.enrichedAccounts)}
              detail={`of ${formatCount(results.accounts)} accounts in the dataset`}
              testId="stat-enriched"
            />
            <StatTile
              label="Emails read"
              value={formatCount(results.emailsProcessed ?? 0)}
              detail={
                results.emailsCounted === null ? undefined : `${formatCount(results.emailsCounted)} counted`
              }
              testId="stat-emails"
            />
            <StatTile
              label="Meetings read"
              value={formatCount(results.meetingsProcessed ?? 0)}
              detail={
                results.meetingsCounted === null
                  ? undefined
                  : `${formatCount(results.meetingsCounted)} counted`
              }
              testId="stat-meetings"
            />
            <StatTile
              label="Days covered"
              value={results.daysCovered === null ? '—' : formatCount(results.daysCovered)}
              testId="stat-days"
            />
          </StatGrid>
          <Caption1 className={styles.muted} data-testid="counts-explained">
            Enriched customers are the accounts with counted email or meetings in the year. The results table
            has a Year row for each of the {formatCount(results.accounts)} accounts in the dataset (the others
            score 0), and Month and Week rows where there was activity.
          </Caption1>
          <Card className={styles.card}>
            <CardHeader
              header={<Subtitle2 as="h2">Enriched customers over time</Subtitle2>}
              description={
                <Caption1 className={styles.muted}>
                  Accounts with counted email or meetings, one bar per successful run
                </Caption1>
              }
            />
            <ProblemBar problem={history.problem} onRetry={history.reload} />
            {history.data && (
              <StackedBarChart
                title="Enriched customers per run"
                testId="enriched-chart"
                bars={history.data.runs.map((r) => ({
                  label: formatShortDateTime(r.asOf),
                  parts: [
                    {
                      legend: 'Enriched customers',
                      value: r.accountsEnriched,
                      color: tokens.colorBrandBackground,
                    },
                  ],
                }))}
              />
            )}
          </Card>
          <Card className={styles.card}>
            <CardHeader
              header={<Subtitle2 as="h2">Results preview</Subtitle2>}
              action={
                <Button
                  as="a"
                  href="#/results?view=entity"
                  icon={<TableRegular />}
                  appearance="subtle"
                  className={styles.nowrap}
                >
                  See every row
                </Button>
              }
            />
            <Caption1 className={styles.muted}>
              Every account in the dataset, highest score first: the Year rows of the results table ({entity}
              ).
            </Caption1>
            <RowsTable
              source={entityRows(id)}
              columns={PREVIEW_COLUMNS}
              pageSize={10}
              caption="Results preview"
              staleThresholdDays={threshold}
              countText={(total) =>
                `${formatCount(total)} ${total === 1 ? 'account' : 'accounts'} (one Year row each)`
              }
            />
          </Card>
        </>
      )}
    </>
  );
}
